// `npm start`'s stack with the project's sample events: stats, problems, and the feeds readers see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack';

let api: TestStack;
const get = (path: string, headers?: Record<string, string>) => api.get(path, headers);
const getJson = <T>(path: string) => api.getJson<T>(path);

beforeAll(async () => {
  api = await startTestStack({ samples: true });
}, 120_000);
afterAll(async () => {
  await api?.close();
});

describe('local stack with the sample events', () => {
  it('loads the samples on first start and serves them', async () => {
    const stats = await getJson<{ events: number; topics: number; rejected: number }>('/stats');

    expect(stats.events).toBeGreaterThanOrEqual(10);
    expect(stats.topics).toBeGreaterThanOrEqual(4);
    expect(stats.rejected).toBe(0);
  });

  it('answers unknown topics and events with 404 problems, bad parameters with 400', async () => {
    for (const [path, status] of [
      ['/topics/no-such-topic/feed.rss', 404],
      ['/events/2001-01-01/nothing.json', 404],
      ['/on-this-day/02-30', 400],
      ['/on-this-day/13-01', 400],
      ['/feed.json?limit=0', 400],
      ['/feed.json?limit=201', 400],
      ['/on-this-day/07-09?tz=Mars/Olympus', 400],
      ['/feed.json?cursor=not-a-cursor', 400],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(response.body);
      expect(problem).toMatchObject({ status });
      expect(response.body).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });
});
