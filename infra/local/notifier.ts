// The notifier locally: the same Notifier and delivery handler as in AWS, with the local delivery queue
// instead of SQS and no SNS. Used by the local stack's daily run and by `npm run notify`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LeapPolicy } from '../../shared/domain/calendar';
import { addDays, dayIn, startOfDayIn } from '../../shared/notify/anniversaries';
import { messageLinks } from '../../shared/notify/links';
import { Notifier, type NotifyReport } from '../../shared/notify/notifier';
import { EventsTable } from '../../shared/store/events-table';
import { DeliveryMarkers, type DeliveryRecord } from '../../shared/subscriptions/delivery-markers';
import { newSealingKeyPair, publicKeyOf } from '../../shared/subscriptions/secrets';
import { SubscriptionStore } from '../../shared/subscriptions/subscription-store';
import { LocalDeliveryQueue } from './delivery-queue';

/** Receives per digest locally, as the delivery queue's redrive policy in AWS. */
export const localDeliveryReceives = 4;

/**
 * The data dir's sealing key (made on first use): the API seals webhook secrets with its public half,
 * the delivery handler opens them with the private one. Sets both in the environment the handlers read.
 */
export function prepareDeliveryEnvironment(dataDir: string): void {
  const path = join(dataDir, 'webhook-sealing-key.pem');
  if (!existsSync(path)) writeFileSync(path, newSealingKeyPair().privateKeyPem, { mode: 0o600 });
  const privateKeyPem = readFileSync(path, 'utf8');
  Object.assign(process.env, {
    WEBHOOK_SEALING_PRIVATE_KEY: privateKeyPem,
    WEBHOOK_SEALING_PUBLIC_KEY: publicKeyOf(privateKeyPem),
    // Receivers on this machine are the point of the local stack.
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WEBHOOK_TIMEOUT_MS: process.env.WEBHOOK_TIMEOUT_MS ?? '5000',
  });
}

export interface LocalNotifierOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  publicBaseUrl: string;
  timeZone: string;
  leap?: LeapPolicy;
  now?: () => Date;
  retryDelayMs?: (receiveCount: number) => number;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface LocalNotifier {
  notifier: Notifier;
  queue: LocalDeliveryQueue;
  markers: DeliveryMarkers;
  /** Runs the notifier and waits until every digest was delivered, retried out or dead-lettered. */
  runAndDrain(request?: {
    date?: string;
    recover?: boolean;
  }): Promise<{ report: NotifyReport; outcomes: DeliveryRecord[] }>;
  close(): void;
}

/** Call after `prepareDeliveryEnvironment` and with TABLE_NAME / DYNAMODB_ENDPOINT set: the handler reads them at import. */
export async function localNotifier(options: LocalNotifierOptions): Promise<LocalNotifier> {
  process.env.MAX_RECEIVE_COUNT ??= String(localDeliveryReceives);
  const { handler } = await import('../../functions/deliver/handler');
  const queue = new LocalDeliveryQueue({
    handler,
    maxReceiveCount: localDeliveryReceives,
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
    deadLetter: (message, receiveCount) =>
      options.log('webhook digest dead-lettered', {
        subscription: message.subscriptionId,
        day: message.day,
        receiveCount,
      }),
    onError: (error) => options.log('delivery invocation failed', { error: String(error) }),
  });
  const markers = new DeliveryMarkers(options.client, options.tableName);
  const notifier = new Notifier({
    store: new EventsTable(options.client, options.tableName),
    subscriptions: new SubscriptionStore(options.client, options.tableName),
    markers,
    queue,
    links: messageLinks(options.publicBaseUrl),
    timeZone: options.timeZone,
    leap: options.leap ?? 'feb28',
    now: options.now ?? (() => new Date()),
    staleClaimMs: 600_000,
  });
  return {
    notifier,
    queue,
    markers,
    async runAndDrain(request = {}) {
      const report = await notifier.run(request);
      await queue.drain();
      const days = new Set(report.webhooks.queued.map((queued) => queued.day));
      const outcomes = (await Promise.all([...days].map((day) => markers.ofDay(day)))).flat();
      return {
        report,
        outcomes: outcomes.filter((o) => report.webhooks.queued.some((q) => o.channel === `webhook#${q.id}`)),
      };
    },
    close: () => queue.close(),
  };
}

/** The next instant after `now` at `time` (HH:MM) in `timeZone`. */
export function nextRunAt(time: string, timeZone: string, now: Date): Date {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  let day = dayIn(timeZone, now).day;
  for (;;) {
    const at = new Date(startOfDayIn(day, timeZone).getTime() + (hours * 60 + minutes) * 60_000);
    if (at > now) return at;
    day = addDays(day, 1);
  }
}

/** The local stack's daily run, at `time` in `timeZone`, like the EventBridge schedule in AWS. */
export function scheduleDaily(
  notifier: LocalNotifier,
  time: string,
  timeZone: string,
  log: LocalNotifierOptions['log'],
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const at = nextRunAt(time, timeZone, new Date());
    timer = setTimeout(() => {
      notifier
        .runAndDrain()
        .then(({ report }) => log('daily notifier run', { report }))
        .catch((error: unknown) => log('daily notifier run failed', { error: String(error) }))
        .finally(arm);
    }, at.getTime() - Date.now());
    // The schedule alone must not keep the process alive.
    timer.unref();
  };
  arm();
  return { stop: () => clearTimeout(timer) };
}
