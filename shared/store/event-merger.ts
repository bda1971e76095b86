// The merger: folds one object's contribution (or withdrawal) into an event item, with optimistic
// concurrency on `rev`, and then applies the topic writes the change implies.

import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContributionKind, NewsEvent, StoredEvent } from '../domain/event';
import { mergeContributions } from '../domain/merge';
import { topicSlug } from '../domain/topics';
import { backoffDelay, type RetryPolicy } from './batch-write';
import {
  type ContributionEntry,
  type EventItem,
  eventIndexKeys,
  eventItemSchema,
  itemKeys,
  type PendingWrites,
} from './keys';
import type { TopicIndex } from './topic-index';
import { conditionalWrite } from './writes';

/** Thrown when an event stays busy (another merge's topic writes unfinished): transient, retry the message. */
export class EventBusy extends Error {
  override name = 'EventBusy';
}

export type ContributeOutcome = 'applied' | 'unchanged' | 'overtaken';

export interface MergerOptions {
  now: () => Date;
  retry: RetryPolicy;
  /**
   * How old an unfinished merge must be before another writer finishes it: longer than any ingest
   * invocation (the function timeout is 60 s), so a live writer is never overtaken.
   */
  lockTimeoutMs: number;
}

// Merges retry when another writer changed the same event meanwhile. A merge holds an event for a few
// requests (its topic writes), so waits are short and many: about 10 s in all before giving up.
const MAX_ATTEMPTS = 100;
const waitPolicy = { baseDelayMs: 2, maxDelayMs: 200 };

/** The event an item holds: its live contributions merged, stamped with the last content change. */
export function eventOf(item: EventItem | undefined): StoredEvent | undefined {
  if (!item?.updatedAt) return undefined;
  const merged = mergeContributions(liveContributions(item.src));
  return merged ? { ...merged, updatedAt: item.updatedAt } : undefined;
}

function liveContributions(src: Record<string, ContributionEntry>) {
  return Object.entries(src).flatMap(([objectKey, entry]) =>
    entry.event && entry.kind ? [{ objectKey, kind: entry.kind, event: entry.event }] : [],
  );
}

/** JSON with sorted keys: DynamoDB does not keep map attribute order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function slugsOf(event: NewsEvent | undefined): string[] {
  return event ? [...new Set(event.topics.map(topicSlug))] : [];
}

export class EventMerger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly topics: TopicIndex,
    private readonly options: MergerOptions,
  ) {}

  async read(id: string, consistent = false): Promise<EventItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.event(id), ConsistentRead: consistent }),
    );
    return Item ? eventItemSchema.parse(Item) : undefined;
  }

  /**
   * Records what object `objectKey` (at sequencer `seq`) says about event `id`; `undefined` withdraws it,
   * leaving a tombstone so that a late write of an older version of that object is refused. Merges of one
   * event are serialized: a merge that changes topics records its derived writes in `pending` in the same
   * conditional put, applies them, then clears the marker; the next merge waits for that (or finishes a
   * crashed writer's marker once it is older than `lockTimeoutMs`).
   */
  async contribute(
    id: string,
    objectKey: string,
    seq: string,
    contribution: { kind: ContributionKind; event: NewsEvent } | undefined,
    at: string,
  ): Promise<ContributeOutcome> {
    // A new event file usually names an event nobody has written: try the create first, read on conflict.
    let current: EventItem | undefined;
    let known = contribution !== undefined;
    let waits = 0;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!known) current = await this.read(id, true);
      known = false;

      const held = current?.pending;
      if (held && this.options.now().getTime() - Date.parse(held.at) >= this.options.lockTimeoutMs) {
        // Its writer died before finishing: finish for it, then merge on the result.
        if (current) await this.settle(current, held);
        continue;
      }
      const existing = current?.src[objectKey];
      if (existing && existing.seq > seq) return 'overtaken';
      const entry: ContributionEntry = contribution ? { seq, ...contribution } : { seq };
      if (existing && canonicalJson(existing) === canonicalJson(entry)) return 'unchanged';

      const src = { ...current?.src, [objectKey]: entry };
      const before = eventOf(current);
      const merged = mergeContributions(liveContributions(src));
      const contentSame =
        before !== undefined &&
        merged !== undefined &&
        canonicalJson({ ...before, updatedAt: undefined }) === canonicalJson(merged);
      const { pending, touch } = derivedWrites(before, merged, contentSame, at);
      if (held && pending) {
        // Another merge of this event is applying its topic writes; ours must follow them: wait, briefly.
        await this.options.retry.sleep(backoffDelay(waits++, { ...this.options.retry, ...waitPolicy }));
        continue;
      }
      const updatedAt = merged ? (contentSame ? before.updatedAt : at) : undefined;
      const item: EventItem & Record<string, unknown> = {
        ...itemKeys.event(id),
        id,
        date: id.slice(0, 10),
        rev: (current?.rev ?? 0) + 1,
        src,
        topics: slugsOf(merged),
        ...(updatedAt ? { updatedAt } : {}),
        ...(merged ? eventIndexKeys(merged) : {}),
        // A merge without topic writes passes another merge's marker on untouched, so it needn't wait.
        ...(pending ? { pending } : held ? { pending: held } : {}),
      };
      const written = await conditionalWrite(
        this.client,
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(current
            ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': current.rev } }
            : { ConditionExpression: 'attribute_not_exists(rev)' }),
        }),
      );
      if (!written.written) continue;
      if (pending) await this.settle(item, pending);
      // `updated` times only: idempotent and order-free, so they need no marker.
      else if (touch.length > 0) await this.topics.touch(touch, at);
      return 'applied';
    }
    throw new EventBusy(`event ${id} stayed busy with other writers; the message will be retried`);
  }

  /** Applies a merge's derived writes, then clears its marker (identified by its token, not the item's rev). */
  private async settle(item: EventItem, pending: PendingWrites): Promise<void> {
    await this.topics.apply(item, pending);
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.event(item.id),
        UpdateExpression: 'REMOVE pending',
        ConditionExpression: 'pending.#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': pending.token },
      }),
    );
  }
}

/**
 * The writes a change from `before` to `after` implies. Topic entries and counters (`pending`) must be
 * applied exactly once and in merge order; a content edit that keeps the topics only moves `updated`.
 */
function derivedWrites(
  before: NewsEvent | undefined,
  after: NewsEvent | undefined,
  contentSame: boolean,
  at: string,
): { pending: PendingWrites | undefined; touch: string[] } {
  const old = slugsOf(before);
  const now = slugsOf(after);
  const add = now.filter((slug) => !old.includes(slug));
  const remove = old.filter((slug) => !now.includes(slug));
  const touch = contentSame ? [] : now.filter((slug) => old.includes(slug));
  const events = (after ? 1 : 0) - (before ? 1 : 0);
  if (add.length + remove.length === 0 && events === 0) return { pending: undefined, touch };
  const labels: Record<string, string> = {};
  for (const label of after?.topics ?? []) {
    const slug = topicSlug(label);
    if (add.includes(slug)) labels[slug] ??= label;
  }
  return { pending: { token: randomUUID(), add, remove, touch, events, labels, at }, touch: [] };
}
