// Stateless stack: functions and their grants, the SQS event source, routes and authorizers, CloudFront,
// the notifier schedule (with a stand-in notifier entry) and the alarms.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACHE_KEY_QUERY_STRINGS, FORWARDED_HOST_HEADER, WRITE_PATHS } from '../../infra/constructs/cdn';
import { FUNCTION_MEMORY_MB } from '../../infra/constructs/function-memory';
import { ADMIN_ROUTES, PUBLIC_ROUTES } from '../../infra/constructs/service-api';
import { detectNotifierEntry, ingestTuning } from '../../infra/stacks/config';
import { INGEST_METRICS } from '../../shared/ingest/ingest-metrics';
import { prefersHtml } from '../../shared/web/negotiate';
import {
  fixtureNotifierEntry,
  importOf,
  type Props,
  resourceOf,
  type Synthesized,
  synthService,
} from './support';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

let withNotifier: Synthesized;
let withoutNotifier: Synthesized;
let template: Template;
let fnIds: { ingest: string; api: string; admin: string; notifier: string; delivery: string };

beforeAll(() => {
  // Prepare: the notifier path is exercised through the fixture entry, whether or not functions/notify exists.
  withNotifier = synthService({ notifierEntry: fixtureNotifierEntry });
  withoutNotifier = synthService({ notifierEntry: undefined });
  template = withNotifier.statelessTemplate;
  const { stateless } = withNotifier;
  const id = (fn: { node: { defaultChild?: unknown } }): string =>
    stateless.getLogicalId(fn.node.defaultChild as Parameters<typeof stateless.getLogicalId>[0]);
  if (!stateless.notifierFunction || !stateless.deliveryFunction)
    throw new Error('notifier and delivery functions expected with a notifier entry');
  fnIds = {
    ingest: id(stateless.ingestFunction),
    api: id(stateless.apiFunction),
    admin: id(stateless.adminFunction),
    notifier: id(stateless.notifierFunction),
    delivery: id(stateless.deliveryFunction),
  };
});

/** Every statement of the execution role policy of the function with logical id `fnId`. */
function statementsOf(fnId: string): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const fn = resourceOf(template, 'AWS::Lambda::Function', fnId).props;
  const roleId = (fn.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ) as Array<{ Properties: { PolicyDocument: { Statement: never[] } } }>;
  expect(policies).toHaveLength(1);
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: ReturnType<typeof statementsOf>): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();

const resourcesOf = (statements: ReturnType<typeof statementsOf>): unknown[] =>
  statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));

describe('project functions', () => {
  it('run Node.js 24 on arm64 with the Powertools environment and their own log group', () => {
    for (const fnId of Object.values(fnIds)) {
      const fn = resourceOf(template, 'AWS::Lambda::Function', fnId).props;
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'context-feeds',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            LOG_LEVEL: 'INFO',
            TABLE_NAME: importOf('TableName'),
          },
        },
      });
      // Stack traces are mapped by the bundle itself (shared/aws/lambda-stack-traces.ts), lazily.
      expect((fn.Environment as { Variables: Props }).Variables.NODE_OPTIONS).toBeUndefined();
      const logGroupId = ((fn.LoggingConfig as Props).LogGroup as { Ref: string }).Ref;
      expect(resourceOf(template, 'AWS::Logs::LogGroup', logGroupId).props.RetentionInDays).toBe(30);
    }
  });

  it('have the memory that the local processes size their heap for (FUNCTION_MEMORY_MB)', () => {
    const { stateless } = withNotifier;
    const reconcileId = stateless.getLogicalId(
      stateless.reconcile.function.node.defaultChild as Parameters<typeof stateless.getLogicalId>[0],
    );
    const memoryOf = (fnId: string) => resourceOf(template, 'AWS::Lambda::Function', fnId).props.MemorySize;
    expect({
      ingest: memoryOf(fnIds.ingest),
      api: memoryOf(fnIds.api),
      admin: memoryOf(fnIds.admin),
      notify: memoryOf(fnIds.notifier),
      deliver: memoryOf(fnIds.delivery),
      reconcile: memoryOf(reconcileId),
    }).toEqual(FUNCTION_MEMORY_MB);
  });

  it('set PUBLIC_BASE_URL on the API function only when the publicBaseUrl context is set', () => {
    const api = resourceOf(template, 'AWS::Lambda::Function', fnIds.api).props;
    expect((api.Environment as { Variables: Props }).Variables).not.toHaveProperty('PUBLIC_BASE_URL');

    const custom = synthService({ context: { publicBaseUrl: 'https://feeds.example.org' } });
    custom.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Public reads'),
      Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://feeds.example.org' }) },
    });
  });

  it('give the API function a generated cursor key by dynamic reference, never in plain text', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 48, ExcludePunctuation: true }),
    });
    const [secretId] = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Public reads'),
      Environment: {
        Variables: Match.objectLike({
          CURSOR_KEY: {
            'Fn::Join': [
              '',
              ['{{resolve:secretsmanager:', { Ref: secretId }, Match.stringLikeRegexp('SecretString')],
            ],
          },
        }),
      },
    });
  });

  it('give the ingest an SQS event source with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: importOf('IngestQueueArn'),
      FunctionName: { Ref: fnIds.ingest },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('keep the queue visibility timeout at ≥ 6× the ingest timeout (across the two stacks)', () => {
    const timeout = resourceOf(template, 'AWS::Lambda::Function', fnIds.ingest).props.Timeout as number;
    const queueId = withNotifier.stateful.getLogicalId(
      withNotifier.stateful.ingestQueue.node.defaultChild as Parameters<
        Synthesized['stateful']['getLogicalId']
      >[0],
    );
    const queue = resourceOf(withNotifier.statefulTemplate, 'AWS::SQS::Queue', queueId).props;
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('tell the ingest the queue’s maxReceiveCount: the value of the redrive policy (across the two stacks)', () => {
    const queueId = withNotifier.stateful.getLogicalId(
      withNotifier.stateful.ingestQueue.node.defaultChild as Parameters<
        Synthesized['stateful']['getLogicalId']
      >[0],
    );
    const queue = resourceOf(withNotifier.statefulTemplate, 'AWS::SQS::Queue', queueId).props;
    const { maxReceiveCount } = queue.RedrivePolicy as { maxReceiveCount: number };
    expect(maxReceiveCount).toBe(ingestTuning.maxReceiveCount);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^S3 event notifications'),
      Environment: { Variables: Match.objectLike({ MAX_RECEIVE_COUNT: String(maxReceiveCount) }) },
    });
  });
});

describe('IAM: each function gets only what it uses', () => {
  const ownLogGroup = (fnId: string) => {
    const fn = resourceOf(template, 'AWS::Lambda::Function', fnId).props;
    return { 'Fn::GetAtt': [((fn.LoggingConfig as Props).LogGroup as { Ref: string }).Ref, 'Arn'] };
  };

  it('grants no wildcard actions and only this service’s resources', () => {
    for (const fnId of Object.values(fnIds)) {
      const statements = statementsOf(fnId);
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      for (const action of actionsOf(statements)) expect(action).not.toContain('*');
      for (const resource of resourcesOf(statements)) {
        expect(resource).not.toBe('*');
        const text = JSON.stringify(resource);
        const ownLog = JSON.stringify(ownLogGroup(fnId));
        expect(
          text === ownLog ||
            /"Fn::ImportValue":"context-feeds:(TableArn|EventsBucketArn|IngestQueueArn|NotificationTopicArn|DeliveryQueueArn)"/.test(
              text,
            ),
          text,
        ).toBe(true);
      }
    }
  });

  const tableArn = importOf('TableArn');
  const indexArn = { 'Fn::Join': ['', [importOf('TableArn'), '/index/ByMonthDayBrief']] };
  const onPartitions = (patterns: string[]) => ({
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns },
  });
  /** The function's DynamoDB statements, exactly: actions, resource and LeadingKeys condition each. */
  const tableStatementsOf = (fnId: string) =>
    statementsOf(fnId).filter((statement) =>
      (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).some((action) =>
        action.startsWith('dynamodb:'),
      ),
    );
  const eventStore = ['EVENT#*', 'TOPIC#*', 'ALL#*', 'TOPICS', 'STATS', 'REJECTION', 'OBJECT#*', 'JOURNAL#*'];

  it('limits every DynamoDB grant to named partitions, and grants no Scan, Describe, stream or transaction', () => {
    for (const fnId of Object.values(fnIds)) {
      const statements = tableStatementsOf(fnId);
      expect(statements.length, fnId).toBeGreaterThan(0);
      for (const statement of statements) {
        const patterns = (statement as { Condition?: Record<string, Record<string, string[]>> }).Condition?.[
          'ForAllValues:StringLike'
        ]?.['dynamodb:LeadingKeys'];
        expect(patterns, `${fnId} ${JSON.stringify(statement.Action)}`).toBeDefined();
        // A pattern that is only `*` (or starts with one) would grant every partition.
        for (const pattern of patterns ?? []) expect(pattern).toMatch(/^[A-Z]+(#\*|#[a-z]+|#\?\?-\?\?)?$/);
      }
      for (const action of actionsOf(statements)) {
        expect([
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ]).toContain(action);
      }
    }
  });

  it('lets the admin function only read the totals, topic, rejection and manifest partitions, and re-queue event objects for POST /reprocess', () => {
    const statements = statementsOf(fnIds.admin);
    expect(actionsOf(statements)).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:Query',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:ListBucket',
        'sqs:SendMessage',
      ].sort(),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'sqs:SendMessage', Resource: importOf('IngestQueueArn') }),
    );
    expect(tableStatementsOf(fnIds.admin)).toEqual([
      {
        Sid: 'ReadOwnPartitions',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: tableArn,
        Condition: onPartitions(['STATS', 'TOPICS', 'REJECTION', 'OBJECT#*']),
      },
    ]);
  });

  it('lets the API read only event, listing, topic and subscription partitions and the month-day index, write only subscription and rate items, and only create and delete SNS subscriptions on the topic', () => {
    const statements = statementsOf(fnIds.api);
    expect(actionsOf(statements)).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Subscribe',
        'sns:Unsubscribe',
      ].sort(),
    );
    expect(tableStatementsOf(fnIds.api)).toEqual([
      {
        Sid: 'ReadOwnPartitions',
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        Resource: tableArn,
        Condition: onPartitions(['EVENT#*', 'TOPIC#*', 'ALL#*', 'TOPICS', 'SUBSCRIPTION#*']),
      },
      {
        Sid: 'QueryMonthDayIndex',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: indexArn,
        Condition: onPartitions(['MD#*']),
      },
      {
        Sid: 'WriteOwnPartitions',
        Effect: 'Allow',
        Action: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
        Condition: onPartitions(['SUBSCRIPTION#*', 'RATE#*']),
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'sns:Subscribe', Resource: importOf('NotificationTopicArn') }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sns:Unsubscribe',
        Resource: [
          importOf('NotificationTopicArn'),
          { 'Fn::Join': ['', [importOf('NotificationTopicArn'), ':*']] },
        ],
      }),
    );
    const api = resourceOf(template, 'AWS::Lambda::Function', fnIds.api).props;
    const variables = (api.Environment as { Variables: Props }).Variables;
    expect(variables.NOTIFICATION_TOPIC_ARN).toEqual(importOf('NotificationTopicArn'));
    expect(variables).not.toHaveProperty('WEBHOOK_SEALING_PRIVATE_KEY');
  });

  it('gives only the delivery function the webhook sealing key, by dynamic reference', () => {
    const holders = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, fn]) =>
      JSON.stringify(fn).includes('WEBHOOK_SEALING_PRIVATE_KEY'),
    );
    expect(holders.map(([id]) => id)).toEqual([fnIds.delivery]);
    const delivery = resourceOf(template, 'AWS::Lambda::Function', fnIds.delivery).props;
    expect(
      JSON.stringify((delivery.Environment as { Variables: Props }).Variables.WEBHOOK_SEALING_PRIVATE_KEY),
    ).toContain('{{resolve:secretsmanager:');
  });

  it('lets the delivery function consume the delivery queue, read webhook subscriptions and update only delivery markers', () => {
    const statements = statementsOf(fnIds.delivery);
    expect(actionsOf(statements)).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    expect(tableStatementsOf(fnIds.delivery)).toEqual([
      {
        Sid: 'ReadOwnPartitions',
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: tableArn,
        Condition: onPartitions(['SUBSCRIPTION#webhook']),
      },
      {
        Sid: 'WriteOwnPartitions',
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: tableArn,
        Condition: onPartitions(['DELIVERY#*']),
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: importOf('DeliveryQueueArn'),
      FunctionName: { Ref: fnIds.delivery },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const delivery = resourceOf(template, 'AWS::Lambda::Function', fnIds.delivery).props;
    expect((delivery.Environment as { Variables: Props }).Variables.MAX_RECEIVE_COUNT).toBe('5');
  });

  it('lets the ingest read event objects, read and write only the event store’s partitions (no Query) and consume the queue', () => {
    const statements = statementsOf(fnIds.ingest);
    expect(actionsOf(statements)).toEqual(
      [
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [importOf('EventsBucketArn'), `/${prefix}*`]] });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: expect.arrayContaining(['news/', 'zh/news/', 'inbox/'].map(objects)),
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 's3:ListBucket', Resource: importOf('EventsBucketArn') }),
    );
    expect(tableStatementsOf(fnIds.ingest)).toEqual([
      {
        Sid: 'ReadOwnPartitions',
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
        Resource: tableArn,
        Condition: onPartitions(eventStore),
      },
      {
        Sid: 'WriteOwnPartitions',
        Effect: 'Allow',
        Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
        Condition: onPartitions(eventStore),
      },
    ]);
  });

  it('lets the notifier read anniversaries, webhook subscriptions and markers, mark deliveries, publish to the topic and queue webhook digests only', () => {
    const statements = statementsOf(fnIds.notifier);
    expect(actionsOf(statements)).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
        'sqs:SendMessage',
      ].sort(),
    );
    expect(tableStatementsOf(fnIds.notifier)).toEqual([
      {
        Sid: 'ReadOwnPartitions',
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:Query'],
        Resource: tableArn,
        Condition: onPartitions(['ALL#*', 'SUBSCRIPTION#webhook', 'DELIVERY#*']),
      },
      {
        Sid: 'QueryMonthDayIndex',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: indexArn,
        Condition: onPartitions(['MD#??-??']),
      },
      {
        Sid: 'WriteOwnPartitions',
        Effect: 'Allow',
        Action: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
        Condition: onPartitions(['DELIVERY#*']),
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'sqs:SendMessage', Resource: importOf('DeliveryQueueArn') }),
    );
    // Only the notifier may publish to the topic.
    for (const fnId of [fnIds.ingest, fnIds.api, fnIds.admin, fnIds.delivery]) {
      expect(actionsOf(statementsOf(fnId))).not.toContain('sns:Publish');
    }
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'sns:Publish', Resource: importOf('NotificationTopicArn') }),
    );
    const notifier = resourceOf(template, 'AWS::Lambda::Function', fnIds.notifier).props;
    expect((notifier.Environment as { Variables: Props }).Variables.TOPIC_ARN).toEqual(
      importOf('NotificationTopicArn'),
    );
  });

  it('uses no AWS managed policies on the function roles', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect((role as { Properties: Props }).Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('HTTP API', () => {
  const integrationFor = (fnId: string): string => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration', {
      Properties: {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [fnId, 'Arn'] },
      },
    });
    const [id, ...others] = Object.keys(integrations);
    expect(others).toEqual([]);
    return id as string;
  };

  it('routes every public path (GET and HEAD) to the API function without an authorizer', () => {
    const target = { 'Fn::Join': ['', ['integrations/', { Ref: integrationFor(fnIds.api) }]] };
    for (const path of PUBLIC_ROUTES) {
      for (const method of ['GET', 'HEAD']) {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: `${method} ${path}`,
          AuthorizationType: 'NONE',
          Target: target,
        });
      }
    }
  });

  it('routes /stats and /rejections to the admin function behind IAM auth', () => {
    const target = { 'Fn::Join': ['', ['integrations/', { Ref: integrationFor(fnIds.admin) }]] };
    for (const path of ADMIN_ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `GET ${path}`,
        AuthorizationType: 'AWS_IAM',
        Target: target,
      });
    }
    expect(PUBLIC_ROUTES).not.toContain('/stats');
  });

  it('throttles the $default stage and writes JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
  });
});

describe('CloudFront', () => {
  const distribution = () =>
    resourceOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution').props
      .DistributionConfig as Props;

  it('caches by origin Cache-Control, keyed on host and API query strings, never cookies, compressed', () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        MinTTL: 0,
        DefaultTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: {
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: [FORWARDED_HOST_HEADER, 'accept'] },
          QueryStringsConfig: {
            QueryStringBehavior: 'whitelist',
            QueryStrings: Match.arrayEquals([...CACHE_KEY_QUERY_STRINGS]),
          },
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
        },
      },
    });
    const policyId = resourceOf(template, 'AWS::CloudFront::CachePolicy', 'CdnApiCachePolicy').id;
    expect(distribution().DefaultCacheBehavior).toMatchObject({
      CachePolicyId: { Ref: policyId },
      Compress: true,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
    });
    expect(distribution().DefaultCacheBehavior).not.toHaveProperty('OriginRequestPolicyId');
  });

  it('sends the viewer host as x-forwarded-host from a viewer-request function, overriding any sent one', () => {
    const fn = resourceOf(template, 'AWS::CloudFront::Function', 'CdnForwardHost');
    expect(distribution().DefaultCacheBehavior).toMatchObject({
      FunctionAssociations: [
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn.id, 'FunctionARN'] } },
      ],
    });
    // Act: run the function's code the way CloudFront would.
    const handler = new Function(`${fn.props.FunctionCode as string}; return handler;`)() as (e: unknown) => {
      headers: Record<string, { value: string }>;
    };
    const request = handler({
      request: {
        headers: { host: { value: 'd111.cloudfront.net' }, 'x-forwarded-host': { value: 'evil.test' } },
      },
    });
    // Assess
    expect(request.headers[FORWARDED_HOST_HEADER]).toEqual({ value: 'd111.cloudfront.net' });
  });

  it('reduces Accept to the page-or-JSON choice the API makes, so the cache key splits only on that', () => {
    // Prepare
    const fn = resourceOf(template, 'AWS::CloudFront::Function', 'CdnForwardHost');
    const handler = new Function(`${fn.props.FunctionCode as string}; return handler;`)() as (e: unknown) => {
      headers: Record<string, { value: string }>;
    };
    const accepts = [
      'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      '*/*',
      'application/json',
      'application/json, text/html;q=0.9',
      'text/html;q=0.5, application/json;q=0.4',
      'text/*',
      'application/*, text/html;q=0.1',
      'application/rss+xml, application/atom+xml;q=0.9',
      'TEXT/HTML',
      'text/html;q=2, application/json',
      '',
      undefined,
    ];
    for (const accept of accepts) {
      // Act
      const request = handler({
        request: { headers: accept === undefined ? {} : { accept: { value: accept } } },
      });
      // Assess
      const expected = prefersHtml(accept) ? 'text/html' : 'application/json';
      expect(request.headers.accept, String(accept)).toEqual({ value: expected });
    }
  });

  it('reaches the API over HTTPS (TLS 1.2) on its execute-api host, without forwarding Host', () => {
    const apiId = resourceOf(template, 'AWS::ApiGatewayV2::Api', 'ApiHttpApi').id;
    expect(distribution().Origins).toEqual([
      expect.objectContaining({
        DomainName: {
          'Fn::Join': [
            '',
            [{ Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }],
          ],
        },
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      }),
    ]);
  });

  it('never caches the admin and subscription routes, and passes every method on the subscription routes', () => {
    expect(distribution().CacheBehaviors).toEqual([
      ...ADMIN_ROUTES.map((path) =>
        expect.objectContaining({ PathPattern: path, CachePolicyId: CACHING_DISABLED }),
      ),
      ...WRITE_PATHS.map((path) =>
        expect.objectContaining({
          PathPattern: path,
          CachePolicyId: CACHING_DISABLED,
          AllowedMethods: expect.arrayContaining(['POST', 'DELETE']),
        }),
      ),
    ]);
  });

  it('logs to the log bucket and puts no WAF (so no bot challenge) in front of feed readers', () => {
    expect(distribution().Logging).toEqual({
      Bucket: {
        'Fn::Join': [
          '',
          [importOf('LogsBucketName'), '.s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }],
        ],
      },
      Prefix: 'cloudfront/',
    });
    expect(distribution()).not.toHaveProperty('WebACLId');
  });

  it('serves a custom domain with TLS 1.2 (2021) over SNI when configured', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const custom = synthService({ context: { domainName: 'feeds.example.org', certificateArn } });
    const config = resourceOf(custom.statelessTemplate, 'AWS::CloudFront::Distribution', 'CdnDistribution')
      .props.DistributionConfig as Props;
    expect(config.Aliases).toEqual(['feeds.example.org']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });
});

describe('daily notifier schedule', () => {
  it('invokes the notifier daily at the configured time in the configured zone', () => {
    const role = resourceOf(template, 'AWS::IAM::Role', 'DailyNotifierInvokeRole');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fnIds.notifier, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [role.id, 'Arn'] },
      }),
    });
    expect(role.props.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        expect.objectContaining({
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role.id }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: [
              { 'Fn::GetAtt': [fnIds.notifier, 'Arn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fnIds.notifier, 'Arn'] }, ':*']] },
            ],
          },
        ],
      },
    });
  });

  it('takes the expression and time zone from context', () => {
    const custom = synthService({
      notifierEntry: fixtureNotifierEntry,
      context: { notifySchedule: 'cron(30 6 * * ? *)', notifyTimeZone: 'Europe/Berlin' },
    });
    custom.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });

  it.runIf(detectNotifierEntry() !== undefined)(
    'schedules the real notifier once functions/notify exists',
    () => {
      const real = synthService({ notifierEntry: detectNotifierEntry() });
      real.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 7 * * ? *)',
        ScheduleExpressionTimezone: 'UTC',
      });
    },
  );

  it('is left out, with its function, while there is no notifier handler; the topic stays', () => {
    const stateless = withoutNotifier.statelessTemplate;
    // The one schedule left is the reconcile's.
    stateless.resourceCountIs('AWS::Scheduler::Schedule', 1);
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: Match.stringLikeRegexp('reconcile'),
    });
    expect(withoutNotifier.stateless.notifierFunction).toBeUndefined();
    for (const fn of Object.values(stateless.findResources('AWS::Lambda::Function'))) {
      expect(
        (fn as { Properties: { Environment: { Variables: Props } } }).Properties.Environment.Variables,
      ).not.toHaveProperty('TOPIC_ARN');
    }
    expect(JSON.stringify(stateless.findResources('AWS::IAM::Policy'))).not.toContain('sns:Publish');
    withoutNotifier.statefulTemplate.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: Match.stringLikeRegexp('anniversary'),
    });
  });
});

describe('alarms', () => {
  const alarmTopic = [importOf('AlarmTopicArn')];
  const queueName = (key: string) => ({ 'Fn::Select': [5, { 'Fn::Split': [':', importOf(key)] }] });

  it('alarm when the DLQ holds any message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: queueName('DeadLetterQueueArn') }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: alarmTopic,
    });
  });

  it('alarm when the webhook delivery DLQ holds any message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: queueName('DeliveryDeadLetterQueueArn') }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: alarmTopic,
    });
  });

  it('alarm when the oldest ingest message is 15 minutes old', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: queueName('IngestQueueArn') }],
      Threshold: 900,
      AlarmActions: alarmTopic,
    });
  });

  const fnAlarms = (fnId: string) =>
    template.findResources('AWS::CloudWatch::Alarm', {
      Properties: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
      },
    });

  it('alarm on errors (crashes, timeouts) of the ingest and the notifier', () => {
    for (const fnId of [fnIds.ingest, fnIds.notifier]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: alarmTopic,
      });
    }
  });

  it('alarm on any 5xx answer of the HTTP API, where the API and admin failures show', () => {
    // Prepare
    const { stateless } = withNotifier;
    const apiId = stateless.getLogicalId(
      stateless.api.api.node.defaultChild as Parameters<typeof stateless.getLogicalId>[0],
    );

    // Assess: the HTTP wrapper turns every exception into a 500, so Lambda Errors of these two never move.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }],
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: alarmTopic,
      OKActions: alarmTopic,
    });
    expect(fnAlarms(fnIds.api)).toEqual({});
    expect(fnAlarms(fnIds.admin)).toEqual({});
  });

  it('alarm on DynamoDB throttling of the table and of both GSIs', () => {
    const throttleMetric = (metricName: string, index?: string) =>
      Match.objectLike({
        MetricStat: {
          Metric: {
            Namespace: 'AWS/DynamoDB',
            MetricName: metricName,
            Dimensions: [
              ...(index ? [{ Name: 'GlobalSecondaryIndexName', Value: index }] : []),
              { Name: 'TableName', Value: importOf('TableName') },
            ],
          },
          Period: 300,
          Stat: 'Sum',
        },
        ReturnData: false,
      });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('throttl'),
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('\\+'), ReturnData: true }),
        ...[undefined, 'ByMonthDayBrief'].flatMap((index) => [
          throttleMetric('ReadThrottleEvents', index),
          throttleMetric('WriteThrottleEvents', index),
        ]),
      ]),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: alarmTopic,
    });
  });

  it('alarm when a quarter of the objects the ingest handled in 5 minutes were rejected', () => {
    const ingestMetric = (id: string, metricName: string) =>
      Match.objectLike({
        Id: id,
        MetricStat: {
          Metric: {
            Namespace: INGEST_METRICS.namespace,
            MetricName: metricName,
            Dimensions: [{ Name: 'service', Value: 'context-feeds' }],
          },
          Period: 300,
          Stat: 'Sum',
        },
        ReturnData: false,
      });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          Expression: 'IF(processed > 0, 100 * rejected / processed, 0)',
          ReturnData: true,
        }),
        ingestMetric('rejected', INGEST_METRICS.rejected),
        ingestMetric('processed', INGEST_METRICS.processed),
      ]),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 25,
      TreatMissingData: 'notBreaching',
      AlarmActions: alarmTopic,
    });
  });

  it('alarm when ingest messages keep going back for retries, 15 minutes in a row', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: INGEST_METRICS.namespace,
      MetricName: INGEST_METRICS.retried,
      Dimensions: [{ Name: 'service', Value: 'context-feeds' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 10,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: alarmTopic,
      OKActions: alarmTopic,
    });
  });

  it('alarm on any malformed notification, read from the per-reason rejection metric', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: INGEST_METRICS.namespace,
      MetricName: INGEST_METRICS.rejected,
      // CloudFormation lists dimensions by name.
      Dimensions: [
        { Name: INGEST_METRICS.reasonDimension, Value: 'malformed-notification' },
        { Name: 'service', Value: 'context-feeds' },
      ],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: alarmTopic,
    });
  });

  it('keep every ingest metric an alarm reads among those the ingest publishes', () => {
    const published = new Set<string>([
      INGEST_METRICS.processed,
      INGEST_METRICS.ingested,
      INGEST_METRICS.rejected,
      INGEST_METRICS.retried,
    ]);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Props }[];
    const read = alarms.flatMap(({ Properties }) => [
      ...(Properties.Namespace === INGEST_METRICS.namespace ? [Properties.MetricName as string] : []),
      ...((Properties.Metrics as { MetricStat?: { Metric: Props } }[] | undefined) ?? [])
        .map((metric) => metric.MetricStat?.Metric)
        .filter((metric) => metric?.Namespace === INGEST_METRICS.namespace)
        .map((metric) => metric?.MetricName as string),
    ]);
    expect(read.length).toBeGreaterThanOrEqual(4);
    for (const name of read) expect(published).toContain(name);
  });
});

describe('outputs', () => {
  it('give the public (CloudFront) URL, the API URL, the bucket name and the topic ARN', () => {
    template.hasOutput('PublicUrl', {
      Value: {
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdnDistribution'), 'DomainName'] }, '/'],
        ],
      },
    });
    template.hasOutput('ApiUrl', { Value: Match.anyValue() });
    template.hasOutput('EventsBucketName', { Value: importOf('EventsBucketName') });
    template.hasOutput('NotificationTopicArn', { Value: importOf('NotificationTopicArn') });
  });
});
