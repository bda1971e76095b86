// The scheduled reconcile in the stateless stack: its function, its daily schedule, its grants (reads of the
// manifests and events, listing and HEAD of event objects, sending to the ingest queue and to its own
// continuation queue), that queue and its DLQ, its alarms, and the admin function's POST /reprocess route behind
// IAM auth.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONTINUATION_MAX_RECEIVE_COUNT,
  RECONCILE_SCHEDULE,
} from '../../infra/constructs/scheduled-reconcile';
import { ADMIN_POST_ROUTES } from '../../infra/constructs/service-api';
import { fixtureNotifierEntry, importOf, type Props, resourceOf, synthService } from './support';

let template: Template;
let fnId: string;
let roleId: string;
let queueId: string;
let deadLetterQueueId: string;

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

beforeAll(() => {
  const service = synthService({ notifierEntry: fixtureNotifierEntry });
  template = service.statelessTemplate;
  const fn = service.stateless.reconcile.function;
  fnId = service.stateless.getLogicalId(
    fn.node.defaultChild as Parameters<typeof service.stateless.getLogicalId>[0],
  );
  const props = resourceOf(template, 'AWS::Lambda::Function', fnId).props;
  roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    service.stateless.getLogicalId(
      construct.node.defaultChild as Parameters<typeof service.stateless.getLogicalId>[0],
    );
  queueId = logicalId(service.stateless.reconcile.continuationQueue);
  deadLetterQueueId = logicalId(service.stateless.reconcile.continuationDeadLetterQueue);
});

/** Every statement of every policy attached to the reconcile function's role. */
function roleStatements(): Statement[] {
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ) as Array<{ Properties: { PolicyDocument: { Statement: Statement[] } } }>;
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const bucketArn = importOf('EventsBucketArn');
const objectArn = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });

describe('reconcile function', () => {
  it('runs up to Lambda’s 15 minutes with the bucket, prefixes, queue and table it compares, logs kept 30 days', () => {
    const fn = resourceOf(template, 'AWS::Lambda::Function', fnId).props;
    expect(fn).toMatchObject({
      Timeout: 900,
      Runtime: 'nodejs24.x',
      RecursiveLoop: 'Allow',
      Environment: {
        Variables: expect.objectContaining({
          TABLE_NAME: importOf('TableName'),
          EVENTS_BUCKET: importOf('EventsBucketName'),
          EVENT_PREFIXES: 'news/,zh/news/,inbox/',
          INGEST_QUEUE_URL: expect.anything(),
          RECONCILE_QUEUE_URL: { Ref: queueId },
        }),
      },
    });
    const logGroupId = ((fn.LoggingConfig as Props).LogGroup as { Ref: string }).Ref;
    expect(resourceOf(template, 'AWS::Logs::LogGroup', logGroupId).props.RetentionInDays).toBe(30);
  });

  it('is scheduled daily in UTC with an empty event, which starts a run', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: RECONCILE_SCHEDULE,
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Input: '{}' }),
    });
    expect(RECONCILE_SCHEDULE).toMatch(/^cron\(\d+ \d+ \* \* \? \*\)$/);
  });

  it('holds only the actions it uses, each on its own resources', () => {
    const statements = roleStatements();
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:Scan',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:ListBucket',
        'sqs:SendMessage',
        'sqs:SendMessage',
        // The continuation queue's event source
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueUrl',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
      ].sort(),
    );
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.ReadManifestsAndEvents).toMatchObject({
      Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
      Resource: importOf('TableArn'),
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OBJECT#*', 'EVENT#*', 'JOURNAL#*'] },
      },
    });
    expect(bySid.ScanManifests).toMatchObject({ Action: 'dynamodb:Scan', Resource: importOf('TableArn') });
    expect(bySid.ListEventObjects).toMatchObject({ Action: 's3:ListBucket', Resource: bucketArn });
    expect(bySid.HeadEventObjects).toMatchObject({ Action: 's3:GetObject' });
    expect(bySid.HeadEventObjects?.Resource).toEqual(
      expect.arrayContaining(['news/', 'zh/news/', 'inbox/'].map(objectArn)),
    );
    expect(bySid.HeadEventObjects?.Resource).toHaveLength(3);
    expect(bySid.RequeueToIngest).toMatchObject({
      Action: 'sqs:SendMessage',
      Resource: importOf('IngestQueueArn'),
    });
    expect(bySid.ContinueRun).toMatchObject({
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    const consume = statements.find((s) => [s.Action].flat().includes('sqs:ReceiveMessage'));
    expect(consume?.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb:(Put|Update|Delete|BatchWrite)|"\*"/);
  });

  it('continues a long run through an encrypted queue that invokes it one message at a time, with a DLQ', () => {
    expect(resourceOf(template, 'AWS::SQS::Queue', queueId).props).toMatchObject({
      SqsManagedSseEnabled: true,
      // Six times the function's 900 s timeout
      VisibilityTimeout: 5400,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
        maxReceiveCount: CONTINUATION_MAX_RECEIVE_COUNT,
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 1,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } }],
      AlarmActions: [importOf('AlarmTopicArn')],
    });
  });

  it('names itself and the ingest queue in outputs, for aws lambda invoke and npm run reprocess', () => {
    template.hasOutput('ReconcileFunctionName', { Value: { Ref: fnId } });
    template.hasOutput('IngestQueueUrl', { Value: Match.anyValue() });
    template.hasOutput('ReconcileDeadLetterQueueArn', {
      Value: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
    });
  });

  it('alarms on its errors through the operations topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
      AlarmActions: [importOf('AlarmTopicArn')],
      Threshold: 1,
    });
  });
});

describe('POST /reprocess', () => {
  it('reaches the admin function behind IAM auth, like the other admin routes', () => {
    for (const path of ADMIN_POST_ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `POST ${path}`,
        AuthorizationType: 'AWS_IAM',
      });
    }
    expect(ADMIN_POST_ROUTES).toEqual(['/reprocess']);
  });
});
