// Item keys and codecs of subscriptions, delivery markers and rate-limit windows: their own prefixes in the
// events table (docs/table-design.md, "Subscriptions and deliveries"). Items are read back through zod.

import { tableSchema } from '../store/table-schema';
import * as z from '../zod';

const { partitionKey: PK, sortKey: SK } = tableSchema;

export type SubscriptionKind = 'webhook' | 'sns';

/** Subscription ids carry their kind, so `GET /subscriptions/{id}` knows the partition without a lookup. */
const idPrefixes: Record<SubscriptionKind, string> = { webhook: 'wh_', sns: 'sn_' };

export function kindOfSubscriptionId(id: string): SubscriptionKind | undefined {
  if (!/^(wh|sn)_[A-Za-z0-9_-]{16,64}$/.test(id)) return undefined;
  return id.startsWith(idPrefixes.webhook) ? 'webhook' : 'sns';
}

export function subscriptionIdOf(kind: SubscriptionKind, random: string): string {
  return `${idPrefixes[kind]}${random}`;
}

export const subscriptionPartition = (kind: SubscriptionKind) => `SUBSCRIPTION#${kind}`;

/**
 * The partition-key prefixes each writer may touch: IAM limits their table writes to these with
 * `dynamodb:LeadingKeys`, so the API and the delivery functions can never write an event item.
 */
export const writablePrefixes = {
  api: ['SUBSCRIPTION#', 'RATE#'],
  notifier: ['DELIVERY#'],
  delivery: ['DELIVERY#'],
} as const;

/** One delivery channel of one day: a webhook subscription's digest, or one SNS message (`*` is the digest). */
export type Channel = { kind: 'webhook'; subscriptionId: string } | { kind: 'sns'; topic: string };

export const channelKey = (channel: Channel) =>
  channel.kind === 'webhook' ? `webhook#${channel.subscriptionId}` : `sns#${channel.topic}`;

export const subscriptionKeys = {
  subscription: (id: string) => {
    const kind = kindOfSubscriptionId(id);
    if (kind === undefined) throw new RangeError(`not a subscription id: ${id}`);
    return { [PK]: subscriptionPartition(kind), [SK]: id };
  },
  /** The at-most-once marker of one channel on one delivery day (`YYYY-MM-DD`). */
  marker: (day: string, channel: Channel) => ({ [PK]: `DELIVERY#${day}`, [SK]: channelKey(channel) }),
  markerPartition: (day: string) => `DELIVERY#${day}`,
  /** One client's request count in one fixed window. */
  rateWindow: (client: string, window: string) => ({ [PK]: `RATE#${client}`, [SK]: window }),
};

export const subscriptionItemSchema = z.object({
  SK: z.string(),
  protocol: z.enum(['webhook', 'email', 'https', 'sqs']),
  endpoint: z.string(),
  topics: z.array(z.string()),
  tz: z.optional(z.string()),
  /** SHA-256 of the bearer token, base64url: the token itself is never stored. */
  tokenHash: z.string(),
  /** The webhook secret, sealed for the delivery function only (shared/subscriptions/secrets.ts). */
  sealedSecret: z.optional(z.string()),
  /** The SNS subscription, for the SNS protocols. */
  snsSubscriptionArn: z.optional(z.string()),
  createdAt: z.string(),
});

export type SubscriptionItem = z.infer<typeof subscriptionItemSchema>;

/**
 * `claimed`: the notifier is about to send (a crash leaves it here); `queued`: handed to the delivery
 * queue; `sending` / `retrying`: the delivery function is at it; `delivered` / `sent` / `failed`: done.
 */
export const markerStates = [
  'claimed',
  'queued',
  'sending',
  'retrying',
  'delivered',
  'sent',
  'failed',
] as const;
export type MarkerState = (typeof markerStates)[number];

export const markerItemSchema = z.object({
  SK: z.string(),
  state: z.enum(markerStates),
  claimedAt: z.string(),
  attempts: z.optional(z.number()),
  lastStatus: z.optional(z.number()),
  lastError: z.optional(z.string()),
  messageId: z.optional(z.string()),
  doneAt: z.optional(z.string()),
});

export type MarkerItem = z.infer<typeof markerItemSchema>;
