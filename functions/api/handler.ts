// Public API Lambda: topics, feeds, events, on-this-day and subscriptions, behind API Gateway HTTP API (payload 2.0).
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { apiRoutes } from '../../shared/api/routes';
import { dynamo } from '../../shared/aws/dynamo-client';
import { sns } from '../../shared/aws/sns-client';
import { apiConfigSchema, loadConfig, subscriptionApiConfigFields } from '../../shared/config';
import { http } from '../../shared/http/handler';
import { EventsTable } from '../../shared/store/events-table';
import { tableRateLimiter } from '../../shared/subscriptions/rate-limit';
import { SecretSealer } from '../../shared/subscriptions/secrets';
import { snsSubscriptions } from '../../shared/subscriptions/sns-subscriptions';
import { SubscriptionStore } from '../../shared/subscriptions/subscription-store';
import * as z from '../../shared/zod';

const config = loadConfig(() => z.extend(apiConfigSchema(), subscriptionApiConfigFields()));
const logger = new Logger({ persistentKeys: { handler: 'api' } });
const store = new EventsTable(dynamo, config.TABLE_NAME);
if (config.CURSOR_KEY === undefined) {
  logger.warn('CURSOR_KEY is not set: paging cursors only work within this instance');
}
const cursorKey = config.CURSOR_KEY ?? randomBytes(32);
const now = () => new Date();

export const handler = http(
  apiRoutes({
    store,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    now,
    cursorKey,
    subscriptions: {
      subscriptions: new SubscriptionStore(dynamo, config.TABLE_NAME),
      sealer: config.WEBHOOK_SEALING_PUBLIC_KEY
        ? new SecretSealer(config.WEBHOOK_SEALING_PUBLIC_KEY)
        : undefined,
      sns: config.NOTIFICATION_TOPIC_ARN ? snsSubscriptions(sns, config.NOTIFICATION_TOPIC_ARN) : undefined,
      rateLimiter: tableRateLimiter(dynamo, config.TABLE_NAME, config.SUBSCRIBE_RATE_LIMIT, now),
      policy: { allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK },
    },
  }),
  { logError: (error) => logger.error('unhandled error', { error }) },
);
