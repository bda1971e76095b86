// The local SQS stand-in: SQS-shaped batches, per-record retries with backoff, then the dead-letter step.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalQueue } from '../../infra/local/notifications';
import { parseNotificationBody } from '../../shared/ingest/notifications';

function recordingIngest(failKeys: Set<string>) {
  const batches: SQSEvent[] = [];
  const ingest = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    batches.push(event);
    return {
      batchItemFailures: event.Records.filter((record) =>
        parseNotificationBody(record.body).some((n) => failKeys.has(n.key)),
      ).map((record) => ({ itemIdentifier: record.messageId })),
    };
  };
  return { batches, ingest };
}

describe('LocalQueue', () => {
  it('delivers object events as SQS batches with S3-encoded keys and increasing sequencers', async () => {
    // Prepare
    const { batches, ingest } = recordingIngest(new Set());
    const queue = new LocalQueue({ ingest, deadLetter: async () => undefined, batchWindowMs: 1 });

    // Act
    queue.send({
      eventName: 'ObjectCreated:Put',
      bucket: 'events',
      key: 'zh/news/2010/05/1/世博 开幕.md',
      size: 3,
    });
    queue.send({
      eventName: 'ObjectRemoved:Delete',
      bucket: 'events',
      key: 'zh/news/2010/05/1/世博 开幕.md',
    });
    await queue.drain();

    // Assess
    const records = batches.flatMap((batch) => batch.Records);
    expect(records).toHaveLength(2);
    expect(records[0]?.body).toContain('zh/news/2010/05/1/%E4%B8%96%E5%8D%9A+%E5%BC%80%E5%B9%95.md');
    const [put, del] = records.flatMap((record) => parseNotificationBody(record.body));
    expect(put?.key).toBe('zh/news/2010/05/1/世博 开幕.md');
    expect([put?.action, del?.action]).toEqual(['put', 'delete']);
    expect((put?.sequencer ?? '') < (del?.sequencer ?? '')).toBe(true);
  });

  it('retries only the failed record with growing delays, then dead-letters it', async () => {
    // Prepare
    const { batches, ingest } = recordingIngest(new Set(['news/bad.md']));
    const deadLettered: { key: string; attempts: number }[] = [];
    const delays: number[] = [];
    const queue = new LocalQueue({
      ingest,
      deadLetter: async (event, _sequencer, attempts) => void deadLettered.push({ key: event.key, attempts }),
      batchWindowMs: 1,
      maxReceiveCount: 3,
      retryDelayMs: (attempt) => {
        delays.push(10 * 2 ** attempt);
        return 10 * 2 ** attempt;
      },
    });

    // Act
    queue.send({ eventName: 'ObjectCreated:Put', bucket: 'events', key: 'news/good.md' });
    queue.send({ eventName: 'ObjectCreated:Put', bucket: 'events', key: 'news/bad.md' });
    await queue.drain();

    // Assess
    const keysPerBatch = batches.map((batch) =>
      batch.Records.flatMap((record) => parseNotificationBody(record.body).map((n) => n.key)),
    );
    expect(keysPerBatch).toEqual([['news/good.md', 'news/bad.md'], ['news/bad.md'], ['news/bad.md']]);
    expect(delays).toEqual([20, 40]);
    expect(deadLettered).toEqual([{ key: 'news/bad.md', attempts: 3 }]);
  });

  it('treats a thrown invocation as a failure of the whole batch', async () => {
    let calls = 0;
    const deadLettered: string[] = [];
    const queue = new LocalQueue({
      ingest: async () => {
        calls++;
        throw new Error('Task timed out');
      },
      deadLetter: async (event) => void deadLettered.push(event.key),
      batchWindowMs: 1,
      maxReceiveCount: 2,
      retryDelayMs: () => 1,
    });

    queue.send({ eventName: 'ObjectCreated:Put', bucket: 'events', key: 'news/a.md' });
    await queue.drain();

    expect(calls).toBe(2);
    expect(deadLettered).toEqual(['news/a.md']);
  });
});
