// Admin Lambda: /stats, /rejections and POST /reprocess, IAM-authorized in AWS.
import { Logger } from '@aws-lambda-powertools/logger';
import { adminRoutes } from '../../shared/api/admin-routes';
import { dynamo } from '../../shared/aws/dynamo-client';
import { s3 } from '../../shared/aws/s3-client';
import { sqs } from '../../shared/aws/sqs-client';
import { adminConfigSchema, loadConfig } from '../../shared/config';
import { http } from '../../shared/http/handler';
import type { Requeue } from '../../shared/ingest/requeue';
import { SqsRequeue } from '../../shared/ingest/sqs-requeue';
import { EventsTable } from '../../shared/store/events-table';
import { RejectionQueries } from '../../shared/store/rejection-queries';

const config = loadConfig(adminConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'admin' } });
const store = new EventsTable(dynamo, config.TABLE_NAME);

const rejections = new RejectionQueries(dynamo, config.TABLE_NAME);

/** Where POST /reprocess sends objects: the ingest queue in AWS; the local stack passes its own queue. */
export interface ReprocessTarget {
  bucket: string;
  requeue: (() => Requeue) | undefined;
}

function sqsTarget(): ReprocessTarget | undefined {
  const { EVENTS_BUCKET: bucket, INGEST_QUEUE_URL: queueUrl } = config;
  if (!bucket) return undefined;
  return {
    bucket,
    requeue: queueUrl
      ? () =>
          new SqsRequeue({
            sqs,
            queueUrl,
            bucket,
            source: 'context-feeds:reprocess',
            now: () => new Date(),
          })
      : undefined,
  };
}

export function adminHandler(target: ReprocessTarget | undefined) {
  return http(
    adminRoutes(
      store,
      { rejections },
      target && {
        s3,
        bucket: target.bucket,
        heldSequencer: async (key) => (await store.objectState(key))?.seq,
        requeue: target.requeue,
        prefixes: config.EVENT_PREFIXES,
      },
    ),
    { logError: (error) => logger.error('unhandled error', { error }) },
  );
}

export const handler = adminHandler(sqsTarget());
