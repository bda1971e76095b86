// Fills a benchmark store with generated events through the store's own batch write path
// (shared/store/bulk-load.ts: BatchWriteItem, then one ADD per topic), not through S3 and the per-object
// protocol: a 100k store then takes a minute or two, not the better part of an hour.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applyTopicCounts, type BulkLoadResult, bulkWriteNewEvents } from '../../shared/store/bulk-load';
import { runPool } from '../../shared/upload/pool';
import type { Generator } from './generate';
import { progress } from './progress';

/** Objects per bulk write (about 5 items each, 25 items a request), and writes at once. */
const BATCH = 200;
const CONCURRENCY = 4;
/** Any fixed sequencer: each generated object is written once. */
const SEQUENCER = '0100';

export async function growStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  generator: Generator,
  range: { from: number; to: number },
  at: string,
): Promise<void> {
  const { from, to } = range;
  const starts: number[] = [];
  for (let start = from; start < to; start += BATCH) starts.push(start);
  const bar = progress(
    `loading events ${from.toLocaleString('en-US')} → ${to.toLocaleString('en-US')}`,
    to - from,
  );
  const total: BulkLoadResult = { topics: new Map(), events: 0 };
  let done = 0;
  await runPool(starts, CONCURRENCY, async (start) => {
    const objects = [];
    for (let k = start; k < Math.min(to, start + BATCH); k++) {
      objects.push({ sequencer: SEQUENCER, contribution: generator.at(k).contribution });
    }
    const result = await bulkWriteNewEvents(client, tableName, objects, at);
    for (const [slug, { delta, label }] of result.topics) {
      const entry = total.topics.get(slug) ?? { delta: 0, label };
      entry.delta += delta;
      total.topics.set(slug, entry);
    }
    total.events += result.events;
    done += objects.length;
    bar.tick(done);
  });
  await applyTopicCounts(client, tableName, total, at);
  bar.done(`${total.topics.size.toLocaleString('en-US')} topics counted`);
}
