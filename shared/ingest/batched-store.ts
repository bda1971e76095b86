// Groups the store writes of one SQS batch's records into one `applyMany`, so the batch's event items
// and the topic writes they imply go out together (one BatchWriteItem and one counter update per topic
// for the batch, not per file). Each record takes part once: the group is written when every record has
// either asked to write or finished without writing, so no timer decides and nothing waits forever.
import {
  type ApplyOutcome,
  type IngestStore,
  ingestStoreOver,
  type ObjectWriteRequest,
} from '../store/events-table';

/**
 * S3 notifications per ingest invocation, in AWS (the SQS event source) and locally (the local queue).
 * The counter update per topic and the BatchWriteItem are shared by the whole batch, so larger batches
 * cost fewer requests per file; 100 stays far below the 6 MB invocation payload (a notification is ~1.5 KB)
 * and the 60 s timeout (records run concurrently).
 */
export const INGEST_BATCH_SIZE = 100;

interface Waiting {
  request: ObjectWriteRequest;
  resolve: (outcome: ApplyOutcome) => void;
  reject: (error: unknown) => void;
}

export class BatchedIngestStore {
  private readonly waiting: Waiting[] = [];
  private arrived = 0;
  private written = false;

  constructor(
    private readonly store: IngestStore,
    /** Records in the batch: each calls `participate` once. */
    private readonly participants: number,
  ) {}

  /**
   * Runs one record's work with a store whose first write joins the batch's group. Later writes of the
   * same record (a second object in its message, a rejection after a failure) go straight to the store.
   */
  async participate<T>(work: (store: IngestStore) => Promise<T>): Promise<T> {
    let joined = false;
    const write = (requests: ObjectWriteRequest[]): Promise<ApplyOutcome[]> => {
      if (joined || this.written) return this.store.applyMany(requests);
      joined = true;
      const outcomes = Promise.all(
        requests.map(
          (request) =>
            new Promise<ApplyOutcome>((resolve, reject) => this.waiting.push({ request, resolve, reject })),
        ),
      );
      this.arrive();
      return outcomes;
    };
    const store = ingestStoreOver(write);
    try {
      return await work(store);
    } finally {
      if (!joined) {
        joined = true;
        this.arrive();
      }
    }
  }

  private arrive(): void {
    this.arrived++;
    if (this.arrived < this.participants || this.written) return;
    this.written = true;
    const group = this.waiting.splice(0);
    if (group.length === 0) return;
    this.store.applyMany(group.map(({ request }) => request)).then(
      (outcomes) => {
        for (const [index, { resolve }] of group.entries()) resolve(outcomes[index] as ApplyOutcome);
      },
      // One object that keeps failing (a throttled key, a hot event) must not fail the rest: alone, each
      // write succeeds or fails on its own. Everything the group wrote is idempotent to write again.
      () => {
        for (const { request, resolve, reject } of group) {
          this.store.applyMany([request]).then((outcomes) => resolve(outcomes[0] as ApplyOutcome), reject);
        }
      },
    );
  }
}
