// Stateful stack: bucket settings, S3 → SQS notifications, queue + DLQ, table keys and protection, topics.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestTuning } from '../../infra/stacks/config';
import { statefulExports } from '../../infra/stacks/contract';
import { tableSchema } from '../../shared/store/table-schema';
import { resourceOf, synthService } from './support';

let template: Template;
let ids: { eventsBucket: string; logsBucket: string; queue: string; dlq: string; table: string };

beforeAll(() => {
  // Prepare
  const { statefulTemplate, stateful } = synthService();
  template = statefulTemplate;
  const logicalId = (construct: { node: { defaultChild?: unknown } }): string =>
    stateful.getLogicalId(construct.node.defaultChild as Parameters<typeof stateful.getLogicalId>[0]);
  ids = {
    eventsBucket: logicalId(stateful.eventsBucket),
    logsBucket: logicalId(stateful.logsBucket),
    queue: logicalId(stateful.ingestQueue),
    dlq: logicalId(stateful.deadLetterQueue),
    table: logicalId(stateful.table),
  };
});

const denyInsecureTransport = (action: string) =>
  Match.objectLike({
    Effect: 'Deny',
    Action: action,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });

describe('events bucket', () => {
  it('blocks public access, encrypts, versions, logs and is retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: ids.logsBucket },
          LogFilePrefix: 'events-bucket/',
        },
      }),
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.eventsBucket },
      PolicyDocument: { Statement: Match.arrayWith([denyInsecureTransport('s3:*')]) },
    });
  });

  it('sends created and removed objects under every event prefix to the ingest queue', () => {
    const queueArn = { 'Fn::GetAtt': [ids.queue, 'Arn'] };
    const rules = ['news/', 'zh/news/', 'inbox/'].flatMap((prefix) =>
      ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'].map((event) => ({
        Events: [event],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
        QueueArn: queueArn,
      })),
    );
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: ids.eventsBucket },
      NotificationConfiguration: { QueueConfigurations: Match.arrayEquals(rules) },
    });
  });

  it('lets only this bucket (via S3) send to the queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          denyInsecureTransport('sqs:*'),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [ids.eventsBucket, 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('keeps its own access-log bucket private, encrypted and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        PublicAccessBlockConfiguration: Match.objectLike({
          BlockPublicAcls: true,
          RestrictPublicBuckets: true,
        }),
        BucketEncryption: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.logsBucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          denyInsecureTransport('s3:*'),
          Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
  });
});

describe('ingest queue', () => {
  it('redrives to the DLQ after 3-5 receives and is encrypted by SQS', () => {
    const queue = resourceOf(template, 'AWS::SQS::Queue', ids.queue).props;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] },
      maxReceiveCount: expect.any(Number),
    });
    const { maxReceiveCount } = queue.RedrivePolicy as { maxReceiveCount: number };
    expect(maxReceiveCount).toBeGreaterThanOrEqual(3);
    expect(maxReceiveCount).toBeLessThanOrEqual(5);
  });

  it('hides a message for at least six ingest timeouts plus the batching window', () => {
    const { VisibilityTimeout } = resourceOf(template, 'AWS::SQS::Queue', ids.queue).props;
    expect(VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * ingestTuning.timeout.toSeconds() + ingestTuning.maxBatchingWindow.toSeconds(),
    );
  });

  it('keeps failed messages 14 days in an encrypted, TLS-only DLQ', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.dlq }],
      PolicyDocument: { Statement: Match.arrayWith([denyInsecureTransport('sqs:*')]) },
    });
  });
});

describe('events table', () => {
  it('has the shared key schema and the month-day GSI (keys and briefs), sorted by the table sort key', () => {
    const { monthDayIndex } = tableSchema;
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: monthDayIndex.name,
          KeySchema: [
            { AttributeName: monthDayIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: monthDayIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['brief'] },
        },
      ],
    });
  });

  it('is on-demand, point-in-time recoverable, deletion protected and retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });
});

describe('topics and exports', () => {
  it('requires TLS to publish to both topics', () => {
    const policies = template.findResources('AWS::SNS::TopicPolicy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([denyInsecureTransport('sns:Publish')]) } },
    });
    const topics = Object.values(policies).flatMap(
      (p) => (p as { Properties: { Topics: unknown[] } }).Properties.Topics,
    );
    expect(topics).toHaveLength(2);
  });

  it('exports every value the stateless stack imports, under the service name', () => {
    for (const key of statefulExports) {
      template.hasOutput(key, { Export: { Name: `context-feeds:${key}` } });
    }
  });

  it('outputs the bucket name and the notification topic ARN', () => {
    template.hasOutput('EventsBucketName', { Value: { Ref: ids.eventsBucket } });
    template.hasOutput('NotificationTopicArn', {
      Value: { Ref: Match.stringLikeRegexp('^NotificationTopic') },
    });
  });
});

describe('webhook delivery', () => {
  const idOf = (
    pick: (stateful: ReturnType<typeof synthService>['stateful']) => { node: { defaultChild?: unknown } },
  ) => {
    const { stateful } = synthService();
    return stateful.getLogicalId(
      pick(stateful).node.defaultChild as Parameters<typeof stateful.getLogicalId>[0],
    );
  };

  it('has an encrypted delivery queue that redrives to its own DLQ after 5 receives', () => {
    const queueId = idOf((s) => s.webhookDelivery.queue);
    const dlqId = idOf((s) => s.webhookDelivery.deadLetterQueue);
    const queue = resourceOf(template, 'AWS::SQS::Queue', queueId).props;
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(resourceOf(template, 'AWS::SQS::Queue', dlqId).props).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
  });

  it('keeps the sealing key in a retained secret, and expires markers and rate windows by TTL', () => {
    const secretId = idOf((s) => s.webhookDelivery.sealingKey);
    expect(template.toJSON().Resources[secretId]).toMatchObject({
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});
