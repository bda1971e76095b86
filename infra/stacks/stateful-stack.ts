// The data that must outlive any deployment: events bucket (+ access logs), ingest queue and DLQ, the
// table, and the SNS topics. Everything here is RETAIN or cheap to keep; nothing here runs code of ours.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { tableSchema } from '../../shared/store/table-schema';
import { queueWithDeadLetters } from '../constructs/queues';
import { WebhookDeliveryStore } from '../constructs/webhook-delivery-store';
import { ingestTuning, type ServiceConfig } from './config';
import { exportName, type StatefulExport } from './contract';

export interface StatefulStackProps extends StackProps {
  readonly config: ServiceConfig;
}

export class StatefulStack extends Stack {
  readonly logsBucket: s3.Bucket;
  readonly eventsBucket: s3.Bucket;
  readonly ingestQueue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly table: dynamodb.Table;
  readonly notificationTopic: sns.Topic;
  readonly alarmTopic: sns.Topic;
  readonly webhookDelivery: WebhookDeliveryStore;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    // --- Buckets -------------------------------------------------------------------------------------
    // One log bucket for S3 server access logs (bucket policy for logging.s3.amazonaws.com) and CloudFront
    // standard logs (which are delivered with an ACL, hence BUCKET_OWNER_PREFERRED instead of ENFORCED).
    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log destination itself; logging it into itself would log its own log deliveries forever, and a second log bucket would only move the finding.',
    });

    // Versioning makes every overwrite a new version with its own notification, so the ingest can read the
    // exact version an event names even when the key is overwritten again before it runs.
    this.eventsBucket = new s3.Bucket(this, 'EventsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'events-bucket/',
      lifecycleRules: [
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- Ingest queue ----------------------------------------------------------------------------------
    // SQS-managed SSE: encrypted at rest without a customer key, so S3 needs no KMS key policy to deliver.
    ({ queue: this.ingestQueue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetters(this, {
      queueId: 'IngestQueue',
      deadLetterQueueId: 'IngestDeadLetterQueue',
      visibilityTimeout: ingestTuning.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      maxReceiveCount: ingestTuning.maxReceiveCount,
    }));

    // S3 → SQS for created and removed objects under each event prefix. CDK adds the queue policy statement
    // (s3.amazonaws.com may SendMessage, conditioned on this bucket's ARN and account); S3 checks that
    // permission when the configuration is written, which the notifications custom resource does after the
    // policy exists.
    const destination = new s3n.SqsDestination(this.ingestQueue);
    for (const prefix of config.eventPrefixes) {
      this.eventsBucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination, { prefix });
      this.eventsBucket.addEventNotification(s3.EventType.OBJECT_REMOVED, destination, { prefix });
    }
    this.acknowledgeNotificationsHandler();

    // --- Table -----------------------------------------------------------------------------------------
    const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'EventsTable', {
      partitionKey: key(tableSchema.partitionKey),
      sortKey: key(tableSchema.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Delivery markers and rate-limit windows carry `expiresAt`; events never do.
      timeToLiveAttribute: 'expiresAt',
    });
    const { monthDayIndex } = tableSchema;
    this.table.addGlobalSecondaryIndex({
      indexName: monthDayIndex.name,
      partitionKey: key(monthDayIndex.partitionKey),
      sortKey: key(monthDayIndex.sortKey),
      projectionType: dynamodb.ProjectionType[monthDayIndex.projection],
      nonKeyAttributes: [...monthDayIndex.projectedAttributes],
    });

    // --- Topics ----------------------------------------------------------------------------------------
    this.notificationTopic = new sns.Topic(this, 'NotificationTopic', {
      displayName: 'On this day: anniversary notifications',
      enforceSSL: true,
    });
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${config.serviceName} operations alarms`,
      enforceSSL: true,
    });
    if (config.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    }

    this.webhookDelivery = new WebhookDeliveryStore(this, 'WebhookDelivery');

    // --- Contract with the stateless stack (also the outputs a user needs) ----------------------------
    const out = (key: StatefulExport, value: string, description: string): void => {
      new CfnOutput(this, key, { value, description, exportName: exportName(config.serviceName, key) });
    };
    out(
      'EventsBucketName',
      this.eventsBucket.bucketName,
      'Upload event files here: npm run upload -- --bucket <this>',
    );
    out('EventsBucketArn', this.eventsBucket.bucketArn, 'ARN of the events bucket');
    out('LogsBucketName', this.logsBucket.bucketName, 'S3 server access logs and CloudFront standard logs');
    out('LogsBucketArn', this.logsBucket.bucketArn, 'ARN of the log bucket');
    out('TableName', this.table.tableName, 'DynamoDB single table');
    out('TableArn', this.table.tableArn, 'ARN of the DynamoDB table');
    out('IngestQueueArn', this.ingestQueue.queueArn, 'Queue of S3 event notifications');
    out(
      'DeadLetterQueueArn',
      this.deadLetterQueue.queueArn,
      `Ingest messages that failed ${ingestTuning.maxReceiveCount} times; redrive with aws sqs start-message-move-task`,
    );
    out(
      'NotificationTopicArn',
      this.notificationTopic.topicArn,
      'Subscribe here for anniversary notifications',
    );
    out('AlarmTopicArn', this.alarmTopic.topicArn, 'Operations alarms');
    out('DeliveryQueueArn', this.webhookDelivery.queue.queueArn, 'Webhook digests waiting for delivery');
    out(
      'DeliveryDeadLetterQueueArn',
      this.webhookDelivery.deadLetterQueue.queueArn,
      'Webhook digests that failed every attempt; redrive with aws sqs start-message-move-task',
    );
    out(
      'WebhookSealingKeyArn',
      this.webhookDelivery.sealingKey.secretArn,
      'Put the PEM private key for webhook secrets here (docs/notifications.md)',
    );
  }

  /**
   * `addEventNotification` writes the configuration through CDK's singleton BucketNotifications handler
   * (CloudFormation cannot add a notification whose queue policy references the bucket without a cycle).
   * Its role is CDK's, not ours: acknowledge its one finding on it and nothing else. (Its inline policy is
   * already scoped to this bucket: s3:PutBucketNotification on the bucket ARN.)
   */
  private acknowledgeNotificationsHandler(): void {
    const handler = this.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (!handler) throw new Error('expected the BucketNotifications handler after addEventNotification');
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK-managed handler that only runs during deployment to put the bucket notification configuration; its role and managed policy are fixed by aws-cdk-lib.',
    });
  }
}
