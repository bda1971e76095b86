// The whole Chinese edition through the real ingest handler (s3rver → SQS-shaped batches → dynalite).
import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicSlug } from '../../shared/domain/topics';
import { INGEST_BATCH_SIZE } from '../../shared/ingest/batched-store';
import { EventsTable } from '../../shared/store/events-table';
import { tableSchema } from '../../shared/store/table-schema';
import { runPool } from '../../shared/upload/pool';
import { corpusFiles, corpusSkipMessage, hasCorpus } from '../support/corpus';
import { type IngestRig, type LocalS3, startIngestRig } from '../support/local-aws';
import { deliverInBatches, s3Message } from '../support/sqs';

const files = corpusFiles('zh');
const canonical = /news\/(\d{4})\/(\d{2})\/(\d{1,2})\/([^/]+)\.md$/;
const idOf = (path: string): string | undefined => {
  const m = path.match(canonical);
  return m ? `${m[1]}-${m[2]}-${m[3]?.padStart(2, '0')}/${m[4]}` : undefined;
};

/**
 * Ground truth read straight from the files, without the parser: event ids from paths and listing links,
 * and the topic labels each file states for an event (its `#####` line, its related items' `_消息:_`
 * labels, and the `#####` line before its entry in the day listing).
 */
function groundTruth() {
  const ids = new Set<string>();
  const topics = new Map<string, Set<string>>();
  const addTopics = (id: string, labels: string[]) => {
    const set = topics.get(id) ?? new Set<string>();
    for (const label of labels.map((l) => l.trim()).filter(Boolean)) set.add(label);
    topics.set(id, set);
  };
  for (const file of files) {
    const text = readFileSync(file.path, 'utf8').replace(/\r\n/g, '\n');
    if (file.key.endsWith('/index.md')) {
      let topicLine: string | undefined;
      for (const line of text.split('\n')) {
        if (line.startsWith('##### ')) topicLine = line.slice(6);
        const link = line.startsWith('### [') ? line.match(/\]\(([^)]+\.md)\)\s*$/)?.[1] : undefined;
        const id = link ? idOf(link) : undefined;
        if (!id) continue;
        ids.add(id);
        addTopics(id, topicLine ? [topicLine] : []);
        topicLine = undefined;
      }
      continue;
    }
    const id = idOf(file.key);
    if (!id) continue;
    ids.add(id);
    const topicLine = text.match(/^##### (.*)$/m)?.[1];
    const related = [...text.matchAll(/_消息: ([^_]*)_\s*$/gm)].flatMap((m) => (m[1] ?? '').split(','));
    addTopics(id, [...(topicLine ? [topicLine] : []), ...related]);
  }
  return { ids, topics };
}

let rig: IngestRig;
let s3: LocalS3;
let store: EventsTable;
let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;

describe.skipIf(!hasCorpus)('the complete zh corpus through the ingest handler', () => {
  if (!hasCorpus) console.warn(corpusSkipMessage);
  const truth = hasCorpus ? groundTruth() : { ids: new Set<string>(), topics: new Map() };
  const failures: string[] = [];
  const redeliveries: string[] = [];

  beforeAll(async () => {
    rig = await startIngestRig();
    ({ s3, handler } = rig);
    store = new EventsTable(rig.dynamo.doc, rig.tableName);

    // Prepare: the bucket holds every file; SQS delivers batches as the stack configures them, a few Lambdas at a time.
    const messages: SQSRecord[] = new Array(files.length);
    await runPool(files, 8, async (file, i) => {
      const body = readFileSync(file.path);
      await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: file.key, Body: body }));
      messages[i] = s3Message({ key: file.key, sequencer: (i + 1).toString(16), size: body.length });
    });
    const ingestStart = performance.now();
    failures.push(
      ...(await deliverInBatches(handler, messages, {
        batchSize: INGEST_BATCH_SIZE,
        concurrency: 4,
        // As SQS would: a record reported failed (an event other batches kept busy) is received again.
        maxReceives: 3,
        onRedelivery: (ids) => redeliveries.push(...ids),
      })),
    );
    const seconds = (performance.now() - ingestStart) / 1000;
    console.log(
      `[zh] ${files.length} files ingested in ${seconds.toFixed(1)} s (${(files.length / seconds).toFixed(0)} files/s), ${redeliveries.length} received again`,
    );
  }, 900_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('ingests every file without a failure or a rejection', async () => {
    expect(failures).toEqual([]);
    expect((await store.listRejections({ limit: 50 })).items).toEqual([]);
  });

  it('holds exactly the events the files name', async () => {
    const stats = await store.stats();

    expect(stats.events).toBe(truth.ids.size);
    expect(stats.rejected).toBe(0);
  });

  it('gives sampled events the topics their files state', async () => {
    // Labels with conversion markup (-{…}-) are resolved by the parser; compare the plain ones.
    const sample = [...truth.topics.entries()]
      .filter(([, labels]) => labels.size > 0 && [...labels].every((l) => !l.includes('-{')))
      .filter((_, i) => i % 25 === 0);
    expect(sample.length).toBeGreaterThan(100);
    for (const [id, labels] of sample) {
      const event = await store.getEvent(id);
      expect(event, id).toBeDefined();
      const stored = new Set(event?.topics.map(topicSlug));
      for (const label of labels) expect(stored.has(topicSlug(label)), `${id}: ${label}`).toBe(true);
    }
  });

  it('keeps every topic count equal to a recount of its entries, and lists every event in its all-events partition and by month-day', async () => {
    const count = async (input: Omit<QueryCommandInput, 'TableName' | 'Select'>) => {
      let total = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await rig.dynamo.doc.send(
          new QueryCommand({
            ...input,
            TableName: rig.tableName,
            Select: 'COUNT',
            ExclusiveStartKey: startKey,
          }),
        );
        total += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return total;
    };
    const topics = [];
    let after: Record<string, string> | undefined;
    do {
      const page = await store.listTopics(undefined, { limit: 500, ...(after ? { after } : {}) });
      topics.push(...page.items);
      after = page.next;
    } while (after);
    const truthSlugs = new Set([...truth.topics.values()].flatMap((labels) => [...labels].map(topicSlug)));
    expect(topics.length).toBeGreaterThan(truthSlugs.size * 0.9);
    for (const topic of topics) {
      const entries = await count({
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `TOPIC#${topic.slug}` },
      });
      expect(topic.events, topic.slug).toBe(entries);
    }
    let feed = 0;
    for (const lang of ['en', 'zh']) {
      feed += await count({
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `ALL#${lang}` },
      });
    }
    let byMonthDay = 0;
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= 31; day++) {
        const monthDay = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        byMonthDay += await count({
          IndexName: tableSchema.monthDayIndex.name,
          KeyConditionExpression: 'MD = :pk',
          ExpressionAttributeValues: { ':pk': `MD#${monthDay}` },
        });
      }
    }
    expect(feed).toBe(truth.ids.size);
    expect(byMonthDay).toBe(truth.ids.size);
    // Thousands of count queries: a few seconds alone, far longer on a shared machine.
  }, 180_000);

  it('resolves related ids to stored events', async () => {
    let checked = 0;
    for (const id of [...truth.ids].filter((_, i) => i % 40 === 0)) {
      const event = await store.getEvent(id);
      for (const related of event?.related ?? []) {
        if (!truth.ids.has(related.id)) continue;
        expect(await store.getEvent(related.id), `${id} → ${related.id}`).toBeDefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
