// Ingest through the real handler on dynalite + s3rver (npx tsx bench/ingest.ts [files]), in a process with the
// ingest function's heap flags: DynamoDB requests
// and write units per new single-event file with 3 topics, and files/s against a same-run floor of the
// same files' S3 GetObject alone. Figures are medians over repeated runs (the machine is shared and noisy).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { INGEST_BATCH_SIZE } from '../shared/ingest/batched-store';
import { parseEventObject } from '../shared/parse';
import { tableSchema } from '../shared/store/table-schema';
import { type CorpusFile, corpusFiles, hasCorpus } from '../test/support/corpus';
import { startIngestRig } from '../test/support/local-aws';
import { deliverInBatches, s3Message, sqsEvent } from '../test/support/sqs';
import { sliceOfWholeRounds, timeSlice, WARMUP_FILES } from './suite/ingest-step';
import { rerunWithHeapFlags } from './suite/lambda-heap';

// The handler runs in this process: give it the ingest function's heap, as Lambda does.
rerunWithHeapFlags();

const REPEATS = 3;
/** Concurrent handler invocations, as an SQS event source runs several pollers. */
const CONCURRENT_BATCHES = Number(process.env.CONCURRENT_BATCHES ?? 4);
const BATCH_SIZE = Number(process.env.BATCH_SIZE ?? INGEST_BATCH_SIZE);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const spread = (values: number[], digits = 0) =>
  `median ${median(values).toFixed(digits)} (min ${Math.min(...values).toFixed(digits)}, max ${Math.max(...values).toFixed(digits)})`;

interface Meter {
  requests: number;
  tableUnits: number;
  indexUnits: number;
}

const { monthDayIndex } = tableSchema;
// An index entry holds the table's keys, the index's own and the attributes it projects (the brief).
const indexed = [
  ...new Set([
    tableSchema.partitionKey,
    tableSchema.sortKey,
    monthDayIndex.partitionKey,
    monthDayIndex.sortKey,
    ...monthDayIndex.projectedAttributes,
  ]),
];

/** Bytes of an attribute as DynamoDB sizes it: its name plus its value (UTF-8 strings, raw binary). */
function attributeBytes(name: string, value: unknown): number {
  const valueBytes =
    value instanceof Uint8Array ? value.byteLength : Buffer.byteLength(String(value ?? ''), 'utf8');
  return Buffer.byteLength(name, 'utf8') + valueBytes;
}

/**
 * dynalite reports table write units (ReturnConsumedCapacity) but not index ones. A new entry of the
 * month-day index costs its size in KB, rounded up (docs/table-design.md shows the sum).
 */
function indexUnitsOf(input: Record<string, unknown>): number {
  const items: Record<string, unknown>[] = [];
  if (input.Item) items.push(input.Item as Record<string, unknown>);
  const requestItems = input.RequestItems as Record<
    string,
    { PutRequest?: { Item: Record<string, unknown> } }[]
  >;
  for (const requests of Object.values(requestItems ?? {}))
    for (const request of requests) if (request.PutRequest) items.push(request.PutRequest.Item);
  return items
    .filter((item) => item[monthDayIndex.partitionKey] !== undefined)
    .reduce(
      (sum, item) =>
        sum + Math.ceil(indexed.reduce((bytes, name) => bytes + attributeBytes(name, item[name]), 0) / 1024),
      0,
    );
}

async function main(): Promise<void> {
  if (!hasCorpus) {
    console.log('[bench] skipped: no corpus to ingest');
    return;
  }
  const limit = Number(process.argv[2] ?? process.env.FILES ?? 2400);
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const rig = await startIngestRig();
  const { s3, handler } = rig;
  const { clients } = await import('../shared/aws/clients');

  let meter: Meter = { requests: 0, tableUnits: 0, indexUnits: 0 };
  // Write units are asked for only while the per-file cost is measured: the throughput runs send what the
  // deployed handler sends (ConsumedCapacity makes every write's response larger).
  let askCapacity = true;
  const timeByCommand = new Map<string, { calls: number; ms: number }>();
  clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      const input = args.input as Record<string, unknown>;
      const isWrite = /^(Put|Update|Delete|BatchWrite)/.test(String(context.commandName));
      if (isWrite && askCapacity) input.ReturnConsumedCapacity = 'TOTAL';
      meter.requests++;
      const result = await next(args);
      // Updates split by what they do (claim, counter, touch, marker), the rest by command.
      const name =
        context.commandName === 'UpdateItemCommand'
          ? `UpdateItem ${String(input.UpdateExpression).slice(0, 20)}`
          : String(context.commandName);
      const timing = timeByCommand.get(name) ?? { calls: 0, ms: 0 };
      timing.calls++;
      timing.ms += performance.now() - started;
      timeByCommand.set(name, timing);
      const output = result.output as {
        ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
      };
      const consumed = [output.ConsumedCapacity ?? []].flat();
      // Reads report capacity too when asked; only writes were asked.
      if (isWrite && askCapacity) {
        meter.tableUnits += consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        meter.indexUnits += indexUnitsOf(input);
      }
      return result;
    },
    { step: 'initialize', name: 'benchMeter' },
  );

  const upload = async (file: CorpusFile, sequencer: string): Promise<SQSRecord> => {
    const body = readFileSync(file.path);
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: file.key, Body: body }));
    return s3Message({ key: file.key, sequencer, size: body.length });
  };

  // 1. Cost of one new single-event file with 3 topics, each file on its own (median over 25 files).
  const threeTopicFiles = [...corpusFiles('en'), ...corpusFiles('zh')]
    .filter((file) => {
      const parsed = parseEventObject(file.key, readFileSync(file.path));
      return parsed.kind === 'event' && parsed.event.topics.length === 3;
    })
    .slice(0, 25);
  const perFile: Meter[] = [];
  for (const file of threeTopicFiles) {
    const message = await upload(file, '01');
    meter = { requests: 0, tableUnits: 0, indexUnits: 0 };
    const response = await handler(sqsEvent([message]));
    if (response.batchItemFailures.length > 0) throw new Error(`ingest failed for ${file.key}`);
    perFile.push(meter);
  }

  // A new meter: the last per-file one is held in `perFile`, and the warm-up below must not count into it.
  meter = { requests: 0, tableUnits: 0, indexUnits: 0 };
  askCapacity = false;

  // 2. Throughput: zh files through the handler in batches, several invocations at once, against
  // reading the same objects from S3 alone, one after another, once the slice is ingested (timeSlice).
  // Each repeat takes a fresh slice of whole rounds of the concurrent batches, after WARMUP_FILES others
  // (ingested and read back, untimed) have brought all three processes to their steady state, as the
  // suite's ingest step does.
  const zh = corpusFiles('zh').filter((file) => !threeTopicFiles.includes(file));
  const warmup = zh.slice(-WARMUP_FILES);
  const measured = zh.slice(0, -WARMUP_FILES);
  const sliceSize = sliceOfWholeRounds(
    Math.min(limit, measured.length),
    REPEATS,
    CONCURRENT_BATCHES * BATCH_SIZE,
  );
  // The handler's own S3 client, as the suite's floor: the floor reads as the handler reads.
  const readBack = async (files: CorpusFile[]): Promise<void> => {
    for (const file of files) {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: file.key }));
      await object.Body?.transformToByteArray();
    }
  };
  /** Delivers the messages as SQS does (what a batch reports failed comes again); returns the redeliveries. */
  const ingest = async (messages: SQSRecord[]): Promise<number> => {
    let receivedAgain = 0;
    const failed = await deliverInBatches(handler, messages, {
      batchSize: BATCH_SIZE,
      concurrency: CONCURRENT_BATCHES,
      maxReceives: 3,
      onRedelivery: (ids) => {
        receivedAgain += ids.length;
      },
    });
    if (failed.length > 0) throw new Error(`ingest failures in bench: ${failed.length}`);
    return receivedAgain;
  };
  const warmupMessages: SQSRecord[] = [];
  for (const file of warmup) warmupMessages.push(await upload(file, '01'));
  await readBack(warmup);
  await ingest(warmupMessages);
  meter = { requests: 0, tableUnits: 0, indexUnits: 0 };
  timeByCommand.clear();
  const floorRates: number[] = [];
  const ingestRates: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const slice = measured.slice(repeat * sliceSize, (repeat + 1) * sliceSize);
    const messages: SQSRecord[] = [];
    for (const file of slice) messages.push(await upload(file, '01'));

    // The time includes redeliveries, as SQS makes them.
    let receivedAgain = 0;
    const times = await timeSlice(
      slice.length,
      async () => {
        receivedAgain = await ingest(messages);
      },
      () => readBack(slice),
    );
    floorRates.push(times.floorRate);
    ingestRates.push(times.ingestRate);
    process.stdout.write(
      `  repeat ${repeat + 1}/${REPEATS}: ${slice.length} files, ${receivedAgain} received again\n`,
    );
  }
  await rig.close();
  const throughputRequests = meter.requests / (sliceSize * REPEATS);

  const requests = perFile.map((m) => m.requests);
  const units = perFile.map((m) => m.tableUnits + m.indexUnits);
  const ratio = median(ingestRates) / median(floorRates);
  console.log(`new single-event file with 3 topics (${perFile.length} files, one per invocation)`);
  console.log(
    `  DynamoDB requests per file   ${spread(requests)}   target ≤ 8   ${median(requests) <= 8 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  write units per file         ${spread(units)}   (table ${median(perFile.map((m) => m.tableUnits))} + indexes ${median(perFile.map((m) => m.indexUnits))})   target ≤ 25   ${median(units) <= 25 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `zh files through the handler (batches of ${BATCH_SIZE}, ${CONCURRENT_BATCHES} invocations at once, ${REPEATS} × ${sliceSize} files)`,
  );
  console.log(
    `  floor: S3 GetObject alone    ${spread(floorRates)} files/s (read after each slice's ingest)`,
  );
  console.log(`  ingest                       ${spread(ingestRates)} files/s`);
  console.log(
    `  DynamoDB requests per file   ${throughputRequests.toFixed(1)} (listings and event files, waits included)`,
  );
  for (const [name, { calls, ms }] of [...timeByCommand].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `    ${name.padEnd(34)} ${String(calls).padStart(7)} calls, ${(ms / calls).toFixed(1)} ms each`,
    );
  }
  console.log(
    `  ingest / floor               ${(ratio * 100).toFixed(0)}%   target ≥ 50%   ${ratio >= 0.5 ? 'met' : 'NOT met'}`,
  );
}

await main();
