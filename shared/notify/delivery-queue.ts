// The webhook delivery queue's message and port: SQS (with its DLQ) in AWS, the local queue locally.
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from '../zod';

export const deliveryMessageSchema = z.object({
  subscriptionId: z.string(),
  /** The delivery day, `YYYY-MM-DD`. */
  day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  /** Standard Webhooks `webhook-id`: the same for every attempt, so receivers can deduplicate. */
  webhookId: z.string(),
  /** The JSON body to POST, exactly as it is signed. */
  payload: z.string(),
});

export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;

/** One id per (subscription, day): a retried or recovered delivery carries the id of the first. */
export function webhookIdOf(subscriptionId: string, day: string): string {
  return `msg_${createHash('sha256').update(`${subscriptionId}\n${day}`).digest('base64url').slice(0, 27)}`;
}

export interface DeliveryQueue {
  /** Enqueues every message; resolves with the webhook ids the queue refused. */
  send(messages: DeliveryMessage[]): Promise<{ failed: string[] }>;
}

/** SQS: SendMessageBatch, ten entries a call (its limit); the digest bodies are capped far below 256 KiB. */
export function sqsDeliveryQueue(client: SQSClient, queueUrl: string): DeliveryQueue {
  return {
    async send(messages) {
      const failed: string[] = [];
      for (let start = 0; start < messages.length; start += 10) {
        const chunk = messages.slice(start, start + 10);
        const result = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((message, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(message),
            })),
          }),
        );
        for (const failure of result.Failed ?? []) {
          const message = chunk[Number(failure.Id)];
          if (message) failed.push(message.webhookId);
        }
      }
      return { failed };
    },
  };
}
