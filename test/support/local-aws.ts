// Starts the embedded engines (dynalite, s3rver) for integration tests, each on an ephemeral port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  ensureTable,
  localCredentials,
  localDynamoClients,
  localRegion,
  type RunningService,
  type S3rverService,
  startDynalite,
  startS3rver,
} from '../../infra/local/services';

// The SDK needs some credentials and a region even against local engines; never real ones in tests.
process.env.AWS_ACCESS_KEY_ID ??= localCredentials.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY ??= localCredentials.secretAccessKey;
process.env.AWS_REGION ??= localRegion;

export interface LocalDynamo {
  service: RunningService;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** Creates a fresh table (same key schema as the stacks) and returns its name. */
  newTable(): Promise<string>;
  close(): Promise<void>;
}

let tableCounter = 0;

export async function startLocalDynamo(): Promise<LocalDynamo> {
  const service = await startDynalite();
  const { client, doc } = localDynamoClients(service.endpoint);
  return {
    service,
    client,
    doc,
    async newTable() {
      const name = `events-test-${process.pid}-${++tableCounter}`;
      await ensureTable(client, name);
      return name;
    },
    async close() {
      client.destroy();
      await service.close();
    },
  };
}

/**
 * One dynalite for the test file and a fresh table for each test: `onTable` receives both before every
 * test (a Vitest hook registered at the call site).
 */
export function withFreshTable(
  onTable: (dynamo: LocalDynamo, tableName: string) => void | Promise<void>,
): void {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo.close();
  });
  beforeEach(async () => {
    await onTable(dynamo, await dynamo.newTable());
  });
}

export interface LocalS3 {
  service: S3rverService;
  client: S3Client;
  bucket: string;
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'events'): Promise<LocalS3> {
  const dataDir = mkdtempSync(join(tmpdir(), 's3rver-test-'));
  const service = await startS3rver({ dataDir, bucket });
  const client = new S3Client({
    endpoint: service.endpoint,
    forcePathStyle: true,
    region: localRegion,
    credentials: localCredentials,
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  return {
    service,
    client,
    bucket,
    async close() {
      client.destroy();
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What CDK gives the functions that re-queue objects (reconcile, admin's POST /reprocess) on top of the
 * ingest rig's: the bucket, the ingest queue (SQS has no local engine: tests mock the client) and the prefixes.
 */
export const requeueEnvironment = {
  EVENTS_BUCKET: 'events',
  INGEST_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest',
  RECONCILE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/reconcile-continuations',
  EVENT_PREFIXES: 'news/,zh/news/,inbox/',
} as const;

export interface IngestRig {
  dynamo: LocalDynamo;
  s3: LocalS3;
  tableName: string;
  /** The real ingest Lambda handler, configured (as in AWS) from the environment at import. */
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  close(): Promise<void>;
}

/** dynalite + s3rver + a fresh table, and the ingest handler loaded against them. One per test file. */
export async function startIngestRig(): Promise<IngestRig> {
  const dynamo = await startLocalDynamo();
  const s3 = await startLocalS3();
  const tableName = await dynamo.newTable();
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamo.service.endpoint,
    S3_ENDPOINT: s3.service.endpoint,
    // The ingest queue's maxReceiveCount (infra/stacks/config.ts `ingestTuning`), which CDK sets in AWS.
    MAX_RECEIVE_COUNT: process.env.MAX_RECEIVE_COUNT ?? '4',
    POWERTOOLS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'SILENT',
    // Metric documents are CloudWatch's to read; a test that checks them turns them back on.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  });
  const { handler } = await import('../../functions/ingest/handler');
  return {
    dynamo,
    s3,
    tableName,
    handler,
    async close() {
      await s3.close();
      await dynamo.close();
    },
  };
}
