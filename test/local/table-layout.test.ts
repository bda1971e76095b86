// A data directory written by an earlier version (other indexes) is rebuilt from the bucket on start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../infra/local/services';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { quietStackOptions } from '../support/local-stack';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

const dataDir = mkdtempSync(join(tmpdir(), 'table-layout-'));
let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The first version's table: two key-only indexes, the all-events one on event items. */
async function makeFirstVersionTable(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  await client.send(new DeleteTableCommand({ TableName: 'events' }));
  // dynalite deletes in the background: a create before it is gone fails (ResourceInUse) on a busy machine.
  await waitUntilTableNotExists(
    { client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 },
    { TableName: 'events' },
  );
  const index = (n: number) => ({
    IndexName: `GSI${n}`,
    KeySchema: [
      { AttributeName: `GSI${n}PK`, KeyType: 'HASH' as const },
      { AttributeName: `GSI${n}SK`, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'KEYS_ONLY' as const },
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'events',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK'].map((name) => ({
        AttributeName: name,
        AttributeType: 'S' as const,
      })),
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [index(1), index(2)],
    }),
  );
  client.destroy();
}

describe('a data directory from a version with another table layout', () => {
  it('is rebuilt from the bucket on start, and every event is served again', async () => {
    // Prepare: the bucket holds a file; the table has the first version's layout and none of its items.
    const options = quietStackOptions(dataDir, false);
    stack = await startLocalStack(options);
    await makeFirstVersionTable(stack.dynamoEndpoint);
    await stack.s3.send(
      new PutObjectCommand({
        Bucket: 'events',
        Key: 'news/2016/07/9/the-bridge-reopens.md',
        Body: '### [2016-07-9](/news/2016/07/9/index.md)\n\n##### Riverton\n#  The bridge reopens.\n',
      }),
    );
    const ports = {
      port: Number(new URL(stack.baseUrl).port),
      s3Port: Number(new URL(stack.s3Endpoint).port),
      dynamoPort: Number(new URL(stack.dynamoEndpoint).port),
    };
    await stack.close();
    stack = undefined;
    const logged: string[] = [];

    // Act
    stack = await startLocalStack({ ...options, ...ports, log: (message) => void logged.push(message) });
    await stack.drain();

    // Assess
    expect(logged.some((message) => message.includes('rebuilding it from the bucket'))).toBe(true);
    const feed = await fetch(`${stack.baseUrl}/topics/riverton/feed.json`);
    expect(feed.status).toBe(200);
    const { items } = (await feed.json()) as { items: { title: string }[] };
    expect(items.map((item) => item.title)).toEqual(['The bridge reopens.']);
    const onThisDay = await (await fetch(`${stack.baseUrl}/on-this-day/07-09?year=2026`)).json();
    expect(JSON.stringify(onThisDay)).toContain('The bridge reopens.');
  }, 60_000);
});
