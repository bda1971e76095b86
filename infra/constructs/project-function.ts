// The one way this project makes a Lambda function: shared bundling/runtime/logging defaults, plus bind
// helpers that set a function's env var and grant exactly the access it uses, together.
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { tableSchema } from '../../shared/store/table-schema';
import { type LogLevel, repoRoot } from '../stacks/config';
import { DEFAULT_FUNCTION_MEMORY_MB } from './function-memory';
import { leanSdkAliases } from './lean-sdk-clients';
import type { TablePartitionAccess } from './table-access';

/**
 * The Node.js runtime cdk-nag 3.0.2's AwsSolutions-L1 accepts: it takes the highest `nodejs*` version in
 * aws-cdk-lib's `Runtime.ALL`, which for aws-cdk-lib 2.276 is nodejs24.x.
 */
export const PROJECT_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * Modules the bundles replace (esbuild `alias`; paths relative to the project root, where the CDK runs esbuild).
 * The SDK clients' default credential chain becomes the environment credentials Lambda sets: the rest of the
 * chain never answers in Lambda and costs each bundle ~110 KB (shared/aws/lambda-credentials.ts says why).
 * `feed`'s xml-js becomes its XML writer alone, without the parser `feed` never calls
 * (shared/feeds/xml-js-writer.ts says why).
 */
export const PROJECT_BUNDLE_ALIASES = {
  '@aws-sdk/credential-provider-node': './shared/aws/lambda-credentials.ts',
  'xml-js': './shared/feeds/xml-js-writer.ts',
} as const;

/**
 * Injected into every bundle (esbuild `inject`, relative to the project root): stack traces mapped to the
 * TypeScript sources through the bundle's source map, read when a stack is first formatted instead of at
 * every cold start as `--enable-source-maps` does (shared/aws/lambda-stack-traces.ts).
 */
export const PROJECT_BUNDLE_INJECT = ['./shared/aws/lambda-stack-traces.ts'];

/**
 * Every module the bundles replace: PROJECT_BUNDLE_ALIASES, and each AWS SDK client by its lean copy
 * (lean-sdk-clients.ts says why), made under node_modules/.cache on first use.
 */
export function projectBundleAliases(): Record<string, string> {
  bundleAliases ??= { ...PROJECT_BUNDLE_ALIASES, ...leanSdkAliases(repoRoot) };
  return bundleAliases;
}
let bundleAliases: Record<string, string> | undefined;

/** How every function is bundled; bench/suite/cold-start-step.ts builds the same bundles to measure them. */
export const PROJECT_BUNDLING = {
  format: nodejs.OutputFormat.ESM,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  bundleAwsSDK: true,
  mainFields: ['module', 'main'],
  // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
  banner:
    "import { createRequire as __projectCreateRequire } from 'node:module'; const require = __projectCreateRequire(import.meta.url);",
  inject: PROJECT_BUNDLE_INJECT,
} satisfies nodejs.BundlingOptions;

/** PROJECT_BUNDLING with its aliases, as the CDK takes them: one `--alias:<module>=<path>` argument per entry. */
export function projectBundling() {
  return {
    ...PROJECT_BUNDLING,
    esbuildArgs: {
      '--alias': Object.entries(projectBundleAliases()).map(([module, path]) => `${module}=${path}`),
    },
  } satisfies nodejs.BundlingOptions;
}

export interface ProjectFunctionProps {
  /** Absolute path of the handler module; it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly serviceName: string;
  readonly logLevel: LogLevel;
  readonly logRetention: logs.RetentionDays;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
}

/** A value imported from the stateful stack, and how cdk-nag spells it in a finding id. */
export interface ImportedValue {
  readonly value: string;
  readonly nagReference: string;
}

/** What a table binding may do. `read` covers the API and admin handlers; `readWrite` the ingest. */
export type TableAccess = 'read' | 'readWrite';

/**
 * The DynamoDB calls shared/store makes: GetItem, BatchGetItem (a page of month-day entries, related
 * links, a batch's event items) and Query to read; Put/Update/Delete/BatchWrite to write.
 */
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * NodejsFunction with the project's defaults:
 * - Node.js 24 on arm64 (cheaper per GB-second than x86_64, and the handlers have no native modules).
 * - esbuild, minified ESM with source maps; stack traces point at TypeScript through the injected
 *   shared/aws/lambda-stack-traces.ts, which reads the map only when a stack is formatted (no
 *   `NODE_OPTIONS=--enable-source-maps`, which parses it at every cold start).
 * - The AWS SDK v3 is bundled, not taken from the runtime: the deployed SDK is then exactly the version in
 *   package-lock.json that the unit tests ran against, it cannot change under us when Lambda updates the
 *   runtime's copy, and tree-shaken, minified clients cost less cold start than loading the runtime's full
 *   packages from disk.
 * - Its own log group with a retention, and its own role that may write only to that log group (no
 *   AWSLambdaBasicExecutionRole, which would grant logs:CreateLogGroup on `*`).
 * - The Powertools environment (service name and log level).
 */
export class ProjectFunction extends nodejs.NodejsFunction {
  private readonly bindings = new Set<string>();

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: props.logRetention });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}: its log group plus the grants of its bind helpers.`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: PROJECT_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}/package-lock.json`,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
      bundling: projectBundling(),
    });
  }

  /**
   * Sets TABLE_NAME and grants table access. A `TablePartitionAccess` (infra/constructs/table-access.ts) grants
   * exactly its actions, each limited with `dynamodb:LeadingKeys` to its partitions, and the index Query to its
   * index partitions in a statement of its own. `'read'` / `'readWrite'` grant the item-level actions on the
   * whole table and its GSI (no Describe/Stream/Scan); prefer a partition access.
   */
  bindTable(
    table: { tableName: string; tableArn: string },
    access: TableAccess | TablePartitionAccess,
  ): this {
    this.once('table');
    this.addEnvironment('TABLE_NAME', table.tableName);
    const indexArn = `${table.tableArn}/index/${tableSchema.monthDayIndex.name}`;
    if (typeof access === 'string') {
      const actions =
        access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
      this.addToRolePolicy(
        new iam.PolicyStatement({
          sid: access === 'read' ? 'ReadEventsTable' : 'ReadWriteEventsTable',
          actions,
          resources: [table.tableArn, indexArn],
        }),
      );
      return this;
    }
    // ForAllValues: every partition key the request names must match a pattern. Only actions that name
    // their keys (item, batch and Query requests) are granted: a Scan names none and would pass.
    const onPartitions = (partitions: readonly string[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] },
    });
    const dynamo = (actions: readonly string[]) => actions.map((action) => `dynamodb:${action}`);
    if (access.read) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadOwnPartitions',
          actions: dynamo(access.read.actions),
          resources: [table.tableArn],
          conditions: onPartitions(access.read.partitions),
        }),
      );
    }
    if (access.queryMonthDayIndex) {
      // A Query of a GSI names the index's partition key value (`MD#…`), not a table partition: a statement
      // of its own, on the index ARN only. Key-only entries: the events are then read from the table.
      this.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'QueryMonthDayIndex',
          actions: ['dynamodb:Query'],
          resources: [indexArn],
          conditions: onPartitions(access.queryMonthDayIndex),
        }),
      );
    }
    if (access.write) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'WriteOwnPartitions',
          actions: dynamo(access.write.actions),
          resources: [table.tableArn],
          conditions: onPartitions(access.write.partitions),
        }),
      );
    }
    return this;
  }

  /**
   * Grants reading the exact object versions named in S3 notifications, under the event prefixes only,
   * plus s3:ListBucket on the bucket itself: without it S3 answers a GetObject for a key or version that
   * no longer exists with 403 AccessDenied instead of 404 NoSuchKey/NoSuchVersion, and the ingest could not
   * tell "gone, skip it" from a real permission error.
   * Object ARNs need a trailing wildcard because keys are not known at deploy time; that finding is
   * acknowledged here, per prefix, so any other wildcard on this role is still reported.
   */
  bindEventObjectsRead(bucketArn: ImportedValue, prefixes: readonly string[]): this {
    this.once('bucket');
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadEventObjects',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: prefixes.map((prefix) => `${bucketArn.value}/${prefix}*`),
      }),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'TellMissingObjects',
        actions: ['s3:ListBucket'],
        resources: [bucketArn.value],
      }),
    );
    for (const prefix of prefixes) {
      Validations.of(this.role as iam.Role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketArn.nagReference}/${prefix}*]`,
        reason: `Object keys under "${prefix}" are only known when S3 reports them, so s3:GetObject/GetObjectVersion must name the prefix with a trailing wildcard; it is limited to this service's events bucket and its event prefixes.`,
      });
    }
    return this;
  }

  /** Sets TOPIC_ARN and grants sns:Publish on that topic only. */
  bindTopicPublish(topic: sns.ITopic): this {
    this.once('topic');
    this.addEnvironment('TOPIC_ARN', topic.topicArn);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishNotifications',
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
      }),
    );
    return this;
  }

  /**
   * Consumes the queue with partial batch responses; the event source grants receive/delete on it. Sets
   * MAX_RECEIVE_COUNT to the queue's redrive `maxReceiveCount` (pass the value the queue was built with),
   * so the function knows a message's last receive before SQS moves it to the DLQ.
   */
  consumeQueue(
    queue: sqs.IQueue,
    options: {
      batchSize: number;
      maxBatchingWindow: Duration;
      maxConcurrency: number;
      maxReceiveCount: number;
    },
  ): this {
    this.once('queue');
    this.addEnvironment('MAX_RECEIVE_COUNT', String(options.maxReceiveCount));
    this.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize,
        maxBatchingWindow: options.maxBatchingWindow,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    return this;
  }

  /** Sets DELIVERY_QUEUE_URL and grants sqs:SendMessage on that queue only. */
  bindQueueSend(queue: sqs.IQueue): this {
    this.once('queue-send');
    this.addEnvironment('DELIVERY_QUEUE_URL', queue.queueUrl);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendDeliveries',
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
      }),
    );
    return this;
  }

  /**
   * Sets NOTIFICATION_TOPIC_ARN and grants creating and deleting subscriptions on that topic only: Subscribe
   * on the topic, Unsubscribe on the topic's subscriptions (`<topic ARN>:<id>`), nothing else.
   */
  bindTopicSubscriptions(topic: sns.ITopic, topicArn: ImportedValue): this {
    this.once('topic-subscriptions');
    this.addEnvironment('NOTIFICATION_TOPIC_ARN', topic.topicArn);
    this.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'Subscribe', actions: ['sns:Subscribe'], resources: [topic.topicArn] }),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'Unsubscribe',
        actions: ['sns:Unsubscribe'],
        resources: [topic.topicArn, `${topic.topicArn}:*`],
      }),
    );
    Validations.of(this.role as iam.Role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${topicArn.nagReference}:*]`,
      reason:
        'Subscription ARNs are <topic ARN>:<uuid>, known only once SNS creates them; the wildcard covers subscriptions of this one topic and sns:Unsubscribe only.',
    });
    return this;
  }

  /** `<LogicalId.Arn>` as cdk-nag spells this function's ARN in findings (same-stack GetAtt). */
  get nagArnReference(): string {
    const stack = Stack.of(this);
    return `<${stack.getLogicalId(this.node.defaultChild as lambda.CfnFunction)}.Arn>`;
  }

  private once(kind: string): void {
    if (this.bindings.has(kind)) throw new Error(`${this.node.path}: ${kind} is already bound`);
    this.bindings.add(kind);
  }
}
