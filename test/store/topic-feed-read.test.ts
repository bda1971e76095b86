// The topic feed's two reads: in sequence until a finished topic read vouches for Last-Modified, then at
// once; never a Last-Modified newer than the page; and a first page kept while the topic's `updated` holds.
// The port is scripted, so the race between the two reads (a change landing between them) is made to
// happen exactly, which a real engine does only by chance.
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
/** Half a second after the first `updated` below: too soon to keep a page (the reads of the first tests). */
const soon = () => new Date('2026-01-01T00:00:00.500Z');
/** An hour after it: a page read now may be kept. */
const later = { at: new Date('2026-01-01T01:00:00.000Z') };
const clock = () => later.at;

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
    topicEvents: (_slug, _page, options) =>
      read(options?.consistent ? 'consistent page' : 'page', () => state.page)(),
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
    const reader = new TopicFeedReader(reads, soon);

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
    const reader = new TopicFeedReader(reads, soon);
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
    const reader = new TopicFeedReader(reads, soon);
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
    const reader = new TopicFeedReader(reads, soon);
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

  describe('a kept first page', () => {
    const firstState = () => ({
      topic: topicAt('2026-01-01T00:00:00.000Z') as TopicSummary | undefined,
      page: { items: [stored('2011-05-02/newer')] } as Page<StoredEvent>,
    });

    /** A reader whose first request (read in sequence, an hour after `updated`) kept its page. */
    async function keptReader(state: ReturnType<typeof firstState>) {
      later.at = new Date('2026-01-01T01:00:00.000Z');
      const scripted = scriptedReads(state);
      const reader = new TopicFeedReader(scripted.reads, clock);
      const first = reader.read('harbor', request);
      await scripted.serve('topic');
      await scripted.serve('page');
      await first;
      scripted.log.length = 0;
      return { reader, ...scripted };
    }

    it('is read after the topic read, then answers with the topic read alone', async () => {
      // Prepare
      const state = firstState();
      const { reader, log, serve } = await keptReader(state);

      // Act
      const second = reader.read('harbor', request);
      await serve('topic');

      // Assess
      expect(log).toEqual(['send topic', 'serve topic']);
      expect((await second)?.page.items.map((event) => event.id)).toEqual(['2011-05-02/newer']);
      expect((await second)?.topic.updated).toBe('2026-01-01T00:00:00.000Z');
    });

    it('is read again, after the topic read, once `updated` moved', async () => {
      // Prepare: a change lands (entries, then `updated`) after the page was kept.
      const state = firstState();
      const { reader, log, serve } = await keptReader(state);
      state.page = { items: [stored('2012-01-01/newest'), stored('2011-05-02/newer')] };
      state.topic = topicAt('2026-01-01T00:30:00.000Z');

      // Act
      const second = reader.read('harbor', request);
      await serve('topic');
      await serve('page');

      // Assess: a minute or more after `updated`, the page read is eventually consistent.
      const result = await second;
      expect(log).toEqual(['send topic', 'serve topic', 'send page', 'serve page']);
      expect(result?.topic.updated).toBe('2026-01-01T00:30:00.000Z');
      expect(result?.page.items.map((event) => event.id)).toEqual(['2012-01-01/newest', '2011-05-02/newer']);
    });

    it('is read strongly consistent while `updated` is under a minute old', async () => {
      // Prepare: the topic changed half a minute before this reader's clock.
      const state = firstState();
      const { reads, log, serve } = scriptedReads(state);
      const reader = new TopicFeedReader(reads, () => new Date('2026-01-01T00:00:30.000Z'));

      // Act
      const first = reader.read('harbor', request);
      await serve('topic');
      await serve('consistent page');
      await first;
      const second = reader.read('harbor', request);
      await serve('topic');

      // Assess: kept all the same.
      expect(log).toEqual([
        'send topic',
        'serve topic',
        'send consistent page',
        'serve consistent page',
        'send topic',
        'serve topic',
      ]);
      expect((await second)?.page.items.map((event) => event.id)).toEqual(['2011-05-02/newer']);
    });

    it('is not kept when `updated` is less than a second older than the page read', async () => {
      // Prepare: the topic changed half a second before this reader's clock.
      const state = firstState();
      const { reads, log, serve } = scriptedReads(state);
      const reader = new TopicFeedReader(reads, soon);
      const first = reader.read('harbor', request);
      await serve('topic');
      await serve('page');
      await first;
      log.length = 0;

      // Act
      const second = reader.read('harbor', request);
      await serve('topic');
      await serve('page');
      await second;

      // Assess: both reads again, at once, neither of them strongly consistent.
      expect(log).toEqual(['send topic', 'send page', 'serve topic', 'serve page']);
    });

    it('answers for five minutes at most', async () => {
      // Prepare
      const state = firstState();
      const { reader, log, serve } = await keptReader(state);
      later.at = new Date(later.at.getTime() + 300_000);

      // Act
      const second = reader.read('harbor', request);
      await serve('topic');
      await serve('page');
      await second;

      // Assess
      expect(log).toEqual(['send topic', 'serve topic', 'send page', 'serve page']);
    });

    it('is never an answer for a topic that is gone', async () => {
      // Prepare
      const state = firstState();
      const { reader, serve } = await keptReader(state);
      state.topic = undefined;
      state.page = { items: [] };

      // Act
      const gone = reader.read('harbor', request);
      await serve('topic');

      // Assess
      expect(await gone).toBeUndefined();
    });

    it('is only a first page: a page after a cursor is read each time', async () => {
      // Prepare
      const state = firstState();
      const { reader, log, serve } = await keptReader(state);
      const after = { ...request, after: { PK: 'TOPIC#harbor', SK: '2012-01-01#2012-01-01/newest' } };

      // Act
      const next = reader.read('harbor', after);
      await serve('topic');
      await serve('page');
      await next;

      // Assess
      expect(log).toEqual(['send topic', 'send page', 'serve topic', 'serve page']);
    });
  });
});
