// Builds SQS batches of S3 notifications in the exact shape AWS delivers for S3 → SQS → Lambda.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeS3Key } from '../../infra/local/notifications';
import { runPool } from '../../shared/upload/pool';

export interface NotificationSpec {
  eventName?: string;
  key: string;
  sequencer: string;
  size?: number;
  versionId?: string;
  bucket?: string;
  messageId?: string;
}

let counter = 0;

export function s3Message(spec: NotificationSpec): SQSRecord {
  const messageId = spec.messageId ?? `msg-${++counter}`;
  return sqsRecord(
    messageId,
    JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: '2026-11-25T12:00:00.000Z',
          eventName: spec.eventName ?? 'ObjectCreated:Put',
          s3: {
            s3SchemaVersion: '1.0',
            bucket: { name: spec.bucket ?? 'events', arn: `arn:aws:s3:::${spec.bucket ?? 'events'}` },
            object: {
              key: encodeS3Key(spec.key),
              sequencer: spec.sequencer,
              ...(spec.size !== undefined ? { size: spec.size } : {}),
              ...(spec.versionId !== undefined ? { versionId: spec.versionId } : {}),
            },
          },
        },
      ],
    }),
  );
}

export function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `${messageId}-handle`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764072000000',
      SenderId: 'AROAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1764072000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:ingest',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** The same message received once more, as SQS redelivers it after its visibility timeout. */
export function redelivered(record: SQSRecord, receiveCount: number): SQSRecord {
  return { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount) } };
}

/**
 * Delivers messages to a handler as an SQS event source does: batches of `batchSize`, `concurrency`
 * invocations at once. A message the handler reports as failed is received again, up to `maxReceives`
 * times in all (the queue's maxReceiveCount); `onRedelivery` hears each round's ids. Returns the message
 * ids that failed on their last receive.
 */
export async function deliverInBatches(
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
  messages: SQSRecord[],
  {
    batchSize = 10,
    concurrency = 4,
    maxReceives = 1,
    onRedelivery,
  }: {
    batchSize?: number;
    concurrency?: number;
    maxReceives?: number;
    onRedelivery?: (ids: string[]) => void;
  } = {},
): Promise<string[]> {
  let pending = messages;
  let failures: string[] = [];
  for (let receive = 1; receive <= maxReceives && pending.length > 0; receive++) {
    if (receive > 1) onRedelivery?.(pending.map((record) => record.messageId));
    const batches: SQSRecord[][] = [];
    for (let i = 0; i < pending.length; i += batchSize)
      batches.push(pending.slice(i, i + batchSize).map((record) => redelivered(record, receive)));
    failures = [];
    await runPool(batches, concurrency, async (batch) => {
      const response = await handler(sqsEvent(batch));
      failures.push(...response.batchItemFailures.map((failure) => failure.itemIdentifier));
    });
    const failed = new Set(failures);
    pending = pending.filter((record) => failed.has(record.messageId));
  }
  return failures;
}
