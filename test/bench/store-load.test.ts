// The benchmark store loader writes generated events in blocks with several bulk writes in flight; a
// store grown in steps (10k, then 100k, ...) must hold every generated event once and count its topics.
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { eventGenerator } from '../../bench/suite/generate';
import { growStore } from '../../bench/suite/store-load';
import { topicSlug } from '../../shared/domain/topics';
import { itemKeys } from '../../shared/store/keys';
import { makeEvent } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';

let dynamo: LocalDynamo;
let table: string;

withFreshTable((engine, name) => {
  dynamo = engine;
  table = name;
});

const at = '2026-11-25T12:00:00.000Z';
const pool = [
  makeEvent('2007-07-09/siege', { title: 'Talks fail', topics: ['Islamabad', 'Red Mosque', 'Pakistan'] }),
  makeEvent('2008-02-29/leap', { title: 'Leap day', topics: ['Calendar'] }),
  makeEvent('2010-05-01/may', { title: 'May day', topics: ['Labour', 'Pakistan'] }),
];

async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

describe('growStore', () => {
  it('writes each generated event once across blocks and steps, and counts its topics', async () => {
    // Prepare: 30 then 70 events, neither a multiple of the 25-event block.
    const generator = eventGenerator(pool, 11);
    const expected = new Map<string, number>();
    for (let k = 0; k < 70; k++) {
      for (const label of generator.at(k).contribution.event.topics) {
        const slug = topicSlug(label);
        expected.set(slug, (expected.get(slug) ?? 0) + 1);
      }
    }

    // Act
    const first = await growStore(dynamo.doc, table, generator, { from: 0, to: 30 }, at);
    const itemsAfterFirst = (await scanAll()).length;
    await growStore(dynamo.doc, table, generator, { from: 30, to: 70 }, at);

    // Assess
    const items = await scanAll();
    const eventIds = items.filter((item) => String(item.PK).startsWith('EVENT#')).map((item) => item.id);
    expect(new Set(eventIds)).toEqual(
      new Set(Array.from({ length: 70 }, (_, k) => generator.at(k).contribution.event.id)),
    );
    expect(eventIds).toHaveLength(70);
    for (const [slug, events] of expected) {
      const { Item } = await dynamo.doc.send(new GetCommand({ TableName: table, Key: itemKeys.topic(slug) }));
      expect({ slug, events: Item?.events }).toEqual({ slug, events });
    }
    const { Item: stats } = await dynamo.doc.send(
      new GetCommand({ TableName: table, Key: itemKeys.stats() }),
    );
    expect(stats?.events).toBe(70);
    // Its item count (what the naive peer's progress is measured against) is every item but the totals.
    expect(first.items).toBe(itemsAfterFirst - 1);
  });
});
