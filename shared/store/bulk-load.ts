// Offline bulk load of new single-event objects (benchmark stores, seeding an empty table): the items the
// write protocol would leave, written with BatchWriteItem 25 at a time, then one `ADD` per topic. No claim,
// no merge, no markers: only for objects and events the table does not hold yet, with no other writer.
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Contribution, mergeContributions } from '../domain/merge';
import { normalizeSequencer } from '../domain/sequencer';
import { topicSlug } from '../domain/topics';
import { batchWrite, defaultRetryPolicy, type RetryPolicy, type WriteRequest } from './batch-write';
import { encodeContributions, itemKeys, listingEntryItem, servedDoc, topicEntryItem } from './keys';

/** One new object holding one new event (an event file), at its sequencer. */
export interface NewEventObject {
  sequencer: string;
  contribution: Contribution;
}

export interface BulkLoadResult {
  /** Topic count deltas, to be applied with `applyTopicCounts` once every entry is written. */
  topics: Map<string, { delta: number; label: string }>;
  events: number;
}

/**
 * Writes the event items, topic entries and object manifests of `objects` (the same items `applyMany`
 * leaves for them; test/store/bulk-load.test.ts compares the two), and returns the counter deltas.
 */
export async function bulkWriteNewEvents(
  client: DynamoDBDocumentClient,
  tableName: string,
  objects: readonly NewEventObject[],
  at: string,
  retry: RetryPolicy = defaultRetryPolicy,
): Promise<BulkLoadResult> {
  const requests: WriteRequest[] = [];
  const topics = new Map<string, { delta: number; label: string }>();
  for (const { sequencer, contribution } of objects) {
    const { event, objectKey } = contribution;
    const seq = normalizeSequencer(sequencer);
    // What a read serves: the one contribution merged (as the write path merges it), stamped now.
    const merged = mergeContributions([contribution]);
    if (!merged) continue;
    const served = { ...merged, updatedAt: at };
    const doc = servedDoc(served);
    requests.push({ PutRequest: { Item: listingEntryItem(served, doc) } });
    const slugs: string[] = [];
    for (const label of event.topics) {
      const slug = topicSlug(label);
      if (slugs.includes(slug)) continue;
      slugs.push(slug);
      const entry = topics.get(slug) ?? { delta: 0, label };
      entry.delta += 1;
      topics.set(slug, entry);
      requests.push({ PutRequest: { Item: topicEntryItem(slug, served, doc) } });
    }
    const src = { [objectKey]: { seq, ...contribution } };
    requests.push({
      PutRequest: {
        Item: {
          ...itemKeys.event(event.id),
          id: event.id,
          date: event.date,
          rev: 1,
          src: encodeContributions(src),
          topics: slugs,
          updatedAt: at,
        },
      },
    });
    requests.push({
      PutRequest: {
        Item: {
          ...itemKeys.object(objectKey),
          key: objectKey,
          seq,
          state: 'events',
          eventIds: [event.id],
          pendingIds: [],
          at,
        },
      },
    });
  }
  await batchWrite(client, tableName, requests, retry);
  return { topics, events: objects.length };
}

/** Moves each topic's count (and the live-event total) by what bulk writes added; `ADD`s, so loads can grow. */
export async function applyTopicCounts(
  client: DynamoDBDocumentClient,
  tableName: string,
  result: BulkLoadResult,
  at: string,
  concurrency = 8,
): Promise<void> {
  const counts = [...result.topics];
  const lane = async () => {
    for (let next = counts.shift(); next; next = counts.shift()) {
      const [slug, { delta, label }] = next;
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: itemKeys.topic(slug),
          UpdateExpression: 'SET updated = :at, label = if_not_exists(label, :label) ADD events :delta',
          ExpressionAttributeValues: { ':at': at, ':label': label, ':delta': delta },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: itemKeys.stats(),
      UpdateExpression: 'ADD events :delta',
      ExpressionAttributeValues: { ':delta': result.events },
    }),
  );
}
