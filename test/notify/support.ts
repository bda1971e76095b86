// Shared set-up for the notifier and delivery tests: a store with events, subscriptions and markers on one
// fresh dynalite table, and a delivery queue that records what it was given.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NewsEvent } from '../../shared/domain/event';
import type { DeliveryMessage, DeliveryQueue } from '../../shared/notify/delivery-queue';
import { messageLinks } from '../../shared/notify/links';
import { EventsTable } from '../../shared/store/events-table';
import { DeliveryMarkers } from '../../shared/subscriptions/delivery-markers';
import { hashToken, newWebhookSecret, type SecretSealer } from '../../shared/subscriptions/secrets';
import { SubscriptionStore } from '../../shared/subscriptions/subscription-store';
import { fileContribution, steppingClock } from '../support/events';

export const links = messageLinks('https://feeds.example.net');

export interface Tables {
  store: EventsTable;
  subscriptions: SubscriptionStore;
  markers: DeliveryMarkers;
}

export function tablesOn(doc: DynamoDBDocumentClient, tableName: string): Tables {
  return {
    store: new EventsTable(doc, tableName, { now: steppingClock('2026-01-10T08:00:00.000Z') }),
    subscriptions: new SubscriptionStore(doc, tableName),
    markers: new DeliveryMarkers(doc, tableName),
  };
}

export async function putEvents(store: EventsTable, ...events: NewsEvent[]): Promise<void> {
  for (const event of events) {
    await store.putEvents({ key: `news/${event.id}.md`, sequencer: '01' }, [
      fileContribution(`news/${event.id}.md`, event),
    ]);
  }
}

/** Adds a webhook subscription and returns its secret (sealed in the table as the API would). */
export async function addWebhook(
  subscriptions: SubscriptionStore,
  sealer: SecretSealer,
  subscription: { id: string; endpoint: string; topics: string[]; tz?: string },
): Promise<string> {
  const secret = newWebhookSecret();
  await subscriptions.create({
    protocol: 'webhook',
    ...subscription,
    tokenHash: hashToken(`token-of-${subscription.id}`),
    sealedSecret: sealer.seal(secret),
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  return secret;
}

export function recordingQueue(): DeliveryQueue & { sent: DeliveryMessage[] } {
  const sent: DeliveryMessage[] = [];
  return {
    sent,
    async send(messages) {
      sent.push(...messages);
      return { failed: [] };
    },
  };
}
