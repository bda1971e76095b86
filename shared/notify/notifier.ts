// The daily notifier: the day's anniversaries to SNS (one message per topic, plus the `*` digest) and one
// digest per webhook subscription to the delivery queue, each behind an at-most-once marker.
import type { LeapPolicy } from '../domain/calendar';
import type { ReadStore } from '../store/events-table';
import type { DeliveryMarkers } from '../subscriptions/delivery-markers';
import type { Channel } from '../subscriptions/keys';
import type { SubscriptionStore, WebhookTarget } from '../subscriptions/subscription-store';
import { type Anniversary, anniversariesOf, type DeliveryDay, dayIn, explicitDay } from './anniversaries';
import { type DeliveryMessage, type DeliveryQueue, webhookIdOf } from './delivery-queue';
import { type MessageLinks, snsMessagesFor, webhookDigest } from './messages';
import type { SnsPublisher } from './sns-publisher';

export interface NotifierDeps {
  store: Pick<ReadStore, 'monthDayEvents'>;
  subscriptions: Pick<SubscriptionStore, 'webhooks'>;
  markers: DeliveryMarkers;
  /** Absent where SNS does not run (the local stack). */
  sns?: SnsPublisher | undefined;
  queue: DeliveryQueue;
  links: MessageLinks;
  /** The zone of the schedule: "today" for SNS, and for subscriptions that name no zone of their own. */
  timeZone: string;
  leap: LeapPolicy;
  now: () => Date;
  /**
   * How long a claim may stay `claimed` before a recovering run may take it over: longer than a run can
   * last, so a live run's claim is never taken.
   */
  staleClaimMs: number;
}

export interface NotifyRequest {
  /** `MM-DD` or `YYYY-MM-DD`, for a backfill; absent: today (in each subscription's zone). */
  date?: string | undefined;
  /** Also resend what a crashed run claimed but may not have sent (docs/notifications.md). */
  recover?: boolean | undefined;
}

export interface NotifyReport {
  day: string;
  sns: { published: string[]; skipped: string[]; failed: string[]; disabled: boolean };
  webhooks: {
    queued: { id: string; day: string; events: number }[];
    skipped: string[];
    empty: string[];
    failed: string[];
  };
}

type Claimed = 'claimed' | 'marked';

export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  async run(request: NotifyRequest = {}): Promise<NotifyReport> {
    const now = this.deps.now();
    const day =
      request.date === undefined
        ? dayIn(this.deps.timeZone, now)
        : explicitDay(request.date, this.deps.timeZone, now);
    const days = new Map<string, Promise<Anniversary[]>>();
    const anniversaries = (target: DeliveryDay) => {
      let found = days.get(target.day);
      if (found === undefined) {
        found = anniversariesOf(this.deps.store, target, { leap: this.deps.leap });
        days.set(target.day, found);
      }
      return found;
    };
    const report: NotifyReport = {
      day: day.day,
      sns: { published: [], skipped: [], failed: [], disabled: this.deps.sns === undefined },
      webhooks: { queued: [], skipped: [], empty: [], failed: [] },
    };
    await this.notifySns(day, await anniversaries(day), request, report);
    for await (const page of this.deps.subscriptions.webhooks()) {
      const targets = page.map((target) => ({
        target,
        // Without an explicit date each subscription gets the day it is in its own zone.
        day: request.date === undefined ? dayIn(target.tz ?? this.deps.timeZone, now) : day,
      }));
      await this.notifyWebhooks(targets, anniversaries, request, report);
    }
    return report;
  }

  /** Claims the marker; with `recover`, also takes over a claim a crashed run left behind. */
  private async claim(day: string, channel: Channel, request: NotifyRequest): Promise<Claimed> {
    const now = this.deps.now();
    if (await this.deps.markers.claim(day, channel, now)) return 'claimed';
    if (!request.recover) return 'marked';
    const key = channel.kind === 'webhook' ? `webhook#${channel.subscriptionId}` : `sns#${channel.topic}`;
    const stale = (await this.deps.markers.ofDay(day)).find(
      (marker) =>
        marker.channel === key &&
        marker.state === 'claimed' &&
        now.getTime() - Date.parse(marker.claimedAt) > this.deps.staleClaimMs,
    );
    if (stale && (await this.deps.markers.reclaim(day, channel, stale.claimedAt, now))) return 'claimed';
    return 'marked';
  }

  private async notifySns(
    day: DeliveryDay,
    anniversaries: Anniversary[],
    request: NotifyRequest,
    report: NotifyReport,
  ): Promise<void> {
    const { sns } = this.deps;
    if (sns === undefined) return;
    const messages = snsMessagesFor(day.day, anniversaries, this.deps.links);
    const claimed = [];
    for (const message of messages) {
      const channel: Channel = { kind: 'sns', topic: message.topic };
      if ((await this.claim(day.day, channel, request)) === 'claimed') claimed.push(message);
      else report.sns.skipped.push(message.topic);
    }
    if (claimed.length === 0) return;
    for (const outcome of await sns.publish(claimed)) {
      const channel: Channel = { kind: 'sns', topic: outcome.topic };
      if ('messageId' in outcome) {
        await this.deps.markers.settle(day.day, channel, 'sent', this.deps.now(), outcome.messageId);
        report.sns.published.push(outcome.topic);
      } else {
        // SNS refused this entry: nothing went out, so the claim goes and a rerun may send it.
        await this.deps.markers.release(day.day, channel);
        report.sns.failed.push(outcome.topic);
      }
    }
  }

  private async notifyWebhooks(
    targets: { target: WebhookTarget; day: DeliveryDay }[],
    anniversaries: (day: DeliveryDay) => Promise<Anniversary[]>,
    request: NotifyRequest,
    report: NotifyReport,
  ): Promise<void> {
    const messages: { message: DeliveryMessage; events: number }[] = [];
    for (const { target, day } of targets) {
      const digest = webhookDigest(
        target,
        day.day,
        await anniversaries(day),
        this.deps.links,
        this.deps.now(),
      );
      if (digest === undefined) {
        report.webhooks.empty.push(target.id);
        continue;
      }
      const channel: Channel = { kind: 'webhook', subscriptionId: target.id };
      if ((await this.claim(day.day, channel, request)) !== 'claimed') {
        report.webhooks.skipped.push(target.id);
        continue;
      }
      messages.push({
        message: {
          subscriptionId: target.id,
          day: day.day,
          webhookId: webhookIdOf(target.id, day.day),
          payload: JSON.stringify(digest),
        },
        events: digest.data.events.length + digest.data.truncated,
      });
    }
    if (messages.length === 0) return;
    const { failed } = await this.deps.queue.send(messages.map(({ message }) => message));
    const refused = new Set(failed);
    for (const { message, events } of messages) {
      const channel: Channel = { kind: 'webhook', subscriptionId: message.subscriptionId };
      if (refused.has(message.webhookId)) {
        await this.deps.markers.release(message.day, channel);
        report.webhooks.failed.push(message.subscriptionId);
        continue;
      }
      await this.deps.markers.settle(message.day, channel, 'queued', this.deps.now());
      report.webhooks.queued.push({ id: message.subscriptionId, day: message.day, events });
    }
  }
}
