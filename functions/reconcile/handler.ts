// Reconcile Lambda (daily schedule, or `aws lambda invoke`): brings the table in line with the bucket by re-queuing
// objects to the ingest queue; a run too big for one invocation sends where it stopped to the continuation queue,
// whose SQS event source invokes this function again (shared/ingest/scheduled-reconcile.ts).

import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { dynamo } from '../../shared/aws/dynamo-client';
import { s3 } from '../../shared/aws/s3-client';
import { sqs } from '../../shared/aws/sqs-client';
import { loadConfig, reconcileConfigSchema } from '../../shared/config';
import { runScheduledReconcile } from '../../shared/ingest/scheduled-reconcile';
import { SqsRequeue } from '../../shared/ingest/sqs-requeue';

const config = loadConfig(reconcileConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'reconcile' } });

export const handler = async (event: unknown, context: Context) => {
  const requeue = new SqsRequeue({
    sqs,
    queueUrl: config.INGEST_QUEUE_URL,
    bucket: config.EVENTS_BUCKET,
    source: 'context-feeds:reconcile',
    now: () => new Date(),
  });
  const summary = await runScheduledReconcile(
    {
      s3,
      dynamo,
      tableName: config.TABLE_NAME,
      bucket: config.EVENTS_BUCKET,
      prefixes: config.EVENT_PREFIXES,
      requeue,
      remainingMs: () => context.getRemainingTimeInMillis(),
      continueWith: async (next) => {
        await sqs.send(
          new SendMessageCommand({ QueueUrl: config.RECONCILE_QUEUE_URL, MessageBody: JSON.stringify(next) }),
        );
      },
    },
    event,
    context.awsRequestId,
  );
  logger.info('reconcile finished', { ...summary, sent: requeue.sent });
  return summary;
};
