// The read side: a topic's or a language's listing is one Query whose entries carry the events as served;
// a month-day's list of all topics is one index Query (the index projects the all-events entries' brief);
// a topic's, and whole events, an index Query and one BatchGetItem of those entries.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Lang, StoredEvent } from '../domain/event';
import { topicSlug } from '../domain/topics';
import { batchGet, type RetryPolicy } from './batch-write';
import { countQuery } from './count-query';
import { decodeEntryOnce } from './entry-cache';
import { briefOf, decodeBrief, type EventBrief } from './event-brief';
import { eventOf } from './event-merger';
import {
  allPartition,
  decodeEventItem,
  idOfSortKey,
  itemKeys,
  LANGS,
  monthDayPartition,
  REJECTIONS_PARTITION,
  rejectionItemSchema,
  TOPICS_PARTITION,
  topicItemSchema,
  topicPartition,
} from './keys';
import { tableSchema } from './table-schema';

const { partitionKey: PK, sortKey: SK, monthDayIndex } = tableSchema;

export interface TopicSummary {
  slug: string;
  label: string;
  events: number;
  updated: string;
}

export interface Rejection {
  key: string;
  /** A parse rejection, or an ingestion failure that outlived its retries. */
  reason: string;
  detail: string;
  at: string;
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

export interface MonthDayFilter {
  topic?: string | undefined;
  beforeYear?: number | undefined;
}

export interface Stats {
  events: number;
  topics: number;
  rejected: number;
}

export class EventQueries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy,
  ) {}

  async getEvent(id: string): Promise<StoredEvent | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.event(id) }),
    );
    return Item ? eventOf(decodeEventItem(Item)) : undefined;
  }

  /** Which of these events the table holds (live, not withdrawn): one BatchGetItem of two attributes. */
  async liveEventIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await batchGet(this.client, this.tableName, [...new Set(ids)].map(itemKeys.event), {
      policy: this.retry,
      attributes: ['id', 'updatedAt'],
    });
    // An item without `updatedAt` holds only tombstones: the event is gone.
    return new Set(found.filter((item) => item.updatedAt !== undefined).map((item) => String(item.id)));
  }

  /** Newest events of one topic; `consistent`: a strongly consistent read (twice the read units). */
  async topicEvents(
    slug: string,
    page: PageRequest,
    { consistent = false }: { consistent?: boolean } = {},
  ): Promise<Page<StoredEvent>> {
    const result = await this.queryPage(
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': topicPartition(slug) },
        ScanIndexForward: false,
        ...(consistent ? { ConsistentRead: true } : {}),
      },
      page,
    );
    return { items: result.items.map(decodeEntryOnce), ...(result.next ? { next: result.next } : {}) };
  }

  /** Newest events of all topics, of one language or of all (each language is a partition). */
  allEvents(page: PageRequest, lang?: Lang): Promise<Page<StoredEvent>> {
    return this.mergedPage(
      (lang ? [lang] : LANGS).map((one) => ({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': allPartition(one) },
      })),
      undefined,
      page,
      async (entries) => entries.map(decodeEntryOnce),
    );
  }

  /**
   * Events of the given stored month-days (`MM-DD`) across years, newest first, optionally of one topic.
   * Several month-days only happen for Feb 29 in common years: both are read and merged by sort key.
   */
  monthDayEvents(monthDays: string[], filter: MonthDayFilter, page: PageRequest): Promise<Page<StoredEvent>> {
    return this.monthDayPage(monthDays, filter, page, (entries) => this.entriesOf(entries));
  }

  /** The same list as `monthDayEvents`, as briefs: one index Query per month-day, no event read. */
  monthDayBriefs(monthDays: string[], filter: MonthDayFilter, page: PageRequest): Promise<Page<EventBrief>> {
    return this.monthDayPage(monthDays, filter, page, (entries) => this.briefsOf(entries));
  }

  /**
   * How many entries `monthDayEvents` pages through for this filter, counted up to `limit`: COUNT Queries of
   * the month-day index, which read no event (a feed that keeps the first `limit` of several days counts
   * them first, then reads only the events it keeps).
   */
  async monthDayCount(
    monthDays: string[],
    { topic, beforeYear }: MonthDayFilter,
    limit: number,
  ): Promise<number> {
    const below = yearBound(beforeYear);
    const counts = await Promise.all(
      monthDays.map((monthDay) => {
        const input = sortKeyBelow(monthDayInput(this.tableName, monthDay, topic), below);
        return countQuery(this.client, { ...input, Limit: limit }, limit);
      }),
    );
    return Math.min(
      limit,
      counts.reduce((sum, count) => sum + count, 0),
    );
  }

  private monthDayPage<T>(
    monthDays: string[],
    { topic, beforeYear }: MonthDayFilter,
    page: PageRequest,
    itemsOf: (entries: Record<string, unknown>[]) => Promise<T[]>,
  ): Promise<Page<T>> {
    return this.mergedPage(
      monthDays.map((monthDay) => monthDayInput(this.tableName, monthDay, topic)),
      yearBound(beforeYear),
      page,
      itemsOf,
    );
  }

  async getTopic(slug: string): Promise<TopicSummary | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.topic(slug) }),
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
      items: result.items.map((item) => {
        const { key, reason, detail, at } = rejectionItemSchema.parse(item);
        return { key, reason, detail, at };
      }),
      ...(result.next ? { next: result.next } : {}),
    };
  }

  /** Totals without reading events: a counter item, and key counts over the small topic and rejection items. */
  async stats(): Promise<Stats> {
    const count = (partition: string) =>
      countQuery(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': partition },
      });
    const [totals, topics, rejected] = await Promise.all([
      this.client.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.stats() })),
      count(TOPICS_PARTITION),
      count(REJECTIONS_PARTITION),
    ]);
    return { events: Number(totals.Item?.events ?? 0), topics, rejected };
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * One page merged from several partitions' Queries (same sort keys), newest first. Each is read up to a
   * page past the last sort key shown (`after` carries it), so paging stays key-based across all of them;
   * `below` bounds the sort key further. DynamoDB orders string keys by their UTF-8 bytes, and so does the merge.
   */
  private async mergedPage<T>(
    inputs: QueryCommandInput[],
    below: string | undefined,
    page: PageRequest,
    itemsOf: (entries: Record<string, unknown>[]) => Promise<T[]>,
  ): Promise<Page<T>> {
    const indexName = inputs[0]?.IndexName;
    // The month-day index sorts by the entries' own sort key, so one name serves both.
    const sortKeyName = SK;
    const bounds = [page.after?.[sortKeyName], below].filter((bound): bound is string => bound !== undefined);
    const bound = bounds.sort(byBytes)[0];
    const reads = inputs.map((input) =>
      this.readUpTo({ ...sortKeyBelow(input, bound), ScanIndexForward: false }, page.limit + 1),
    );
    const pages = await Promise.all(reads);
    // One partition's Query is already in this order (the common case: every month-day but Feb 29, one language).
    const merged = pages.length === 1 ? (pages[0] ?? []) : newestFirst(pages.flat(), sortKeyName);
    const entries = merged.slice(0, page.limit);
    const last = entries.at(-1);
    const items = await itemsOf(entries);
    return merged.length > page.limit && last ? { items, next: this.keyOf(last, indexName) } : { items };
  }

  /** The events of key-only index entries, in their order: one BatchGetItem of the entries themselves. */
  private async entriesOf(keys: Record<string, unknown>[]): Promise<StoredEvent[]> {
    const tableKey = (item: Record<string, unknown>) => ({ [PK]: String(item[PK]), [SK]: String(item[SK]) });
    const found = await batchGet(this.client, this.tableName, keys.map(tableKey), { policy: this.retry });
    const byKey = new Map(found.map((item) => [`${item[PK]}\n${item[SK]}`, decodeEntryOnce(item)]));
    // An entry deleted since the index was read is left out.
    return keys.flatMap((key) => byKey.get(`${key[PK]}\n${key[SK]}`) ?? []);
  }

  /**
   * The briefs of month-day index entries, in their order. Topic entries carry none (write units), nor does an
   * all-events entry written before briefs existed (in AWS, until the reconcile after the index change
   * rewrites it): their events are read whole.
   */
  private async briefsOf(entries: Record<string, unknown>[]): Promise<EventBrief[]> {
    const briefs = entries.map(decodeBrief);
    const missing = entries.filter((_, index) => briefs[index] === undefined);
    if (missing.length === 0) return briefs as EventBrief[];
    const read = new Map((await this.entriesOf(missing)).map((event) => [event.id, briefOf(event)]));
    return entries.flatMap((entry, index) => briefs[index] ?? read.get(idOfSortKey(String(entry[SK]))) ?? []);
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
    if (indexName === monthDayIndex.name) names.push(monthDayIndex.partitionKey);
    return Object.fromEntries(names.map((name) => [name, String(item[name])]));
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
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * DynamoDB's order of string keys: by UTF-8 bytes, which is code point order. `<` on UTF-16 code units
 * differs from it only where a surrogate (a code point above U+FFFF) meets U+E000-U+FFFF, so strings
 * without surrogates compare with `<`, and the others by their encoded bytes.
 */
export function byBytes(a: string, b: string): number {
  if (SURROGATE.test(a) || SURROGATE.test(b))
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Items by their key `name`, newest (greatest) first, in `byBytes` order, each key looked at once: an
 * anniversary feed merges 7 pages of up to 201 entries, and comparing pairs with `byBytes` (two
 * encodings per comparison) took 3.1 ms a merge. When any key holds a surrogate, all are compared as their
 * UTF-8 bytes (written one byte a char, so that `<` compares bytes).
 */
export function newestFirst<T extends Record<string, unknown>>(items: T[], name: string): T[] {
  const keys = items.map((item) => String(item[name]));
  const ordered = keys.some((key) => SURROGATE.test(key))
    ? keys.map((key) => Buffer.from(key, 'utf8').toString('latin1'))
    : keys;
  return items
    .map((item, index) => ({ item, key: ordered[index] as string }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
    .map(({ item }) => item);
}

function toTopicSummary(item: Record<string, unknown>): TopicSummary {
  const topic = topicItemSchema.parse(item);
  return { slug: topic[SK], label: topic.label, events: topic.events, updated: topic.updated };
}

/** One month-day's partition of the month-day index (all events, or one topic's). */
function monthDayInput(tableName: string, monthDay: string, topic: string | undefined): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: monthDayIndex.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': monthDayIndex.partitionKey },
    ExpressionAttributeValues: { ':pk': monthDayPartition(monthDay, topic) },
  };
}

/** The Query with its sort key (`SK`: the month-day index sorts by it too) kept below `bound`, if any. */
function sortKeyBelow(input: QueryCommandInput, bound: string | undefined): QueryCommandInput {
  if (bound === undefined) return input;
  return {
    ...input,
    KeyConditionExpression: `${input.KeyConditionExpression} AND #sk < :below`,
    ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#sk': SK },
    ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':below': bound },
  };
}

/** Sort keys start with the date, so "earlier years" is a key condition: below this bound. */
function yearBound(beforeYear: number | undefined): string | undefined {
  return beforeYear ? String(beforeYear).padStart(4, '0') : undefined;
}
