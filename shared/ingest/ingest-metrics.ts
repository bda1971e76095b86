// What the ingest counts per invocation, the metric names the CDK alarms read, and how the counts are published.
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RejectionCause } from '../store/events-table';
import type { IngestOutcome } from './ingest-object';

/** One definition for the function that emits and the alarms that read (dimension: `service`). */
export const INGEST_METRICS = {
  namespace: 'ContextFeeds',
  /** Objects the ingest finished with: every outcome, a retries-exhausted rejection included. */
  processed: 'ObjectsProcessed',
  /** Objects whose events were written (new, changed or restored). */
  ingested: 'ObjectsIngested',
  /**
   * Objects recorded as rejections: parse, size, malformed notification, retries exhausted. Published twice:
   * the total (dimension `service`) and per reason (dimensions `service`, `reason`).
   */
  rejected: 'ObjectsRejected',
  /** Messages handed back to SQS for a retry (reported in batchItemFailures). */
  retried: 'MessagesRetried',
  /** The dimension that splits `rejected` by reason. */
  reasonDimension: 'reason',
} as const;

/**
 * Every reason a rejection can carry: the `reason` dimension takes only these values (and `other`), so its
 * cardinality is fixed whatever a file contains. The type below fails to compile if a reason is missing.
 */
export const REJECTION_REASONS = [
  'too-large',
  'not-utf8',
  'empty',
  'unknown-format',
  'missing-date',
  'invalid-date',
  'missing-title',
  'invalid-front-matter',
  'over-limit',
  'malformed-notification',
  'retries-exhausted',
] as const satisfies readonly RejectionCause[];
type MissingReason = Exclude<RejectionCause, (typeof REJECTION_REASONS)[number]>;
const everyReasonListed: [MissingReason] extends [never] ? true : MissingReason = true;
void everyReasonListed;

const knownReasons: ReadonlySet<string> = new Set(REJECTION_REASONS);

export interface IngestCounts {
  processed: number;
  ingested: number;
  rejected: number;
  retried: number;
  /** Rejections by reason; a reason outside REJECTION_REASONS counts as `other`. */
  rejectedBy: Map<string, number>;
}

/** A tally that `processMessage` feeds one outcome at a time; the handler publishes it once per invocation. */
export class IngestTally implements IngestCounts {
  processed = 0;
  ingested = 0;
  rejected = 0;
  retried = 0;
  readonly rejectedBy = new Map<string, number>();

  count(outcome: IngestOutcome): void {
    this.processed++;
    if (outcome.status === 'events') this.ingested++;
    if (outcome.status === 'rejected') {
      this.rejected++;
      const reason = knownReasons.has(outcome.reason) ? outcome.reason : 'other';
      this.rejectedBy.set(reason, (this.rejectedBy.get(reason) ?? 0) + 1);
    }
  }
}

/**
 * Writes the counts as Embedded Metric Format documents: one with the totals (all four, zeros included, so the
 * rejection-rate alarm has a denominator in every period), and one per reason seen, with the `reason` dimension.
 */
export function publishIngestCounts(metrics: Metrics, counts: IngestCounts): void {
  metrics.addMetric(INGEST_METRICS.processed, MetricUnit.Count, counts.processed);
  metrics.addMetric(INGEST_METRICS.ingested, MetricUnit.Count, counts.ingested);
  metrics.addMetric(INGEST_METRICS.rejected, MetricUnit.Count, counts.rejected);
  metrics.addMetric(INGEST_METRICS.retried, MetricUnit.Count, counts.retried);
  metrics.publishStoredMetrics();
  for (const [reason, count] of counts.rejectedBy) {
    // A single metric is a document of its own, written at once, with the default `service` dimension too.
    const byReason = metrics.singleMetric();
    byReason.addDimension(INGEST_METRICS.reasonDimension, reason);
    byReason.addMetric(INGEST_METRICS.rejected, MetricUnit.Count, count);
  }
}
