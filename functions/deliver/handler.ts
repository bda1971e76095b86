// Webhook delivery Lambda: consumes the delivery queue (partial batch responses), signs and POSTs each
// digest; a failed attempt comes back after an exponential backoff, the last one goes to the DLQ.
import { Logger } from '@aws-lambda-powertools/logger';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamo } from '../../shared/aws/dynamo-client';
import { sqs } from '../../shared/aws/sqs-client';
import { deliveryConfigSchema, loadConfig } from '../../shared/config';
import { deliverBatch, retryDelaySeconds } from '../../shared/notify/delivery-batch';
import { guardedPost, WebhookDelivery } from '../../shared/notify/webhook-delivery';
import { DeliveryMarkers } from '../../shared/subscriptions/delivery-markers';
import { SecretOpener } from '../../shared/subscriptions/secrets';
import { SubscriptionStore } from '../../shared/subscriptions/subscription-store';

const config = loadConfig(deliveryConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'deliver' } });
const delivery = new WebhookDelivery({
  subscriptions: new SubscriptionStore(dynamo, config.TABLE_NAME),
  markers: new DeliveryMarkers(dynamo, config.TABLE_NAME),
  opener: new SecretOpener(config.WEBHOOK_SEALING_PRIVATE_KEY),
  post: guardedPost({ allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK }, config.WEBHOOK_TIMEOUT_MS),
  now: () => new Date(),
});
const queueUrl = config.DELIVERY_QUEUE_URL;

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> =>
  deliverBatch(event.Records, delivery, {
    maxReceiveCount: config.MAX_RECEIVE_COUNT,
    log: (message, fields) => logger.info(message, fields),
    // Without a queue URL (the local queue) the queue itself spaces the retries.
    onRetry: queueUrl
      ? async (record, receiveCount) => {
          await sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl,
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: retryDelaySeconds(receiveCount),
            }),
          );
        }
      : undefined,
  });
