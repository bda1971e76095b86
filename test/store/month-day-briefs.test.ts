// On-this-day lists of all topics come from the month-day index alone: it projects the all-events entries'
// brief, so such a list is one Query per month-day and reads no event. Topic entries carry no brief (write
// units), so a list of one topic, and any entry without a brief, is read whole instead of being dropped.
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { NewsEvent } from '../../shared/domain/event';
import { EventsTable } from '../../shared/store/events-table';
import { itemKeys, sortKeyOf } from '../../shared/store/keys';
import { inProcessApi } from '../api/support';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';

let dynamo: LocalDynamo;
let table: string;
let store: EventsTable;
let sent: string[];
const today = new Date('2026-07-09T12:00:00.000Z');

withFreshTable((engine, tableName) => {
  dynamo = engine;
  table = tableName;
  sent = [];
  const recording = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return (dynamo.doc.send as (c: unknown) => Promise<unknown>)(command);
    },
  } as unknown as DynamoDBDocumentClient;
  store = new EventsTable(recording, tableName, { now: steppingClock('2026-01-10T08:00:00.000Z') });
});

async function put(event: NewsEvent, sequencer = '01'): Promise<void> {
  await store.putEvents({ key: event.id, sequencer }, [fileContribution(event.id, event)]);
}

interface OnThisDay {
  events: { id: string; title: string; topics: { slug: string; label: string }[] }[];
}

const bridge = makeEvent('2016-07-09/the-bridge-reopens', {
  title: 'The bridge reopens',
  topics: ['Riverton', 'Bridges'],
});
const harbor = makeEvent('2001-07-09/harbor-floods', { title: '港口被淹', topics: ['Riverton'], lang: 'zh' });

describe('on-this-day lists from the month-day index', () => {
  it('is one index Query and no event read, with each event’s title and topics', async () => {
    // Prepare
    await put(bridge);
    await put(harbor);
    const api = inProcessApi(store, () => today);
    sent = [];

    // Act
    const all: OnThisDay = await api.getJson('/on-this-day');
    const ofTopic: OnThisDay = await api.getJson('/on-this-day?topic=bridges');

    // Assess
    expect(all.events.map(({ id, title }) => ({ id, title }))).toEqual([
      { id: bridge.id, title: 'The bridge reopens' },
      { id: harbor.id, title: '港口被淹' },
    ]);
    expect(all.events[0]?.topics).toEqual([
      { slug: 'riverton', label: 'Riverton' },
      { slug: 'bridges', label: 'Bridges' },
    ]);
    expect(ofTopic.events.map((event) => event.id)).toEqual([bridge.id]);
    // All topics: one Query. One topic: whether it exists (a GetItem sent with the Query), and its entries.
    expect(sent).toEqual(['QueryCommand', 'GetCommand', 'QueryCommand', 'BatchGetCommand']);
  });

  it('shows an edited title: the brief is rewritten with the entry', async () => {
    // Prepare
    await put(bridge);
    await put({ ...bridge, title: 'The bridge reopens to traffic' }, '02');

    // Act
    const page = await store.monthDayBriefs(['07-09'], { beforeYear: 2026 }, { limit: 10 });

    // Assess
    expect(page.items).toEqual([
      {
        id: bridge.id,
        date: '2016-07-09',
        title: 'The bridge reopens to traffic',
        topics: ['Riverton', 'Bridges'],
        lang: 'en',
      },
    ]);
  });

  it('reads the whole event of an entry that has no brief yet, and keeps the order', async () => {
    // Prepare: the all-events entry of one event as an earlier version wrote it, without a brief.
    await put(bridge);
    await put(harbor);
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: table,
        Key: itemKeys.listing('zh', sortKeyOf(harbor)),
        UpdateExpression: 'REMOVE brief',
      }),
    );
    sent = [];

    // Act
    const page = await store.monthDayBriefs(['07-09'], { beforeYear: 2026 }, { limit: 10 });

    // Assess
    expect(page.items.map(({ id, title }) => ({ id, title }))).toEqual([
      { id: bridge.id, title: 'The bridge reopens' },
      { id: harbor.id, title: '港口被淹' },
    ]);
    expect(sent).toEqual(['QueryCommand', 'BatchGetCommand']);
  });
});

describe('counting a month-day list', () => {
  it('counts from the index alone, over every month-day, only earlier years, up to the limit', async () => {
    // Prepare: Feb 28 and Feb 29 (a non-leap year's Feb 28 shows both), and one event of this year
    for (const id of ['2004-02-29/leap', '2010-02-28/one', '2011-02-28/two', '2026-02-28/this-year'])
      await put(makeEvent(id, { topics: ['Alpha'] }));
    sent = [];

    // Act
    const all = await store.monthDayCount(['02-28', '02-29'], { beforeYear: 2026 }, 10);
    const capped = await store.monthDayCount(['02-28', '02-29'], { beforeYear: 2026 }, 2);
    const ofTopic = await store.monthDayCount(['02-28'], { topic: 'alpha', beforeYear: 2026 }, 10);

    // Assess
    expect([all, capped, ofTopic]).toEqual([3, 2, 2]);
    expect(new Set(sent)).toEqual(new Set(['QueryCommand']));
  });
});
