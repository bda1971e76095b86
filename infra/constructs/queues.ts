// Every SQS queue of the service comes with its DLQ, both encrypted with SQS-managed keys (so S3 and the
// functions need no KMS key policy) and refusing requests that are not over TLS (cdk-nag AwsSolutions-SQS4).
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface QueueWithDeadLettersProps {
  /** Construct ids, kept as they were so that CloudFormation keeps the deployed queues. */
  readonly queueId: string;
  readonly deadLetterQueueId: string;
  /** For a Lambda event source, at least `eventSourceVisibility(timeout)`. */
  readonly visibilityTimeout: Duration;
  readonly retentionPeriod: Duration;
  /** Receives before SQS moves a message to the DLQ. */
  readonly maxReceiveCount: number;
}

/** A DLQ keeps its messages 14 days, SQS's maximum: time for a person to look before anything is lost. */
const DEAD_LETTER_RETENTION = Duration.days(14);

export function queueWithDeadLetters(
  scope: Construct,
  props: QueueWithDeadLettersProps,
): { queue: sqs.Queue; deadLetterQueue: sqs.Queue } {
  const deadLetterQueue = new sqs.Queue(scope, props.deadLetterQueueId, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
  });
  const queue = new sqs.Queue(scope, props.queueId, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: props.retentionPeriod,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}

/**
 * Lambda's advice for a queue that invokes a function: a visibility timeout of at least six times the
 * function's timeout plus the event source's batching window.
 */
export function eventSourceVisibility(
  functionTimeout: Duration,
  maxBatchingWindow: Duration = Duration.seconds(0),
): Duration {
  return Duration.seconds(functionTimeout.toSeconds() * 6 + maxBatchingWindow.toSeconds());
}
