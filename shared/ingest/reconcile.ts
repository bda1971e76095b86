// Brings the table in line with the bucket: re-queues objects the table does not reflect, and removes what the
// bucket no longer holds. One code path for the local stack's start and the scheduled reconcile in AWS.
//
// Neither side is held in memory. Pass 1 pages through the bucket (ListObjectsV2, 1,000 keys a page) and looks each
// key's manifest up by its key. Pass 2 pages through the manifests and asks S3 about each live one (HeadObject).
// The manifests cannot be walked in key order beside the listing: each OBJECT#<key> item is a partition of its own,
// and no index holds them, so pass 2 is a paged Scan that reads the whole table (its cost is the table's size in
// read units, once a day), keeping only the manifest items.

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

export interface ReconcileDeps<M extends ManifestState = ManifestState> {
  /** The bucket's objects, a page at a time. */
  listObjects(): AsyncIterable<ListedObject[]>;
  /** The object's manifest, if the table has one. */
  manifest(key: string): Promise<M | undefined>;
  /** Every manifest, a page at a time (order does not matter). */
  manifests(): AsyncIterable<M[]>;
  /** Whether every write the manifest stands for was made (a crash can come between the claim and the events). */
  writesComplete(manifest: M): Promise<boolean>;
  /** Whether the bucket holds the key now. */
  exists(key: string): Promise<boolean>;
  /** Queues an S3-shaped notification for the ingest path. */
  requeue(notification: { action: 'put' | 'delete'; object: ListedObject }): Promise<void>;
}

export interface ReconcileReport {
  listed: number;
  requeued: number;
  removed: number;
  /** Set when the listing stopped early: then nothing was removed, since unseen objects may still exist. */
  listingFailed?: { after: string | null; error: string };
}

const quoteless = (eTag: string | undefined) => eTag?.replace(/"/g, '');

/** Missing, deleted, or another version than the one the table holds: the object needs ingesting again. */
export function isStale(object: ListedObject, manifest: ManifestState | undefined): boolean {
  if (!manifest || manifest.state === 'deleted') return true;
  const eTag = quoteless(object.eTag);
  return eTag !== undefined && quoteless(manifest.eTag) !== eTag;
}

/** Keys the ingest path records without an S3 object behind them (unreadable SQS messages). */
const notAnObject = (key: string) => key.startsWith('sqs-message/');

export async function reconcile<M extends ManifestState>(deps: ReconcileDeps<M>): Promise<ReconcileReport> {
  const report: ReconcileReport = { listed: 0, requeued: 0, removed: 0 };
  let lastListed: string | null = null;
  try {
    for await (const page of deps.listObjects()) {
      for (const object of page) {
        report.listed++;
        lastListed = object.key;
        const manifest = await deps.manifest(object.key);
        if (manifest && !isStale(object, manifest) && (await deps.writesComplete(manifest))) continue;
        await deps.requeue({ action: 'put', object });
        report.requeued++;
      }
    }
  } catch (error) {
    report.listingFailed = { after: lastListed, error: String(error) };
    return report;
  }
  for await (const page of deps.manifests()) {
    for (const manifest of page) {
      if (manifest.state === 'deleted' || notAnObject(manifest.key)) continue;
      if (await deps.exists(manifest.key)) continue;
      await deps.requeue({ action: 'delete', object: { key: manifest.key } });
      report.removed++;
    }
  }
  return report;
}
