// Paging cursors through the API: bound to the whole query, tamper-evident, and 400 (never 500) otherwise.
import { describe, expect, it } from 'vitest';
import type { NewsEvent } from '../../shared/domain/event';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { withFreshTable } from '../support/local-aws';
import { type ApiResponse, cursorOf, type InProcessApi, inProcessApi } from './support';

let store: EventsTable;
let api: InProcessApi;
let today: Date;

withFreshTable(async (engine, tableName) => {
  store = new EventsTable(engine.doc, tableName, { now: steppingClock('2026-01-10T08:00:00.000Z') });
  today = new Date('2026-05-01T12:00:00.000Z');
  api = inProcessApi(store, () => today);
  // Three topics starting with "A", two with "B"; two events on 05-01 of different years.
  const events: NewsEvent[] = [
    makeEvent('2010-05-01/one', { topics: ['Alpha', 'Alpine', 'Beta'] }),
    makeEvent('2011-05-01/two', { topics: ['Alpha', 'Altona', 'Bravo'] }),
    makeEvent('2012-06-01/three', { topics: ['Alpha', 'Beta'] }),
  ];
  for (const event of events) {
    await store.putEvents({ key: event.id, sequencer: '01' }, [fileContribution(event.id, event)]);
  }
});

interface Listing {
  next: string | null;
}

async function firstCursor(path: string): Promise<string> {
  const page = await api.getJson<Listing & { next_url?: string }>(path);
  const next = page.next ?? page.next_url;
  expect(next, path).toBeTruthy();
  return cursorOf(next as string);
}

function expectCursorProblem(response: ApiResponse, what: string): void {
  expect(response.status, `${what}: ${response.body}`).toBe(400);
  expect(response.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(response.body), what).toMatchObject({ status: 400, param: 'cursor' });
  expect(api.errors, what).toEqual([]);
}

describe('a cursor used on another query', () => {
  it('from /topics?q=a on /topics?q=b answers 400', async () => {
    // Prepare
    const cursor = await firstCursor('/topics?q=a&limit=1');

    // Act
    const response = await api.get(`/topics?q=b&limit=1&cursor=${cursor}`);

    // Assess
    expectCursorProblem(response, 'q reuse');
  });

  it('from /topics?q=a on /topics (no filter) answers 400', async () => {
    // Prepare
    const cursor = await firstCursor('/topics?q=a&limit=1');

    // Act
    const response = await api.get(`/topics?limit=1&cursor=${cursor}`);

    // Assess
    expectCursorProblem(response, 'filter dropped');
  });

  it('from one topic feed on another topic feed, or on the all-events feed, answers 400', async () => {
    // Prepare
    const cursor = await firstCursor('/topics/alpha/feed.json?limit=1');

    // Act
    const otherTopic = await api.get(`/topics/beta/feed.json?limit=1&cursor=${cursor}`);
    const allEvents = await api.get(`/feed.json?limit=1&cursor=${cursor}`);

    // Assess
    expectCursorProblem(otherTopic, 'other topic');
    expectCursorProblem(allEvents, 'all events');
  });

  it('from on-this-day after the year turned answers 400', async () => {
    // Prepare
    const cursor = await firstCursor('/on-this-day/05-01?limit=1');
    today = new Date('2027-05-01T12:00:00.000Z');

    // Act
    const response = await api.get(`/on-this-day/05-01?limit=1&cursor=${cursor}`);

    // Assess
    expectCursorProblem(response, 'next year');
  });

  it('from on-this-day with another tz, leap rule or topic answers 400', async () => {
    // Prepare
    const cursor = await firstCursor('/on-this-day/05-01?limit=1&tz=UTC');

    // Act
    const otherZone = await api.get(`/on-this-day/05-01?limit=1&tz=Europe/Berlin&cursor=${cursor}`);
    const otherLeap = await api.get(`/on-this-day/05-01?limit=1&tz=UTC&leap=mar1&cursor=${cursor}`);
    const otherTopic = await api.get(`/on-this-day/05-01?limit=1&tz=UTC&topic=alpha&cursor=${cursor}`);

    // Assess
    expectCursorProblem(otherZone, 'tz');
    expectCursorProblem(otherLeap, 'leap');
    expectCursorProblem(otherTopic, 'topic');
  });
});

describe('a cursor the service did not issue', () => {
  it('hand-made without a sort key answers 400', async () => {
    // Prepare: the shape cursors had before they were signed, with only the partition key.
    const handMade = Buffer.from(
      JSON.stringify({ p: 'TOPIC#alpha', k: { PK: 'TOPIC#alpha' } }),
      'utf8',
    ).toString('base64url');

    // Act
    const response = await api.get(`/topics/alpha/feed.json?limit=1&cursor=${handMade}`);

    // Assess
    expectCursorProblem(response, 'hand-made');
  });

  it('hand-made listing cursor answers 400', async () => {
    // Prepare
    const handMade = Buffer.from(JSON.stringify({ p: 'TOPICS', k: { PK: 'TOPICS' } }), 'utf8').toString(
      'base64url',
    );

    // Act
    const response = await api.get(`/topics?limit=1&cursor=${handMade}`);

    // Assess
    expectCursorProblem(response, 'hand-made listing');
  });

  it('a valid cursor with one character changed answers 400', async () => {
    // Prepare
    const cursor = await firstCursor('/topics/alpha/feed.json?limit=1');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const at of [0, Math.floor(cursor.length / 2), cursor.length - 2]) {
      const swapped = alphabet[(alphabet.indexOf(cursor.charAt(at)) + 1) % 64];
      const tampered = `${cursor.slice(0, at)}${swapped}${cursor.slice(at + 1)}`;

      // Act
      const response = await api.get(`/topics/alpha/feed.json?limit=1&cursor=${tampered}`);

      // Assess
      expectCursorProblem(response, `changed at ${at}`);
    }
  });
});

describe('cursors the service issued', () => {
  it('walk every route to its end, each item once', async () => {
    // Prepare
    const walk = async (path: string, ids: (body: unknown) => string[]) => {
      const seen: string[] = [];
      let next: string | null = path;
      while (next) {
        const body: Record<string, unknown> = await api.getJson(next);
        seen.push(...ids(body));
        const raw = (body.next ?? body.next_url ?? null) as string | null;
        next = raw === null ? null : `${path}${path.includes('?') ? '&' : '?'}cursor=${cursorOf(raw)}`;
      }
      return seen;
    };
    const feedIds = (body: unknown) =>
      (body as { items: { id: string }[] }).items.map((item) => item.id.replace(/^.*event\//, ''));

    // Act
    const topics = await walk('/topics?q=al&limit=1', (body) =>
      (body as { topics: { slug: string }[] }).topics.map((t) => t.slug),
    );
    const alpha = await walk('/topics/alpha/feed.json?limit=1', feedIds);
    const all = await walk('/feed.json?limit=2', feedIds);
    const onThisDay = await walk('/on-this-day?limit=1&tz=UTC', (body) =>
      (body as { events: { id: string }[] }).events.map((e) => e.id),
    );

    // Assess
    expect(topics).toEqual(['alpha', 'alpine', 'altona']);
    expect(alpha).toEqual(['2012-06-01/three', '2011-05-01/two', '2010-05-01/one']);
    expect(all).toEqual(['2012-06-01/three', '2011-05-01/two', '2010-05-01/one']);
    expect(onThisDay).toEqual(['2011-05-01/two', '2010-05-01/one']);
    expect(api.errors).toEqual([]);
  });
});
