// The merger: folds one object's contribution (or withdrawal) into an event item, with optimistic
// concurrency on `rev`, and then applies the topic writes the change implies.
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

// Merges retry when another writer changed the same event meanwhile; contention on one event is short.
const MAX_ATTEMPTS = 12;

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
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0 && !known) await this.options.retry.sleep(backoffDelay(attempt, this.options.retry));
      if (!known) current = await this.read(id, true);
      known = false;

      if (current?.pending) {
        const age = this.options.now().getTime() - Date.parse(current.pending.at);
        if (age < this.options.lockTimeoutMs) continue;
        await this.settle(current, current.pending);
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
      const updatedAt = merged ? (contentSame ? before.updatedAt : at) : undefined;
      const pending = pendingWrites(before, merged, contentSame, at);
      const rev = (current?.rev ?? 0) + 1;
      const date = id.slice(0, 10);
      const item: EventItem & Record<string, unknown> = {
        ...itemKeys.event(id),
        id,
        date,
        rev,
        src,
        topics: slugsOf(merged),
        ...(updatedAt ? { updatedAt } : {}),
        ...(merged ? eventIndexKeys(merged) : {}),
        ...(pending ? { pending } : {}),
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
      return 'applied';
    }
    throw new EventBusy(`event ${id} stayed busy with other writers; the message will be retried`);
  }

  /** Applies a merge's derived writes, then clears its marker unless a later merge replaced the item. */
  private async settle(item: EventItem, pending: PendingWrites): Promise<void> {
    await this.topics.apply(item, pending);
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.event(item.id),
        UpdateExpression: 'REMOVE pending',
        ConditionExpression: 'rev = :rev',
        ExpressionAttributeValues: { ':rev': item.rev },
      }),
    );
  }
}

/** The topic entries, counters and `updated` times that change when an event goes from `before` to `after`. */
function pendingWrites(
  before: NewsEvent | undefined,
  after: NewsEvent | undefined,
  contentSame: boolean,
  at: string,
): PendingWrites | undefined {
  const old = slugsOf(before);
  const now = slugsOf(after);
  const add = now.filter((slug) => !old.includes(slug));
  const remove = old.filter((slug) => !now.includes(slug));
  const touch = contentSame ? [] : now.filter((slug) => old.includes(slug));
  const events = (after ? 1 : 0) - (before ? 1 : 0);
  if (add.length + remove.length + touch.length === 0 && events === 0) return undefined;
  const labels: Record<string, string> = {};
  for (const label of after?.topics ?? []) {
    const slug = topicSlug(label);
    if (add.includes(slug)) labels[slug] ??= label;
  }
  return { add, remove, touch, events, labels, at };
}
