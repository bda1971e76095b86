// Route behaviour against the ReadStore port alone (no dynalite): what the API does with what the store says.
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/domain/event';
import type { ReadStore, StartKey, TopicSummary } from '../../shared/store/events-table';
import { makeEvent } from '../support/events';
import { inProcessApi } from './support';

const now = () => new Date('2026-05-01T12:00:00.000Z');
const harbor: TopicSummary = {
  slug: 'harbor',
  label: 'Harbor',
  events: 2,
  updated: '2026-04-30T10:00:00.000Z',
};
const stored = (id: string): StoredEvent => ({
  ...makeEvent(id, { topics: ['Harbor'] }),
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** A store with one topic of two events; it records the page requests it is asked for. */
function fakeStore(): { store: ReadStore; asked: { limit: number; after?: StartKey }[] } {
  const asked: { limit: number; after?: StartKey }[] = [];
  const none = async () => ({ items: [] });
  const topicEvents: ReadStore['topicEvents'] = async (_slug, page) => {
    asked.push(page);
    return page.after
      ? { items: [stored('2010-05-01/older')] }
      : {
          items: [stored('2011-05-02/newer')],
          next: { PK: 'TOPIC#harbor', SK: '2011-05-02#2011-05-02/newer' },
        };
  };
  const getTopic: ReadStore['getTopic'] = async (slug) => (slug === 'harbor' ? harbor : undefined);
  const store: ReadStore = {
    getEvent: async () => undefined,
    liveEventIds: async () => new Set(),
    topicEvents,
    topicFeed: async (slug, page) => {
      const topic = await getTopic(slug);
      return topic && { topic, page: await topicEvents(slug, page) };
    },
    allEvents: none,
    monthDayEvents: none,
    monthDayBriefs: none,
    monthDayCount: async () => 0,
    getTopic,
    listTopics: async () => ({ items: [harbor] }),
    listRejections: none,
    stats: async () => ({ events: 2, topics: 1, rejected: 0 }),
  };
  return { store, asked };
}

describe('routes over the ReadStore port', () => {
  it('takes the topic feed’s Last-Modified from the topic’s `updated`, not from its events', async () => {
    // Prepare
    const { store } = fakeStore();
    const api = inProcessApi(store, now);

    // Act
    const response = await api.get('/topics/harbor/feed.json?limit=1');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['last-modified']).toBe('Thu, 30 Apr 2026 10:00:00 GMT');
  });

  it('hands the store back exactly the start key it returned, through a signed cursor', async () => {
    // Prepare
    const { store, asked } = fakeStore();
    const api = inProcessApi(store, now);
    const first = await api.getJson<{ next_url?: string }>('/topics/harbor/feed.json?limit=1');

    // Act
    const second = await api.get(
      new URL(first.next_url ?? '').pathname + new URL(first.next_url ?? '').search,
    );

    // Assess
    expect(second.status).toBe(200);
    expect(asked).toEqual([
      { limit: 1 },
      { limit: 1, after: { PK: 'TOPIC#harbor', SK: '2011-05-02#2011-05-02/newer' } },
    ]);
  });

  it('answers 404 problem+json for a topic the store does not have, without asking for its events', async () => {
    // Prepare
    const { store, asked } = fakeStore();
    const api = inProcessApi(store, now);

    // Act
    const response = await api.get('/topics/nowhere/feed.rss');

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(asked).toEqual([]);
  });
});
