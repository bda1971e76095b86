// Embedded stand-ins for AWS: dynalite for DynamoDB and s3rver for S3, plus the table the CDK stack defines.

import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { tableSchema } from '../../shared/store/table-schema';
import S3rver from './s3rver';

/** s3rver accepts any well-formed signature; these are the credentials shown to users. */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const localRegion = 'us-east-1';

export interface RunningService {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/** Starts dynalite in a child process (see dynalite-process.mjs), on `port` or an ephemeral one. */
export async function startDynalite(
  options: { port?: number; dataDir?: string } = {},
): Promise<RunningService> {
  const path = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const child = fork(
    join(import.meta.dirname, 'dynalite-process.mjs'),
    [String(options.port ?? 0), ...(path ? [path] : [])],
    // Plain Node: the child runs no TypeScript, whatever loader started the parent.
    { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port?: number; error?: string }) =>
      message.port ? resolve(message.port) : reject(new Error(`dynalite did not start: ${message.error}`)),
    );
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code} before listening`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      if (child.connected) child.send('close');
      await exited;
    },
  };
}

export interface S3rverService extends RunningService {
  /** Subscribes to s3rver's object events (raw key, not URL-encoded). */
  onEvent(listener: (event: S3rverEvent) => void): void;
}

export interface S3rverEvent {
  Records: {
    eventName: string;
    eventTime: string;
    s3: {
      bucket: { name: string };
      object: { key: string; size?: number; eTag?: string; sequencer: string };
    };
  }[];
}

export async function startS3rver(options: {
  port?: number;
  dataDir: string;
  bucket: string;
}): Promise<S3rverService> {
  const directory = join(options.dataDir, 's3');
  mkdirSync(directory, { recursive: true });
  const instance = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory,
    silent: true,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  const { port } = (await instance.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    onEvent: (listener) => instance.on('event', listener),
    close: () => instance.close(),
  };
}

/** The table's indexes as a comparable text: names, key schemas and projections. */
function indexLayout(indexes: GlobalSecondaryIndexDescription[] | undefined): string {
  return JSON.stringify(
    (indexes ?? []).map((index) => [
      index.IndexName,
      (index.KeySchema ?? []).map((key) => `${key.AttributeName}:${key.KeyType}`),
      index.Projection?.ProjectionType,
      [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
    ]),
  );
}

/**
 * Creates the table with the CDK stack's key schema unless it exists (dynalite persists it in DATA_DIR).
 * A table from an earlier version with other indexes is dropped and made again: the bucket is the source
 * of truth, and the start-up reconcile ingests every object into the new table. Returns what it did.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'kept' | 'rebuilt'> {
  const { partitionKey, sortKey, monthDayIndex } = tableSchema;
  const monthDayKeys = [
    { AttributeName: monthDayIndex.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: monthDayIndex.sortKey, KeyType: 'RANGE' as const },
  ];
  const monthDayProjection = {
    ProjectionType: monthDayIndex.projection,
    NonKeyAttributes: [...monthDayIndex.projectedAttributes],
  };
  const wanted = indexLayout([
    {
      IndexName: monthDayIndex.name,
      KeySchema: monthDayKeys,
      Projection: monthDayProjection,
    },
  ]);
  let outcome: 'created' | 'rebuilt' = 'created';
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (indexLayout(Table?.GlobalSecondaryIndexes) === wanted) return 'kept';
    await client.send(new DeleteTableCommand({ TableName: tableName }));
    await waitUntilTableNotExists(
      { client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 },
      { TableName: tableName },
    );
    outcome = 'rebuilt';
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        ...new Set([partitionKey, sortKey, monthDayIndex.partitionKey, monthDayIndex.sortKey]),
      ].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: monthDayIndex.name,
          KeySchema: monthDayKeys,
          Projection: monthDayProjection,
        },
      ],
    }),
  );
  // Even with createTableMs 0 the table is CREATING for a moment; writes before ACTIVE fail.
  await waitUntilTableExists(
    { client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 },
    { TableName: tableName },
  );
  return outcome;
}
