// Sends re-queued notifications to the ingest queue in AWS: SendMessageBatch, ten at a time, retrying the entries
// SQS reports as failed (a batch call succeeds as a whole even when some of its entries did not).
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type Requeue, type RequeueRequest, requeueBody } from './requeue';

/** SendMessageBatch takes at most ten entries. */
export const SQS_BATCH_LIMIT = 10;

export class RequeueFailed extends Error {
  override name = 'RequeueFailed';
}

export interface SqsRequeueOptions {
  sqs: SQSClient;
  queueUrl: string;
  bucket: string;
  /** Marks the notifications (`eventSource`), e.g. `context-feeds:reconcile`; the ingest ignores it. */
  source: string;
  now: () => Date;
  /** Attempts per entry before giving up (the SDK already retries throttled and failed calls). */
  attempts?: number;
  /** Pause before retrying failed entries. */
  backoffMs?: (attempt: number) => number;
  sleep?: (ms: number) => Promise<void>;
}

export class SqsRequeue implements Requeue {
  private buffer: SendMessageBatchRequestEntry[] = [];
  private counter = 0;
  /** Entries SQS accepted. */
  sent = 0;

  constructor(private readonly options: SqsRequeueOptions) {}

  async send(request: RequeueRequest): Promise<void> {
    this.buffer.push({
      Id: `m${++this.counter}`,
      MessageBody: requeueBody(this.options.bucket, request, this.options.source, this.options.now()),
    });
    if (this.buffer.length >= SQS_BATCH_LIMIT) await this.flush();
  }

  async flush(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, SQS_BATCH_LIMIT);
      await this.sendBatch(batch);
    }
  }

  private async sendBatch(entries: SendMessageBatchRequestEntry[]): Promise<void> {
    const attempts = this.options.attempts ?? 5;
    const backoff = this.options.backoffMs ?? ((attempt) => Math.min(2_000, 100 * 2 ** attempt));
    const sleep = this.options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    let pending = entries;
    for (let attempt = 1; ; attempt++) {
      const result = await this.options.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: pending }),
      );
      const failed = result.Failed ?? [];
      this.sent += pending.length - failed.length;
      if (failed.length === 0) return;
      // A sender's fault (a malformed entry) fails the same way again: only SQS's own faults are retried.
      const fatal = failed.find((entry) => entry.SenderFault);
      if (fatal || attempt >= attempts) {
        const first = fatal ?? failed[0];
        throw new RequeueFailed(
          `SQS refused ${failed.length} of ${pending.length} re-queued notifications (${first?.Code}: ${first?.Message ?? 'no message'})`,
        );
      }
      const failedIds = new Set(failed.map((entry) => entry.Id));
      pending = pending.filter((entry) => failedIds.has(entry.Id));
      await sleep(backoff(attempt));
    }
  }
}
