// Deploy-time settings: read once from CDK context (cdk.json or `-c key=value`), checked, with defaults.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { INGEST_BATCH_SIZE } from '../../shared/ingest/batched-store';
import type { FunctionName } from '../constructs/function-memory';
import { eventSourceVisibility } from '../constructs/queues';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

/** The handler entry of one function folder, e.g. `functions/api/handler.ts`. */
export function handlerEntry(name: FunctionName): string {
  return resolve(repoRoot, 'functions', name, 'handler.ts');
}

/** The notifier arrives with a later issue: deploy it (and its schedule) only once its handler exists. */
export function detectNotifierEntry(): string | undefined {
  const entry = handlerEntry('notify');
  return existsSync(entry) ? entry : undefined;
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ServiceConfig {
  /** Prefix of the stack names and export names; also POWERTOOLS_SERVICE_NAME. */
  serviceName: string;
  /** Key prefixes whose object events go to the ingest queue. */
  eventPrefixes: string[];
  /** EventBridge Scheduler expression of the daily notifier, e.g. `cron(0 7 * * ? *)`. */
  notifySchedule: string;
  /** IANA time zone the schedule is evaluated in. */
  notifyTimeZone: string;
  /** Canonical public URL (custom domain) for absolute links; unset: the API derives it per request. */
  publicBaseUrl: string | undefined;
  logLevel: LogLevel;
  logRetentionDays: RetentionDays;
  apiThrottleRateLimit: number;
  apiThrottleBurstLimit: number;
  /** Optional e-mail address subscribed to the operations alarm topic. */
  alarmEmail: string | undefined;
  /** Optional custom domain for CloudFront; needs `certificateArn` (ACM, us-east-1). */
  domainName: string | undefined;
  certificateArn: string | undefined;
  /** PEM public key that seals webhook secrets (its private half goes into the WebhookSealingKey secret). */
  webhookSealingPublicKey: string | undefined;
}

/** Defaults, also written to cdk.json so that they are visible there (a test keeps the two equal). */
export const CONTEXT_DEFAULTS = {
  serviceName: 'context-feeds',
  eventPrefixes: ['news/', 'zh/news/', 'inbox/'],
  notifySchedule: 'cron(0 7 * * ? *)',
  notifyTimeZone: 'UTC',
  logLevel: 'INFO',
  logRetentionDays: 30,
  apiThrottleRateLimit: 50,
  apiThrottleBurstLimit: 100,
} as const;

/**
 * Ingest tuning shared by the queue (stateful) and the function (stateless). The queue's visibility
 * timeout must cover six function timeouts plus the batching window (AWS guidance for SQS event sources),
 * so both stacks derive their values from here.
 */
export const ingestTuning = {
  timeout: Duration.seconds(60),
  /** S3 events per invocation, collected for up to 5 s: bulk uploads fill batches, single edits wait ≤ 5 s. */
  batchSize: INGEST_BATCH_SIZE,
  maxBatchingWindow: Duration.seconds(5),
  /** Caps parallel pollers so a bulk upload stays under one partition's write rate on `ALL#<lang>`. */
  maxConcurrency: 10,
  /**
   * Receives before SQS moves a failing message to the DLQ. The queue's redrive policy and the ingest
   * function's MAX_RECEIVE_COUNT both come from here: on that receive the ingest records the rejection.
   */
  maxReceiveCount: 4,
  get visibilityTimeout(): Duration {
    return eventSourceVisibility(this.timeout, this.maxBatchingWindow);
  },
} as const;

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

export function readConfig(node: Node): ServiceConfig {
  const raw = (key: string): unknown => {
    const value: unknown = node.tryGetContext(key);
    return value === null || value === '' ? undefined : value;
  };
  const text = (key: string, fallback?: string): string | undefined => {
    const value = raw(key) ?? fallback;
    if (value !== undefined && typeof value !== 'string') fail(key, 'must be a string');
    return value as string | undefined;
  };
  const int = (key: string, fallback: number): number => {
    const value = Number(raw(key) ?? fallback);
    if (!Number.isInteger(value) || value <= 0) fail(key, 'must be a positive integer');
    return value;
  };

  const serviceName = text('serviceName', CONTEXT_DEFAULTS.serviceName) as string;
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(serviceName)) {
    fail('serviceName', 'must be 2-41 lowercase letters, digits or hyphens, starting with a letter');
  }

  const eventPrefixes = list(raw('eventPrefixes') ?? CONTEXT_DEFAULTS.eventPrefixes);
  if (eventPrefixes.length === 0 || eventPrefixes.some((p) => !/^[A-Za-z0-9._\-/]+\/$/.test(p))) {
    fail('eventPrefixes', 'must be a non-empty list of key prefixes ending in "/"');
  }
  // S3 rejects two notification rules for the same event type whose prefixes overlap.
  eventPrefixes.forEach((a, i) => {
    if (eventPrefixes.some((b, j) => j !== i && b.startsWith(a)))
      fail('eventPrefixes', `has overlapping "${a}"`);
  });

  const notifySchedule = text('notifySchedule', CONTEXT_DEFAULTS.notifySchedule) as string;
  if (!/^(cron\((\S+ ){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/.test(notifySchedule)) {
    fail(
      'notifySchedule',
      'must be an EventBridge Scheduler cron(...) with 6 fields or rate(...) expression',
    );
  }

  const notifyTimeZone = text('notifyTimeZone', CONTEXT_DEFAULTS.notifyTimeZone) as string;
  try {
    new Intl.DateTimeFormat('en', { timeZone: notifyTimeZone });
  } catch {
    fail('notifyTimeZone', `"${notifyTimeZone}" is not an IANA time zone`);
  }

  const publicBaseUrl = text('publicBaseUrl');
  if (publicBaseUrl !== undefined && !/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicBaseUrl)) {
    fail('publicBaseUrl', 'must be an https:// URL');
  }

  const logLevel = (text('logLevel', CONTEXT_DEFAULTS.logLevel) as string).toUpperCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) fail('logLevel', `must be one of ${LOG_LEVELS.join(', ')}`);

  const logRetentionDays = int('logRetentionDays', CONTEXT_DEFAULTS.logRetentionDays);
  if (!Object.values(RetentionDays).includes(logRetentionDays)) {
    fail('logRetentionDays', 'must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)');
  }

  const domainName = text('domainName');
  const certificateArn = text('certificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    fail('domainName', 'domainName and certificateArn must be set together');
  }
  if (
    certificateArn !== undefined &&
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/.+$/.test(certificateArn)
  ) {
    fail('certificateArn', 'must be an ACM certificate ARN in us-east-1 (CloudFront requires it there)');
  }

  const webhookSealingPublicKey = text('webhookSealingPublicKey');
  if (
    webhookSealingPublicKey !== undefined &&
    !webhookSealingPublicKey.includes('-----BEGIN PUBLIC KEY-----')
  ) {
    fail('webhookSealingPublicKey', 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
  }

  return {
    serviceName,
    eventPrefixes,
    notifySchedule,
    notifyTimeZone,
    publicBaseUrl,
    logLevel,
    logRetentionDays: logRetentionDays as RetentionDays,
    apiThrottleRateLimit: int('apiThrottleRateLimit', CONTEXT_DEFAULTS.apiThrottleRateLimit),
    apiThrottleBurstLimit: int('apiThrottleBurstLimit', CONTEXT_DEFAULTS.apiThrottleBurstLimit),
    alarmEmail: text('alarmEmail'),
    domainName,
    certificateArn,
    webhookSealingPublicKey,
  };
}

/** Context from cdk.json arrives as JSON; from `-c key=a,b` as a string. Accept both. */
function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) return list(JSON.parse(trimmed));
    return trimmed
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return [];
}

function fail(key: string, message: string): never {
  throw new Error(`CDK context "${key}" ${message}.`);
}
