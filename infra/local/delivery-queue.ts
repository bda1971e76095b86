// Plays SQS + its DLQ for the webhook delivery function locally: messages go to the same handler AWS runs,
// in SQS-shaped batches; failed records come back after a backoff, and after `maxReceiveCount` receives
// they are dead-lettered (logged; the marker already says `failed`).
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliveryMessage, DeliveryQueue } from '../../shared/notify/delivery-queue';

export interface LocalDeliveryQueueOptions {
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  maxReceiveCount: number;
  /** Wait before receive `n + 1`, after `n` failed: exponential, as the function's backoff in AWS. */
  retryDelayMs?: (receiveCount: number) => number;
  deadLetter: (message: DeliveryMessage, receiveCount: number) => void;
  onError?: (error: unknown) => void;
}

interface Queued {
  id: string;
  message: DeliveryMessage;
  receiveCount: number;
}

export class LocalDeliveryQueue implements DeliveryQueue {
  private inFlight = 0;
  private counter = 0;
  private waiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private readonly retryDelayMs: (receiveCount: number) => number;

  constructor(private readonly options: LocalDeliveryQueueOptions) {
    this.retryDelayMs = options.retryDelayMs ?? ((n) => Math.min(30_000, 1_000 * 2 ** (n - 1)));
  }

  async send(messages: DeliveryMessage[]): Promise<{ failed: string[] }> {
    const batch = messages.map((message) => ({
      id: `local-delivery-${++this.counter}`,
      message,
      receiveCount: 0,
    }));
    // SQS hands a Lambda up to 10 records a batch.
    for (let start = 0; start < batch.length; start += 10) this.deliver(batch.slice(start, start + 10));
    return { failed: [] };
  }

  private deliver(batch: Queued[]): void {
    this.inFlight++;
    for (const queued of batch) queued.receiveCount++;
    this.options
      .handler({ Records: batch.map(toSqsRecord) })
      .then((response) => new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier)))
      .catch((error: unknown) => {
        this.options.onError?.(error);
        return new Set(batch.map((queued) => queued.id));
      })
      .then((failed) => {
        for (const queued of batch.filter((q) => failed.has(q.id))) {
          if (queued.receiveCount >= this.options.maxReceiveCount) {
            this.options.deadLetter(queued.message, queued.receiveCount);
            continue;
          }
          this.inFlight++;
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            this.inFlight--;
            this.deliver([queued]);
          }, this.retryDelayMs(queued.receiveCount));
          this.timers.add(timer);
        }
      })
      .finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) for (const resolve of this.waiters.splice(0)) resolve();
      });
  }

  /** Resolves once every message sent so far was delivered, skipped or dead-lettered. */
  drain(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops pending retries (their markers stay `retrying`; see docs/notifications.md). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function toSqsRecord(queued: Queued): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: queued.id,
    receiptHandle: `${queued.id}-${queued.receiveCount}`,
    body: JSON.stringify(queued.message),
    attributes: {
      ApproximateReceiveCount: String(queued.receiveCount),
      SentTimestamp: now,
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:local-webhook-delivery',
    awsRegion: 'us-east-1',
  };
}
