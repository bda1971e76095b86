// The read side: every listing is a key-only Query (table or index), then one BatchGetItem for the events.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../domain/event';
import { topicSlug } from '../domain/topics';
import { batchGet, type RetryPolicy } from './batch-write';
import { eventOf } from './event-merger';
import {
  decodeEventItem,
  FEED_PARTITION,
  idOfSortKey,
  itemKeys,
  monthDayPartition,
  REJECTIONS_PARTITION,
  rejectionItemSchema,
  TOPICS_PARTITION,
  topicItemSchema,
  topicPartition,
} from './keys';
import { tableSchema } from './table-schema';

const { partitionKey: PK, sortKey: SK, feedIndex, monthDayIndex } = tableSchema;

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

  /** Newest events of one topic. */
  topicEvents(slug: string, page: PageRequest): Promise<Page<StoredEvent>> {
    return this.eventPage(
      { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': PK } },
      { ':pk': topicPartition(slug) },
      page,
    );
  }

  /** Newest events of all topics. */
  allEvents(page: PageRequest): Promise<Page<StoredEvent>> {
    return this.eventPage(
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
            ':pk': monthDayPartition(monthDay, topic),
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
    const keys = merged.slice(0, page.limit);
    const last = keys.at(-1);
    const items = await this.hydrate(keys.map((item) => String(item[sortKeyName])));
    return merged.length > page.limit && last
      ? { items, next: this.keyOf(last, monthDayIndex.name) }
      : { items };
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
      this.countQuery({
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

  /** A page of event keys from a table or index Query, then the events themselves in one BatchGetItem. */
  private async eventPage(
    query: Omit<QueryCommandInput, 'TableName' | 'ExpressionAttributeValues'>,
    values: Record<string, unknown>,
    page: PageRequest,
  ): Promise<Page<StoredEvent>> {
    const sortKeyName =
      query.IndexName === feedIndex.name ? feedIndex.sortKey : query.IndexName ? monthDayIndex.sortKey : SK;
    const result = await this.queryPage(
      { TableName: this.tableName, ...query, ExpressionAttributeValues: values, ScanIndexForward: false },
      page,
    );
    const items = await this.hydrate(result.items.map((item) => String(item[sortKeyName])));
    return { items, ...(result.next ? { next: result.next } : {}) };
  }

  /** The events named by sort keys, in that order; an event deleted since its key was read is left out. */
  private async hydrate(sortKeys: string[]): Promise<StoredEvent[]> {
    const ids = sortKeys.map(idOfSortKey);
    const raw = await batchGet(this.client, this.tableName, [...new Set(ids)].map(itemKeys.event), {
      policy: this.retry,
    });
    const found = new Map<string, StoredEvent>();
    for (const item of raw) {
      const event = eventOf(decodeEventItem(item));
      if (event) found.set(event.id, event);
    }
    return ids.flatMap((id) => {
      const event = found.get(id);
      return event ? [event] : [];
    });
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

/** DynamoDB's order of string keys: by UTF-8 bytes (localeCompare and `<` on UTF-16 differ from it). */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function toTopicSummary(item: Record<string, unknown>): TopicSummary {
  const topic = topicItemSchema.parse(item);
  return { slug: topic[SK], label: topic.label, events: topic.events, updated: topic.updated };
}
