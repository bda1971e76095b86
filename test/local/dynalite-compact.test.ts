// The benchmarks read a bulk-loaded store only once dynalite's LevelDB is compacted (`compact`), so that
// they time reads of a settled store, not LevelDB's background work. Compaction must keep every item.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTable, localDynamoClients, startDynalite } from '../../infra/local/services';
import { tableSchema } from '../../shared/store/table-schema';

const dataDir = mkdtempSync(join(tmpdir(), 'dynalite-compact-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** LevelDB's sorted table files: absent while a small write volume sits in its log and memtable. */
const tableFiles = () => readdirSync(join(dataDir, 'dynamodb')).filter((name) => name.endsWith('.ldb'));

describe("dynalite's compaction", () => {
  it('writes the LevelDB out into sorted tables and keeps every item', async () => {
    // Prepare: 100 items, far below LevelDB's 4 MB write buffer, so none is in a table file yet.
    const dynalite = await startDynalite({ dataDir });
    const { client, doc } = localDynamoClients(dynalite.endpoint);
    await ensureTable(client, 'events');
    const { partitionKey: PK, sortKey: SK } = tableSchema;
    for (let first = 0; first < 100; first += 25) {
      const items = Array.from({ length: 25 }, (_, i) => ({
        [PK]: 'T#compact',
        [SK]: `${first + i}`.padStart(3, '0'),
      }));
      await doc.send(
        new BatchWriteCommand({ RequestItems: { events: items.map((Item) => ({ PutRequest: { Item } })) } }),
      );
    }
    const before = tableFiles();

    // Act
    await dynalite.compact();
    const after = tableFiles();
    const { Count } = await doc.send(
      new QueryCommand({
        TableName: 'events',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': 'T#compact' },
      }),
    );
    client.destroy();
    await dynalite.close();

    // Assess
    expect(before).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(Count).toBe(100);
  });

  it('has nothing to do in memory, and says so at once', async () => {
    // Prepare
    const dynalite = await startDynalite();

    // Act + Assess
    await expect(dynalite.compact()).resolves.toBeUndefined();
    await dynalite.close();
  });
});
