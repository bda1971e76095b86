// Every listing of the public API bounds `limit` (and the anniversary feeds `days`): the bound itself is served,
// one past it, zero and non-numbers are 400 problem details naming the parameter, before any page is read.
import { describe, expect, it } from 'vitest';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, makeEvent } from '../support/events';
import { withFreshTable } from '../support/local-aws';
import { type InProcessApi, inProcessApi } from './support';

const now = () => new Date('2026-07-09T07:00:00.000Z');
let api: InProcessApi;

withFreshTable(async (dynamo, tableName) => {
  const store = new EventsTable(dynamo.doc, tableName, { now });
  const event = makeEvent('2024-07-09/limits', { topics: ['Alpha'] });
  await store.putEvents({ key: 'news/2024/07/9/limits.md', sequencer: '01' }, [
    fileContribution('news/2024/07/9/limits.md', event),
  ]);
  api = inProcessApi(store, now);
});

/** Each bounded parameter: the path it is on, its name and its largest accepted value. */
const bounds: [path: string, param: string, max: number][] = [
  ['/topics', 'limit', 500],
  ['/topics/alpha/feed.json', 'limit', 200],
  ['/feed.rss', 'limit', 200],
  ['/on-this-day', 'limit', 200],
  ['/on-this-day/07-09', 'limit', 200],
  ['/on-this-day/feed.json', 'days', 31],
  ['/opml', 'limit', 1_000],
];

describe('request limits on every listing', () => {
  it.each(bounds)('%s bounds %s at %i', async (path, param, max) => {
    // Act
    const atMax = await api.get(`${path}?${param}=${max}`);
    const refused = await Promise.all(
      [max + 1, 0, -1, '1e2', 'ten', '9'.repeat(40)].map((value) => api.get(`${path}?${param}=${value}`)),
    );

    // Assess
    expect(atMax.status, atMax.body.slice(0, 200)).toBe(200);
    for (const response of refused) {
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(response.body)).toMatchObject({ status: 400, param });
    }
  });
});
