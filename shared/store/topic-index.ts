// The listings: topic entries and all-events entries, each carrying a copy of the event as served, exact
// per-topic counts and the live-event total, all kept with atomic `ADD`s driven by the one merge that
// changed an event's topics.
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../domain/event';
import { runPool } from '../upload/pool';
import { batchWrite, type RetryPolicy, type WriteRequest } from './batch-write';
import { countQuery } from './count-query';
import {
  allPartition,
  itemKeys,
  LANGS,
  listingEntryItem,
  type PendingWrites,
  servedDoc,
  sortKeyOf,
  topicEntryItem,
  topicPartition,
} from './keys';
import { tableSchema } from './table-schema';
import { conditionalWrite } from './writes';

/** One merge's derived writes, with the event as its item holds it now (absent once it is gone). */
export interface DerivedMerge {
  event: { id: string; date: string };
  served: StoredEvent | undefined;
  pending: PendingWrites;
}

export class TopicIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy,
    private readonly now: () => Date,
  ) {}

  /**
   * Applies the derived writes of several merges together: one BatchWriteItem for all their entries, one
   * counter update per topic with the deltas summed. `served` is the event as its item holds it now (absent
   * once it is gone), copied into every entry. Entries are idempotent (put or delete by key). The
   * counters are `ADD`s, exact because each merge that changes an event's topics is the only writer of
   * its delta: merges of one event are serialized by the event item's `pending` marker (see EventMerger).
   */
  async apply(merges: DerivedMerge[]): Promise<void> {
    const deltas = new Map<string, { delta: number; label?: string }>();
    const touched = new Set<string>();
    let events = 0;
    for (const { pending } of merges) {
      for (const slug of pending.add) {
        const entry = deltas.get(slug) ?? { delta: 0 };
        entry.delta += 1;
        entry.label ??= pending.labels[slug];
        deltas.set(slug, entry);
      }
      for (const slug of pending.remove) {
        const entry = deltas.get(slug) ?? { delta: 0 };
        entry.delta -= 1;
        deltas.set(slug, entry);
      }
      for (const slug of pending.touch) touched.add(slug);
      events += pending.events;
    }
    // Entries land before the counters move, so a feed never counts an entry it can't show.
    await this.writeEntries(merges);
    // `updated` (the feed's Last-Modified) is stamped now, after the entries landed, not when the merge
    // began: a batch that began earlier but lands later must still move it past what a reader was served.
    const at = this.now().toISOString();
    const counters = [
      ...[...deltas].map(([slug, { delta, label }]) => ({
        add: () => this.count(slug, delta, at, label),
        undo: () => this.count(slug, -delta, at),
      })),
      ...(events !== 0
        ? [{ add: () => this.countEvents(events), undo: () => this.countEvents(-events) }]
        : []),
    ];
    const [touchedResult, ...added] = await Promise.allSettled([
      this.touch(
        [...touched].filter((slug) => !deltas.has(slug)),
        at,
      ),
      ...counters.map((counter) => counter.add()),
    ]);
    const failed = [touchedResult, ...added].find((result) => result?.status === 'rejected');
    if (failed?.status !== 'rejected') return;
    // The `ADD`s are not idempotent and the marker stays, so the retry applies every delta again: the ones that
    // went through are taken back first, or a throttled counter would leave the others counted twice.
    await Promise.allSettled(
      counters.filter((_, index) => added[index]?.status === 'fulfilled').map((counter) => counter.undo()),
    );
    throw failed.reason;
  }

  /** The merges' listing entries: puts of the event as served, deletes of withdrawn ones. Idempotent. */
  async writeEntries(merges: DerivedMerge[]): Promise<void> {
    const requests: WriteRequest[] = [];
    for (const { event, served, pending } of merges) {
      const sortKey = sortKeyOf(event);
      if (served) {
        const doc = servedDoc(served);
        for (const slug of [...pending.add, ...pending.touch])
          requests.push({ PutRequest: { Item: topicEntryItem(slug, served, doc) } });
        if (pending.listing?.put) requests.push({ PutRequest: { Item: listingEntryItem(served, doc) } });
      }
      if (pending.listing?.remove)
        requests.push({ DeleteRequest: { Key: itemKeys.listing(pending.listing.remove, sortKey) } });
      for (const slug of pending.remove)
        requests.push({ DeleteRequest: { Key: itemKeys.membership(slug, sortKey) } });
    }
    await batchWrite(this.client, this.tableName, requests, this.retry);
  }

  /**
   * Sets the counters of these topics, and the live-event total, to a count of their entries. Exact only
   * while nothing else writes them: a writer's entries land before its `ADD`s, so a recount beside a live
   * writer would count its entry and then see the `ADD` too. For a start with no other writer, after a crash
   * that may have come between a merge's `ADD`s and the clearing of its marker.
   */
  async recount(merges: DerivedMerge[]): Promise<{ topics: number }> {
    const topics = new Map<string, string | undefined>();
    for (const { pending } of merges)
      for (const slug of [...pending.add, ...pending.remove])
        topics.set(slug, topics.get(slug) ?? pending.labels[slug]);
    const at = this.now().toISOString();
    await runPool([...topics], 8, async ([slug, label]) => {
      const events = await this.countPartition(topicPartition(slug));
      if (events === 0) {
        await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.topic(slug) }));
        return;
      }
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.topic(slug),
          UpdateExpression: `SET events = :events, updated = if_not_exists(updated, :at)${label ? ', label = if_not_exists(label, :label)' : ''}`,
          ExpressionAttributeValues: { ':events': events, ':at': at, ...(label ? { ':label': label } : {}) },
        }),
      );
      await this.touch([slug], at);
    });
    if (merges.some(({ pending }) => pending.events !== 0)) {
      let events = 0;
      for (const lang of LANGS) events += await this.countPartition(allPartition(lang));
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.stats(),
          UpdateExpression: 'SET events = :events',
          ExpressionAttributeValues: { ':events': events },
        }),
      );
    }
    return { topics: topics.size };
  }

  private countPartition(partition: string): Promise<number> {
    return countQuery(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
      ExpressionAttributeValues: { ':pk': partition },
      ConsistentRead: true,
    });
  }

  private async count(slug: string, delta: number, at: string, label?: string): Promise<void> {
    const { Attributes: old } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.topic(slug),
        // The first label seen for a slug stays, so `Zürich` is not renamed by a later `Zurich`.
        UpdateExpression: `SET updated = :at${label ? ', label = if_not_exists(label, :label)' : ''} ADD events :delta`,
        ExpressionAttributeValues: { ':at': at, ':delta': delta, ...(label ? { ':label': label } : {}) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const previous = typeof old?.updated === 'string' ? old.updated : undefined;
    if (previous !== undefined && previous > at) {
      // An overlapping writer stamped later but landed first: put its time back (unless `updated` moved on
      // since), so Last-Modified never goes backwards. The `ADD` needs no condition; only this does.
      await conditionalWrite(
        this.client,
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.topic(slug),
          UpdateExpression: 'SET updated = :previous',
          ConditionExpression: 'updated = :at',
          ExpressionAttributeValues: { ':previous': previous, ':at': at },
        }),
      );
    }
    if (delta <= 0 && Number(old?.events ?? 0) + delta <= 0) {
      // Gone only while empty: an entry added meanwhile has already moved the count above zero.
      await conditionalWrite(
        this.client,
        new DeleteCommand({
          TableName: this.tableName,
          Key: itemKeys.topic(slug),
          ConditionExpression: 'events <= :zero',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
    }
  }

  /** Topics whose feeds changed without their entries changing: move `updated` (their Last-Modified). */
  private async touch(slugs: string[], at: string): Promise<void> {
    await Promise.all(
      slugs.map((slug) =>
        conditionalWrite(
          this.client,
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKeys.topic(slug),
            UpdateExpression: 'SET updated = :at',
            // Never backwards: two overlapping writers may finish out of order.
            ConditionExpression: 'attribute_exists(events) AND updated < :at',
            ExpressionAttributeValues: { ':at': at },
          }),
        ),
      ),
    );
  }

  private async countEvents(delta: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.stats(),
        UpdateExpression: 'ADD events :delta',
        ExpressionAttributeValues: { ':delta': delta },
      }),
    );
  }
}
