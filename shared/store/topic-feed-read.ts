// A topic feed's two reads: the topic item (label; `updated`, the feed's Last-Modified) and the newest
// entries. Read one after the other they cost two round trips, which made a small topic's feed three
// times one Query; read at once they can't vouch for Last-Modified. This keeps both: the reads go out
// together when a topic read that finished earlier proves the answer, and one after the other otherwise.
//
// Why Last-Modified needs an order. Writers put a change's entries first and move the topic's `updated`
// after (TopicIndex.apply: entries, then the counter `ADD`s and touches that set `updated`). So a topic
// read that *finished* before the page Query was *sent* saw an `updated` whose entries the page holds: the
// page is at least as new as that Last-Modified. A Last-Modified newer than its page would be answered
// 304 by every later conditional request until the next change (the reader keeps the old page); one older
// than its page only costs a refetch. Two reads sent at once have no order: the topic read may see a
// change whose entries the Query, served a moment earlier, missed. So the parallel answer takes its
// Last-Modified from the topic read of an *earlier* request (finished before this Query was sent), and
// only when this request's own topic read still finds the same `updated`: nothing moved `updated` in
// between, and the page is at least as new as it. When `updated` moved, the page is read again, after
// this topic read, as the sequential order does. The first request for a topic in a container reads in
// sequence. This is the sequential argument, with the earlier read in place of the first; like it, it
// holds for reads that see every write finished before they were sent (strongly consistent reads; with
// DynamoDB's default eventually consistent reads a lagging replica can break either order for a moment).
import type { StoredEvent } from '../domain/event';
import type { Page, PageRequest, TopicSummary } from './queries';

export interface TopicFeedReads {
  getTopic(slug: string): Promise<TopicSummary | undefined>;
  topicEvents(slug: string, page: PageRequest): Promise<Page<StoredEvent>>;
}

export interface TopicFeedPage {
  /** The topic; its `updated` is safe to serve as the page's Last-Modified. */
  topic: TopicSummary;
  page: Page<StoredEvent>;
}

/** A slug and its `updated` take about 100 bytes: 10,000 topics stay within a megabyte or two. */
const MAX_TOPICS = 10_000;

export class TopicFeedReader {
  /** Each topic's `updated` as the last finished topic read of this container found it. */
  private readonly settled = new Map<string, string>();

  constructor(private readonly reads: TopicFeedReads) {}

  /** The topic and a page of its newest events, or undefined when there is no such topic. */
  async read(slug: string, request: PageRequest): Promise<TopicFeedPage | undefined> {
    const earlier = this.settled.get(slug);
    if (earlier === undefined) return this.inSequence(slug, request);
    const [topic, page] = await Promise.all([
      this.reads.getTopic(slug),
      this.reads.topicEvents(slug, request),
    ]);
    if (!topic) {
      this.settled.delete(slug);
      return undefined;
    }
    this.remember(slug, topic.updated);
    if (topic.updated === earlier) return { topic, page };
    // `updated` moved since the earlier read: this page may predate it, so read it after this topic read.
    return { topic, page: await this.reads.topicEvents(slug, request) };
  }

  private async inSequence(slug: string, request: PageRequest): Promise<TopicFeedPage | undefined> {
    const topic = await this.reads.getTopic(slug);
    if (!topic) return undefined;
    this.remember(slug, topic.updated);
    return { topic, page: await this.reads.topicEvents(slug, request) };
  }

  private remember(slug: string, updated: string): void {
    this.settled.delete(slug);
    if (this.settled.size >= MAX_TOPICS) this.settled.delete(this.settled.keys().next().value as string);
    this.settled.set(slug, updated);
  }
}
