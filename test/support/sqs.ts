// Builds SQS batches of S3 notifications in the exact shape AWS delivers for S3 → SQS → Lambda.
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeS3Key } from '../../infra/local/notifications';

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
