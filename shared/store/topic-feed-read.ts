// A topic feed's two reads: the topic item (label; `updated`, the feed's Last-Modified) and the newest
// entries. Read one after the other they cost two round trips, which made a small topic's feed three
// times one Query; read at once they can't vouch for Last-Modified. This keeps both: the reads go out
// together when a topic read that finished earlier proves the answer, and one after the other otherwise.
// And a first page read after a topic read is kept with that `updated`: while the topic item still holds
// it, the page has not changed, so a request is one small GetItem instead of two requests.
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
//
// Why a kept page is current while `updated` is unchanged. The page was sent after a topic read that found
// `updated` = U had finished, and at least `SETTLE_MS` after U. A change the page misses wrote its entries
// after the page was read, so its writer stamps `updated` with a time taken after that (TopicIndex.apply),
// later than U by at least `SETTLE_MS` less the two clocks' skew; and `updated` never goes back below a
// stamp once it landed (a late `ADD` puts the later stamp back). So while the topic item holds U no change
// is missing, and the first topic read after the change's stamp lands sees another `updated` and reads the
// page again. That needs a page read that sees every write finished before it was sent: the changes U
// stands for. Their entries landed before U; when U is less than `CONSISTENT_WITHIN_MS` old the page is read
// strongly consistent (twice the read units), older, eventually consistent, as every other read here: a
// replica would have to lag a minute behind to miss them (DynamoDB documents no bound, only "a short
// time"). Only first pages are kept (what feed readers poll), for at most `KEEP_MS`, at most
// `MAX_KEPT_EVENTS` events in all.
import type { StoredEvent } from '../domain/event';
import type { Page, PageRequest, TopicSummary } from './queries';

export interface TopicFeedReads {
  getTopic(slug: string): Promise<TopicSummary | undefined>;
  /** `consistent`: a strongly consistent read (it sees every write finished before it was sent). */
  topicEvents(
    slug: string,
    page: PageRequest,
    options?: { consistent?: boolean },
  ): Promise<Page<StoredEvent>>;
}

export interface TopicFeedPage {
  /** The topic; its `updated` is safe to serve as the page's Last-Modified. */
  topic: TopicSummary;
  page: Page<StoredEvent>;
}

/** A slug and its `updated` take about 100 bytes: 10,000 topics stay within a megabyte or two. */
const MAX_TOPICS = 10_000;
/**
 * How much older than the page read `updated` must be for the page to be kept: the margin between a
 * writer's clock and this one (Lambda clocks are kept in sync to well under this), and the second of
 * Last-Modified's precision (shared/http/conditional.ts `settledLastModified`).
 */
const SETTLE_MS = 1_000;
/** A page to keep is read strongly consistent when `updated` is younger than this (see above). */
const CONSISTENT_WITHIN_MS = 60_000;
/** A kept page answers for at most this long, the feeds' `max-age`: a bound on anything the argument missed. */
const KEEP_MS = 300_000;
/**
 * Events held by kept pages, in all. They are the decoded entries the entry cache shares (5-10 KB each),
 * so 2,000 of them stay within a few percent of a function's memory.
 */
const MAX_KEPT_EVENTS = 2_000;

interface KeptPage {
  updated: string;
  page: Page<StoredEvent>;
  /** When its read was sent (ms since the epoch), for `KEEP_MS`. */
  readAt: number;
}

export class TopicFeedReader {
  /** Each topic's `updated` as the last finished topic read of this container found it. */
  private readonly settled = new Map<string, string>();
  /** First pages by slug and page size, oldest first. */
  private readonly kept = new Map<string, KeptPage>();
  private keptEvents = 0;

  constructor(
    private readonly reads: TopicFeedReads,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The topic and a page of its newest events, or undefined when there is no such topic. */
  async read(slug: string, request: PageRequest): Promise<TopicFeedPage | undefined> {
    const key = request.after === undefined ? `${slug}\n${request.limit}` : undefined;
    const kept = key === undefined ? undefined : this.keptPage(key);
    const earlier = this.settled.get(slug);
    // At once when an earlier topic read vouches for the page, and no page is kept or could be.
    if (kept === undefined && earlier !== undefined && (key === undefined || !this.keepable(earlier)))
      return this.atOnce(slug, request, earlier, key);
    // Else the topic read first: it tells whether the kept page holds, and a page read goes after it.
    const topic = await this.reads.getTopic(slug);
    if (!topic) return this.gone(slug, key);
    this.remember(slug, topic.updated);
    if (kept !== undefined && kept.updated === topic.updated) return { topic, page: kept.page };
    return { topic, page: await this.pageAfter(topic, request, key) };
  }

  private async atOnce(
    slug: string,
    request: PageRequest,
    earlier: string,
    key: string | undefined,
  ): Promise<TopicFeedPage | undefined> {
    const [topic, page] = await Promise.all([
      this.reads.getTopic(slug),
      this.reads.topicEvents(slug, request),
    ]);
    if (!topic) return this.gone(slug, key);
    this.remember(slug, topic.updated);
    if (topic.updated === earlier) return { topic, page };
    // `updated` moved since the earlier read: this page may predate it, so read it after this topic read.
    return { topic, page: await this.pageAfter(topic, request, key) };
  }

  /** The page, read after a topic read that found `topic.updated` finished; kept under `key` when it may be. */
  private async pageAfter(
    topic: TopicSummary,
    request: PageRequest,
    key: string | undefined,
  ): Promise<Page<StoredEvent>> {
    const readAt = this.now().getTime();
    if (key === undefined || !this.keepable(topic.updated, readAt))
      return this.reads.topicEvents(topic.slug, request);
    const consistent = readAt - Date.parse(topic.updated) < CONSISTENT_WITHIN_MS;
    const page = await this.reads.topicEvents(topic.slug, request, { consistent });
    this.keep(key, { updated: topic.updated, page, readAt });
    return page;
  }

  /** Whether a page read now (or at `readAt`) after a topic read that found `updated` may be kept. */
  private keepable(updated: string | undefined, readAt = this.now().getTime()): boolean {
    return updated !== undefined && readAt - Date.parse(updated) >= SETTLE_MS;
  }

  private keptPage(key: string): KeptPage | undefined {
    const kept = this.kept.get(key);
    if (kept === undefined || this.now().getTime() - kept.readAt < KEEP_MS) return kept;
    this.drop(key);
    return undefined;
  }

  private keep(key: string, page: KeptPage): void {
    this.drop(key);
    this.kept.set(key, page);
    this.keptEvents += page.page.items.length;
    for (const [oldest, { page: held }] of this.kept) {
      if (this.keptEvents <= MAX_KEPT_EVENTS && this.kept.size <= MAX_TOPICS) break;
      this.kept.delete(oldest);
      this.keptEvents -= held.items.length;
    }
  }

  private drop(key: string): void {
    const kept = this.kept.get(key);
    if (kept === undefined) return;
    this.kept.delete(key);
    this.keptEvents -= kept.page.items.length;
  }

  /** No such topic (now). Kept pages of its other page sizes go when their next topic read finds it gone. */
  private gone(slug: string, key: string | undefined): undefined {
    this.settled.delete(slug);
    if (key !== undefined) this.drop(key);
    return undefined;
  }

  private remember(slug: string, updated: string): void {
    this.settled.delete(slug);
    if (this.settled.size >= MAX_TOPICS) this.settled.delete(this.settled.keys().next().value as string);
    this.settled.set(slug, updated);
  }
}
