// CloudWatch alarms that page the operations topic: poisoned messages, a stalled ingest, crashing functions,
// failing HTTP answers, DynamoDB throttling and a high rejection rate.
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INGEST_METRICS } from '../../shared/ingest/ingest-metrics';

export interface ServiceAlarmsProps {
  readonly ingestQueue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** The webhook delivery DLQ: digests that failed every attempt. */
  readonly deliveryDeadLetterQueue?: sqs.IQueue | undefined;
  /** The reconcile's continuation DLQ: runs that stopped half-way and failed every retry. */
  readonly reconcileDeadLetterQueue: sqs.IQueue;
  /**
   * Functions whose Lambda `Errors` alarm, by a short name used in the alarm id. Only functions that can
   * report errors: the HTTP functions answer every exception with a 500, so theirs show as the API's 5xx.
   */
  readonly functions: Record<string, lambda.IFunction>;
  /** The HTTP API in front of the API and admin functions. */
  readonly httpApi: apigw.IHttpApi;
  readonly table: { readonly tableName: string; readonly indexNames: readonly string[] };
  /** POWERTOOLS_SERVICE_NAME: the `service` dimension of the ingest metrics. */
  readonly serviceName: string;
  readonly alarmTopic: sns.ITopic;
  /** Oldest message age that counts as a stalled ingest. */
  readonly maxMessageAge: Duration;
}

const PERIOD = Duration.minutes(5);
/** Percent of the objects handled in one period that were rejected. */
export const REJECTION_RATE_THRESHOLD = 25;
/**
 * Messages handed back to SQS per period, in each of RETRY_PERIODS periods in a row: retries are normal in a
 * burst (throttling during a bulk load), but sustained ones mean DynamoDB or S3 keeps failing.
 */
export const RETRIED_MESSAGES_THRESHOLD = 10;
export const RETRY_PERIODS = 3;

export class ServiceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.alarmTopic);
    const add = (alarmId: string, alarmProps: cloudwatch.AlarmProps): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
    };
    const atLeast = { comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD };

    add('DeadLetterQueueNotEmpty', {
      alarmDescription:
        'Ingest messages failed every retry and wait in the DLQ (their objects are listed as retries-exhausted rejections): inspect, fix, then redrive.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
      threshold: 1,
      ...atLeast,
      evaluationPeriods: 1,
    });

    if (props.deliveryDeadLetterQueue) {
      add('DeliveryDeadLetterQueueNotEmpty', {
        alarmDescription:
          'Webhook digests failed every attempt (their delivery markers say failed, with the last status): check the receivers, then redrive.',
        metric: props.deliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
        threshold: 1,
        ...atLeast,
        evaluationPeriods: 1,
      });
    }

    add('ReconcileDeadLetterQueueNotEmpty', {
      alarmDescription:
        "A reconcile run stopped half-way and its continuation failed every retry (see the Reconcile function's logs): fix the cause, then redrive the message or start a new run.",
      metric: props.reconcileDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
      threshold: 1,
      ...atLeast,
      evaluationPeriods: 1,
    });

    add('IngestBacklogOld', {
      alarmDescription: `The oldest ingest message is older than ${props.maxMessageAge.toMinutes()} minutes: the ingest is stalled or throttled.`,
      metric: props.ingestQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
      threshold: props.maxMessageAge.toSeconds(),
      ...atLeast,
      evaluationPeriods: 1,
    });

    for (const [name, fn] of Object.entries(props.functions)) {
      add(`${name}Errors`, {
        alarmDescription: `The ${name} function reported errors (crashes, timeouts, a failed cold start).`,
        metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        threshold: 1,
        ...atLeast,
        evaluationPeriods: 1,
      });
    }

    // The HTTP wrapper answers every exception with a 500, so the API and admin functions' failures (and
    // their timeouts and failed cold starts, which API Gateway answers with 5xx too) show only here.
    add('Api5xx', {
      alarmDescription:
        'The HTTP API answered with 5xx: an unexpected error in the API or admin function (see their logs), a timeout, or a failed cold start.',
      metric: props.httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      threshold: 1,
      ...atLeast,
      evaluationPeriods: 1,
    });

    // On-demand tables throttle when a partition (e.g. the single-partition feed GSI) or the table's
    // throughput limit is exceeded. Throttled GSI writes also throttle the table writes behind them.
    const throttleEvents = (metricName: string, index?: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: {
          TableName: props.table.tableName,
          ...(index ? { GlobalSecondaryIndexName: index } : {}),
        },
        period: PERIOD,
        statistic: 'Sum',
      });
    const throttleMetrics = Object.fromEntries(
      [undefined, ...props.table.indexNames].flatMap((index, i) => [
        [`read${i}`, throttleEvents('ReadThrottleEvents', index)],
        [`write${i}`, throttleEvents('WriteThrottleEvents', index)],
      ]),
    );
    add('TableThrottled', {
      alarmDescription:
        'DynamoDB throttled reads or writes of the events table or its GSIs: the API answers slower or with 500s, the ingest retries or dead-letters.',
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(throttleMetrics)
          .map((metricId) => `FILL(${metricId}, 0)`)
          .join(' + '),
        usingMetrics: throttleMetrics,
        label: 'Throttle events (table and GSIs)',
        period: PERIOD,
      }),
      threshold: 1,
      ...atLeast,
      evaluationPeriods: 1,
    });

    const ingestMetric = (metricName: string, reason?: string) =>
      new cloudwatch.Metric({
        namespace: INGEST_METRICS.namespace,
        metricName,
        dimensionsMap: {
          service: props.serviceName,
          ...(reason === undefined ? {} : { [INGEST_METRICS.reasonDimension]: reason }),
        },
        period: PERIOD,
        statistic: 'Sum',
      });
    add('IngestRejectionRate', {
      alarmDescription: `At least ${REJECTION_RATE_THRESHOLD}% of the objects the ingest handled in 5 minutes were rejected: list them with GET /rejections.`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(processed > 0, 100 * rejected / processed, 0)',
        usingMetrics: {
          rejected: ingestMetric(INGEST_METRICS.rejected),
          processed: ingestMetric(INGEST_METRICS.processed),
        },
        label: 'Rejected objects (%)',
        period: PERIOD,
      }),
      threshold: REJECTION_RATE_THRESHOLD,
      ...atLeast,
      evaluationPeriods: 1,
    });

    add('IngestRetriesSustained', {
      alarmDescription: `At least ${RETRIED_MESSAGES_THRESHOLD} ingest messages went back to SQS for a retry in each of ${RETRY_PERIODS} periods of 5 minutes: DynamoDB or S3 keeps failing (see the ingest's "transient failure" log lines).`,
      metric: ingestMetric(INGEST_METRICS.retried),
      threshold: RETRIED_MESSAGES_THRESHOLD,
      ...atLeast,
      evaluationPeriods: RETRY_PERIODS,
      datapointsToAlarm: RETRY_PERIODS,
    });

    // Not a hostile file but a wiring fault: something other than S3 notifications reaches the ingest queue.
    add('IngestMalformedNotifications', {
      alarmDescription:
        'The ingest queue received messages that are not S3 event notifications (rejections with reason malformed-notification): check what sends to the queue.',
      metric: ingestMetric(INGEST_METRICS.rejected, 'malformed-notification'),
      threshold: 1,
      ...atLeast,
      evaluationPeriods: 1,
    });
  }
}
