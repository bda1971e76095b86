// The reconcile as AWS runs it (daily, and on demand): the shared reconcile over the real bucket and table, objects
// re-queued to the ingest queue, paused before Lambda's time runs out and continued by a new invocation.
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
  /** Starts the next invocation of this run, asynchronously. */
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
  const event = reconcileEventSchema.parse(rawEvent ?? {});
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
