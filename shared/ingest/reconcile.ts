// Brings the table in line with the bucket: re-queues objects the table does not reflect, and removes what the
// bucket no longer holds. One code path for the local stack's start and the scheduled reconcile in AWS.
//
// Neither side is held in memory. Pass 1 pages through the bucket (ListObjectsV2, 1,000 keys a page) and looks each
// key's manifest up by its key. Pass 2 pages through the manifests and asks S3 about each live one (HeadObject).
// The manifests cannot be walked in key order beside the listing: each OBJECT#<key> item is a partition of its own,
// and no index holds them, so pass 2 is a paged Scan that reads the whole table (its cost is the table's size in
// read units, once a day), keeping only the manifest items.
//
// A run can pause between pages and resume from a cursor (the scheduled function in AWS stops before Lambda's
// 15-minute limit and invokes itself with it); the local stack runs it to the end.

import { runPool } from '../upload/pool';

/** An object as S3 lists it. */
export interface ListedObject {
  key: string;
  eTag?: string | undefined;
  size?: number | undefined;
}

/** What the table says about an object (its manifest). */
export interface ManifestState {
  key: string;
  seq: string;
  state: 'events' | 'rejected' | 'deleted';
  eTag?: string | undefined;
}

/** One page of a listing, and where the listing resumes after it (absent on the last page). */
export interface Page<T> {
  items: T[];
  next?: string | undefined;
}

/** Where a paused run resumes: the pass, and the opaque position its listing gave (absent: the pass's start). */
export interface ReconcileCursor {
  pass: 'objects' | 'manifests';
  after?: string | undefined;
}

/** What to re-queue: `after` is the sequencer of the version the table holds, if any. */
export interface RequeueNotice {
  action: 'put' | 'delete';
  object: ListedObject;
  after?: string | undefined;
}

export interface ReconcileDeps<M extends ManifestState = ManifestState> {
  /** The bucket's objects, a page at a time, in key order, from `after` (a position a page gave). */
  listObjects(after?: string): AsyncIterable<Page<ListedObject>>;
  /** The object's manifest, if the table has one. */
  manifest(key: string): Promise<M | undefined>;
  /** Every manifest, a page at a time (order does not matter), from `after`. */
  manifests(after?: string): AsyncIterable<Page<M>>;
  /** Whether every write the manifest stands for was made (a crash can come between the claim and the events). */
  writesComplete(manifest: M): Promise<boolean>;
  /** Whether the bucket holds the key now. */
  exists(key: string): Promise<boolean>;
  /** Queues an S3-shaped notification for the ingest path. */
  requeue(notice: RequeueNotice): Promise<void>;
}

export interface ReconcileOptions {
  /** Resume a paused run here; absent: from the start. */
  from?: ReconcileCursor | undefined;
  /** Asked between pages: true pauses the run, which then reports where to resume. */
  shouldPause?: () => boolean;
  /** Objects of one page looked up at once (manifests, HeadObject); re-queued in page order regardless. */
  concurrency?: number;
}

export interface ReconcileReport {
  listed: number;
  requeued: number;
  removed: number;
  /** Set when the listing stopped early: then nothing was removed, since unseen objects may still exist. */
  listingFailed?: { after: string | null; error: string };
  /** Set when the run paused: call again with `from` set to this. */
  resumeFrom?: ReconcileCursor;
}

const quoteless = (eTag: string | undefined) => eTag?.replace(/"/g, '');

/** Missing, deleted, or another version than the one the table holds: the object needs ingesting again. */
export function isStale(object: ListedObject, manifest: ManifestState | undefined): boolean {
  if (!manifest || manifest.state === 'deleted') return true;
  const eTag = quoteless(object.eTag);
  return eTag !== undefined && quoteless(manifest.eTag) !== eTag;
}

/** Decides for every item of a page, `concurrency` at a time, and returns the notices in page order. */
async function decideAll<T>(
  items: readonly T[],
  concurrency: number,
  decide: (item: T) => Promise<RequeueNotice | undefined>,
): Promise<RequeueNotice[]> {
  const decided: (RequeueNotice | undefined)[] = new Array(items.length);
  await runPool(items, concurrency, async (item, index) => {
    decided[index] = await decide(item);
  });
  return decided.filter((notice): notice is RequeueNotice => notice !== undefined);
}

/** Keys the ingest path records without an S3 object behind them (unreadable SQS messages). */
const notAnObject = (key: string) => key.startsWith('sqs-message/');

export async function reconcile<M extends ManifestState>(
  deps: ReconcileDeps<M>,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { listed: 0, requeued: 0, removed: 0 };
  const shouldPause = options.shouldPause ?? (() => false);
  const from = options.from ?? { pass: 'objects' };
  const concurrency = options.concurrency ?? 1;

  if (from.pass === 'objects') {
    let lastListed: string | null = null;
    try {
      for await (const page of deps.listObjects(from.after)) {
        const notices = await decideAll(page.items, concurrency, async (object) => {
          const manifest = await deps.manifest(object.key);
          if (manifest && !isStale(object, manifest) && (await deps.writesComplete(manifest))) return;
          return { action: 'put', object, after: manifest?.seq };
        });
        report.listed += page.items.length;
        lastListed = page.items.at(-1)?.key ?? lastListed;
        for (const notice of notices) {
          await deps.requeue(notice);
          report.requeued++;
        }
        if (page.next !== undefined && shouldPause()) {
          report.resumeFrom = { pass: 'objects', after: page.next };
          return report;
        }
      }
    } catch (error) {
      report.listingFailed = { after: lastListed, error: String(error) };
      return report;
    }
    if (shouldPause()) {
      report.resumeFrom = { pass: 'manifests' };
      return report;
    }
  }

  for await (const page of deps.manifests(from.pass === 'manifests' ? from.after : undefined)) {
    const notices = await decideAll(page.items, concurrency, async (manifest) => {
      if (manifest.state === 'deleted' || notAnObject(manifest.key)) return;
      if (await deps.exists(manifest.key)) return;
      return { action: 'delete', object: { key: manifest.key }, after: manifest.seq };
    });
    for (const notice of notices) {
      await deps.requeue(notice);
      report.removed++;
    }
    if (page.next !== undefined && shouldPause()) {
      report.resumeFrom = { pass: 'manifests', after: page.next };
      return report;
    }
  }
  return report;
}
