// One SQS batch of webhook digests: every record at once (a dead receiver never holds up the others),
// failures reported per record so only they come back.
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { deliveryMessageSchema } from './delivery-queue';
import type { DeliveryOutcome, WebhookDelivery } from './webhook-delivery';

export interface BatchOptions {
  maxReceiveCount: number;
  /** Called for each record that should come back later, with its receive count (for a backoff). */
  onRetry?: (record: SQSRecord, receiveCount: number) => Promise<void>;
  log: (message: string, fields: Record<string, unknown>) => void;
}

export async function deliverBatch(
  records: SQSRecord[],
  delivery: WebhookDelivery,
  options: BatchOptions,
): Promise<SQSBatchResponse> {
  const outcomes = await Promise.all(
    records.map(async (record): Promise<DeliveryOutcome | 'error'> => {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      try {
        const message = deliveryMessageSchema.parse(JSON.parse(record.body));
        const outcome = await delivery.deliver(message, receiveCount >= options.maxReceiveCount);
        options.log('webhook delivery', {
          subscription: message.subscriptionId,
          day: message.day,
          webhookId: message.webhookId,
          outcome,
          receiveCount,
        });
        if (outcome === 'retry') await options.onRetry?.(record, receiveCount);
        return outcome;
      } catch (error) {
        options.log('webhook delivery error', { messageId: record.messageId, error: String(error) });
        return 'error';
      }
    }),
  );
  return {
    batchItemFailures: records.flatMap((record, index) => {
      const outcome = outcomes[index];
      // `failed` goes back too: on its last receive that sends it to the DLQ, where the alarm sees it.
      return outcome === 'retry' || outcome === 'failed' || outcome === 'error'
        ? [{ itemIdentifier: record.messageId }]
        : [];
    }),
  };
}

/** Exponential backoff for the next attempt, in seconds: 30 s, 60 s, 120 s … capped at 15 minutes. */
export function retryDelaySeconds(receiveCount: number, baseSeconds = 30): number {
  return Math.min(900, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
}
