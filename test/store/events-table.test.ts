// The store against dynalite: merging, replacement, deletion, sequencer ordering and paging.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { topicSlug } from '../../shared/domain/topics';
import { compareSequencers, EventsTable, type StartKey } from '../../shared/store/events-table';
import { decodeEventItem } from '../../shared/store/keys';
import { fileContribution, listingContribution, makeEvent, steppingClock } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';
import { pausingClient } from '../support/pausing-client';

let dynamo: LocalDynamo;
let tableName: string;
let store: EventsTable;

withFreshTable((engine, name) => {
  dynamo = engine;
  tableName = name;
  store = new EventsTable(engine.doc, name, { now: steppingClock() });
});

async function allItems(): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await dynamo.doc.send(new ScanCommand({ TableName: tableName }));
  return Items;
}

const fileKey = 'news/2007/07/9/siege.md';
const listingKey = 'news/2007/07/9/index.md';
const siege = makeEvent('2007-07-09/siege', {
  title: 'Lal Masjid siege talks fail',
  description: 'Negotiations end without progress.',
  sources: [{ name: 'Al Jazeera', url: 'https://example.org/aj' }],
  topics: ['Islamabad', 'Red Mosque'],
});

describe('compareSequencers', () => {
  it('compares hex of different lengths after right-padding with zeros, as S3 documents', () => {
    expect(compareSequencers('A', 'A0')).toBe(0);
    expect(compareSequencers('a', 'A')).toBe(0);
    expect(compareSequencers('FF', '100')).toBe(1);
    expect(compareSequencers('0062E99A88DC4072A', '0062E99A88DC407297')).toBe(1);
    expect(compareSequencers('0062E99A88DC407297', '0062E99A88DC407296')).toBe(1);
  });
});

describe('EventsTable', () => {
  it('leaves no pending ids on the manifest after an edit that keeps its event ids', async () => {
    // Prepare
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);

    // Act: a new version of the file, same event, new headline.
    await store.putEvents({ key: fileKey, sequencer: '02' }, [
      fileContribution(fileKey, { ...siege, title: 'Talks resume' }),
    ]);

    // Assess: a manifest still holding `pendingIds` looks unfinished to the reconcile.
    expect(await store.objectState(fileKey)).toMatchObject({
      seq: expect.any(String),
      eventIds: [siege.id],
      pendingIds: [],
    });
    expect((await store.getEvent(siege.id))?.title).toBe('Talks resume');
  });

  it('stores an event and indexes it by topic, month-day and the all-events feed', async () => {
    // Act
    const outcome = await store.putEvents({ key: fileKey, sequencer: '01' }, [
      fileContribution(fileKey, siege),
    ]);

    // Assess
    expect(outcome).toEqual({ status: 'applied', eventIds: [siege.id] });
    const stored = await store.getEvent(siege.id);
    expect(stored).toMatchObject({ id: siege.id, title: siege.title, topics: ['Islamabad', 'Red Mosque'] });
    // Stamped when its merge was written: the clock's second reading (the first is the batch's start).
    expect(stored?.updatedAt).toBe('2026-11-25T12:00:01.000Z');
    expect((await store.topicEvents('islamabad', { limit: 10 })).items.map((e) => e.id)).toEqual([siege.id]);
    expect((await store.allEvents({ limit: 10 })).items.map((e) => e.id)).toEqual([siege.id]);
    expect((await store.monthDayEvents(['07-09'], {}, { limit: 10 })).items.map((e) => e.id)).toEqual([
      siege.id,
    ]);
    expect(
      (await store.monthDayEvents(['07-09'], { topic: 'red-mosque' }, { limit: 10 })).items,
    ).toHaveLength(1);
    expect((await store.monthDayEvents(['07-09'], { topic: 'elsewhere' }, { limit: 10 })).items).toHaveLength(
      0,
    );
    expect(await store.getTopic('red-mosque')).toMatchObject({ label: 'Red Mosque', events: 1 });
  });

  it('merges a listing entry with the event file: topics unite, blanks never overwrite', async () => {
    // Prepare
    const entry = makeEvent(siege.id, { title: '', topics: ['Pakistan', 'Islamabad'] });

    // Act: listing after the file, then the other way round on a second table.
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);
    await store.putEvents({ key: listingKey, sequencer: '01' }, [listingContribution(listingKey, entry)]);

    // Assess
    const merged = await store.getEvent(siege.id);
    expect(merged?.title).toBe(siege.title);
    expect(merged?.description).toBe(siege.description);
    expect(merged?.topics).toEqual(['Islamabad', 'Red Mosque', 'Pakistan']);
    expect(await store.getTopic('pakistan')).toMatchObject({ events: 1 });
  });

  it('re-uploading replaces the event and drops topic entries that no longer apply', async () => {
    // Prepare
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);
    const revised = { ...siege, title: 'Revised', topics: ['Islamabad'] };

    // Act
    await store.putEvents({ key: fileKey, sequencer: '02' }, [fileContribution(fileKey, revised)]);

    // Assess
    expect((await store.getEvent(siege.id))?.title).toBe('Revised');
    expect((await store.topicEvents('red-mosque', { limit: 10 })).items).toEqual([]);
    expect(await store.getTopic('red-mosque')).toBeUndefined();
    expect((await store.topicEvents('islamabad', { limit: 10 })).items[0]?.title).toBe('Revised');
  });

  it('re-ingesting identical content keeps updatedAt, so feed validators stay stable', async () => {
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);
    const first = await store.getEvent(siege.id);

    await store.putEvents({ key: fileKey, sequencer: '02' }, [fileContribution(fileKey, siege)]);

    expect((await store.getEvent(siege.id))?.updatedAt).toBe(first?.updatedAt);
  });

  it('deleting the object removes the event and every item derived from it', async () => {
    // Prepare
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);

    // Act
    await store.deleteObject({ key: fileKey, sequencer: '02' });

    // Assess: only tombstones (which order later notifications) and the zeroed total remain.
    const items = await allItems();
    expect(items.map((item) => item.PK).sort()).toEqual([`EVENT#${siege.id}`, `OBJECT#${fileKey}`, 'STATS']);
    expect(items.find((item) => item.PK === `OBJECT#${fileKey}`)).toMatchObject({
      state: 'deleted',
      eventIds: [],
    });
    const tombstone = items.find((item) => item.PK === `EVENT#${siege.id}`);
    expect(tombstone && decodeEventItem(tombstone).src).toEqual({
      [fileKey]: { seq: expect.stringMatching(/^020*$/) },
    });
    expect(await store.getEvent(siege.id)).toBeUndefined();
    expect(await store.stats()).toEqual({ events: 0, topics: 0, rejected: 0 });
  });

  it('deleting a listing keeps the event its own file still describes', async () => {
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);
    await store.putEvents({ key: listingKey, sequencer: '01' }, [
      listingContribution(listingKey, makeEvent(siege.id, { topics: ['Pakistan'] })),
    ]);

    await store.deleteObject({ key: listingKey, sequencer: '02' });

    expect((await store.getEvent(siege.id))?.topics).toEqual(['Islamabad', 'Red Mosque']);
    expect(await store.getTopic('pakistan')).toBeUndefined();
  });

  it('records a rejection, and clears it when a good version arrives', async () => {
    await store.putRejection({ key: fileKey, sequencer: '01' }, 'invalid-date', '2007-02-30 is not a date');
    expect((await store.listRejections({ limit: 10 })).items).toEqual([
      {
        key: fileKey,
        reason: 'invalid-date',
        detail: '2007-02-30 is not a date',
        at: '2026-11-25T12:00:00.000Z',
      },
    ]);

    await store.putEvents({ key: fileKey, sequencer: '02' }, [fileContribution(fileKey, siege)]);

    expect((await store.listRejections({ limit: 10 })).items).toEqual([]);
    expect(await store.stats()).toEqual({ events: 1, topics: 2, rejected: 0 });
  });

  it('a late, older version never overwrites a newer one', async () => {
    await store.putEvents({ key: fileKey, sequencer: '0B' }, [
      fileContribution(fileKey, { ...siege, title: 'New' }),
    ]);

    const outcome = await store.putEvents({ key: fileKey, sequencer: '0A' }, [
      fileContribution(fileKey, { ...siege, title: 'Old' }),
    ]);

    expect(outcome).toEqual({ status: 'stale' });
    expect((await store.getEvent(siege.id))?.title).toBe('New');
  });

  const v1 = { ...siege, title: 'Version one', topics: ['Islamabad'] };
  const v2 = { ...siege, title: 'Version two', topics: ['Red Mosque'] };
  type Op = { seq: string; run: (s: EventsTable) => Promise<unknown> };
  const put = (seq: string, event: typeof siege): Op => ({
    seq,
    run: (s) => s.putEvents({ key: fileKey, sequencer: seq }, [fileContribution(fileKey, event)]),
  });
  const del = (seq: string): Op => ({ seq, run: (s) => s.deleteObject({ key: fileKey, sequencer: seq }) });
  const permutations = <T>(items: T[]): T[][] =>
    items.length <= 1
      ? [items]
      : items.flatMap((item, i) =>
          permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]),
        );

  describe.each([
    { name: 'delete is newest', ops: [put('01', v1), put('02', v2), del('03')], expected: undefined },
    { name: 'second put is newest', ops: [put('01', v1), del('02'), put('03', v2)], expected: 'Version two' },
    { name: 'first put is newest', ops: [del('01'), put('02', v2), put('03', v1)], expected: 'Version one' },
  ])('put, put, delete in every order: $name', ({ ops, expected }) => {
    it.each(permutations(ops).map((order) => [order.map((o) => o.seq).join(' → '), order] as const))(
      'order %s ends in the highest sequencer state',
      async (_label, order) => {
        for (const op of order) await op.run(store);

        const event = await store.getEvent(siege.id);
        expect(event?.title).toBe(expected);
        const topicItems = (await allItems()).filter((item) => String(item.PK).startsWith('TOPIC#'));
        expect(topicItems.map((item) => item.PK)).toEqual(
          expected === 'Version one' ? ['TOPIC#islamabad'] : expected ? ['TOPIC#red-mosque'] : [],
        );
      },
    );
  });

  it('walking every page of a topic yields each event exactly once, newest first', async () => {
    // Prepare: 23 events on distinct days, one topic.
    const ids = Array.from({ length: 23 }, (_, i) => `2010-01-${String(i + 1).padStart(2, '0')}/e${i}`);
    for (const [i, id] of ids.entries()) {
      const key = `news/2010/01/${i + 1}/e${i}.md`;
      await store.putEvents({ key, sequencer: '01' }, [
        fileContribution(key, makeEvent(id, { topics: ['Paging'] })),
      ]);
    }

    // Act
    const seen: string[] = [];
    let after: StartKey | undefined;
    let pages = 0;
    do {
      const page = await store.topicEvents('paging', { limit: 5, ...(after ? { after } : {}) });
      seen.push(...page.items.map((e) => e.id));
      after = page.next;
      pages++;
    } while (after);

    // Assess
    expect(pages).toBe(5);
    expect(seen).toEqual([...ids].reverse());
    expect(await store.getTopic('paging')).toMatchObject({ events: 23 });
  });

  it('answers Feb 29 in a common year from both month-days, paged across them', async () => {
    const ids = ['2008-02-29/leap', '2012-02-29/leap2', '2009-02-28/plain', '2015-02-28/plain2'];
    for (const id of ids)
      await store.putEvents({ key: id, sequencer: '01' }, [fileContribution(id, makeEvent(id))]);

    const first = await store.monthDayEvents(['02-28', '02-29'], { beforeYear: 2026 }, { limit: 3 });
    const second = await store.monthDayEvents(
      ['02-28', '02-29'],
      { beforeYear: 2026 },
      { limit: 3, ...(first.next ? { after: first.next } : {}) },
    );

    expect([...first.items, ...second.items].map((e) => e.id)).toEqual([
      '2015-02-28/plain2',
      '2012-02-29/leap2',
      '2009-02-28/plain',
      '2008-02-29/leap',
    ]);
    expect(second.next).toBeUndefined();
  });

  it('lists topics by case-insensitive label prefix', async () => {
    const id = '2010-03-01/z';
    await store.putEvents({ key: id, sequencer: '01' }, [
      fileContribution(id, makeEvent(id, { topics: ['Zürich', 'Zagreb', 'Oslo'] })),
    ]);

    const page = await store.listTopics('zü', { limit: 10 });

    expect(page.items.map((t) => t.label)).toEqual(['Zürich']);
    expect((await store.listTopics(undefined, { limit: 10 })).items.map((t) => t.slug)).toEqual([
      'oslo',
      'zagreb',
      'zurich',
    ]);
  });
});

describe('EventsTable under concurrent writers (one Lambda per object)', () => {
  it('merges many objects contributing to one event at once, leaving memberships and counts exact', async () => {
    // Prepare: 12 day listings, each adding its own topic to the same event, all ingested at the same time.
    const listings = Array.from({ length: 12 }, (_, i) => ({
      key: `news/2007/07/9/listing-${i}.md`,
      event: makeEvent(siege.id, { title: '', topics: [`Topic ${i}`, 'Shared'] }),
    }));

    // The stepping clock moves a second per reading, and 13 racing writers read it hundreds of times: with
    // the default lock timeout, a live writer's marker would look abandoned to the others in clock time.
    const racing = new EventsTable(dynamo.doc, tableName, {
      now: steppingClock(),
      lockTimeoutMs: 86_400_000,
    });

    // Act
    await Promise.all([
      racing.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]),
      ...listings.map(({ key, event }) =>
        racing.putEvents({ key, sequencer: '01' }, [listingContribution(key, event)]),
      ),
    ]);

    // Assess
    const event = await store.getEvent(siege.id);
    expect(event?.title).toBe(siege.title);
    expect(new Set(event?.topics)).toEqual(
      new Set(['Islamabad', 'Red Mosque', 'Shared', ...listings.map((_, i) => `Topic ${i}`)]),
    );
    const memberships = (await allItems())
      .filter((item) => String(item.PK).startsWith('TOPIC#'))
      .map((item) => String(item.PK).slice('TOPIC#'.length))
      .sort();
    expect(memberships).toEqual([...(event?.topics ?? [])].map((label) => topicSlug(label)).sort());
    for (const slug of memberships) expect(await store.getTopic(slug), slug).toMatchObject({ events: 1 });
    expect(await store.stats()).toMatchObject({ events: 1, topics: memberships.length });
  });

  it('ends in the newest version when two versions of one object race', async () => {
    const v1 = { ...siege, title: 'Version one', topics: ['Islamabad'] };
    const v2 = { ...siege, title: 'Version two', topics: ['Red Mosque'] };

    await Promise.all([
      store.putEvents({ key: fileKey, sequencer: '02' }, [fileContribution(fileKey, v2)]),
      store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, v1)]),
    ]);

    expect((await store.getEvent(siege.id))?.title).toBe('Version two');
    const topics = (await allItems())
      .filter((item) => String(item.PK).startsWith('TOPIC#'))
      .map((item) => item.PK);
    expect(topics).toEqual(['TOPIC#red-mosque']);
  });

  it('leaves no event of an older version that a newer one overtook mid-write', async () => {
    // Prepare: version 01 of a listing names two events, version 02 only one. Version 01 is paused right
    // after its claim, before its first contribution lands, while version 02 runs to the end.
    const key = 'news/2011/03/1/index.md';
    const kept = makeEvent('2011-03-01/kept', { topics: ['Kept'] });
    const dropped = makeEvent('2011-03-01/dropped', { topics: ['Dropped'] });
    const { client, paused, resume } = pausingClient(dynamo.doc, (input) =>
      String(input.Item?.PK).startsWith('EVENT#'),
    );
    const olderWriter = new EventsTable(client, tableName, { now: steppingClock() });

    // Act
    const older = olderWriter.putEvents({ key, sequencer: '01' }, [
      listingContribution(key, dropped),
      listingContribution(key, kept),
    ]);
    await paused;
    await store.putEvents({ key, sequencer: '02' }, [listingContribution(key, kept)]);
    resume();
    const outcome = await older;

    // Assess
    expect(outcome).toEqual({ status: 'stale' });
    expect(await store.getEvent(kept.id)).toBeDefined();
    expect(await store.getEvent(dropped.id)).toBeUndefined();
    expect(await store.getTopic('dropped')).toBeUndefined();
    // What is left of the dropped event is a tombstone that refuses the older version's late write.
    const leftovers = (await allItems()).filter((item) => String(item.PK).startsWith(`EVENT#${dropped.id}`));
    expect(leftovers.map((item) => decodeEventItem(item).src)).toEqual([
      { [key]: { seq: expect.stringMatching(/^020*$/) } },
    ]);
    expect(await store.stats()).toMatchObject({ events: 1 });
  });
});

describe('listing entries carry the event as served', () => {
  /** Every copy of the event the listings hold: its topics, its language's all-events feed, its month-day. */
  async function copiesOf(id: string) {
    const event = await store.getEvent(id);
    if (!event) return { event, copies: [] };
    const pages = await Promise.all([
      ...event.topics.map((label) => store.topicEvents(topicSlug(label), { limit: 50 })),
      store.allEvents({ limit: 50 }, event.lang),
      store.allEvents({ limit: 50 }),
      store.monthDayEvents([event.date.slice(5)], {}, { limit: 50 }),
      store.monthDayEvents([event.date.slice(5)], { topic: topicSlug(event.topics[0] ?? '') }, { limit: 50 }),
    ]);
    return { event, copies: pages.map((page) => page.items.find((item) => item.id === id)) };
  }

  it('a content edit that keeps the topics rewrites every copy', async () => {
    // Prepare
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);
    const edited = { ...siege, title: 'Lal Masjid siege: talks fail, army moves in' };

    // Act
    await store.putEvents({ key: fileKey, sequencer: '02' }, [fileContribution(fileKey, edited)]);

    // Assess
    const { event, copies } = await copiesOf(siege.id);
    expect(event?.title).toBe(edited.title);
    expect(copies).toHaveLength(siege.topics.length + 4);
    for (const copy of copies) expect(copy).toEqual(event);
  });

  it('a change of language moves the event between the all-events partitions', async () => {
    // Prepare
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);

    // Act
    await store.putEvents({ key: fileKey, sequencer: '02' }, [
      fileContribution(fileKey, { ...siege, lang: 'zh' }),
    ]);

    // Assess
    expect((await store.allEvents({ limit: 10 }, 'en')).items).toEqual([]);
    expect((await store.allEvents({ limit: 10 }, 'zh')).items.map((item) => item.lang)).toEqual(['zh']);
    expect((await store.allEvents({ limit: 10 })).items).toHaveLength(1);
  });

  it('after concurrent edits from many objects, every copy equals the merged event', async () => {
    // Prepare: the event file, then 10 listings that each add a source and a topic at once, while the file
    // itself is edited twice.
    await store.putEvents({ key: fileKey, sequencer: '01' }, [fileContribution(fileKey, siege)]);
    const listings = Array.from({ length: 10 }, (_, i) => ({
      key: `news/2007/07/9/listing-${i}.md`,
      event: makeEvent(siege.id, {
        title: '',
        sources: [{ name: `Paper ${i}`, url: `https://example.org/${i}` }],
        topics: [i % 2 === 0 ? 'Shared' : `Topic ${i}`],
      }),
    }));

    // Act
    await Promise.all([
      ...listings.map(({ key, event }) =>
        store.putEvents({ key, sequencer: '01' }, [listingContribution(key, event)]),
      ),
      store.putEvents({ key: fileKey, sequencer: '02' }, [
        fileContribution(fileKey, { ...siege, description: 'Second version.' }),
      ]),
      store.putEvents({ key: fileKey, sequencer: '03' }, [
        fileContribution(fileKey, { ...siege, description: 'Third version.' }),
      ]),
    ]);

    // Assess
    const { event, copies } = await copiesOf(siege.id);
    expect(event?.description).toBe('Third version.');
    expect(event?.sources).toHaveLength(1 + listings.length);
    expect(copies).toHaveLength((event?.topics.length ?? 0) + 4);
    for (const copy of copies) expect(copy).toEqual(event);
  });
});
