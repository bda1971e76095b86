// Embedded stand-ins for AWS: dynalite for DynamoDB and s3rver for S3, plus the table the CDK stack defines.

import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableSchema } from '../../shared/store/table-schema';

/** s3rver accepts any well-formed signature; these are the credentials shown to users. */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const localRegion = 'us-east-1';

/**
 * Clients for a local dynalite: the local credentials and region, and a document client that drops
 * undefined attributes, as the handlers' own (shared/aws/dynamo-client.ts) does.
 */
export function localDynamoClients(endpoint: string): {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
} {
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  return {
    client,
    doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  };
}

export interface RunningService {
  endpoint: string;
  port: number;
  /** The stand-in's process (a child of this one). */
  pid: number;
  close(): Promise<void>;
}

/** Where the stand-ins write V8 CPU profiles when they exit; unset (the default), they write none. */
const standInProfileDir = process.env.STANDIN_CPU_PROFILE_DIR;

/**
 * Forks a service's process script (a stand-in's beside this file, or any absolute path), which reports
 * `{ port }` (or `{ error }`) over IPC once it listens, and stops on the message `'close'` or when its
 * parent goes, even if the parent was killed.
 */
export async function forkService(
  name: string,
  script: string,
  args: string[],
  options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningService & { child: ChildProcess }> {
  const child = fork(resolve(import.meta.dirname, script), args, {
    // Plain Node by default: a stand-in runs no TypeScript, whatever loader started the parent. A profiling
    // run (bench/suite/profile-ingest.ts) may ask for each stand-in's CPU profile in a folder.
    execArgv:
      options.execArgv ?? (standInProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${standInProfileDir}`] : []),
    ...(options.env ? { env: options.env } : {}),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port?: number; error?: string }) =>
      message.port ? resolve(message.port) : reject(new Error(`${name} did not start: ${message.error}`)),
    );
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
  });
  return {
    child,
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    close: async () => {
      if (child.connected) child.send('close');
      await exited;
    },
  };
}

export interface DynaliteService extends RunningService {
  /**
   * Compacts the LevelDB that holds the tables on disk (nothing to do in memory) and resolves when it is
   * done: a store just bulk-loaded then reads as a settled one does, not while LevelDB compacts it.
   */
  compact(): Promise<void>;
}

/** Starts dynalite in a child process (see dynalite-process.mjs), on `port` or an ephemeral one. */
export async function startDynalite(
  options: { port?: number; dataDir?: string } = {},
): Promise<DynaliteService> {
  const path = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const { child, ...service } = await forkService('dynalite', 'dynalite-process.mjs', [
    String(options.port ?? 0),
    ...(path ? [path] : []),
  ]);
  return {
    ...service,
    compact: () =>
      new Promise<void>((resolve, reject) => {
        const onExit = () => reject(new Error('dynalite exited while compacting'));
        const onMessage = (message: { compacted?: boolean; error?: string }) => {
          if (message.compacted === undefined) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          if (message.compacted) resolve();
          else reject(new Error(`dynalite could not compact: ${message.error}`));
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send('compact');
      }),
  };
}

export interface S3rverService extends RunningService {
  /**
   * Subscribes to s3rver's object events (raw key, not URL-encoded). The response to the request that
   * caused an event waits until every listener has returned (or its promise has settled).
   */
  onEvent(listener: (event: S3rverEvent) => void | Promise<void>): void;
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

/**
 * Starts s3rver in a child process (see s3rver-process.mjs), on `port` or an ephemeral one. Each object
 * event reaches the `onEvent` listeners before the response to the request that caused it is sent.
 */
export async function startS3rver(options: {
  port?: number;
  dataDir: string;
  bucket: string;
}): Promise<S3rverService> {
  const directory = join(options.dataDir, 's3');
  mkdirSync(directory, { recursive: true });
  const { child, ...service } = await forkService('s3rver', 's3rver-process.mjs', [
    JSON.stringify({ port: options.port ?? 0, directory, bucket: options.bucket }),
  ]);
  const listeners: ((event: S3rverEvent) => void | Promise<void>)[] = [];
  child.on('message', async (message: { event?: S3rverEvent; seq?: number }) => {
    const { event, seq } = message;
    if (!event || seq === undefined) return;
    // Acknowledged once all have settled, so a failing listener cannot hold s3rver's response forever;
    // its error is then raised here, as it was when s3rver emitted events in this process.
    const results = await Promise.allSettled(listeners.map(async (listener) => listener(event)));
    if (child.connected) child.send({ ack: seq });
    for (const result of results) if (result.status === 'rejected') throw result.reason;
  });
  return { ...service, onEvent: (listener) => listeners.push(listener) };
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
