// Reconcile Lambda (daily schedule, or `aws lambda invoke`): brings the table in line with the bucket by re-queuing
// objects to the ingest queue; a run too big for one invocation continues in the next (shared/ingest/scheduled-reconcile.ts).

import { Logger } from '@aws-lambda-powertools/logger';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { clients } from '../../shared/aws/clients';
import { loadConfig, reconcileConfigSchema } from '../../shared/config';
import { runScheduledReconcile } from '../../shared/ingest/scheduled-reconcile';
import { SqsRequeue } from '../../shared/ingest/sqs-requeue';

const config = loadConfig(reconcileConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'reconcile' } });

export const handler = async (event: unknown, context: Context) => {
  const requeue = new SqsRequeue({
    sqs: clients.sqs,
    queueUrl: config.INGEST_QUEUE_URL,
    bucket: config.EVENTS_BUCKET,
    source: 'context-feeds:reconcile',
    now: () => new Date(),
  });
  const summary = await runScheduledReconcile(
    {
      s3: clients.s3,
      dynamo: clients.dynamo,
      tableName: config.TABLE_NAME,
      bucket: config.EVENTS_BUCKET,
      prefixes: config.EVENT_PREFIXES,
      requeue,
      remainingMs: () => context.getRemainingTimeInMillis(),
      continueWith: async (next) => {
        await clients.lambda.send(
          new InvokeCommand({
            FunctionName: context.functionName,
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify(next)),
          }),
        );
      },
    },
    event,
    context.awsRequestId,
  );
  logger.info('reconcile finished', { ...summary, sent: requeue.sent });
  return summary;
};
