// The ingest tally and the Embedded Metric Format documents it publishes: totals with `service`, and the
// rejections once more per reason, the reason dimension held to a fixed set of values.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INGEST_METRICS, IngestTally, publishIngestCounts } from '../../shared/ingest/ingest-metrics';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Publishes `tally` through a fresh Metrics instance and returns the documents it wrote to stdout. */
function published(tally: IngestTally): Record<string, unknown>[] {
  const written: string[] = [];
  // Other files' ingest rigs turn metrics off in their process; this one reads them.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const metrics = new Metrics({ namespace: INGEST_METRICS.namespace, serviceName: 'feeds-test' });
  publishIngestCounts(metrics, tally);
  vi.restoreAllMocks();
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const dimensionsOf = (doc: Record<string, unknown>) =>
  (doc._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0]?.Dimensions;

describe('ingest metrics', () => {
  it('counts outcomes, and rejections by reason with an unknown reason as "other"', () => {
    // Prepare
    const tally = new IngestTally();

    // Act
    tally.count({ status: 'events', eventIds: ['2007-07-09/a'] });
    tally.count({ status: 'deleted' });
    tally.count({ status: 'stale' });
    tally.count({ status: 'rejected', reason: 'empty' });
    tally.count({ status: 'rejected', reason: 'empty' });
    tally.count({ status: 'rejected', reason: 'over-limit' });
    tally.count({ status: 'rejected', reason: `made-up-${'x'.repeat(50)}` });

    // Assess
    expect(tally).toMatchObject({ processed: 7, ingested: 1, rejected: 4, retried: 0 });
    expect(Object.fromEntries(tally.rejectedBy)).toEqual({ empty: 2, 'over-limit': 1, other: 1 });
  });

  it('publishes the totals (zeros too) with `service`, and one document per reason with `service` and `reason`', () => {
    // Prepare
    const tally = new IngestTally();
    tally.count({ status: 'rejected', reason: 'invalid-date' });
    tally.count({ status: 'rejected', reason: 'invalid-date' });
    tally.count({ status: 'rejected', reason: 'not-utf8' });
    tally.retried = 2;

    // Act
    const documents = published(tally);

    // Assess
    expect(documents).toHaveLength(3);
    const [totals, ...byReason] = documents;
    expect(dimensionsOf(totals ?? {})).toEqual([['service']]);
    expect(totals).toMatchObject({
      service: 'feeds-test',
      [INGEST_METRICS.processed]: 3,
      [INGEST_METRICS.ingested]: 0,
      [INGEST_METRICS.rejected]: 3,
      [INGEST_METRICS.retried]: 2,
    });
    for (const doc of byReason) expect(dimensionsOf(doc)).toEqual([['service', 'reason']]);
    expect(byReason.map((doc) => [doc.reason, doc[INGEST_METRICS.rejected]])).toEqual([
      ['invalid-date', 2],
      ['not-utf8', 1],
    ]);
  });

  it('publishes only the totals when nothing was rejected', () => {
    expect(published(new IngestTally())).toEqual([
      expect.objectContaining({ [INGEST_METRICS.processed]: 0, [INGEST_METRICS.rejected]: 0 }),
    ]);
  });
});
