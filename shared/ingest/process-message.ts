// One SQS message (an S3 event notification) → each object it names ingested; failures classified.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { IngestStore, ObjectVersion } from '../store/events-table';
import { type IngestDeps, type IngestOutcome, ingestObject } from './ingest-object';
import { MalformedNotificationError, type ObjectNotification, parseNotificationBody } from './notifications';

export interface MessageRef {
  messageId: string;
  body: string;
  /** SQS `ApproximateReceiveCount`: 1 on the first delivery. Unknown: never taken as the last receive. */
  receiveCount?: number;
}

export interface MessageDeps extends IngestDeps {
  /** The queue's redrive `maxReceiveCount`: a message failing on that receive goes to the DLQ next. */
  maxReceiveCount: number;
  /** Told every object outcome (the rejections this module records included), for metrics. */
  onOutcome?: (outcome: IngestOutcome) => void;
}

type LogLine = (message: string, fields?: Record<string, unknown>) => void;
interface ObjectLog {
  info: LogLine;
  warn: LogLine;
  error: LogLine;
}

/**
 * Log lines about one object, each carrying its keys. A child Logger per object did the same, but
 * `createChild` builds a whole Logger (its options, its formatter, the environment read again): 2 % of the
 * ingest's CPU per file in `bench/suite/profile-ingest.ts`, whatever the log level.
 */
function objectLog(logger: Logger, keys: Record<string, string>): ObjectLog {
  return {
    info: (message, fields = {}) => logger.info(message, { ...keys, ...fields }),
    warn: (message, fields = {}) => logger.warn(message, { ...keys, ...fields }),
    error: (message, fields = {}) => logger.error(message, { ...keys, ...fields }),
  };
}

/**
 * Throws only for transient failures (throttling, timeouts, unprocessed writes), so SQS redelivers the
 * message alone. A message that can never succeed is recorded as a rejection instead of being retried.
 * On the last receive a transient failure is recorded as a `retries-exhausted` rejection of every object
 * not yet handled in this attempt, and then still thrown, so that the message goes to the DLQ for a redrive.
 *
 * Every line it logs carries the object's `key` and `sequencer` (and the `messageId`): each object logs through
 * `objectLog`, never by appending keys to the shared logger, because the records of a batch run
 * concurrently. Whatever it throws it has logged first, so the caller need not log it again.
 */
export async function processMessage(
  deps: MessageDeps,
  message: MessageRef,
  logger: Logger,
): Promise<IngestOutcome[]> {
  const report = (outcome: IngestOutcome): IngestOutcome => {
    deps.onOutcome?.(outcome);
    return outcome;
  };
  let notifications: ObjectNotification[];
  try {
    notifications = parseNotificationBody(message.body);
  } catch (error) {
    // No object to name: the message stands for itself, as its rejection does (sequencer 0).
    const log = objectLog(logger, {
      key: `sqs-message/${message.messageId}`,
      sequencer: '0',
      messageId: message.messageId,
    });
    if (!(error instanceof MalformedNotificationError)) {
      log.error('unreadable notification', { error });
      throw error;
    }
    log.error('malformed notification', { reason: error.message });
    try {
      await deps.store.putRejection(
        { key: `sqs-message/${message.messageId}`, sequencer: '0' },
        'malformed-notification',
        error.message,
      );
    } catch (writeError) {
      log.warn('transient failure', { receiveCount: message.receiveCount ?? 0, error: writeError });
      throw writeError;
    }
    return [report({ status: 'rejected', reason: 'malformed-notification' })];
  }
  const outcomes: IngestOutcome[] = [];
  for (const [index, notification] of notifications.entries()) {
    const log = objectLog(logger, {
      key: notification.key,
      sequencer: notification.sequencer,
      messageId: message.messageId,
    });
    let outcome: IngestOutcome;
    try {
      outcome = await ingestObject(deps, notification);
    } catch (error) {
      const attempts = message.receiveCount ?? 0;
      const last = attempts >= deps.maxReceiveCount;
      log.warn('transient failure', {
        action: notification.action,
        receiveCount: attempts,
        next: last ? 'the DLQ' : 'a retry',
        error,
      });
      if (!last) throw error;
      // Objects before this one were handled in this attempt: only the rest are left unrecorded.
      const unhandled = notifications.slice(index).map(versionOf);
      const detail = `ingestion failed ${attempts} times (last error: ${errorName(error)}); the message went to the dead-letter queue`;
      for (const rejected of await recordRetriesExhausted(deps.store, unhandled, detail, logger))
        report(rejected);
      throw error;
    }
    if (outcome.status === 'rejected')
      log.warn('object rejected', { action: notification.action, ...outcome });
    else log.info('object ingested', { action: notification.action, ...outcome });
    outcomes.push(report(outcome));
  }
  return outcomes;
}

/**
 * Records each object version as a `retries-exhausted` rejection, the one code path for "this object's
 * message is on its way to the dead-letter queue". The store orders it by sequencer, so a newer version
 * of the object is never overwritten, and a later successful ingest of the same version replaces it.
 * Never throws: a version whose rejection cannot be written either is logged, and its message is in the
 * DLQ regardless. Returns the rejections that were recorded.
 */
export async function recordRetriesExhausted(
  store: Pick<IngestStore, 'putRejection'>,
  versions: ObjectVersion[],
  detail: string,
  logger: Pick<Logger, 'warn' | 'error'>,
): Promise<IngestOutcome[]> {
  const recorded: IngestOutcome[] = [];
  for (const version of versions) {
    const fields = { key: version.key, sequencer: version.sequencer };
    try {
      const outcome = await store.putRejection(version, 'retries-exhausted', detail);
      if (outcome.status === 'stale') {
        logger.warn('retries exhausted; a newer version is already recorded, no rejection', fields);
        continue;
      }
      logger.error('retries exhausted; recorded as a rejection', { ...fields, detail });
      recorded.push({ status: 'rejected', reason: 'retries-exhausted' });
    } catch (error) {
      logger.error('retries exhausted; the rejection could not be recorded either', { ...fields, error });
    }
  }
  return recorded;
}

function versionOf(notification: ObjectNotification): ObjectVersion {
  return {
    key: notification.key,
    sequencer: notification.sequencer,
    ...(notification.eTag ? { eTag: notification.eTag } : {}),
    ...(notification.versionId ? { versionId: notification.versionId } : {}),
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
