// The only module that knows the table's item shapes: ingestion writes and every read the API serves.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NewsEvent, RejectionReason, StoredEvent } from '../domain/event';
import { type Contribution, mergeContributions } from '../domain/merge';
import { topicSlug } from '../domain/topics';
import {
  backoffDelay,
  batchWrite,
  defaultRetryPolicy,
  type RetryPolicy,
  type WriteRequest,
} from './batch-write';
import { tableSchema } from './table-schema';

export type { StoredEvent };

/** One version of one S3 object, as named by its notification. */
export interface ObjectVersion {
  key: string;
  /** S3 `sequencer`: hex, comparable between events of the same key after left-padding. */
  sequencer: string;
  eTag?: string;
  versionId?: string;
}

export type ObjectStateName = 'events' | 'rejected' | 'deleted';

export interface ObjectState {
  key: string;
  sequencer: string;
  state: ObjectStateName;
  eventIds: string[];
  /** Events an earlier version contributed that are still being withdrawn. */
  pendingIds: string[];
  eTag?: string;
  at: string;
}

export type ApplyOutcome = { status: 'applied'; eventIds: string[] } | { status: 'stale' };

export interface Rejection {
  key: string;
  /** A parse rejection, or an ingestion failure that outlived its retries. */
  reason: RejectionReason | 'malformed-notification' | 'retries-exhausted';
  detail: string;
  at: string;
}

export interface TopicSummary {
  slug: string;
  label: string;
  events: number;
  updated: string;
}

/** Where a page starts: the key of the last item of the page before, as the store returned it. */
export type StartKey = Record<string, string>;

export interface Page<T> {
  items: T[];
  /** The key to start the next page after; absent on the last page. */
  next?: StartKey;
}

export interface PageRequest {
  limit: number;
  after?: StartKey;
}

export interface EventsTableOptions {
  now?: () => Date;
  retry?: RetryPolicy;
}

const { partitionKey: PK, sortKey: SK, feedIndex, monthDayIndex } = tableSchema;
const FEED_PARTITION = 'FEED';
const TOPICS_PARTITION = 'TOPICS';
const REJECTIONS_PARTITION = 'REJECTION';
// Merges retry when another writer changed the same event meanwhile; contention on one event is rare.
const MAX_MERGE_ATTEMPTS = 8;

/** Partition-key prefix of object manifests, for offline maintenance (the local stack's reconcile). */
export const OBJECT_MANIFEST_PREFIX = 'OBJECT#';

/** An object manifest item as an `ObjectState`. */
export function objectStateOf(item: Record<string, unknown>): ObjectState {
  return {
    key: String(item.key ?? String(item[PK]).slice(OBJECT_MANIFEST_PREFIX.length)),
    sequencer: String(item.seq),
    state: item.state as ObjectStateName,
    eventIds: (item.eventIds as string[] | undefined) ?? [],
    pendingIds: (item.pendingIds as string[] | undefined) ?? [],
    at: String(item.at),
    ...(item.eTag ? { eTag: String(item.eTag) } : {}),
  };
}

const eventKey = (id: string) => ({ [PK]: `EVENT#${id}`, [SK]: 'EVENT' });
const objectKey = (key: string) => ({ [PK]: `${OBJECT_MANIFEST_PREFIX}${key}`, [SK]: 'OBJECT' });
const contributionKey = (id: string, key: string) => ({ [PK]: `EVENT#${id}`, [SK]: `SRC#${key}` });
const rejectionKey = (key: string) => ({ [PK]: REJECTIONS_PARTITION, [SK]: key });
const topicMetaKey = (slug: string) => ({ [PK]: TOPICS_PARTITION, [SK]: slug });
const sortKeyOf = (event: NewsEvent) => `${event.date}#${event.id}`;
const monthDayOf = (date: string) => date.slice(5);

/** S3 sequencers differ in length; compare them as left-padded hex. */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padStart(width, '0');
  const right = b.toUpperCase().padStart(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function membershipId(slug: string, sortKey: string): string {
  return `${slug}|${sortKey}`;
}

function slugOf(membership: string): string {
  return parseMembership(membership).slug;
}

function sameMembers(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((m) => b.includes(m));
}

function membershipsOf(doc: NewsEvent): string[] {
  return [...new Set(doc.topics.map((label) => membershipId(topicSlug(label), sortKeyOf(doc))))];
}

function parseMembership(id: string): { slug: string; sortKey: string } {
  const bar = id.indexOf('|');
  return { slug: id.slice(0, bar), sortKey: id.slice(bar + 1) };
}

export class EventsTable {
  private readonly now: () => Date;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: EventsTableOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.retry = options.retry ?? defaultRetryPolicy;
  }

  // ---------------------------------------------------------------- ingestion

  async objectState(key: string): Promise<ObjectState | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: objectKey(key), ConsistentRead: true }),
    );
    return Item ? objectStateOf(Item) : undefined;
  }

  /**
   * Makes the table reflect this object version's events; older versions never overwrite newer ones.
   * `known` is the object's state as the caller just read it (`null`: absent), saving a read.
   */
  putEvents(
    version: ObjectVersion,
    contributions: Contribution[],
    known?: ObjectState | null,
  ): Promise<ApplyOutcome> {
    return this.apply(version, 'events', contributions, undefined, known);
  }

  /** Records why an object version could not be ingested; its earlier events (if any) are withdrawn. */
  putRejection(
    version: ObjectVersion,
    reason: Rejection['reason'],
    detail: string,
    known?: ObjectState | null,
  ): Promise<ApplyOutcome> {
    return this.apply(version, 'rejected', [], { reason, detail }, known);
  }

  /** The object was deleted: withdraw everything it contributed, leaving a tombstone for ordering. */
  deleteObject(version: ObjectVersion): Promise<ApplyOutcome> {
    return this.apply(version, 'deleted', []);
  }

  private async apply(
    version: ObjectVersion,
    state: ObjectStateName,
    contributions: Contribution[],
    rejection?: { reason: Rejection['reason']; detail: string },
    known?: ObjectState | null,
  ): Promise<ApplyOutcome> {
    const at = this.now().toISOString();
    const eventIds = [...new Set(contributions.map((c) => c.event.id))];

    // 1. Claim the object at this sequencer. Equal sequencers pass so a redelivery can finish a crashed attempt.
    const previous = await this.claimObject(version, state, eventIds, at, known);
    if (previous === 'stale') return { status: 'stale' };
    const withdrawn = [...new Set([...previous.eventIds, ...previous.pendingIds])].filter(
      (id) => !eventIds.includes(id),
    );

    // 2. This object's own items, each conditional on the sequencer.
    for (const contribution of contributions) {
      const written = await this.conditionalWrite(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...contributionKey(contribution.event.id, version.key),
            seq: version.sequencer,
            kind: contribution.kind,
            event: contribution.event,
            at,
          },
          ConditionExpression: 'attribute_not_exists(seq) OR seq <= :seq',
          ExpressionAttributeValues: { ':seq': version.sequencer },
        }),
      );
      // A newer version of this object got here first: leave nothing of ours it doesn't have.
      if (!written) return this.yieldToNewerVersion(version, eventIds, at);
    }
    for (const id of withdrawn) await this.withdrawContribution(id, version);
    // A rejection item can only exist if this object was rejected before, or a crashed attempt left one.
    if (rejection || previous.state === 'rejected' || previous.sequencer === version.sequencer) {
      await this.writeRejection(version, rejection, at);
    }

    // 3. Re-merge every event this object touches, now or before.
    for (const id of [...eventIds, ...withdrawn]) await this.remerge(id, at);

    // 4. Finish the claim, unless a newer version claimed the object while we wrote: then withdraw what we
    // added that it doesn't have.
    const stillOurs = await this.conditionalWrite(
      new UpdateCommand({
        TableName: this.tableName,
        Key: objectKey(version.key),
        UpdateExpression: 'SET pendingIds = :none',
        ConditionExpression: 'seq = :seq',
        ExpressionAttributeValues: { ':none': [], ':seq': version.sequencer },
      }),
    );
    if (stillOurs) return { status: 'applied', eventIds };
    return this.yieldToNewerVersion(version, eventIds, at);
  }

  /**
   * A newer version claimed the object while we wrote. It withdraws what the manifest said we contributed,
   * but a write of ours may have landed after its cleanup: withdraw our contributions to events it doesn't
   * have, and re-merge those events.
   */
  private async yieldToNewerVersion(
    version: ObjectVersion,
    eventIds: string[],
    at: string,
  ): Promise<ApplyOutcome> {
    const current = await this.objectState(version.key);
    for (const id of eventIds.filter((id) => !current?.eventIds.includes(id))) {
      await this.withdrawContribution(id, version);
      await this.remerge(id, at);
    }
    return { status: 'stale' };
  }

  private async claimObject(
    version: ObjectVersion,
    state: ObjectStateName,
    eventIds: string[],
    at: string,
    known?: ObjectState | null,
  ): Promise<
    { eventIds: string[]; pendingIds: string[]; state?: ObjectStateName; sequencer?: string } | 'stale'
  > {
    const old = known === undefined ? await this.objectState(version.key) : (known ?? undefined);
    if (old && compareSequencers(old.sequencer, version.sequencer) > 0) return 'stale';
    const oldEventIds = old?.eventIds ?? [];
    const oldPending = old?.pendingIds ?? [];
    // Remember what must still be withdrawn, so a crash between claim and cleanup is finished on redelivery.
    const pendingIds = [...new Set([...oldEventIds, ...oldPending])].filter((id) => !eventIds.includes(id));
    const claimed = await this.conditionalWrite(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...objectKey(version.key),
          key: version.key,
          seq: version.sequencer,
          state,
          eventIds,
          pendingIds,
          at,
          ...(version.eTag ? { eTag: version.eTag } : {}),
          ...(version.versionId ? { versionId: version.versionId } : {}),
        },
        ConditionExpression: old ? 'seq = :oldSeq' : 'attribute_not_exists(seq)',
        ExpressionAttributeValues: old ? { ':oldSeq': old.sequencer } : undefined,
      }),
    );
    // Someone else claimed it between our read and write: read again and decide again.
    if (!claimed) return this.claimObject(version, state, eventIds, at);
    return {
      eventIds: oldEventIds,
      pendingIds: oldPending,
      ...(old ? { state: old.state, sequencer: old.sequencer } : {}),
    };
  }

  private async withdrawContribution(id: string, version: ObjectVersion): Promise<void> {
    await this.conditionalWrite(
      new DeleteCommand({
        TableName: this.tableName,
        Key: contributionKey(id, version.key),
        ConditionExpression: 'attribute_not_exists(seq) OR seq <= :seq',
        ExpressionAttributeValues: { ':seq': version.sequencer },
      }),
    );
  }

  private async writeRejection(
    version: ObjectVersion,
    rejection: { reason: Rejection['reason']; detail: string } | undefined,
    at: string,
  ): Promise<void> {
    const condition = {
      ConditionExpression: 'attribute_not_exists(seq) OR seq <= :seq',
      ExpressionAttributeValues: { ':seq': version.sequencer },
    };
    if (rejection) {
      await this.conditionalWrite(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...rejectionKey(version.key), key: version.key, seq: version.sequencer, at, ...rejection },
          ...condition,
        }),
      );
    } else {
      await this.conditionalWrite(
        new DeleteCommand({ TableName: this.tableName, Key: rejectionKey(version.key), ...condition }),
      );
    }
  }

  /** Runs a conditional single-item write; false when its condition (e.g. a newer sequencer) refused it. */
  private async conditionalWrite(command: PutCommand | DeleteCommand | UpdateCommand): Promise<boolean> {
    try {
      // One `send` per command type keeps the SDK's overloads precise.
      if (command instanceof PutCommand) await this.client.send(command);
      else if (command instanceof DeleteCommand) await this.client.send(command);
      else await this.client.send(command);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Recomputes one event from all its contributions and rewrites its derived items (topic memberships,
   * topic counts). Optimistic: the event item carries `rev`, and the merged write only lands if no other
   * writer changed the event since we read it. Memberships are written with BatchWriteItem.
   */
  async remerge(id: string, at: string = this.now().toISOString()): Promise<void> {
    for (let attempt = 0; attempt < MAX_MERGE_ATTEMPTS; attempt++) {
      if (attempt > 0) await this.retry.sleep(backoffDelay(attempt, this.retry));
      // One query reads the event item and every contribution: they share the partition.
      const { current, contributions } = await this.eventPartition(id);
      const rev = Number(current?.rev ?? 0);
      const previousDoc = current?.doc as StoredEvent | undefined;
      const previousMemberships = (current?.memberships as string[] | undefined) ?? [];
      const merged = mergeContributions(contributions);
      const doc = merged ? stamp(merged, previousDoc, at) : undefined;
      const memberships = doc ? membershipsOf(doc) : [];
      // A duplicate delivery changes nothing: skip the writes, unless the last merge never settled.
      const unchanged =
        current?.settled === true && doc === previousDoc && sameMembers(memberships, previousMemberships);
      if (unchanged) return;

      const revCondition = current
        ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': rev } }
        : { ConditionExpression: 'attribute_not_exists(rev)' };
      const landed = await this.conditionalWrite(
        doc
          ? new PutCommand({
              TableName: this.tableName,
              Item: {
                ...eventKey(id),
                id,
                rev: rev + 1,
                doc,
                memberships,
                settled: false,
                [feedIndex.partitionKey]: FEED_PARTITION,
                [feedIndex.sortKey]: sortKeyOf(doc),
                [monthDayIndex.partitionKey]: `MD#${monthDayOf(doc.date)}`,
                [monthDayIndex.sortKey]: sortKeyOf(doc),
              },
              ...revCondition,
            })
          : new DeleteCommand({ TableName: this.tableName, Key: eventKey(id), ...revCondition }),
      );
      if (!landed) continue;
      await this.settleMemberships(
        id,
        { rev: doc ? rev + 1 : undefined, doc, memberships },
        previousMemberships,
        at,
      );
      return;
    }
    throw new Error(`event ${id} kept changing during merge`);
  }

  private async eventPartition(
    id: string,
  ): Promise<{ current: Record<string, unknown> | undefined; contributions: Contribution[] }> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': `EVENT#${id}` },
      ConsistentRead: true,
    });
    const current = items.find((item) => item[SK] === 'EVENT');
    const contributions = items
      .filter((item) => String(item[SK]).startsWith('SRC#'))
      .map((item) => ({
        objectKey: String(item[SK]).slice('SRC#'.length),
        kind: item.kind as Contribution['kind'],
        event: item.event as NewsEvent,
      }));
    return { current, contributions };
  }

  /**
   * Makes the topic memberships match the merged view we wrote, then marks the event settled if nobody merged
   * after us. If someone did, our batch may have landed after theirs, so we re-apply *their* view (without
   * bumping `rev`, so two writers never keep invalidating each other) until the event item stops changing.
   */
  private async settleMemberships(
    id: string,
    view: { rev: number | undefined; doc: StoredEvent | undefined; memberships: string[] },
    previous: string[],
    at: string,
  ): Promise<void> {
    const writtenByUs = new Set<string>();
    let target = view;
    let candidates = previous;
    for (let round = 0; round < MAX_MERGE_ATTEMPTS; round++) {
      const stale = [...new Set([...candidates, ...writtenByUs])].filter(
        (m) => !target.memberships.includes(m),
      );
      const { doc } = target;
      const requests: WriteRequest[] = [
        ...stale.flatMap((m) => {
          const { slug, sortKey } = parseMembership(m);
          return [
            { DeleteRequest: { Key: { [PK]: `TOPIC#${slug}`, [SK]: sortKey } } },
            { DeleteRequest: { Key: { [PK]: `TALLY#${slug}`, [SK]: sortKey } } },
          ];
        }),
        ...(doc
          ? target.memberships.flatMap((m) => {
              const { slug, sortKey } = parseMembership(m);
              return [
                { PutRequest: { Item: this.membershipItem(m, doc) } },
                // A key-only twin of the membership: counting these reads bytes, not whole events.
                { PutRequest: { Item: { [PK]: `TALLY#${slug}`, [SK]: sortKey } } },
              ];
            })
          : []),
      ];
      await batchWrite(this.client, this.tableName, requests, this.retry);
      for (const m of target.memberships) writtenByUs.add(m);
      // Counts change only where membership changed; elsewhere the topic just got newer content.
      const recount = new Set(
        [...stale, ...target.memberships.filter((m) => !candidates.includes(m))].map(slugOf),
      );
      const touch = new Set(target.memberships.map(slugOf));
      await this.refreshTopics(recount, touch, doc, at);

      if (target.rev !== undefined) {
        const settled = await this.conditionalWrite(
          new UpdateCommand({
            TableName: this.tableName,
            Key: eventKey(id),
            UpdateExpression: 'SET settled = :true',
            ConditionExpression: 'rev = :rev',
            ExpressionAttributeValues: { ':true': true, ':rev': target.rev },
          }),
        );
        if (settled) return;
      }
      // Someone merged after us (or, for a deleted event, may have): adopt their view and write it again.
      const { Item: after } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: eventKey(id), ConsistentRead: true }),
      );
      if (!after && target.rev === undefined) return;
      target = { rev: after?.rev, doc: after?.doc, memberships: after?.memberships ?? [] };
      candidates = [];
    }
    throw new Error(`event ${id} kept changing while its topic entries were written`);
  }

  private membershipItem(membership: string, doc: StoredEvent): Record<string, unknown> {
    const { slug, sortKey } = parseMembership(membership);
    return {
      [PK]: `TOPIC#${slug}`,
      [SK]: sortKey,
      doc,
      [monthDayIndex.partitionKey]: `MD#${monthDayOf(doc.date)}#T#${slug}`,
      [monthDayIndex.sortKey]: sortKey,
    };
  }

  /**
   * Topic counts are recounted, not incremented, so retries and races cannot make them drift. The count
   * reads the topic's key-only `TALLY#` items, so it costs about 100 bytes per member, not a whole event.
   * Topics whose membership did not change only get their `updated` time moved.
   */
  private async refreshTopics(
    recount: Set<string>,
    touch: Set<string>,
    doc: StoredEvent | undefined,
    at: string,
  ): Promise<void> {
    const labelOf = (slug: string) => doc?.topics.find((l) => topicSlug(l) === slug) ?? slug;
    const toRecount = new Set(recount);
    for (const slug of touch) {
      if (toRecount.has(slug)) continue;
      const touched = await this.conditionalWrite(
        new UpdateCommand({
          TableName: this.tableName,
          Key: topicMetaKey(slug),
          UpdateExpression: 'SET updated = :now',
          ConditionExpression: 'attribute_exists(events)',
          ExpressionAttributeValues: { ':now': at },
        }),
      );
      // No topic item although the event is a member: a racing writer removed it; count afresh.
      if (!touched) toRecount.add(slug);
    }
    for (const slug of toRecount) {
      const count = await this.countQuery({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': `TALLY#${slug}` },
        ConsistentRead: true,
      });
      if (count === 0) {
        await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: topicMetaKey(slug) }));
        continue;
      }
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: topicMetaKey(slug),
          // The first label seen for a slug stays, so `Zürich` is not renamed by a later `Zurich`.
          UpdateExpression: 'SET events = :count, updated = :now, label = if_not_exists(label, :label)',
          ExpressionAttributeValues: { ':count': count, ':now': at, ':label': labelOf(slug) },
        }),
      );
    }
  }

  // ---------------------------------------------------------------- reads

  async getEvent(id: string): Promise<StoredEvent | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: eventKey(id) }));
    return Item?.doc as StoredEvent | undefined;
  }

  /** Newest events of one topic. */
  topicEvents(slug: string, page: PageRequest): Promise<Page<StoredEvent>> {
    return this.docPage(
      { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': PK } },
      { ':pk': `TOPIC#${slug}` },
      page,
    );
  }

  /** Newest events of all topics. */
  allEvents(page: PageRequest): Promise<Page<StoredEvent>> {
    return this.docPage(
      {
        IndexName: feedIndex.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': feedIndex.partitionKey },
      },
      { ':pk': FEED_PARTITION },
      page,
    );
  }

  /**
   * Events of the given stored month-days (`MM-DD`) across years, newest first, optionally of one topic.
   * Several month-days only happen for Feb 29 in common years: each is read a page at a time and merged by
   * sort key, so paging stays key-based (`after` carries the last sort key shown) across both.
   */
  async monthDayEvents(
    monthDays: string[],
    filter: { topic?: string | undefined; beforeYear?: number | undefined },
    page: PageRequest,
  ): Promise<Page<StoredEvent>> {
    const { topic, beforeYear } = filter;
    const sortKeyName = monthDayIndex.sortKey;
    // Sort keys start with the date, so "earlier years" and "after the last one shown" are key conditions.
    const bounds = [page.after?.[sortKeyName], beforeYear ? String(beforeYear).padStart(4, '0') : undefined];
    const below = bounds.filter((bound): bound is string => bound !== undefined).sort(byBytes)[0];
    const reads = monthDays.map((monthDay) =>
      this.readUpTo(
        {
          TableName: this.tableName,
          IndexName: monthDayIndex.name,
          KeyConditionExpression: below ? '#pk = :pk AND #sk < :below' : '#pk = :pk',
          ExpressionAttributeNames: {
            '#pk': monthDayIndex.partitionKey,
            ...(below ? { '#sk': sortKeyName } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': topic ? `MD#${monthDay}#T#${topic}` : `MD#${monthDay}`,
            ...(below ? { ':below': below } : {}),
          },
          ScanIndexForward: false,
        },
        page.limit + 1,
      ),
    );
    const merged = (await Promise.all(reads))
      .flat()
      .sort((a, b) => byBytes(String(b[sortKeyName]), String(a[sortKeyName])));
    const items = merged.slice(0, page.limit);
    const last = items.at(-1);
    const docs = items.map((item) => item.doc as StoredEvent);
    return merged.length > page.limit && last
      ? { items: docs, next: this.keyOf(last, monthDayIndex.name) }
      : { items: docs };
  }

  async getTopic(slug: string): Promise<TopicSummary | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: topicMetaKey(slug) }),
    );
    return Item ? toTopicSummary(Item) : undefined;
  }

  /** Topics by slug; `labelPrefix` matches the label's start case-insensitively. */
  async listTopics(labelPrefix: string | undefined, page: PageRequest): Promise<Page<TopicSummary>> {
    const prefix = labelPrefix?.trim().toLocaleLowerCase();
    // The slug is derived from the label, so a label prefix narrows to a slug prefix; the label test is exact.
    const slugPrefix = prefix && /[\p{L}\p{N}]/u.test(prefix) ? topicSlug(prefix).replace(/-+$/, '') : '';
    const result = await this.queryPage(
      {
        TableName: this.tableName,
        KeyConditionExpression: slugPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK, ...(slugPrefix ? { '#sk': SK } : {}) },
        ExpressionAttributeValues: {
          ':pk': TOPICS_PARTITION,
          ...(slugPrefix ? { ':prefix': slugPrefix } : {}),
        },
      },
      page,
      (item) => !prefix || String(item.label).toLocaleLowerCase().startsWith(prefix),
    );
    return { items: result.items.map(toTopicSummary), ...(result.next ? { next: result.next } : {}) };
  }

  async listRejections(page: PageRequest): Promise<Page<Rejection>> {
    const result = await this.queryPage(
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': REJECTIONS_PARTITION },
      },
      page,
    );
    return {
      items: result.items.map((item) => ({
        key: String(item.key),
        reason: item.reason as Rejection['reason'],
        detail: String(item.detail),
        at: String(item.at),
      })),
      ...(result.next ? { next: result.next } : {}),
    };
  }

  async stats(): Promise<{ events: number; topics: number; rejected: number }> {
    const count = (partition: string, indexName?: string) =>
      this.countQuery({
        TableName: this.tableName,
        ...(indexName ? { IndexName: indexName } : {}),
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': indexName ? feedIndex.partitionKey : PK },
        ExpressionAttributeValues: { ':pk': partition },
      });
    const [events, topics, rejected] = await Promise.all([
      count(FEED_PARTITION, feedIndex.name),
      count(TOPICS_PARTITION),
      count(REJECTIONS_PARTITION),
    ]);
    return { events, topics, rejected };
  }

  // ---------------------------------------------------------------- query plumbing

  private async docPage(
    query: Omit<QueryCommandInput, 'TableName' | 'ExpressionAttributeValues'>,
    values: Record<string, unknown>,
    page: PageRequest,
  ): Promise<Page<StoredEvent>> {
    const result = await this.queryPage(
      { TableName: this.tableName, ...query, ExpressionAttributeValues: values, ScanIndexForward: false },
      page,
    );
    return {
      items: result.items.map((item) => item.doc as StoredEvent),
      ...(result.next ? { next: result.next } : {}),
    };
  }

  /**
   * One page of a Query, starting after `page.after`; `next` is the last returned item's key (what DynamoDB
   * would return as LastEvaluatedKey for exactly this page). With a filter, DynamoDB may return short pages,
   * so it keeps reading until the page is full or the partition ends.
   */
  private async queryPage(
    input: QueryCommandInput,
    page: PageRequest,
    keep: (item: Record<string, unknown>) => boolean = () => true,
  ): Promise<Page<Record<string, unknown>>> {
    let startKey: Record<string, unknown> | undefined = page.after;
    const items: Record<string, unknown>[] = [];
    do {
      const result = await this.client.send(
        new QueryCommand({ ...input, Limit: page.limit + 1 - items.length, ExclusiveStartKey: startKey }),
      );
      for (const item of result.Items ?? []) {
        if (!keep(item)) continue;
        items.push(item);
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length <= page.limit);

    const more = items.length > page.limit;
    const pageItems = items.slice(0, page.limit);
    const last = pageItems.at(-1);
    if (!more || !last) return { items: pageItems };
    return { items: pageItems, next: this.keyOf(last, input.IndexName) };
  }

  private keyOf(item: Record<string, unknown>, indexName: string | undefined): Record<string, string> {
    const names: string[] = [PK, SK];
    if (indexName === feedIndex.name) names.push(feedIndex.partitionKey, feedIndex.sortKey);
    if (indexName === monthDayIndex.name) names.push(monthDayIndex.partitionKey, monthDayIndex.sortKey);
    return Object.fromEntries(names.map((name) => [name, String(item[name])]));
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** The first `count` items of a Query (fewer when it ends first), never reading more than it needs. */
  private async readUpTo(input: QueryCommandInput, count: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({ ...input, Limit: count - items.length, ExclusiveStartKey: startKey }),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length < count);
    return items;
  }

  private async countQuery(input: QueryCommandInput): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: startKey }),
      );
      count += result.Count ?? 0;
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return count;
  }
}

/** Keeps `updatedAt` when nothing but the stamp would change, so re-ingesting a file keeps feed validators. */
function stamp(event: NewsEvent, previous: StoredEvent | undefined, at: string): StoredEvent {
  if (previous) {
    const { updatedAt, ...previousContent } = previous;
    if (canonicalJson(previousContent) === canonicalJson(event)) return previous;
  }
  return { ...event, updatedAt: at };
}

/** JSON with sorted keys: DynamoDB does not keep map attribute order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** DynamoDB's order of string keys: by UTF-8 bytes (localeCompare and `<` on UTF-16 differ from it). */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function toTopicSummary(item: Record<string, unknown>): TopicSummary {
  return {
    slug: String(item[SK]),
    label: String(item.label),
    events: Number(item.events),
    updated: String(item.updated),
  };
}
