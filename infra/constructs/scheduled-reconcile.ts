// The reconcile in AWS: a function that compares the bucket with the table and re-queues what differs (daily on
// an EventBridge Scheduler schedule, and on demand with `aws lambda invoke`), the queue through which a long run
// continues, plus the grant that lets a function re-queue objects to the ingest queue (the reconcile and the
// admin function's POST /reprocess).
import { Aws, CfnOutput, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OBJECT_MANIFEST_PREFIX } from '../../shared/store/keys';
import { handlerEntry, type LogLevel } from '../stacks/config';
import { FUNCTION_MEMORY_MB } from './function-memory';
import { type ImportedValue, ProjectFunction } from './project-function';
import { eventSourceVisibility, queueWithDeadLetters } from './queues';

/** Daily at 03:30 UTC, away from the 07:00 notifier and from most uploads. */
export const RECONCILE_SCHEDULE = 'cron(30 3 * * ? *)';
/** Lambda's maximum; a run pauses three minutes before it and continues in a new invocation. */
const RECONCILE_TIMEOUT = Duration.minutes(15);
/** Deliveries of one continuation before it moves to the DLQ: a run that fails three times needs a person. */
export const CONTINUATION_MAX_RECEIVE_COUNT = 3;

/** What a function needs to re-queue objects: the bucket (to list and look up keys), its prefixes, the ingest queue. */
export interface RequeueTarget {
  readonly bucketName: ImportedValue;
  readonly bucketArn: ImportedValue;
  readonly prefixes: readonly string[];
  readonly ingestQueue: sqs.IQueue;
}

/**
 * Sets EVENTS_BUCKET, EVENT_PREFIXES and INGEST_QUEUE_URL and grants exactly what re-queuing uses: ListObjectsV2
 * (s3:ListBucket, which also makes S3 answer HeadObject of a missing key with 404 instead of 403), HeadObject
 * (s3:GetObject) under the event prefixes, and SendMessage(Batch) on the ingest queue.
 */
export function grantRequeue(fn: ProjectFunction, target: RequeueTarget): void {
  fn.addEnvironment('EVENTS_BUCKET', target.bucketName.value);
  fn.addEnvironment('EVENT_PREFIXES', target.prefixes.join(','));
  fn.addEnvironment('INGEST_QUEUE_URL', target.ingestQueue.queueUrl);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ListEventObjects',
      actions: ['s3:ListBucket'],
      resources: [target.bucketArn.value],
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'HeadEventObjects',
      actions: ['s3:GetObject'],
      resources: target.prefixes.map((prefix) => `${target.bucketArn.value}/${prefix}*`),
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'RequeueToIngest',
      actions: ['sqs:SendMessage'],
      resources: [target.ingestQueue.queueArn],
    }),
  );
  for (const prefix of target.prefixes) {
    Validations.of(fn.role as iam.Role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${target.bucketArn.nagReference}/${prefix}*]`,
      reason: `Re-queuing looks up keys under "${prefix}" that are only known when listed, so s3:GetObject (HeadObject) names the prefix with a trailing wildcard; limited to this service's events bucket and its event prefixes.`,
    });
  }
}

export interface ScheduledReconcileProps extends RequeueTarget {
  readonly serviceName: string;
  readonly logLevel: LogLevel;
  readonly logRetention: logs.RetentionDays;
  readonly table: { readonly tableName: string; readonly tableArn: string };
  /** EventBridge Scheduler expression, evaluated in UTC. */
  readonly expression?: string;
}

export class ScheduledReconcile extends Construct {
  readonly function: ProjectFunction;
  /** Where a run too long for one invocation sends its cursor; its messages invoke the function. */
  readonly continuationQueue: sqs.Queue;
  readonly continuationDeadLetterQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule;
  readonly scheduleRole: iam.Role;

  constructor(scope: Construct, id: string, props: ScheduledReconcileProps) {
    super(scope, id);

    this.function = new ProjectFunction(this, 'Function', {
      serviceName: props.serviceName,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      entry: handlerEntry('reconcile'),
      description: 'Daily: compares the events bucket with the table and re-queues what differs',
      timeout: RECONCILE_TIMEOUT,
      memorySize: FUNCTION_MEMORY_MB.reconcile,
    });
    const fn = this.function;
    // A run that continues goes function → queue → function: a loop that Lambda's recursion detection stops
    // after 16 hops. The handler bounds it instead (RECONCILE_MAX_HOPS), and fails loudly past that.
    (fn.node.defaultChild as lambda.CfnFunction).recursiveLoop = lambda.RecursiveLoop.ALLOW;

    // The continuation goes through SQS rather than an asynchronous self-invoke: the function already sends
    // to SQS, so its bundle needs no Lambda client (70 KiB, about a tenth of its cold start), and a failed
    // continuation waits in a DLQ instead of vanishing after Lambda's two async retries.
    ({ queue: this.continuationQueue, deadLetterQueue: this.continuationDeadLetterQueue } =
      queueWithDeadLetters(this, {
        queueId: 'ContinuationQueue',
        deadLetterQueueId: 'ContinuationDeadLetterQueue',
        visibilityTimeout: eventSourceVisibility(RECONCILE_TIMEOUT),
        retentionPeriod: Duration.days(1),
        maxReceiveCount: CONTINUATION_MAX_RECEIVE_COUNT,
      }));
    // One continuation per invocation: a run uses most of one. Two at once is the event source's minimum.
    fn.addEventSource(new SqsEventSource(this.continuationQueue, { batchSize: 1, maxConcurrency: 2 }));
    fn.addEnvironment('RECONCILE_QUEUE_URL', this.continuationQueue.queueUrl);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ContinueRun',
        actions: ['sqs:SendMessage'],
        resources: [this.continuationQueue.queueArn],
      }),
    );
    // No reserved concurrency (new accounts cannot reserve any): two overlapping runs (the schedule and one
    // started by hand) only re-queue the same objects twice, and the ingest applies a version once.

    fn.addEnvironment('TABLE_NAME', props.table.tableName);
    // Reads only: a manifest by key, the events a manifest names, whether a merge's journal is gone, and the Scan
    // over the manifests. Get and BatchGet are held to those partitions; a Scan has no partition key to hold.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadManifestsAndEvents',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [`${OBJECT_MANIFEST_PREFIX}*`, 'EVENT#*', 'JOURNAL#*'],
          },
        },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ScanManifests',
        actions: ['dynamodb:Scan'],
        resources: [props.table.tableArn],
      }),
    );
    grantRequeue(fn, props);

    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      description: 'Lets EventBridge Scheduler invoke the daily reconcile',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Daily reconcile of the events table with the bucket',
      schedule: scheduler.ScheduleExpression.expression(
        props.expression ?? RECONCILE_SCHEDULE,
        TimeZone.ETC_UTC,
      ),
      target: new targets.LambdaInvoke(fn, {
        role: this.scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({}),
        // A missed run is made up by the next day's; retrying for a few hours is enough.
        retryAttempts: 3,
        maxEventAge: Duration.hours(4),
      }),
    });
    // For `aws lambda invoke` and `npm run reprocess -- --aws` (docs/deploy.md).
    new CfnOutput(Stack.of(this), 'ReconcileFunctionName', {
      value: fn.functionName,
      description: 'Run the reconcile now: aws lambda invoke --function-name <this> --invocation-type Event',
    });
    new CfnOutput(Stack.of(this), 'ReconcileDeadLetterQueueArn', {
      value: this.continuationDeadLetterQueue.queueArn,
      description:
        'Continuations of reconcile runs that failed every delivery: aws sqs start-message-move-task --source-arn <this>',
    });
    new CfnOutput(Stack.of(this), 'IngestQueueUrl', {
      value: props.ingestQueue.queueUrl,
      description:
        'Where reconcile and reprocess re-queue objects (npm run reprocess -- --aws --queue-url <this>)',
    });
    Validations.of(this.scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${fn.nagArnReference}:*]`,
      reason:
        'Function.grantInvoke also names the qualified ARN (<function ARN>:*) so that versions and aliases of this one reconcile function can be invoked; no other function is reachable.',
    });
  }
}
