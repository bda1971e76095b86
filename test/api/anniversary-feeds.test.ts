// Anniversary feeds (/on-this-day/feed.{rss,atom,json}) through the API against dynalite, read back with an
// independent parser: items dated on their delivery day at local midnight, GUIDs per (event, delivery year),
// cached until the next local midnight; topic listings and topic feeds link to them.
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { feedWriters } from '../../shared/feeds/render';
import { EventsTable, type ReadStore } from '../../shared/store/events-table';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { withFreshTable } from '../support/local-aws';
import { inProcessApi, testBaseUrl } from './support';

let store: EventsTable;

withFreshTable((dynamo, tableName) => {
  store = new EventsTable(dynamo.doc, tableName, { now: steppingClock('2026-01-10T08:00:00.000Z') });
});

async function seed(): Promise<void> {
  const events = [
    makeEvent('2024-07-09/ninth', { title: 'Ninth of July', topics: ['Alpha'] }),
    makeEvent('2001-07-10/tenth', { title: 'Tenth of July', topics: ['Alpha', 'Beta'] }),
    makeEvent('2020-07-11/eleventh', { title: 'Eleventh', topics: ['Beta'] }),
  ];
  for (const event of events) {
    await store.putEvents({ key: event.id, sequencer: '01' }, [fileContribution(event.id, event)]);
  }
}

// 10:00 UTC on 10 July 2026 is noon in Berlin (UTC+2): today there is 10 July.
const now = () => new Date('2026-07-10T10:00:00.000Z');

describe('anniversary feeds', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('dates each item at local midnight of its delivery day, with the years in the title (RSS)', async () => {
    // Prepare
    await seed();
    const api = inProcessApi(store, now);

    // Act
    const response = await api.get('/on-this-day/feed.rss?tz=Europe/Berlin&days=2');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const rss = parseRssFeed(response.body);
    expect(rss.items?.map((item) => [item.title, item.pubDate])).toEqual([
      ['25 years ago (2001-07-10): Tenth of July', 'Thu, 09 Jul 2026 22:00:00 GMT'],
      ['2 years ago (2024-07-09): Ninth of July', 'Wed, 08 Jul 2026 22:00:00 GMT'],
    ]);
    expect(rss.items?.map((item) => item.guid?.value)).toEqual([
      'tag:thecontext.net,2018:anniversary/2001-07-10/tenth/2026',
      'tag:thecontext.net,2018:anniversary/2024-07-09/ninth/2026',
    ]);
  });

  it('gives the same anniversary a new GUID in the next delivery year (Atom)', async () => {
    // Prepare
    await seed();
    const thisYear = inProcessApi(store, now);
    const nextYear = inProcessApi(store, () => new Date('2027-07-10T10:00:00.000Z'));

    // Act
    const atom2026 = parseAtomFeed((await thisYear.get('/on-this-day/feed.atom?days=1')).body);
    const atom2027 = parseAtomFeed((await nextYear.get('/on-this-day/feed.atom?days=1')).body);

    // Assess
    expect(atom2026.entries?.map((entry) => [entry.id, entry.updated])).toEqual([
      ['tag:thecontext.net,2018:anniversary/2001-07-10/tenth/2026', '2026-07-10T00:00:00.000Z'],
    ]);
    expect(atom2027.entries?.map((entry) => [entry.id, entry.updated, entry.title?.value])).toEqual([
      [
        'tag:thecontext.net,2018:anniversary/2001-07-10/tenth/2027',
        '2027-07-10T00:00:00.000Z',
        '26 years ago (2001-07-10): Tenth of July',
      ],
    ]);
  });

  it('filters by topic, with unique GUIDs over a week (JSON Feed)', async () => {
    // Prepare
    await seed();
    const api = inProcessApi(store, () => new Date('2026-07-11T10:00:00.000Z'));

    // Act
    const feed = parseJsonFeed(JSON.parse((await api.get('/on-this-day/feed.json?topic=beta')).body));

    // Assess
    const ids = feed.items?.map((item) => item.id) ?? [];
    expect(ids).toEqual([
      'tag:thecontext.net,2018:anniversary/2020-07-11/eleventh/2026',
      'tag:thecontext.net,2018:anniversary/2001-07-10/tenth/2026',
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(feed.items?.map((item) => item.date_published)).toEqual([
      '2026-07-11T00:00:00.000Z',
      '2026-07-10T00:00:00.000Z',
    ]);
    expect(feed.feed_url).toBe(`${testBaseUrl}/on-this-day/feed.json?topic=beta`);
  });

  it('keeps the first 200 anniversaries, newest day first, and reads no event it does not keep', async () => {
    // Prepare: 150 anniversaries of Alpha on 10 July and 100 on 9 July, one a year
    const events = [
      ...Array.from({ length: 150 }, (_, i) =>
        makeEvent(`${1850 + i}-07-10/today-${i}`, { topics: ['Alpha'] }),
      ),
      ...Array.from({ length: 100 }, (_, i) =>
        makeEvent(`${1900 + i}-07-09/yesterday-${i}`, { topics: ['Alpha'] }),
      ),
    ];
    await store.applyMany(
      events.map((event) => ({
        version: { key: event.id, sequencer: '01' },
        state: 'events' as const,
        contributions: [fileContribution(event.id, event)],
      })),
    );
    let eventsRead = 0;
    const counted: ReadStore = Object.create(store);
    counted.monthDayEvents = async (...args) => {
      const page = await store.monthDayEvents(...args);
      eventsRead += page.items.length;
      return page;
    };
    const api = inProcessApi(counted, now);

    // Act
    const feed = parseJsonFeed(JSON.parse((await api.get('/on-this-day/feed.json?topic=alpha&days=2')).body));

    // Assess: all of today's, then yesterday's newest 50; nothing read beyond them
    const ids = feed.items?.map((item) => item.id) ?? [];
    expect(ids).toHaveLength(200);
    expect(ids[0]).toBe('tag:thecontext.net,2018:anniversary/1999-07-10/today-149/2026');
    expect(ids[149]).toBe('tag:thecontext.net,2018:anniversary/1850-07-10/today-0/2026');
    expect(ids[150]).toBe('tag:thecontext.net,2018:anniversary/1999-07-09/yesterday-99/2026');
    expect(ids[199]).toBe('tag:thecontext.net,2018:anniversary/1950-07-09/yesterday-50/2026');
    expect(eventsRead).toBe(200);
  });

  it('is cached until the next local midnight and revalidates with its ETag', async () => {
    // Prepare
    await seed();
    const api = inProcessApi(store, now);

    // Act
    const first = await api.get('/on-this-day/feed.atom?tz=Europe/Berlin');
    const again = await api.get('/on-this-day/feed.atom?tz=Europe/Berlin', {
      'if-none-match': first.headers.etag ?? '',
    });

    // Assess: noon in Berlin, 12 hours to midnight.
    expect(first.headers['cache-control']).toBe('public, max-age=43200');
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(again.status).toBe(304);
  });

  it('is written once while its events stay the same (a 304 writes nothing), and again when one changes', async () => {
    // Prepare: a zone and span no other test asks for, so no earlier test's copy answers
    await seed();
    const api = inProcessApi(store, now);
    const path = '/on-this-day/feed.rss?tz=Asia/Tokyo&days=3';
    const writes = vi.spyOn(feedWriters, 'rss');

    // Act
    const first = await api.get(path);
    const again = await api.get(path);
    const revalidated = await api.get(path, { 'if-none-match': first.headers.etag ?? '' });
    const writesBeforeChange = writes.mock.calls.length;
    const edited = makeEvent('2001-07-10/tenth', {
      title: 'Tenth of July, corrected',
      topics: ['Alpha', 'Beta'],
    });
    await store.putEvents({ key: edited.id, sequencer: '02' }, [fileContribution(edited.id, edited)]);
    const changed = await api.get(path);

    // Assess
    expect(writesBeforeChange).toBe(1);
    expect(again.body).toBe(first.body);
    expect(revalidated.status).toBe(304);
    expect(writes).toHaveBeenCalledTimes(2);
    expect(parseRssFeed(changed.body).items?.map((item) => item.title)).toContain(
      '25 years ago (2001-07-10): Tenth of July, corrected',
    );
  });

  it('refuses a bad days, tz or topic', async () => {
    await seed();
    const api = inProcessApi(store, now);

    const tooMany = await api.get('/on-this-day/feed.rss?days=32');
    const badZone = await api.get('/on-this-day/feed.rss?tz=Mars/Olympus');
    const noTopic = await api.get('/on-this-day/feed.rss?topic=nope');

    expect([tooMany.status, JSON.parse(tooMany.body).param]).toEqual([400, 'days']);
    expect([badZone.status, JSON.parse(badZone.body).param]).toEqual([400, 'tz']);
    expect(noTopic.status).toBe(404);
  });

  it('is linked from the topic listing and from each topic feed', async () => {
    // Prepare
    await seed();
    const api = inProcessApi(store, now);

    // Act
    const topics = await api.getJson<{
      topics: { slug: string; anniversaryFeeds: Record<string, string> }[];
    }>('/topics');
    const atom = parseAtomFeed((await api.get('/topics/alpha/feed.atom')).body);
    const json = JSON.parse((await api.get('/topics/alpha/feed.json')).body) as {
      _context?: { anniversaries_feed: string };
    };

    // Assess
    expect(topics.topics.find((topic) => topic.slug === 'alpha')?.anniversaryFeeds).toEqual({
      rss: `${testBaseUrl}/on-this-day/feed.rss?topic=alpha`,
      atom: `${testBaseUrl}/on-this-day/feed.atom?topic=alpha`,
      json: `${testBaseUrl}/on-this-day/feed.json?topic=alpha`,
    });
    expect(atom.links).toContainEqual({
      href: `${testBaseUrl}/on-this-day/feed.atom?topic=alpha`,
      rel: 'related',
      type: 'application/atom+xml',
    });
    expect(json._context?.anniversaries_feed).toBe(`${testBaseUrl}/on-this-day/feed.json?topic=alpha`);
  });
});
