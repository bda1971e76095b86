// CDK context: defaults (kept equal to cdk.json), overrides from `-c`, and refusals of bad values.
import { existsSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  CONTEXT_DEFAULTS,
  detectNotifierEntry,
  handlerEntry,
  ingestTuning,
  readConfig,
} from '../../infra/stacks/config';
import { cdkJsonContext } from './support';

const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('readConfig', () => {
  it('has the defaults that cdk.json shows', () => {
    for (const [key, value] of Object.entries(CONTEXT_DEFAULTS))
      expect(cdkJsonContext[key], key).toEqual(value);
    expect(configFrom({})).toMatchObject({
      ...CONTEXT_DEFAULTS,
      publicBaseUrl: undefined,
      alarmEmail: undefined,
    });
  });

  it('reads overrides given on the command line as strings', () => {
    const config = configFrom({
      serviceName: 'feeds-staging',
      eventPrefixes: 'news/, inbox/',
      notifySchedule: 'cron(15 6 * * ? *)',
      notifyTimeZone: 'Asia/Shanghai',
      logLevel: 'debug',
      logRetentionDays: '90',
      apiThrottleRateLimit: '10',
      publicBaseUrl: 'https://feeds.example.org',
    });
    expect(config).toMatchObject({
      serviceName: 'feeds-staging',
      eventPrefixes: ['news/', 'inbox/'],
      notifySchedule: 'cron(15 6 * * ? *)',
      notifyTimeZone: 'Asia/Shanghai',
      logLevel: 'DEBUG',
      logRetentionDays: 90,
      apiThrottleRateLimit: 10,
      publicBaseUrl: 'https://feeds.example.org',
    });
  });

  it.each([
    [{ serviceName: 'Bad Name' }, /serviceName/],
    [{ eventPrefixes: 'news' }, /eventPrefixes/],
    [{ eventPrefixes: ['news/', 'news/2024/'] }, /overlapping/],
    [{ notifySchedule: 'cron(0 7 * * *)' }, /notifySchedule/],
    [{ notifyTimeZone: 'Mars/Olympus' }, /notifyTimeZone/],
    [{ publicBaseUrl: 'http://insecure.example.org' }, /publicBaseUrl/],
    [{ logLevel: 'LOUD' }, /logLevel/],
    [{ logRetentionDays: 31 }, /logRetentionDays/],
    [{ domainName: 'feeds.example.org' }, /certificateArn must be set together/],
    [
      { domainName: 'a.example.org', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x' },
      /us-east-1/,
    ],
  ])('refuses %o', (context, message) => {
    expect(() => configFrom(context)).toThrow(message);
  });
});

describe('ingest tuning', () => {
  it('keeps the visibility timeout at six function timeouts plus the batching window', () => {
    expect(ingestTuning.visibilityTimeout.toSeconds()).toBe(
      6 * ingestTuning.timeout.toSeconds() + ingestTuning.maxBatchingWindow.toSeconds(),
    );
  });
});

describe('detectNotifierEntry', () => {
  it('finds functions/notify/handler.ts exactly when it exists', () => {
    const entry = handlerEntry('notify');
    expect(detectNotifierEntry()).toBe(existsSync(entry) ? entry : undefined);
  });
});
