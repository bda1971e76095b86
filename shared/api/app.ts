// The public API as one Lambda HTTP handler, built from its clients and config: functions/api/handler.ts
// builds it once at module scope, and the benchmark's API process (bench/suite/api-process.ts) builds one
// per store in a single process, so that two stores are compared under the same JIT and heap.
import { randomBytes } from 'node:crypto';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PublicApiConfig } from '../config';
import { http, type LambdaHttpHandler } from '../http/handler';
import { EventsTable } from '../store/events-table';
import { tableRateLimiter } from '../subscriptions/rate-limit';
import { SecretSealer } from '../subscriptions/secrets';
import { snsSubscriptions } from '../subscriptions/sns-subscriptions';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { apiRoutes } from './routes';

export interface PublicApiDeps {
  dynamo: DynamoDBDocumentClient;
  sns: SNSClient;
  config: PublicApiConfig;
  logger: { warn(message: string): void; error(message: string, extra: { error: unknown }): void };
  now?: () => Date;
}

export function publicApiHandler({
  dynamo,
  sns,
  config,
  logger,
  now = () => new Date(),
}: PublicApiDeps): LambdaHttpHandler {
  if (config.CURSOR_KEY === undefined) {
    logger.warn('CURSOR_KEY is not set: paging cursors only work within this instance');
  }
  return http(
    apiRoutes({
      store: new EventsTable(dynamo, config.TABLE_NAME),
      publicBaseUrl: config.PUBLIC_BASE_URL,
      now,
      cursorKey: config.CURSOR_KEY ?? randomBytes(32),
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
}
