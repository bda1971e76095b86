// Plays the part of S3 → SQS → Lambda locally: s3rver's object events become SQS-shaped batches for the
// ingest handler, failed records are retried with backoff, and exhausted ones become rejections.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { INGEST_BATCH_SIZE } from '../../shared/ingest/batched-store';
import { encodeS3Key } from '../../shared/ingest/notifications';

export interface ObjectEvent {
  eventName: string;
  bucket: string;
  /** The raw (decoded) key. */
  key: string;
  size?: number;
  eTag?: string;
}

export interface LocalQueueOptions {
  ingest: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** Called when a message has failed `maxReceiveCount` times: the local dead-letter queue. */
  deadLetter: (event: ObjectEvent, sequencer: string, attempts: number) => Promise<void>;
  batchSize?: number;
  batchWindowMs?: number;
  /** Batches in flight at once, like a Lambda event source's maximum concurrency. */
  maxConcurrency?: number;
  maxReceiveCount?: number;
  retryDelayMs?: (attempt: number) => number;
  onError?: (error: unknown) => void;
}

export { encodeS3Key };

interface Message {
  id: string;
  event: ObjectEvent;
  sequencer: string;
  receiveCount: number;
}

export class LocalQueue {
  private pending: Message[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private running = 0;
  private waiters: (() => void)[] = [];
  private retryTimers = new Set<NodeJS.Timeout>();
  private lastSequencer = 0n;
  private messageCounter = 0;
  private readonly options: Required<Omit<LocalQueueOptions, 'onError'>> & Pick<LocalQueueOptions, 'onError'>;

  constructor(options: LocalQueueOptions) {
    this.options = {
      batchSize: INGEST_BATCH_SIZE,
      batchWindowMs: 50,
      maxConcurrency: 4,
      maxReceiveCount: 4,
      retryDelayMs: (attempt) => Math.min(5_000, 200 * 2 ** attempt),
      ...options,
    };
  }

  /**
   * S3 sequencers grow per key with each event; s3rver's are millisecond timestamps and may repeat, so
   * they are replaced with a strictly increasing counter seeded from the clock.
   */
  private nextSequencer(): string {
    const fromClock = BigInt(Date.now()) << 16n;
    this.lastSequencer = fromClock > this.lastSequencer ? fromClock : this.lastSequencer + 1n;
    return this.lastSequencer.toString(16).toUpperCase().padStart(16, '0');
  }

  send(event: ObjectEvent): void {
    this.enqueue({
      id: `local-${++this.messageCounter}`,
      event,
      sequencer: this.nextSequencer(),
      receiveCount: 0,
    });
  }

  private enqueue(message: Message): void {
    this.pending.push(message);
    if (this.pending.length >= this.options.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.batchWindowMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0 && this.running < this.options.maxConcurrency) {
      const batch = this.pending.splice(0, this.options.batchSize);
      this.inFlight++;
      this.running++;
      this.deliver(batch)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.inFlight--;
          this.running--;
          // Messages that waited for a free slot go next, without waiting for the batch window.
          if (this.pending.length > 0) this.flush();
          this.notifyIfIdle();
        });
    }
  }

  private async deliver(batch: Message[]): Promise<void> {
    for (const message of batch) message.receiveCount++;
    let failedIds: Set<string>;
    try {
      const response = await this.options.ingest({ Records: batch.map(toSqsRecord) });
      failedIds = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      // A thrown invocation fails the whole batch, as Lambda does.
      this.options.onError?.(error);
      failedIds = new Set(batch.map((message) => message.id));
    }
    for (const message of batch.filter((m) => failedIds.has(m.id))) {
      if (message.receiveCount >= this.options.maxReceiveCount) {
        await this.options.deadLetter(message.event, message.sequencer, message.receiveCount);
        continue;
      }
      this.inFlight++;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.inFlight--;
        this.enqueue(message);
      }, this.options.retryDelayMs(message.receiveCount));
      this.retryTimers.add(timer);
    }
  }

  private notifyIfIdle(): void {
    if (this.inFlight > 0 || this.pending.length > 0) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Resolves once every message sent so far has been ingested or dead-lettered. */
  drain(): Promise<void> {
    if (this.timer) this.flush();
    if (this.inFlight === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops retry timers; messages waiting for a retry are dropped (reconcile picks them up next start). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
  }
}

function toSqsRecord(message: Message): SQSRecord {
  const { event } = message;
  const body = {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: event.eventName,
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: event.bucket, arn: `arn:aws:s3:::${event.bucket}` },
          object: {
            key: encodeS3Key(event.key),
            sequencer: message.sequencer,
            ...(event.size !== undefined ? { size: event.size } : {}),
            ...(event.eTag ? { eTag: event.eTag } : {}),
          },
        },
      },
    ],
  };
  return {
    messageId: message.id,
    receiptHandle: `${message.id}-${message.receiveCount}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:local-ingest',
    awsRegion: 'us-east-1',
  };
}
