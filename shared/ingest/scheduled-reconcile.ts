// The reconcile as AWS runs it (daily, and on demand): the shared reconcile over the real bucket and table, objects
// re-queued to the ingest queue, paused before Lambda's time runs out and continued through the continuation
// queue, which invokes the function again.
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventsTable } from '../store/events-table';
import { manifestWritesComplete, objectManifestPages } from '../store/object-manifests';
import * as z from '../zod';
import { bucketPages, objectExists } from './bucket-pages';
import { type ReconcileReport, reconcile } from './reconcile';
import type { Requeue } from './requeue';

/**
 * What an invocation receives: nothing (the schedule, `aws lambda invoke` by hand) starts a run; a continuation
 * carries where to resume, its hop and the run's id. Unknown fields (the scheduler's own) are ignored.
 */
export const reconcileEventSchema = z.looseObject({
  resumeFrom: z.optional(
    z.object({
      pass: z.enum(['objects', 'manifests']),
      after: z.optional(z.string().check(z.maxLength(8_192))),
    }),
  ),
  hop: z._default(z.number().check(z.int(), z.nonnegative()), 0),
  runId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
export type ReconcileEvent = z.input<typeof reconcileEventSchema>;

/**
 * A continuation as the SQS event source delivers it: one record (the source's batch size is 1, since a run
 * takes most of an invocation) whose body is the ReconcileEvent that `continueWith` sent.
 */
const continuationDeliverySchema = z.object({
  Records: z.tuple([z.object({ eventSource: z.literal('aws:sqs'), body: z.string() })]),
});

export class MalformedContinuation extends Error {
  override name = 'MalformedContinuation';
}

/**
 * The ReconcileEvent an invocation carries: an SQS delivery's body, or the event itself (the schedule's `{}`,
 * `aws lambda invoke`). A delivery of more than one record, or a body that is not JSON, is refused: SQS retries
 * the message and then moves it to the continuation DLQ, and the Errors alarm fires.
 */
export function reconcileEventOf(rawEvent: unknown): unknown {
  const isDelivery =
    typeof rawEvent === 'object' &&
    rawEvent !== null &&
    'Records' in rawEvent &&
    Array.isArray(rawEvent.Records);
  if (!isDelivery) return rawEvent ?? {};
  const delivery = continuationDeliverySchema.safeParse(rawEvent);
  if (!delivery.success) {
    throw new MalformedContinuation(
      `expected one SQS record with a body: ${z.prettifyError(delivery.error)}`,
    );
  }
  const [record] = delivery.data.Records;
  try {
    return JSON.parse(record.body) as unknown;
  } catch (error) {
    throw new MalformedContinuation(`the continuation's body is not JSON: ${String(error)}`);
  }
}

/** Time kept back when deciding whether to start another page: a page (1,000 keys) takes seconds, not minutes. */
export const RECONCILE_RESERVE_MS = 3 * 60_000;
/** Continuations per run: 48 invocations of 12+ minutes is about ten hours, well inside a day. */
export const RECONCILE_MAX_HOPS = 48;

export class ReconcileIncomplete extends Error {
  override name = 'ReconcileIncomplete';
}

export interface ScheduledReconcileDeps {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  tableName: string;
  bucket: string;
  /** The event prefixes: only keys under them have notifications, so only they are compared. */
  prefixes: readonly string[];
  requeue: Requeue;
  /** Milliseconds left in this invocation (Lambda's `getRemainingTimeInMillis`). */
  remainingMs: () => number;
  /** Hands the run to a later invocation (in AWS: a message to the continuation queue). */
  continueWith: (event: ReconcileEvent) => Promise<void>;
  /** Lookups of one page in flight at once. */
  concurrency?: number;
  reserveMs?: number;
  maxHops?: number;
}

export interface ReconcileSummary extends ReconcileReport {
  runId: string;
  hop: number;
  /** Whether another invocation was started to go on. */
  continued: boolean;
}

/**
 * The manifests of keys under the event prefixes: the function may HEAD only those, and a key outside them (a
 * prefix since dropped from the configuration) gets no notifications, so there is nothing to converge.
 */
async function* eventManifestPages(deps: ScheduledReconcileDeps, after: string | undefined) {
  for await (const page of objectManifestPages(deps.dynamo, deps.tableName, { after })) {
    yield {
      ...page,
      items: page.items.filter((m) => deps.prefixes.some((prefix) => m.key.startsWith(prefix))),
    };
  }
}

export async function runScheduledReconcile(
  deps: ScheduledReconcileDeps,
  rawEvent: unknown,
  invocationId: string,
): Promise<ReconcileSummary> {
  const event = reconcileEventSchema.parse(reconcileEventOf(rawEvent));
  const runId = event.runId ?? invocationId;
  const store = new EventsTable(deps.dynamo, deps.tableName);
  const reserveMs = deps.reserveMs ?? RECONCILE_RESERVE_MS;
  const report = await reconcile(
    {
      listObjects: (after) => bucketPages(deps.s3, deps.bucket, { prefixes: deps.prefixes, after }),
      manifest: (key) => store.objectState(key),
      manifests: (after) => eventManifestPages(deps, after),
      writesComplete: (manifest) => manifestWritesComplete(deps.dynamo, deps.tableName, manifest),
      exists: (key) => objectExists(deps.s3, deps.bucket, key),
      requeue: ({ action, object, after }) => deps.requeue.send({ action, key: object.key, after }),
    },
    {
      ...(event.resumeFrom ? { from: event.resumeFrom } : {}),
      shouldPause: () => deps.remainingMs() < reserveMs,
      concurrency: deps.concurrency ?? 16,
    },
  );
  // Before anything else: what was decided must reach the queue even if the run cannot go on.
  await deps.requeue.flush();
  const summary: ReconcileSummary = { ...report, runId, hop: event.hop, continued: false };
  if (report.listingFailed) {
    throw new ReconcileIncomplete(
      `run ${runId}: listing the bucket failed after ${report.listingFailed.after ?? 'the start'} (${report.listingFailed.error}); re-queued ${report.requeued}, removed nothing`,
    );
  }
  if (report.resumeFrom) {
    const maxHops = deps.maxHops ?? RECONCILE_MAX_HOPS;
    if (event.hop + 1 > maxHops) {
      throw new ReconcileIncomplete(
        `run ${runId}: not finished after ${maxHops} continuations; stopped at ${JSON.stringify(report.resumeFrom)}`,
      );
    }
    await deps.continueWith({ resumeFrom: report.resumeFrom, hop: event.hop + 1, runId });
    summary.continued = true;
  }
  return summary;
}
