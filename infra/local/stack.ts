// The local stack: dynalite + s3rver + the same Lambda handlers AWS runs, wired like the CDK stacks.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bucketPages, objectExists } from '../../shared/ingest/bucket-pages';
import { recordRetriesExhausted } from '../../shared/ingest/process-message';
import { reconcile } from '../../shared/ingest/reconcile';
import type { Requeue } from '../../shared/ingest/requeue';
import { EventsTable } from '../../shared/store/events-table';
import { manifestWritesComplete, objectManifestPages } from '../../shared/store/object-manifests';
import { type HttpLambda, toApiGatewayEvent, writeLambdaResult } from './http-adapter';
import { LocalQueue, type ObjectEvent } from './notifications';
import { localNotifier, prepareDeliveryEnvironment, scheduleDaily } from './notifier';
import { repairInterruptedWrites } from './s3rver-repair';
import { ensureTable, localCredentials, localRegion, startDynalite, startS3rver } from './services';

export interface LocalStackOptions {
  port: number;
  host: string;
  s3Port: number;
  dynamoPort: number;
  dataDir: string;
  bucket: string;
  tableName: string;
  publicBaseUrl?: string | undefined;
  /** Folder of sample events loaded into an empty bucket on first start. */
  samplesDir?: string | undefined;
  /** The daily anniversary run (HH:MM in an IANA zone), as the EventBridge schedule in AWS; absent: none. */
  notify?: { at: string; timeZone: string } | undefined;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface LocalStack {
  baseUrl: string;
  s3Endpoint: string;
  dynamoEndpoint: string;
  s3: S3Client;
  store: EventsTable;
  /** Resolves when every object event so far has been ingested or dead-lettered. */
  drain(): Promise<void>;
  /** Compacts dynalite's LevelDB (see DynaliteService.compact): for benchmarks, after a bulk load. */
  compactTables(): Promise<void>;
  close(): Promise<void>;
}

const adminPaths = new Set(['/stats', '/rejections', '/reprocess']);
/** Receives before a failing message is dead-lettered, as the ingest queue's redrive policy in AWS. */
const maxReceiveCount = 4;

/**
 * Node's defaults check these only every 30 s and allow 60 s for headers and 5 min for a request, so a
 * stalled client held a socket for minutes. 30 s is API Gateway's own limit for an integration.
 */
const httpTimeouts = {
  requestTimeout: 30_000,
  headersTimeout: 10_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
} as const;

const stripQuotes = (etag: string | undefined) => etag?.replace(/"/g, '');

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dynalite = await startDynalite({ port: options.dynamoPort, dataDir: options.dataDir });
  const repaired = repairInterruptedWrites(join(options.dataDir, 's3', options.bucket));
  if (repaired.removed.length + repaired.restored.length > 0)
    options.log('repaired objects an earlier run left half-written', {
      removed: repaired.removed.length,
      restored: repaired.restored.length,
    });
  const s3rver = await startS3rver({
    port: options.s3Port,
    dataDir: options.dataDir,
    bucket: options.bucket,
  });

  // The handlers read their config from the environment at load, exactly as in Lambda.
  Object.assign(process.env, {
    TABLE_NAME: options.tableName,
    DYNAMODB_ENDPOINT: dynalite.endpoint,
    S3_ENDPOINT: s3rver.endpoint,
    MAX_RECEIVE_COUNT: String(maxReceiveCount),
    // This process is the table's only writer: merges left unfinished by an earlier run (a crash) are dead.
    SOLE_WRITER_SINCE: new Date().toISOString(),
    AWS_REGION: process.env.AWS_REGION ?? localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_SERVICE_NAME: process.env.POWERTOOLS_SERVICE_NAME ?? 'context-feeds-local',
    // CloudWatch is not here to read metric documents; printing them would bury the log.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    // Cursors must survive a restart, so the local stack signs them with a fixed, non-secret key.
    CURSOR_KEY: process.env.CURSOR_KEY ?? 'local-stack-cursor-key-not-a-secret-0000',
  });
  const dynamoClient = new DynamoDBClient({
    endpoint: dynalite.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  if ((await ensureTable(dynamoClient, options.tableName)) === 'rebuilt')
    options.log(
      'the table layout changed since this data directory was written: rebuilding it from the bucket',
      {
        table: options.tableName,
      },
    );
  const documentClient = DynamoDBDocumentClient.from(dynamoClient);
  const store = new EventsTable(documentClient, options.tableName);
  const markCleanStop = await finishAfterUncleanStop(store, options);
  const s3 = new S3Client({
    endpoint: s3rver.endpoint,
    forcePathStyle: true,
    region: localRegion,
    credentials: localCredentials,
  });

  // Unset, the API builds its links from the request's Host (the adapter says the scheme is http), so
  // they work whichever name or address the client used, and the port need not be known before listening.
  if (options.publicBaseUrl) process.env.PUBLIC_BASE_URL = options.publicBaseUrl;
  prepareDeliveryEnvironment(options.dataDir);

  const ingest = (await import('../../functions/ingest/handler')).handler;
  const api: HttpLambda = (await import('../../functions/api/handler')).handler;
  const { adminHandler } = await import('../../functions/admin/handler');

  const queue = new LocalQueue({
    ingest,
    maxReceiveCount,
    // The handler records the rejection on the last receive; this covers an invocation that threw whole.
    deadLetter: async (event, sequencer, attempts) => {
      const log = (message: string, fields: Record<string, unknown>) => options.log(message, fields);
      await recordRetriesExhausted(
        store,
        [{ key: event.key, sequencer }],
        `ingestion failed ${attempts} times; see the logs for the cause`,
        { warn: log, error: log },
      );
    },
    onError: (error) => options.log('ingest invocation failed', { error: String(error) }),
  });
  // POST /reprocess re-queues into this queue, which gives each message a sequencer above all before it.
  const admin: HttpLambda = adminHandler({
    bucket: options.bucket,
    requeue: () => localRequeue(queue, options.bucket),
  });
  s3rver.onEvent((notification) => {
    for (const record of notification.Records) {
      const { key, size, eTag } = record.s3.object;
      queue.send({
        eventName: record.eventName,
        bucket: record.s3.bucket.name,
        key,
        ...(size !== undefined ? { size } : {}),
        ...(eTag ? { eTag: stripQuotes(eTag) } : {}),
      });
    }
  });

  const server = createServer(httpTimeouts, (req, res) => {
    toApiGatewayEvent(req)
      .then((event) => (adminPaths.has(event.rawPath) ? admin : api)(event))
      .then((result) => writeLambdaResult(res, result))
      .catch((error: unknown) => {
        options.log('local HTTP adapter failed', { error: String(error) });
        res.statusCode = 500;
        res.end();
      });
  });

  let baseUrl: string;
  try {
    await reconcileAtStart(s3, documentClient, options, queue);
    await loadSamplesOnFirstStart(s3, options);
    // Listen last: a connection accepted before the handlers are wired would never be answered.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    baseUrl = `http://${options.host}:${(server.address() as AddressInfo).port}`;
  } catch (error) {
    // A port in use, or a reconcile that cannot list the bucket: stop the engines, so the process can exit.
    queue.close();
    s3.destroy();
    dynamoClient.destroy();
    await s3rver.close();
    await dynalite.close();
    throw error;
  }

  const notifier = await localNotifier({
    client: documentClient,
    tableName: options.tableName,
    publicBaseUrl: options.publicBaseUrl ?? baseUrl,
    timeZone: options.notify?.timeZone ?? 'UTC',
    log: options.log,
  });
  const daily =
    options.notify && scheduleDaily(notifier, options.notify.at, options.notify.timeZone, options.log);

  return {
    baseUrl,
    s3Endpoint: s3rver.endpoint,
    dynamoEndpoint: dynalite.endpoint,
    s3,
    store,
    drain: () => queue.drain(),
    compactTables: () => dynalite.compact(),
    async close() {
      daily?.stop();
      notifier.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.race([queue.drain(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      queue.close();
      s3.destroy();
      dynamoClient.destroy();
      await s3rver.close();
      await dynalite.close();
      markCleanStop();
    },
  };
}

/**
 * A data directory whose last run did not close (killed, or crashed) may hold merges that stopped between
 * their counter updates and the clearing of their markers; the next writer to touch such an event would
 * apply those updates again. So before anything writes, they are finished with the counters they touch
 * recounted (EventsTable.finishAbandonedMerges). A flag file marks a run in progress; a clean close removes it.
 */
async function finishAfterUncleanStop(store: EventsTable, options: LocalStackOptions): Promise<() => void> {
  const flag = join(options.dataDir, '.running');
  if (existsSync(flag)) {
    const { merges, topics } = await store.finishAbandonedMerges();
    if (merges > 0)
      options.log('finished the merges an unclean stop left, with their topics recounted', {
        merges,
        topics,
      });
  }
  writeFileSync(flag, `${process.pid}\n`);
  return () => rmSync(flag, { force: true });
}

/** The local queue as a Requeue: it numbers messages itself, from the clock, above every earlier one. */
function localRequeue(queue: LocalQueue, bucket: string): Requeue {
  return {
    send: async ({ action, key }) =>
      queue.send({ eventName: action === 'put' ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete', bucket, key }),
    flush: async () => undefined,
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name.startsWith('.') || name === 'README.md') return [];
    if (statSync(full).isDirectory()) return filesUnder(full);
    return name.endsWith('.md') ? [full] : [];
  });
}

async function loadSamplesOnFirstStart(s3: S3Client, options: LocalStackOptions): Promise<void> {
  const marker = join(options.dataDir, '.samples-loaded');
  if (!options.samplesDir || existsSync(marker) || !existsSync(options.samplesDir)) return;
  const files = filesUnder(options.samplesDir);
  for (const file of files) {
    const key = relative(options.samplesDir, file).split(sep).join('/');
    await s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: readFileSync(file),
        ContentType: 'text/markdown; charset=utf-8',
      }),
    );
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  options.log('loaded sample events', { files: files.length });
}

/**
 * Brings the table in line with the bucket after a stop or crash (shared/ingest/reconcile.ts, as the scheduled
 * reconcile in AWS). One object S3 cannot read must not stop the start: the queue retries it, then records a
 * rejection. s3rver, though, fails a whole listing page when one object's files are damaged; then the reconcile
 * logs where the listing stopped, keeps what it queued, and deletes nothing.
 */
async function reconcileAtStart(
  s3: S3Client,
  client: DynamoDBDocumentClient,
  options: LocalStackOptions,
  queue: LocalQueue,
): Promise<void> {
  const store = new EventsTable(client, options.tableName);
  const report = await reconcile({
    listObjects: (after) => bucketPages(s3, options.bucket, { after }),
    manifest: (key) => store.objectState(key),
    manifests: (after) => objectManifestPages(client, options.tableName, { after }),
    writesComplete: (manifest) => manifestWritesComplete(client, options.tableName, manifest),
    exists: (key) => objectExists(s3, options.bucket, key),
    requeue: async ({ action, object }) => {
      const event: ObjectEvent = {
        eventName: action === 'put' ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
        bucket: options.bucket,
        key: object.key,
      };
      if (object.size !== undefined) event.size = object.size;
      if (object.eTag) event.eTag = object.eTag;
      queue.send(event);
    },
  });
  if (report.listingFailed)
    options.log('could not list the bucket to the end; reconciled up to there, deleted nothing', {
      ...report.listingFailed,
      ingested: report.requeued,
    });
  else if (report.requeued + report.removed > 0)
    options.log('reconciling the table with the bucket', {
      ingested: report.requeued,
      deleted: report.removed,
    });
}
