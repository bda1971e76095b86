// The listings: topic entries and all-events entries, each carrying a copy of the event as served, exact
// per-topic counts and the live-event total, all kept with atomic `ADD`s driven by the one merge that
// changed an event's topics.
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../domain/event';
import { batchWrite, type RetryPolicy, type WriteRequest } from './batch-write';
import { itemKeys, listingEntryItem, type PendingWrites, servedDoc, sortKeyOf, topicEntryItem } from './keys';
import { conditionalWrite } from './writes';

export class TopicIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy,
  ) {}

  /**
   * Applies the derived writes of several merges together: one BatchWriteItem for all their entries, one
   * counter update per topic with the deltas summed. `served` is the event as its item holds it now (absent
   * once it is gone), copied into every entry. Entries are idempotent (put or delete by key). The
   * counters are `ADD`s, exact because each merge that changes an event's topics is the only writer of
   * its delta: merges of one event are serialized by the event item's `pending` marker (see EventMerger).
   */
  async apply(
    merges: {
      event: { id: string; date: string };
      served: StoredEvent | undefined;
      pending: PendingWrites;
    }[],
  ): Promise<void> {
    const requests: WriteRequest[] = [];
    const deltas = new Map<string, { delta: number; label?: string }>();
    const touched = new Set<string>();
    let events = 0;
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
      for (const slug of pending.add) {
        const entry = deltas.get(slug) ?? { delta: 0 };
        entry.delta += 1;
        entry.label ??= pending.labels[slug];
        deltas.set(slug, entry);
      }
      for (const slug of pending.remove) {
        requests.push({ DeleteRequest: { Key: itemKeys.membership(slug, sortKey) } });
        const entry = deltas.get(slug) ?? { delta: 0 };
        entry.delta -= 1;
        deltas.set(slug, entry);
      }
      for (const slug of pending.touch) touched.add(slug);
      events += pending.events;
    }
    const at =
      merges
        .map(({ pending }) => pending.at)
        .sort()
        .at(-1) ?? '';
    // Entries land before the counters move, so a feed never counts an entry it can't show.
    await batchWrite(this.client, this.tableName, requests, this.retry);
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

  private async count(slug: string, delta: number, at: string, label?: string): Promise<void> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.topic(slug),
        // The first label seen for a slug stays, so `Zürich` is not renamed by a later `Zurich`.
        UpdateExpression: `SET updated = :at${label ? ', label = if_not_exists(label, :label)' : ''} ADD events :delta`,
        ExpressionAttributeValues: { ':at': at, ':delta': delta, ...(label ? { ':label': label } : {}) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    if (delta <= 0 && Number(Attributes?.events ?? 0) <= 0) {
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
