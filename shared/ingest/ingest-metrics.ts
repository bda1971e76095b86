// What the ingest counts per invocation, and the metric names the CDK rejection-rate alarm reads.
import type { IngestOutcome } from './ingest-object';

/** One definition for the function that emits and the alarm that reads (dimension: `service`). */
export const INGEST_METRICS = {
  namespace: 'ContextFeeds',
  /** Objects the ingest finished with: every outcome, a retries-exhausted rejection included. */
  processed: 'ObjectsProcessed',
  /** Objects recorded as rejections: parse, size, malformed notification, retries exhausted. */
  rejected: 'ObjectsRejected',
  /** Messages handed back to SQS for a retry (reported in batchItemFailures). */
  retried: 'MessagesRetried',
} as const;

export interface IngestCounts {
  processed: number;
  rejected: number;
  retried: number;
}

/** A tally that `processMessage` feeds one outcome at a time; the handler publishes it once per invocation. */
export class IngestTally implements IngestCounts {
  processed = 0;
  rejected = 0;
  retried = 0;

  count(outcome: IngestOutcome): void {
    this.processed++;
    if (outcome.status === 'rejected') this.rejected++;
  }
}
