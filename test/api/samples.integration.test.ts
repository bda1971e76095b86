// `npm start`'s stack with the project's sample events: stats, problems, and the feeds readers see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack';
import { cursorOf, type InProcessApi, inProcessApi } from './support';

let api: TestStack;
const get = (path: string, headers?: Record<string, string>) => api.get(path, headers);
const getJson = <T>(path: string) => api.getJson<T>(path);

// The same routes over the stack's table, with an injected clock for "today".
let clock: Date;
let clocked: InProcessApi;

beforeAll(async () => {
  api = await startTestStack({ samples: true });
  clock = new Date('2026-02-28T12:00:00.000Z');
  clocked = inProcessApi(api.stack.store, () => clock);
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

interface OnThisDay {
  date: string;
  events: {
    id: string;
    date: string;
    year: number;
    yearsAgo: number;
    topics: { slug: string }[];
    url: string;
  }[];
  next: string | null;
}

/** The on-this-day answer at `now`, as `[date, yearsAgo]` pairs. */
async function onThisDayAt(now: string, path: string): Promise<{ date: string; events: [string, number][] }> {
  clock = new Date(now);
  const body = await clocked.getJson<OnThisDay>(path);
  return { date: body.date, events: body.events.map((e) => [e.date, e.yearsAgo]) };
}

describe('on this day with the samples (dated on 02-28, 02-29 and 12-25)', () => {
  it('today, Feb 28 of a common year: Feb 29 events join under the default feb28 rule', async () => {
    // Act
    const answer = await onThisDayAt('2026-02-28T12:00:00Z', '/on-this-day');

    // Assess
    expect(answer).toEqual({
      date: '02-28',
      events: [
        ['2024-02-29', 2],
        ['2024-02-29', 2],
        ['2024-02-28', 2],
        ['2022-02-28', 4],
        ['2020-02-29', 6],
      ],
    });
  });

  it.each([
    [
      'strict on Feb 28',
      '2026-02-28T12:00:00Z',
      'strict',
      '02-28',
      [
        ['2024-02-28', 2],
        ['2022-02-28', 4],
      ],
    ],
    [
      'mar1 on Feb 28',
      '2026-02-28T12:00:00Z',
      'mar1',
      '02-28',
      [
        ['2024-02-28', 2],
        ['2022-02-28', 4],
      ],
    ],
    [
      'mar1 on Mar 1',
      '2026-03-01T12:00:00Z',
      'mar1',
      '03-01',
      [
        ['2024-02-29', 2],
        ['2024-02-29', 2],
        ['2020-02-29', 6],
      ],
    ],
    ['strict on Mar 1', '2026-03-01T12:00:00Z', 'strict', '03-01', []],
    [
      'feb28 on Feb 28 of a leap year',
      '2028-02-28T12:00:00Z',
      'feb28',
      '02-28',
      [
        ['2024-02-28', 4],
        ['2022-02-28', 6],
      ],
    ],
    [
      'feb28 on Feb 29 of a leap year',
      '2028-02-29T12:00:00Z',
      'feb28',
      '02-29',
      [
        ['2024-02-29', 4],
        ['2024-02-29', 4],
        ['2020-02-29', 8],
      ],
    ],
  ] as const)('leap=%s', async (_, now, leap, date, events) => {
    // Act
    const answer = await onThisDayAt(now, `/on-this-day?leap=${leap}`);

    // Assess
    expect(answer).toEqual({ date, events });
  });

  it('asking for 02-29 in a common year answers the leap-day events, whatever the rule', async () => {
    // Act
    const answer = await onThisDayAt('2026-06-01T12:00:00Z', '/on-this-day/02-29?leap=strict');

    // Assess
    expect(answer).toEqual({
      date: '02-29',
      events: [
        ['2024-02-29', 2],
        ['2024-02-29', 2],
        ['2020-02-29', 6],
      ],
    });
  });

  it('today follows tz: Christmas Eve evening in UTC is already Christmas in Auckland', async () => {
    // Act
    const utc = await onThisDayAt('2026-12-24T20:00:00Z', '/on-this-day');
    const auckland = await onThisDayAt('2026-12-24T20:00:00Z', '/on-this-day?tz=Pacific/Auckland');

    // Assess
    expect(utc).toEqual({ date: '12-24', events: [] });
    expect(auckland).toEqual({
      date: '12-25',
      events: [
        ['2024-12-25', 2],
        ['2022-12-25', 4],
        ['2022-12-25', 4],
        ['2021-12-25', 5],
      ],
    });
  });

  it('topic= keeps one topic’s events, and an unknown topic is a 404', async () => {
    // Prepare
    clock = new Date('2026-07-01T12:00:00Z');

    // Act
    const page = await clocked.getJson<OnThisDay>('/on-this-day/12-25?topic=riverton-winter-storms');
    const unknown = await clocked.get('/on-this-day/12-25?topic=no-such-topic');

    // Assess
    expect(page.events.map((e) => [e.date, e.yearsAgo])).toEqual([
      ['2024-12-25', 1],
      ['2021-12-25', 4],
    ]);
    for (const event of page.events) {
      expect(event.topics.map((t) => t.slug)).toContain('riverton-winter-storms');
    }
    expect(unknown.status).toBe(404);
  });

  it('pages key by key with limit, and an explicit 02-30 is a 400 on monthDay', async () => {
    // Prepare
    clock = new Date('2026-02-28T12:00:00Z');

    // Act
    const first = await clocked.getJson<OnThisDay>('/on-this-day?limit=2');
    const second = await clocked.getJson<OnThisDay>(`/on-this-day?limit=2&cursor=${first.next}`);
    const third = await clocked.getJson<OnThisDay>(`/on-this-day?limit=2&cursor=${second.next}`);
    const invalid = await clocked.get('/on-this-day/02-30');

    // Assess
    expect([...first.events, ...second.events, ...third.events].map((e) => e.date)).toEqual([
      '2024-02-29',
      '2024-02-29',
      '2024-02-28',
      '2022-02-28',
      '2020-02-29',
    ]);
    expect(third.next).toBeNull();
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ param: 'monthDay' });
  });
});

describe('topics and related events with the samples', () => {
  interface Topics {
    topics: { slug: string; label: string; events: number; feeds: { json: string } }[];
    next: string | null;
  }

  it('/topics?q= matches the start of labels, case-insensitively, across pages', async () => {
    // Act
    const all = await getJson<Topics>('/topics?q=riverton');
    const upper = await getJson<Topics>('/topics?q=RIVERTON%20W');
    const none = await getJson<Topics>('/topics?q=zzz');
    const chinese = await getJson<Topics>(`/topics?q=${encodeURIComponent('茶隼')}`);
    const paged: string[] = [];
    let next: string | null = '/topics?q=riv&limit=1';
    while (next) {
      const page: Topics = await getJson(next);
      paged.push(...page.topics.map((t) => t.slug));
      next = page.next === null ? null : `/topics?q=riv&limit=1&cursor=${cursorOf(page.next)}`;
    }

    // Assess
    expect(all.topics.map((t) => t.slug)).toEqual(
      expect.arrayContaining(['riverton-light-rail', 'riverton-winter-storms']),
    );
    for (const topic of all.topics) expect(topic.label.toLowerCase().startsWith('riverton')).toBe(true);
    expect(upper.topics.map((t) => t.slug)).toEqual(['riverton-winter-storms']);
    expect(none.topics).toEqual([]);
    expect(chinese.topics.map((t) => t.label)).toEqual(['茶隼运载火箭']);
    expect(paged).toEqual(all.topics.map((t) => t.slug));
  });

  it('an event links the related events this service holds, and each link answers', async () => {
    // Prepare
    const onLeapDay = await getJson<{ items: { url: string; title: string }[] }>(
      '/topics/2024-valmora-general-election/feed.json',
    );
    const finalResults = onLeapDay.items.find((item) => item.title.startsWith('Final results'));
    expect(finalResults).toBeDefined();
    // Feed items link to the event's page; its JSON is the same path plus `.json`.
    const eventPath = `${new URL(finalResults?.url ?? '').pathname}.json`;

    // Act
    const event = await getJson<{ related: { id: string; date: string; url: string | null }[] }>(eventPath);

    // Assess
    expect(event.related.map((r) => r.date)).toEqual(['2024-07-09', '2024-02-28']);
    for (const related of event.related) {
      expect(related.url).not.toBeNull();
      const linked = await getJson<{ id: string }>(new URL(related.url ?? '').pathname);
      expect(linked.id).toBe(related.id);
    }
  });
});
