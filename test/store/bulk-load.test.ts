// The bulk loader (benchmark stores) must leave exactly the items the write protocol leaves for the same
// new event files, so that a benchmark store is read as a real one; this compares the two on dynalite.
import { gunzipSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventGenerator } from '../../bench/suite/generate';
import { applyTopicCounts, bulkWriteNewEvents } from '../../shared/store/bulk-load';
import { EventsTable } from '../../shared/store/events-table';
import { makeEvent } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';

let dynamo: LocalDynamo;
let tables: string[] = [];

withFreshTable(async (engine, name) => {
  dynamo = engine;
  tables = [name, await engine.newTable()];
});

const at = new Date('2026-11-25T12:00:00.000Z');
const pool = [
  makeEvent('2007-07-09/siege', { title: 'Talks fail', topics: ['Islamabad', 'Red Mosque', 'Pakistan'] }),
  makeEvent('2008-02-29/leap', { title: 'Leap day', topics: ['Calendar'] }),
  makeEvent('2010-05-01/may', { title: 'May day', topics: ['Labour', 'Pakistan'] }),
];

/**
 * Every item, contributions unzipped. A `pending` marker whose journal item is gone is settled (see
 * docs/table-design.md), the same as no marker, so it is left out.
 */
async function scanAll(tableName: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await dynamo.doc.send(new ScanCommand({ TableName: tableName }));
  const journals = new Set(Items.map((item) => String(item.PK)).filter((pk) => pk.startsWith('JOURNAL#')));
  return Items.map(({ pending, ...item }): Record<string, unknown> => {
    const settled = pending?.journal === true && !journals.has(`JOURNAL#${pending.token}`);
    const src = item.src instanceof Uint8Array ? JSON.parse(gunzipSync(item.src).toString('utf8')) : item.src;
    return { ...item, ...(src ? { src } : {}), ...(pending && !settled ? { pending } : {}) };
  }).sort((a, b) => `${String(a.PK)}|${String(a.SK)}`.localeCompare(`${String(b.PK)}|${String(b.SK)}`));
}

describe('bulk load of new event files', () => {
  let objects: ReturnType<ReturnType<typeof eventGenerator>['at']>[];
  beforeAll(() => {
    const generator = eventGenerator(pool, 7);
    // Two eras: shifted years (and a Feb 29 moved into a common year), suffixed slugs.
    objects = Array.from({ length: 9 }, (_, k) => generator.at(k));
  });

  it('leaves the same items as applyMany', async () => {
    // Prepare
    const [viaProtocol, viaBulk] = tables as [string, string];
    const store = new EventsTable(dynamo.doc, viaProtocol, { now: () => at });

    // Act
    await store.applyMany(
      objects.map(({ objectKey, contribution }) => ({
        version: { key: objectKey, sequencer: '0100' },
        state: 'events' as const,
        contributions: [contribution],
      })),
    );
    const loaded = await bulkWriteNewEvents(
      dynamo.doc,
      viaBulk,
      objects.map(({ contribution }) => ({ sequencer: '0100', contribution })),
      at.toISOString(),
    );
    await applyTopicCounts(dynamo.doc, viaBulk, loaded, at.toISOString());

    // Assess
    const expected = await scanAll(viaProtocol);
    expect(expected.length).toBeGreaterThan(objects.length * 3);
    expect(await scanAll(viaBulk)).toEqual(expected);
  });
});
