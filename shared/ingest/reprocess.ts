// Reprocessing (after a parser fix): re-queue the objects under a key or prefix so that the ingest parses them
// again. Each re-queued notification carries a sequencer just above the version the table holds (requeue.ts), so
// the ingest re-parses an unchanged object instead of skipping it, and a later real upload still wins. The store
// applies a re-parse like any version: changed topics move their counters once, an unchanged result writes nothing.
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { runPool } from '../upload/pool';
import { objectExists } from './bucket-pages';
import type { Requeue } from './requeue';

export interface ReprocessDeps {
  s3: S3Client;
  bucket: string;
  /** The sequencer of the version the table holds for a key (its manifest), if any. */
  heldSequencer(key: string): Promise<string | undefined>;
  requeue: Requeue;
  /** Manifest lookups in flight at once. */
  concurrency?: number;
}

export type ReprocessTarget = { key: string } | { prefix: string; limit: number; after?: string | undefined };

export interface ReprocessResult {
  /** The keys re-queued, in key order. */
  keys: string[];
  /** The last key of this page when more objects remain under the prefix: pass it back as `after`. */
  next?: string;
}

/** No object under that key (a single-key reprocess). */
export class NoSuchObject extends Error {
  override name = 'NoSuchObject';
}

export async function reprocess(deps: ReprocessDeps, target: ReprocessTarget): Promise<ReprocessResult> {
  let keys: string[];
  let next: string | undefined;
  if ('key' in target) {
    if (!(await objectExists(deps.s3, deps.bucket, target.key))) throw new NoSuchObject(target.key);
    keys = [target.key];
  } else {
    // One ListObjectsV2 call bounds the work of one request: at most `limit` (≤ 1,000) keys.
    const page = await deps.s3.send(
      new ListObjectsV2Command({
        Bucket: deps.bucket,
        Prefix: target.prefix,
        MaxKeys: target.limit,
        ...(target.after ? { StartAfter: target.after } : {}),
      }),
    );
    keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
    if (page.IsTruncated && keys.length > 0) next = keys.at(-1);
  }
  const held: (string | undefined)[] = new Array(keys.length);
  await runPool(keys, deps.concurrency ?? 16, async (key, index) => {
    held[index] = await deps.heldSequencer(key);
  });
  for (const [index, key] of keys.entries()) {
    await deps.requeue.send({ action: 'put', key, after: held[index] });
  }
  await deps.requeue.flush();
  return { keys, ...(next ? { next } : {}) };
}
