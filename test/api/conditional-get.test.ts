// Conditional GET through the API routes: Last-Modified moves with every change, and "today" carries none.
import { describe, expect, it } from 'vitest';
import type { NewsEvent } from '../../shared/domain/event';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';
import { pausingClient } from '../support/pausing-client';
import { type InProcessApi, inProcessApi } from './support';

let store: EventsTable;
let api: InProcessApi;
let today: Date;
let dynamo: LocalDynamo;
let table: string;
/** The writers' clock: every store in a test reads this one, as Lambda environments read synced clocks. */
let clock: () => Date;

withFreshTable((engine, tableName) => {
  dynamo = engine;
  table = tableName;
  clock = steppingClock('2026-01-10T08:00:00.000Z');
  store = new EventsTable(engine.doc, tableName, { now: clock });
  today = new Date('2026-05-01T12:00:00.000Z');
  api = inProcessApi(store, () => today);
});

/** Stores `event` as the only event of the object named by its id, at `sequencer`. */
async function put(event: NewsEvent, sequencer = '01'): Promise<void> {
  await store.putEvents({ key: event.id, sequencer }, [fileContribution(event.id, event)]);
}

const older = makeEvent('2010-05-01/older', { topics: ['Harbor'] });
const newer = makeEvent('2011-05-02/newer', { topics: ['Harbor'] });

describe('Last-Modified on the topic feed', () => {
  it('moves when an event of the topic is deleted', async () => {
    // Prepare
    await put(older);
    await put(newer);
    const first = await api.get('/topics/harbor/feed.json');
    const lastModified = first.headers['last-modified'] as string;
    expect(lastModified).toBeDefined();
    await store.deleteObject({ key: older.id, sequencer: '02' });

    // Act
    const again = await api.get('/topics/harbor/feed.json', { 'if-modified-since': lastModified });

    // Assess
    expect(again.status).toBe(200);
    expect(again.body).not.toContain(older.id);
    expect(Date.parse(again.headers['last-modified'] as string)).toBeGreaterThan(Date.parse(lastModified));
  });

  it('moves when an event leaves the topic', async () => {
    // Prepare
    await put(older);
    await put(newer);
    const first = await api.get('/topics/harbor/feed.rss');
    const lastModified = first.headers['last-modified'] as string;
    await put({ ...older, topics: ['Elsewhere'] }, '02');

    // Act
    const again = await api.get('/topics/harbor/feed.rss', { 'if-modified-since': lastModified });

    // Assess
    expect(again.status).toBe(200);
    expect(again.body).not.toContain(older.id);
  });

  it('moves forward when a batch that began earlier lands later', async () => {
    // Prepare: the first batch is paused after its claim, before its event lands, while a second batch runs
    // to the end and a reader fetches the feed.
    const { client, paused, resume } = pausingClient(dynamo.doc, (input) =>
      String(input.Item?.PK).startsWith('EVENT#'),
    );
    const slowWriter = new EventsTable(client, table, { now: clock });
    const slow = slowWriter.putEvents({ key: older.id, sequencer: '01' }, [
      fileContribution(older.id, older),
    ]);
    await paused;
    await put(newer);
    const first = await api.get('/topics/harbor/feed.json');
    const lastModified = first.headers['last-modified'] as string;
    expect(first.body).not.toContain(older.id);

    // Act
    resume();
    await slow;
    const again = await api.get('/topics/harbor/feed.json', { 'if-modified-since': lastModified });

    // Assess: the late batch's entry is news to the reader, and Last-Modified went forward, not back.
    expect(again.status).toBe(200);
    expect(again.body).toContain(older.id);
    expect(Date.parse(again.headers['last-modified'] as string)).toBeGreaterThan(Date.parse(lastModified));
  });

  it('never goes back when an earlier stamp lands after a later one', async () => {
    // Prepare: a writer whose clock reads behind (a stamp taken, then held up by retries) lands last.
    await put(newer);
    const before = (await store.getTopic('harbor'))?.updated;
    const behind = new EventsTable(dynamo.doc, table, { now: steppingClock('2026-01-10T07:00:00.000Z') });

    // Act
    await behind.putEvents({ key: older.id, sequencer: '01' }, [fileContribution(older.id, older)]);

    // Assess
    const after = await store.getTopic('harbor');
    expect(after?.events).toBe(2);
    expect(after?.updated).toBe(before);
  });

  it('is not sent within the second of a change, so one date never stands for two versions', async () => {
    // Prepare: the API's clock half a second after the topic's last change.
    await put(older);
    const changed = Date.parse((await store.getTopic('harbor'))?.updated ?? 'missing');
    const sameSecond = inProcessApi(store, () => new Date(changed + 500));

    // Act
    const fresh = await sameSecond.get('/topics/harbor/feed.atom');
    const settled = await api.get('/topics/harbor/feed.atom');

    // Assess
    expect(fresh.status).toBe(200);
    expect(fresh.headers['last-modified']).toBeUndefined();
    expect(fresh.headers.etag).toBe(settled.headers.etag);
    expect(settled.headers['last-modified']).toBe(new Date(Math.floor(changed / 1000) * 1000).toUTCString());
  });

  it('still answers 304 while nothing changed', async () => {
    // Prepare
    await put(older);
    const first = await api.get('/topics/harbor/feed.atom');

    // Act
    const again = await api.get('/topics/harbor/feed.atom', {
      'if-modified-since': first.headers['last-modified'] as string,
    });

    // Assess
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });
});

describe('representations whose change time the store cannot tell', () => {
  it('all-events feed: a delete is never answered 304 to If-Modified-Since', async () => {
    // Prepare
    await put(older);
    await put(newer);
    const first = await api.get('/feed.json');
    const since = first.headers['last-modified'] ?? new Date('2026-04-01T00:00:00Z').toUTCString();
    await store.deleteObject({ key: older.id, sequencer: '02' });

    // Act
    const again = await api.get('/feed.json', { 'if-modified-since': since });

    // Assess
    expect(again.status).toBe(200);
    expect(again.body).not.toContain(older.id);
  });

  it('event JSON: a related event that disappears is not answered 304', async () => {
    // Prepare
    const related = makeEvent('2012-01-01/related', { topics: ['Harbor'] });
    const main = makeEvent('2012-01-02/main', {
      related: [{ id: related.id, title: related.title, date: related.date, topics: [] }],
    });
    await put(related);
    await put(main);
    const first = await api.get('/events/2012-01-02/main.json');
    expect(JSON.parse(first.body).related[0].url).not.toBeNull();
    const since = first.headers['last-modified'] ?? new Date('2026-04-01T00:00:00Z').toUTCString();
    await store.deleteObject({ key: related.id, sequencer: '02' });

    // Act
    const again = await api.get('/events/2012-01-02/main.json', { 'if-modified-since': since });

    // Assess
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body).related[0].url).toBeNull();
  });

  it('OPML: a topic that disappears is not answered 304', async () => {
    // Prepare
    await put(older);
    await put(makeEvent('2012-03-03/lonely', { topics: ['Lonely'] }));
    const first = await api.get('/opml');
    expect(first.body).toContain('Lonely');
    const since = first.headers['last-modified'] ?? new Date('2026-04-01T00:00:00Z').toUTCString();
    await store.deleteObject({ key: '2012-03-03/lonely', sequencer: '02' });

    // Act
    const again = await api.get('/opml', { 'if-modified-since': since });

    // Assess
    expect(again.status).toBe(200);
    expect(again.body).not.toContain('Lonely');
  });
});

describe('on this day', () => {
  it('sends no Last-Modified, so tomorrow never gets 304 with yesterday’s list', async () => {
    // Prepare: one event on each day; the list for "today" changes at midnight without any write.
    await put(older);
    await put(newer);
    const first = await api.get('/on-this-day');
    expect(JSON.parse(first.body).events.map((e: { id: string }) => e.id)).toEqual([older.id]);
    today = new Date('2026-05-02T12:00:00.000Z');

    // Act
    const tomorrow = await api.get('/on-this-day', {
      'if-modified-since': new Date('2026-05-01T12:00:00.000Z').toUTCString(),
    });

    // Assess
    expect(tomorrow.status).toBe(200);
    expect(first.headers['last-modified']).toBeUndefined();
    expect(JSON.parse(tomorrow.body).events.map((e: { id: string }) => e.id)).toEqual([newer.id]);
    expect(tomorrow.headers['last-modified']).toBeUndefined();
    expect(tomorrow.headers.etag).not.toBe(first.headers.etag);
  });

  it('an explicit month-day also depends on today (years ago), so it carries no Last-Modified', async () => {
    // Prepare
    await put(older);

    // Act
    const response = await api.get('/on-this-day/05-01');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['last-modified']).toBeUndefined();
    expect(response.headers.etag).toMatch(/^"/);
  });
});
