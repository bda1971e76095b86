// The merger: folds what objects say about events into event items, with optimistic concurrency on `rev`.
// It writes many events at once (all the objects of one SQS batch) and applies the topic writes they
// imply together, so a batch costs one BatchWriteItem and one counter update per topic, not per event.
import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ContributionKind, NewsEvent, StoredEvent } from '../domain/event';
import { mergeContributions } from '../domain/merge';
import { topicSlug } from '../domain/topics';
import { runPool } from '../upload/pool';
import { backoffDelay, batchGet, type RetryPolicy } from './batch-write';
import {
  type ContributionEntry,
  decodeEventItem,
  type EventItem,
  encodeContributions,
  itemKeys,
  type PendingWrites,
} from './keys';
import { retrying } from './retrying';
import type { TopicIndex } from './topic-index';
import { conditionalWrite } from './writes';

/** Thrown when events stay busy (other merges' topic writes unfinished): transient, retry the message. */
export class EventBusy extends Error {
  override name = 'EventBusy';
}

export type ContributeOutcome = 'applied' | 'unchanged' | 'overtaken';

/** What one object version says about one event; without `contribution`, it withdraws what it said. */
export interface EventWrite {
  eventId: string;
  objectKey: string;
  /** Normalized sequencer of the object version. */
  seq: string;
  contribution: { kind: ContributionKind; event: NewsEvent } | undefined;
}

export interface MergerOptions {
  now: () => Date;
  retry: RetryPolicy;
  /**
   * How old an unfinished merge must be before another writer finishes it: longer than any ingest
   * invocation (the function timeout is 60 s), so a live writer is never overtaken.
   */
  lockTimeoutMs: number;
  /** Markers written before this instant have no live writer (set where one process is the only writer). */
  deadBefore?: Date | undefined;
  /** Event items written at once. */
  concurrency: number;
}

// Rounds of a batch: events another merge holds, or that changed under us, are tried again after the
// round's own topic writes are applied and released (so two batches never wait on each other).
const MAX_ROUNDS = 60;
const waitPolicy = { baseDelayMs: 5, maxDelayMs: 250 };
// From this many events in a round, one journal item (a put and a delete) clears the round's markers
// instead of one update per event.
const JOURNAL_MIN_EVENTS = 3;

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

type Attempt =
  | {
      kind: 'written';
      outcomes: Map<string, ContributeOutcome>;
      item?: EventItem;
      pending?: PendingWrites;
    }
  | { kind: 'retry'; busy: boolean };

export class EventMerger {
  private readonly settledJournals = new Set<string>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly topics: TopicIndex,
    private readonly options: MergerOptions,
  ) {}

  /** Strongly consistent reads of many event items; absent ones are missing from the map. */
  private async readMany(ids: string[]): Promise<Map<string, EventItem>> {
    const raw = await batchGet(this.client, this.tableName, ids.map(itemKeys.event), {
      consistent: true,
      policy: this.options.retry,
    });
    return new Map(raw.map((item) => decodeEventItem(item)).map((item) => [item.id, item]));
  }

  /**
   * Records what each object version says about each event. A withdrawal leaves a tombstone so that a
   * late write of an older version of that object is refused. A merge that changes an event's topics or
   * existence records its derived writes in `pending` in the same conditional put; the batch applies all
   * of them together and then clears each marker. Another merge of a held event waits for that (or, once
   * the marker is older than `lockTimeoutMs`, finishes a crashed writer's work). Returns each write's
   * outcome, keyed `<eventId>\n<objectKey>`.
   */
  async writeMany(writes: EventWrite[], at: string): Promise<Map<string, ContributeOutcome>> {
    const byEvent = new Map<string, EventWrite[]>();
    for (const write of writes) byEvent.set(write.eventId, [...(byEvent.get(write.eventId) ?? []), write]);
    const outcomes = new Map<string, ContributeOutcome>();

    // A new event file usually names an event nobody has written: try the creates first, read on conflict.
    let todo = [...byEvent.keys()];
    let current = new Map<string, EventItem>();
    let known = writes.every((write) => write.contribution !== undefined);
    for (let round = 0; todo.length > 0; round++) {
      if (round >= MAX_ROUNDS)
        throw new EventBusy(`events stayed busy with other writers: ${todo.slice(0, 3).join(', ')}`);
      if (!known) current = await this.readMany(todo);
      known = false;
      // The journal exists before any marker names it, and goes once the round's topic writes are applied.
      const journal = todo.length >= JOURNAL_MIN_EVENTS ? randomUUID() : undefined;
      if (journal) {
        await this.client.send(
          new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.journal(journal), at } }),
        );
      }
      const attempts = new Map<string, Attempt>();
      let failure: { error: unknown } | undefined;
      await runPool(todo, this.options.concurrency, async (id) => {
        try {
          attempts.set(id, await this.attempt(id, byEvent.get(id) ?? [], current.get(id), at, journal));
        } catch (error) {
          // Finish what the others wrote before failing, so their markers don't hold the events.
          failure ??= { error };
        }
      });

      const settled: { item: EventItem; pending: PendingWrites }[] = [];
      const again: string[] = [];
      let busy = false;
      for (const [id, attempt] of attempts) {
        if (attempt.kind === 'retry') {
          again.push(id);
          busy ||= attempt.busy;
          continue;
        }
        for (const [objectKey, outcome] of attempt.outcomes) outcomes.set(`${id}\n${objectKey}`, outcome);
        if (attempt.item && attempt.pending) settled.push({ item: attempt.item, pending: attempt.pending });
      }
      await this.settle(settled, journal);
      if (failure) throw failure.error;
      todo = again;
      if (busy) await this.options.retry.sleep(backoffDelay(round, { ...this.options.retry, ...waitPolicy }));
    }
    return outcomes;
  }

  /** One try at writing one event: the item as last read (`current`), this batch's writes folded in. */
  private async attempt(
    id: string,
    writes: EventWrite[],
    current: EventItem | undefined,
    at: string,
    journal: string | undefined,
  ): Promise<Attempt> {
    let held = current?.pending;
    if (held?.journal && (await this.journalSettled(held.token))) held = undefined;
    if (held && this.abandoned(held)) {
      // Its writer died before finishing: finish for it, then merge on the result.
      if (current) await this.settle([{ item: current, pending: held }], undefined);
      return { kind: 'retry', busy: false };
    }

    const outcomes = new Map<string, ContributeOutcome>();
    const src = { ...current?.src };
    for (const write of writes) {
      const existing = src[write.objectKey];
      if (existing && existing.seq > write.seq) {
        outcomes.set(write.objectKey, 'overtaken');
        continue;
      }
      const entry: ContributionEntry = write.contribution
        ? { seq: write.seq, ...write.contribution }
        : { seq: write.seq };
      if (existing && canonicalJson(existing) === canonicalJson(entry)) {
        outcomes.set(write.objectKey, 'unchanged');
        continue;
      }
      src[write.objectKey] = entry;
      outcomes.set(write.objectKey, 'applied');
    }
    if (![...outcomes.values()].includes('applied')) return { kind: 'written', outcomes };

    const before = eventOf(current);
    const merged = mergeContributions(liveContributions(src));
    const contentSame =
      before !== undefined &&
      merged !== undefined &&
      canonicalJson({ ...before, updatedAt: undefined }) === canonicalJson(merged);
    const pending = derivedWrites(before, merged, contentSame, at, journal);
    // Another merge of this event is applying its topic writes; ours must follow them.
    if (held && pending) return { kind: 'retry', busy: true };
    // Stamped at this attempt, not when the batch began: merges of an event land in `rev` order, so their
    // stamps (the event's Last-Modified) only move forward, even when an earlier batch lands later.
    const updatedAt = merged
      ? contentSame
        ? before.updatedAt
        : this.options.now().toISOString()
      : undefined;
    const item: EventItem & Record<string, unknown> = {
      ...itemKeys.event(id),
      id,
      date: id.slice(0, 10),
      rev: (current?.rev ?? 0) + 1,
      src,
      topics: slugsOf(merged),
      ...(updatedAt ? { updatedAt } : {}),
      // A merge without topic writes passes another merge's marker on untouched, so it needn't wait.
      ...(pending ? { pending } : held ? { pending: held } : {}),
    };
    const written = await conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...item, src: encodeContributions(src) },
        ...(current
          ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': current.rev } }
          : { ConditionExpression: 'attribute_not_exists(rev)' }),
      }),
    );
    if (!written.written) return { kind: 'retry', busy: false };
    return { kind: 'written', outcomes, item, ...(pending ? { pending } : {}) };
  }

  /** A marker whose writer is surely gone: older than any invocation, or from before the sole writer began. */
  private abandoned(marker: PendingWrites): boolean {
    const at = Date.parse(marker.at);
    const { deadBefore, lockTimeoutMs, now } = this.options;
    return now().getTime() - at >= lockTimeoutMs || (deadBefore !== undefined && at < deadBefore.getTime());
  }

  /** Whether a journaled marker's batch has finished (its journal item is gone); settled ones stay so. */
  private async journalSettled(token: string): Promise<boolean> {
    if (this.settledJournals.has(token)) return true;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.journal(token), ConsistentRead: true }),
    );
    if (Item) return false;
    if (this.settledJournals.size > 10_000) this.settledJournals.clear();
    this.settledJournals.add(token);
    return true;
  }

  /** Applies merges' derived writes together, then clears their markers. */
  private async settle(
    merges: { item: EventItem; pending: PendingWrites }[],
    journal: string | undefined,
  ): Promise<void> {
    if (merges.length > 0)
      await this.topics.apply(
        merges.map(({ item, pending }) => ({ event: item, served: eventOf(item), pending })),
      );
    // From here the counters are applied: a marker left in place would have them applied again, so its
    // clearing is pushed through transient faults.
    await this.clearMarkers(merges, journal);
  }

  /**
   * Clears markers: by deleting their journal, or one by one (by token, not the item's rev, so a later
   * merge that passed a marker on still clears).
   */
  private async clearMarkers(
    merges: { item: EventItem; pending: PendingWrites }[],
    journal: string | undefined,
  ): Promise<void> {
    const { retry } = this.options;
    if (journal) {
      await retrying(retry, () =>
        this.client.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.journal(journal) })),
      );
      return;
    }
    await Promise.all(
      merges.map(({ item, pending }) =>
        retrying(retry, () =>
          conditionalWrite(
            this.client,
            new UpdateCommand({
              TableName: this.tableName,
              Key: itemKeys.event(item.id),
              UpdateExpression: 'REMOVE pending',
              ConditionExpression: 'pending.#token = :token',
              ExpressionAttributeNames: { '#token': 'token' },
              ExpressionAttributeValues: { ':token': pending.token },
            }),
          ),
        ),
      ),
    );
  }

  /**
   * Finishes the merges of writers that are gone, where this process is the only writer (a start after a
   * crash). Their entries are written again (idempotent), but their counter deltas are not: a crash may have
   * come after some of the `ADD`s went through. The counters they touch are recounted from the entries
   * instead, and only then are the markers cleared, so a crash during this is finished by the next start.
   */
  async finishAbandoned(items: EventItem[]): Promise<{ merges: number; topics: number }> {
    const merges: { item: EventItem; pending: PendingWrites }[] = [];
    for (const item of items) {
      // A journaled marker whose journal is gone was settled; it stays on the item, harmless.
      if (item.pending && !(item.pending.journal && (await this.journalSettled(item.pending.token))))
        merges.push({ item, pending: item.pending });
    }
    if (merges.length === 0) return { merges: 0, topics: 0 };
    const derived = merges.map(({ item, pending }) => ({ event: item, served: eventOf(item), pending }));
    await this.topics.writeEntries(derived);
    const { topics } = await this.topics.recount(derived);
    const journals = new Set(
      merges.filter(({ pending }) => pending.journal).map(({ pending }) => pending.token),
    );
    await this.clearMarkers(
      merges.filter(({ pending }) => !pending.journal),
      undefined,
    );
    for (const journal of journals) await this.clearMarkers([], journal);
    return { merges: merges.length, topics };
  }
}

/**
 * The writes a change from `before` to `after` implies, to be applied exactly once and in merge order:
 * topic entries and counters, and, since every entry carries a copy of the event, a rewrite of the entries
 * the event keeps when its content changed. Nothing to write (a redelivery, a tombstone) needs no marker.
 */
function derivedWrites(
  before: NewsEvent | undefined,
  after: NewsEvent | undefined,
  contentSame: boolean,
  at: string,
  journal: string | undefined,
): PendingWrites | undefined {
  const old = slugsOf(before);
  const now = slugsOf(after);
  const add = now.filter((slug) => !old.includes(slug));
  const remove = old.filter((slug) => !now.includes(slug));
  const touch = contentSame ? [] : now.filter((slug) => old.includes(slug));
  const events = (after ? 1 : 0) - (before ? 1 : 0);
  const listing = {
    ...(after && !contentSame ? { put: after.lang } : {}),
    ...(before && before.lang !== after?.lang ? { remove: before.lang } : {}),
  };
  const listingChanged = listing.put !== undefined || listing.remove !== undefined;
  if (add.length + remove.length + touch.length === 0 && events === 0 && !listingChanged) return undefined;
  const labels: Record<string, string> = {};
  for (const label of after?.topics ?? []) {
    const slug = topicSlug(label);
    if (add.includes(slug)) labels[slug] ??= label;
  }
  const marker = journal ? { token: journal, journal: true } : { token: randomUUID() };
  return {
    ...marker,
    add,
    remove,
    touch,
    ...(listingChanged ? { listing } : {}),
    events,
    labels,
    at,
  };
}
