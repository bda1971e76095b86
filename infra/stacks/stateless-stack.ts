// Everything that runs and can be redeployed or replaced at will: the functions, the HTTP API and its
// CloudFront distribution, the notifier schedule and the alarms. It reaches the data only through the
// stateful stack's named exports.
import { CfnOutput, Duration, Fn, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { tableSchema } from '../../shared/store/table-schema';
import { Cdn } from '../constructs/cdn';
import { DailyNotifierSchedule } from '../constructs/daily-notifier';
import { FUNCTION_MEMORY_MB } from '../constructs/function-memory';
import { type ImportedValue, ProjectFunction } from '../constructs/project-function';
import { grantRequeue, type RequeueTarget, ScheduledReconcile } from '../constructs/scheduled-reconcile';
import { ServiceAlarms } from '../constructs/service-alarms';
import { ADMIN_ROUTES, ServiceApi } from '../constructs/service-api';
import { tableAccess } from '../constructs/table-access';
import { DELIVERY_FUNCTION_TIMEOUT, DELIVERY_MAX_RECEIVE_COUNT } from '../constructs/webhook-delivery-store';
import { handlerEntry, ingestTuning, type ServiceConfig } from './config';
import { exportName, type StatefulExport } from './contract';

export interface StatelessStackProps extends StackProps {
  readonly config: ServiceConfig;
  /** Entry of the notifier handler; when absent, no notifier function and no schedule are created. */
  readonly notifierEntry?: string;
}

export class StatelessStack extends Stack {
  readonly ingestFunction: ProjectFunction;
  readonly apiFunction: ProjectFunction;
  readonly adminFunction: ProjectFunction;
  readonly notifierFunction: ProjectFunction | undefined;
  readonly deliveryFunction: ProjectFunction | undefined;
  readonly notifierSchedule: DailyNotifierSchedule | undefined;
  readonly reconcile: ScheduledReconcile;
  readonly api: ServiceApi;
  readonly cdn: Cdn;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;

    const imported = (key: StatefulExport): ImportedValue => {
      const name = exportName(config.serviceName, key);
      return { value: Fn.importValue(name), nagReference: name };
    };
    const table = { tableName: imported('TableName').value, tableArn: imported('TableArn').value };
    const ingestQueue = sqs.Queue.fromQueueArn(this, 'IngestQueue', imported('IngestQueueArn').value);
    const deadLetterQueue = sqs.Queue.fromQueueArn(
      this,
      'DeadLetterQueue',
      imported('DeadLetterQueueArn').value,
    );
    const notificationTopic = sns.Topic.fromTopicArn(
      this,
      'NotificationTopic',
      imported('NotificationTopicArn').value,
    );
    const deliveryQueue = sqs.Queue.fromQueueArn(this, 'DeliveryQueue', imported('DeliveryQueueArn').value);
    const deliveryDeadLetterQueue = sqs.Queue.fromQueueArn(
      this,
      'DeliveryDeadLetterQueue',
      imported('DeliveryDeadLetterQueueArn').value,
    );
    const alarmTopic = sns.Topic.fromTopicArn(this, 'AlarmTopic', imported('AlarmTopicArn').value);
    const logsBucket = s3.Bucket.fromBucketAttributes(this, 'LogsBucket', {
      bucketName: imported('LogsBucketName').value,
      bucketArn: imported('LogsBucketArn').value,
    });

    const common = {
      serviceName: config.serviceName,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
    };

    // --- Functions -------------------------------------------------------------------------------------
    this.ingestFunction = new ProjectFunction(this, 'IngestFunction', {
      ...common,
      entry: handlerEntry('ingest'),
      description: 'S3 event notifications (via SQS) to the events table',
      timeout: ingestTuning.timeout,
      memorySize: FUNCTION_MEMORY_MB.ingest,
    })
      .bindTable(table, tableAccess.ingest)
      .bindEventObjectsRead(imported('EventsBucketArn'), config.eventPrefixes)
      .consumeQueue(ingestQueue, ingestTuning);

    // Signs paging cursors so that every API instance accepts every other's. A new key only voids the
    // cursors in flight (a client restarts from page one), so it lives here, with what can be replaced.
    const cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'HMAC key for paging cursors of the public API',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Signs short-lived paging cursors only; rotating it would just send clients back to page one, so it is replaced by redeploying instead of rotated.',
    });

    this.apiFunction = new ProjectFunction(this, 'ApiFunction', {
      ...common,
      entry: handlerEntry('api'),
      description: 'Public reads: topics, feeds, events, on this day, OPML',
      timeout: Duration.seconds(10),
      memorySize: FUNCTION_MEMORY_MB.api,
      environment: {
        ...(config.publicBaseUrl ? { PUBLIC_BASE_URL: config.publicBaseUrl } : {}),
        // A dynamic reference, resolved by CloudFormation at deploy: the key never appears in the template.
        CURSOR_KEY: cursorKey.secretValue.unsafeUnwrap(),
        // Public: it only seals webhook secrets. Without it webhook subscriptions answer 501.
        ...(config.webhookSealingPublicKey
          ? { WEBHOOK_SEALING_PUBLIC_KEY: config.webhookSealingPublicKey }
          : {}),
      },
    })
      .bindTable(table, tableAccess.api)
      .bindTopicSubscriptions(notificationTopic, imported('NotificationTopicArn'));

    this.adminFunction = new ProjectFunction(this, 'AdminFunction', {
      ...common,
      entry: handlerEntry('admin'),
      description: 'Operator reads: ingest stats and rejections',
      timeout: Duration.seconds(15),
      memorySize: FUNCTION_MEMORY_MB.admin,
    }).bindTable(table, tableAccess.admin);

    // Reconcile (daily, on demand) and reprocess (the admin function's POST /reprocess) re-queue objects.
    const requeueTarget: RequeueTarget = {
      bucketName: imported('EventsBucketName'),
      bucketArn: imported('EventsBucketArn'),
      prefixes: config.eventPrefixes,
      ingestQueue,
    };
    grantRequeue(this.adminFunction, requeueTarget);
    this.reconcile = new ScheduledReconcile(this, 'Reconcile', { ...common, ...requeueTarget, table });

    if (props.notifierEntry) {
      this.notifierFunction = new ProjectFunction(this, 'NotifierFunction', {
        ...common,
        entry: props.notifierEntry,
        description: 'Daily anniversary notifications to SNS and the webhook delivery queue',
        timeout: Duration.minutes(2),
        memorySize: FUNCTION_MEMORY_MB.notify,
        environment: { NOTIFY_TIME_ZONE: config.notifyTimeZone },
      })
        .bindTable(table, tableAccess.notifier)
        .bindTopicPublish(notificationTopic)
        .bindQueueSend(deliveryQueue);

      // The only function that can open webhook secrets: the key reaches it by dynamic reference at deploy.
      const sealingKey = secretsmanager.Secret.fromSecretCompleteArn(
        this,
        'WebhookSealingKey',
        imported('WebhookSealingKeyArn').value,
      );
      this.deliveryFunction = new ProjectFunction(this, 'DeliveryFunction', {
        ...common,
        entry: handlerEntry('deliver'),
        description: 'Signs and POSTs webhook digests from the delivery queue',
        timeout: DELIVERY_FUNCTION_TIMEOUT,
        memorySize: FUNCTION_MEMORY_MB.deliver,
        environment: {
          WEBHOOK_SEALING_PRIVATE_KEY: sealingKey.secretValue.unsafeUnwrap(),
          DELIVERY_QUEUE_URL: deliveryQueue.queueUrl,
        },
      })
        .bindTable(table, tableAccess.delivery)
        .consumeQueue(deliveryQueue, {
          batchSize: 10,
          maxBatchingWindow: Duration.seconds(1),
          maxConcurrency: 5,
          maxReceiveCount: DELIVERY_MAX_RECEIVE_COUNT,
        });
      this.notifierSchedule = new DailyNotifierSchedule(this, 'DailyNotifier', {
        notifier: this.notifierFunction,
        expression: config.notifySchedule,
        timeZone: config.notifyTimeZone,
      });
    }

    // --- HTTP API and CloudFront -----------------------------------------------------------------------
    this.api = new ServiceApi(this, 'Api', {
      apiName: config.serviceName,
      publicFunction: this.apiFunction,
      adminFunction: this.adminFunction,
      throttle: { rateLimit: config.apiThrottleRateLimit, burstLimit: config.apiThrottleBurstLimit },
      logRetention: config.logRetentionDays,
    });

    this.cdn = new Cdn(this, 'Cdn', {
      originHost: this.api.endpointHost,
      uncachedPaths: ADMIN_ROUTES,
      logsBucket,
      domainName: config.domainName,
      certificateArn: config.certificateArn,
    });

    // --- Alarms ----------------------------------------------------------------------------------------
    // The API and admin functions answer every exception with a 500 (Lambda Errors stays at zero): their
    // failures are alarmed on as the HTTP API's 5xx instead of Lambda Errors.
    new ServiceAlarms(this, 'Alarms', {
      ingestQueue,
      deadLetterQueue,
      ...(this.notifierFunction ? { deliveryDeadLetterQueue } : {}),
      reconcileDeadLetterQueue: this.reconcile.continuationDeadLetterQueue,
      alarmTopic,
      maxMessageAge: Duration.minutes(15),
      functions: {
        Ingest: this.ingestFunction,
        Reconcile: this.reconcile.function,
        ...(this.notifierFunction ? { Notifier: this.notifierFunction } : {}),
      },
      httpApi: this.api.api,
      table: {
        tableName: table.tableName,
        indexNames: [tableSchema.monthDayIndex.name],
      },
      serviceName: config.serviceName,
    });

    // Links in notifications are absolute: the custom domain, else the distribution's own name.
    this.notifierFunction?.addEnvironment(
      'PUBLIC_BASE_URL',
      config.publicBaseUrl ??
        (config.domainName
          ? `https://${config.domainName}`
          : `https://${this.cdn.distribution.distributionDomainName}`),
    );

    // --- Outputs ---------------------------------------------------------------------------------------
    new CfnOutput(this, 'PublicUrl', {
      value: config.domainName
        ? `https://${config.domainName}/`
        : `https://${this.cdn.distribution.distributionDomainName}/`,
      description: 'Public base URL (CloudFront): feeds, topics, events, on this day',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.cdn.distribution.distributionDomainName,
      description: 'Point a custom domain (CNAME/alias) here',
    });
    new CfnOutput(this, 'DistributionId', { value: this.cdn.distribution.distributionId });
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.url,
      description: 'API Gateway endpoint; call /stats and /rejections here with SigV4 (execute-api:Invoke)',
    });
    new CfnOutput(this, 'EventsBucketName', {
      value: imported('EventsBucketName').value,
      description: 'Upload event files here: npm run upload -- --bucket <this>',
    });
    new CfnOutput(this, 'NotificationTopicArn', {
      value: notificationTopic.topicArn,
      description: 'Subscribe here for anniversary notifications',
    });
  }
}
