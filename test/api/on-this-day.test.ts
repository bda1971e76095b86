// On this day for Feb 29 in a common year: two month-days merged by key, paged by key, read a page at a time.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { NewsEvent } from '../../shared/domain/event';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';
import { type InProcessApi, inProcessApi } from './support';

let dynamo: LocalDynamo;
let store: EventsTable;
let api: InProcessApi;
let sent: { name: string; input: Record<string, unknown> }[];

// 2026 is a common year: under the default `feb28` rule, Feb 29 events answer on Feb 28.
const feb28 = new Date('2026-02-28T12:00:00.000Z');

withFreshTable((engine, tableName) => {
  dynamo = engine;
  sent = [];
  // Records every command the store sends, then sends it.
  const recording = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return (dynamo.doc.send as (c: unknown) => Promise<unknown>)(command);
    },
  } as unknown as DynamoDBDocumentClient;
  store = new EventsTable(recording, tableName, { now: steppingClock('2026-01-10T08:00:00.000Z') });
  api = inProcessApi(store, () => feb28);
});

async function put(...events: NewsEvent[]): Promise<void> {
  for (const event of events) {
    await store.putEvents({ key: event.id, sequencer: '01' }, [fileContribution(event.id, event)]);
  }
}

interface OnThisDay {
  date: string;
  events: { id: string; yearsAgo: number }[];
  next: string | null;
}

const leapDayAndFeb28 = [
  makeEvent('2008-02-29/leap-2008', { topics: ['Leap'] }),
  makeEvent('2009-02-28/plain-2009'),
  makeEvent('2012-02-29/leap-2012', { topics: ['Leap'] }),
  makeEvent('2015-02-28/plain-2015', { topics: ['Leap'] }),
  makeEvent('2020-02-29/leap-2020'),
];

describe('on this day, Feb 28 of a common year (feb28)', () => {
  it('merges both month-days newest first, across pages', async () => {
    // Prepare
    await put(...leapDayAndFeb28);

    // Act
    const seen: string[] = [];
    let path: string | null = '/on-this-day?limit=2';
    while (path) {
      const page: OnThisDay = await api.getJson(path);
      seen.push(...page.events.map((e) => e.id));
      path = page.next === null ? null : `/on-this-day?limit=2&cursor=${page.next}`;
    }

    // Assess
    expect(seen).toEqual([
      '2020-02-29/leap-2020',
      '2015-02-28/plain-2015',
      '2012-02-29/leap-2012',
      '2009-02-28/plain-2009',
      '2008-02-29/leap-2008',
    ]);
  });

  it('a page does not shift when a newer event arrives between pages', async () => {
    // Prepare
    await put(...leapDayAndFeb28);
    const first: OnThisDay = await api.getJson('/on-this-day?limit=2');
    await put(makeEvent('2024-02-29/leap-2024'), makeEvent('2025-02-28/plain-2025'));

    // Act
    const second: OnThisDay = await api.getJson(`/on-this-day?limit=2&cursor=${first.next}`);

    // Assess
    expect(first.events.map((e) => e.id)).toEqual(['2020-02-29/leap-2020', '2015-02-28/plain-2015']);
    expect(second.events.map((e) => e.id)).toEqual(['2012-02-29/leap-2012', '2009-02-28/plain-2009']);
  });

  it('reads at most a page (and one more) from each month-day, never the whole partitions', async () => {
    // Prepare: 30 years of each month-day, a page of 3.
    const many = Array.from({ length: 30 }, (_, i) => 1960 + i * 2).flatMap((year) => [
      makeEvent(`${year}-02-28/plain-${year}`),
      ...(year % 4 === 0 ? [makeEvent(`${year}-02-29/leap-${year}`)] : []),
    ]);
    await put(...many);
    sent = [];

    // Act
    const first: OnThisDay = await api.getJson('/on-this-day?limit=3');
    const second: OnThisDay = await api.getJson(`/on-this-day?limit=3&cursor=${first.next}`);

    // Assess
    const queries = sent.filter((command) => command.name === 'QueryCommand');
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query.input.Limit).toBeLessThanOrEqual(4);
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual([
      '2018-02-28/plain-2018',
      '2016-02-29/leap-2016',
      '2016-02-28/plain-2016',
      '2014-02-28/plain-2014',
      '2012-02-29/leap-2012',
      '2012-02-28/plain-2012',
    ]);
  });

  it('counts years ago by the leap rule: a 2008-02-29 event is 18 years ago on 2026-02-28', async () => {
    // Prepare
    await put(...leapDayAndFeb28);

    // Act
    const page: OnThisDay = await api.getJson('/on-this-day');

    // Assess
    const yearsAgo = Object.fromEntries(page.events.map((e) => [e.id, e.yearsAgo]));
    expect(yearsAgo).toEqual({
      '2020-02-29/leap-2020': 6,
      '2015-02-28/plain-2015': 11,
      '2012-02-29/leap-2012': 14,
      '2009-02-28/plain-2009': 17,
      '2008-02-29/leap-2008': 18,
    });
  });

  it('filters both month-days by topic, paged by key', async () => {
    // Prepare
    await put(...leapDayAndFeb28);

    // Act
    const first: OnThisDay = await api.getJson('/on-this-day?topic=leap&limit=2');
    const second: OnThisDay = await api.getJson(`/on-this-day?topic=leap&limit=2&cursor=${first.next}`);

    // Assess
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual([
      '2015-02-28/plain-2015',
      '2012-02-29/leap-2012',
      '2008-02-29/leap-2008',
    ]);
    expect(second.next).toBeNull();
  });
});
