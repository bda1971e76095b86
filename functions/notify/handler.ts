// Daily notifier Lambda: invoked by EventBridge Scheduler (no payload: today) or by hand with
// `{ "date": "MM-DD" | "YYYY-MM-DD", "recover"?: true }` for a backfill. Throws when anything failed, so
// the run counts as failed (the alarm on its Errors metric).
import { Logger } from '@aws-lambda-powertools/logger';
import { dynamo } from '../../shared/aws/dynamo-client';
import { sns } from '../../shared/aws/sns-client';
import { sqs } from '../../shared/aws/sqs-client';
import { loadConfig, notifyConfigSchema } from '../../shared/config';
import { sqsDeliveryQueue } from '../../shared/notify/delivery-queue';
import { messageLinks } from '../../shared/notify/links';
import { Notifier, type NotifyRequest } from '../../shared/notify/notifier';
import { snsPublisher } from '../../shared/notify/sns-publisher';
import { EventsTable } from '../../shared/store/events-table';
import { DeliveryMarkers } from '../../shared/subscriptions/delivery-markers';
import { SubscriptionStore } from '../../shared/subscriptions/subscription-store';

const config = loadConfig(notifyConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'notify' } });
const notifier = new Notifier({
  store: new EventsTable(dynamo, config.TABLE_NAME),
  subscriptions: new SubscriptionStore(dynamo, config.TABLE_NAME),
  markers: new DeliveryMarkers(dynamo, config.TABLE_NAME),
  sns: config.TOPIC_ARN ? snsPublisher(sns, config.TOPIC_ARN) : undefined,
  queue: sqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL),
  links: messageLinks(config.PUBLIC_BASE_URL),
  timeZone: config.NOTIFY_TIME_ZONE,
  leap: config.NOTIFY_LEAP,
  now: () => new Date(),
  staleClaimMs: config.STALE_CLAIM_MS,
});

export const handler = async (event: NotifyRequest | null | undefined) => {
  const request: NotifyRequest = {
    ...(typeof event?.date === 'string' ? { date: event.date } : {}),
    ...(event?.recover === true ? { recover: true } : {}),
  };
  const report = await notifier.run(request);
  logger.info('notifier run', { report });
  if (report.sns.failed.length > 0 || report.webhooks.failed.length > 0) {
    throw new Error(`notifier run for ${report.day} could not send everything; rerun it to send the rest`);
  }
  return report;
};
