// One SQS message (an S3 event notification) → each object it names ingested; failures classified.
import type { Logger } from '@aws-lambda-powertools/logger';
import { type IngestDeps, type IngestOutcome, ingestObject } from './ingest-object';
import { MalformedNotificationError, parseNotificationBody } from './notifications';

export interface MessageRef {
  messageId: string;
  body: string;
}

/**
 * Throws only for transient failures (throttling, timeouts, unprocessed writes), so SQS redelivers the
 * message alone. A message that can never succeed is recorded as a rejection instead of being retried.
 */
export async function processMessage(
  deps: IngestDeps,
  message: MessageRef,
  logger: Logger,
): Promise<IngestOutcome[]> {
  let notifications: ReturnType<typeof parseNotificationBody>;
  try {
    notifications = parseNotificationBody(message.body);
  } catch (error) {
    if (!(error instanceof MalformedNotificationError)) throw error;
    const key = `sqs-message/${message.messageId}`;
    logger.error('malformed notification', { key, reason: error.message });
    await deps.store.putRejection({ key, sequencer: '0' }, 'malformed-notification', error.message);
    return [{ status: 'rejected', reason: 'malformed-notification' }];
  }
  const outcomes: IngestOutcome[] = [];
  for (const notification of notifications) {
    const log = logger.createChild({
      persistentKeys: { key: notification.key, sequencer: notification.sequencer },
    });
    const outcome = await ingestObject(deps, notification);
    if (outcome.status === 'rejected')
      log.warn('object rejected', { action: notification.action, ...outcome });
    else log.info('object ingested', { action: notification.action, ...outcome });
    outcomes.push(outcome);
  }
  return outcomes;
}
