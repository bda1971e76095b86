// Fills a benchmark store with generated events through the store's own batch write path
// (shared/store/bulk-load.ts: BatchWriteItem of the items the write protocol leaves, then one ADD per
// topic), not through S3 and the per-object protocol. Events are generated as they are written (block by
// block, never the whole store in memory), with several BatchWriteItem requests in flight so that dynalite,
// in its own process, is kept busy while this process builds the next items.
import { performance } from 'node:perf_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applyTopicCounts, type BulkLoadResult, bulkWriteNewEvents } from '../../shared/store/bulk-load';
import { runPool } from '../../shared/upload/pool';
import type { Generator } from './generate';
import { progress } from './progress';

/**
 * Objects per bulk write: about 5 items each, so 25 objects make 5 full BatchWriteItem requests of 25
 * and one part-filled one, sent one after another by one lane.
 */
const OBJECTS_PER_WRITE = 25;
/**
 * Bulk writes at once. With 4 (and 200 objects each) both processes sat idle a third of the time waiting
 * for each other; more lanes keep a request queued at dynalite while this process marshals the next.
 */
const WRITES_IN_FLIGHT = 12;
/** Any fixed sequencer: each generated object is written once. */
const SEQUENCER = '0100';

export async function growStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  generator: Generator,
  range: { from: number; to: number },
  at: string,
): Promise<{ seconds: number; items: number }> {
  const { from, to } = range;
  const started = performance.now();
  const blocks: number[] = [];
  for (let start = from; start < to; start += OBJECTS_PER_WRITE) blocks.push(start);
  const bar = progress(
    `loading events ${from.toLocaleString('en-US')} → ${to.toLocaleString('en-US')}`,
    to - from,
  );
  const total: BulkLoadResult = { topics: new Map(), events: 0 };
  let done = 0;
  let items = 0;
  await runPool(blocks, WRITES_IN_FLIGHT, async (start) => {
    const objects = [];
    for (let k = start; k < Math.min(to, start + OBJECTS_PER_WRITE); k++) {
      objects.push({ sequencer: SEQUENCER, contribution: generator.at(k).contribution });
    }
    const result = await bulkWriteNewEvents(client, tableName, objects, at);
    for (const [slug, { delta, label }] of result.topics) {
      const entry = total.topics.get(slug) ?? { delta: 0, label };
      entry.delta += delta;
      total.topics.set(slug, entry);
    }
    total.events += result.events;
    // Per event: its listing entry, its item and its object manifest, and one entry per topic.
    items += 3 * result.events + [...result.topics.values()].reduce((sum, { delta }) => sum + delta, 0);
    done += objects.length;
    bar.tick(done);
  });
  bar.done();
  const counting = progress(`topic counts (${total.topics.size.toLocaleString('en-US')} ADDs)`, 1);
  await applyTopicCounts(client, tableName, total, at, WRITES_IN_FLIGHT);
  counting.done();
  // Plus one counter item per topic new to the table (an upper bound when the store grows).
  return { seconds: (performance.now() - started) / 1000, items: items + total.topics.size };
}
