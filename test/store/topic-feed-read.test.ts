// The topic feed's two reads: in sequence until a finished topic read vouches for Last-Modified, then at
// once; never a Last-Modified newer than the page. The port is scripted, so the race between the two reads
// (a change landing between them) is made to happen exactly, which a real engine does only by chance.
import { describe, expect, it } from 'vitest';
import type { Page, PageRequest, StoredEvent, TopicSummary } from '../../shared/store/events-table';
import { TopicFeedReader, type TopicFeedReads } from '../../shared/store/topic-feed-read';
import { makeEvent } from '../support/events';

const stored = (id: string): StoredEvent => ({
  ...makeEvent(id, { topics: ['Harbor'] }),
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const topicAt = (updated: string): TopicSummary => ({ slug: 'harbor', label: 'Harbor', events: 1, updated });
const request: PageRequest = { limit: 50 };

/**
 * A port whose reads answer from `state` at the moment each read is *served*, and which logs when each
 * read is sent and served; `serve` decides the order in which sent reads are served.
 */
function scriptedReads(state: { topic: TopicSummary | undefined; page: Page<StoredEvent> }) {
  const log: string[] = [];
  const waiting: { name: string; serve: () => void }[] = [];
  const read =
    <T>(name: string, answer: () => T) =>
    () =>
      new Promise<T>((resolve) => {
        log.push(`send ${name}`);
        waiting.push({
          name,
          serve: () => {
            log.push(`serve ${name}`);
            resolve(answer());
          },
        });
      });
  const reads: TopicFeedReads = {
    getTopic: read('topic', () => state.topic),
    topicEvents: read('page', () => state.page),
  };
  /** Serves the waiting read of this name (after letting the reader send what it will). */
  const serve = async (name: string) => {
    await new Promise((resolve) => setImmediate(resolve));
    const index = waiting.findIndex((one) => one.name === name);
    if (index < 0) throw new Error(`no ${name} read is waiting; log: ${log.join(', ')}`);
    const [one] = waiting.splice(index, 1);
    one?.serve();
  };
  return { reads, log, serve };
}

describe('TopicFeedReader', () => {
  it('reads the topic before the page the first time a topic is asked for', async () => {
    // Prepare
    const { reads, log, serve } = scriptedReads({
      topic: topicAt('2026-01-01T00:00:00.000Z'),
      page: { items: [stored('2011-05-02/newer')] },
    });
    const reader = new TopicFeedReader(reads);

    // Act
    const result = reader.read('harbor', request);
    await serve('topic');
    await serve('page');

    // Assess
    expect(log).toEqual(['send topic', 'serve topic', 'send page', 'serve page']);
    expect((await result)?.topic.updated).toBe('2026-01-01T00:00:00.000Z');
  });

  it('sends both reads at once once an earlier topic read found the same `updated`', async () => {
    // Prepare
    const { reads, log, serve } = scriptedReads({
      topic: topicAt('2026-01-01T00:00:00.000Z'),
      page: { items: [stored('2011-05-02/newer')] },
    });
    const reader = new TopicFeedReader(reads);
    const first = reader.read('harbor', request);
    await serve('topic');
    await serve('page');
    await first;
    log.length = 0;

    // Act
    const second = reader.read('harbor', request);
    await serve('page');
    await serve('topic');

    // Assess
    expect(log).toEqual(['send topic', 'send page', 'serve page', 'serve topic']);
    expect((await second)?.page.items.map((event) => event.id)).toEqual(['2011-05-02/newer']);
  });

  it('reads the page again when `updated` moved, so Last-Modified is never newer than the page', async () => {
    // Prepare: a first request settles `updated` at T1.
    const state = {
      topic: topicAt('2026-01-01T00:00:00.000Z') as TopicSummary | undefined,
      page: { items: [stored('2011-05-02/newer')] } as Page<StoredEvent>,
    };
    const { reads, serve } = scriptedReads(state);
    const reader = new TopicFeedReader(reads);
    const first = reader.read('harbor', request);
    await serve('topic');
    await serve('page');
    await first;

    // Act: the page Query is served first, then a change lands (entries, then `updated`), then the topic read.
    const second = reader.read('harbor', request);
    await serve('page');
    state.page = { items: [stored('2012-01-01/newest'), stored('2011-05-02/newer')] };
    state.topic = topicAt('2026-02-01T00:00:00.000Z');
    await serve('topic');
    await serve('page');

    // Assess: with the new `updated` comes the page read after it, which holds the change.
    const result = await second;
    expect(result?.topic.updated).toBe('2026-02-01T00:00:00.000Z');
    expect(result?.page.items.map((event) => event.id)).toEqual(['2012-01-01/newest', '2011-05-02/newer']);
  });

  it('answers no topic when it is gone, and reads in sequence again if it comes back', async () => {
    // Prepare
    const state = {
      topic: topicAt('2026-01-01T00:00:00.000Z') as TopicSummary | undefined,
      page: { items: [stored('2011-05-02/newer')] } as Page<StoredEvent>,
    };
    const { reads, log, serve } = scriptedReads(state);
    const reader = new TopicFeedReader(reads);
    const first = reader.read('harbor', request);
    await serve('topic');
    await serve('page');
    await first;
    state.topic = undefined;
    state.page = { items: [] };

    // Act
    const gone = reader.read('harbor', request);
    await serve('topic');
    await serve('page');
    const goneResult = await gone;
    state.topic = topicAt('2026-03-01T00:00:00.000Z');
    log.length = 0;
    const back = reader.read('harbor', request);
    await serve('topic');
    await serve('page');
    await back;

    // Assess
    expect(goneResult).toBeUndefined();
    expect(log).toEqual(['send topic', 'serve topic', 'send page', 'serve page']);
  });
});
