// Step 2: files through the real ingest handler (dynalite + s3rver, SQS batches as the stack configures them,
// 4 invocations at once), against the floor of reading the same objects from S3 alone; requests and write units per file.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { INGEST_BATCH_SIZE } from '../../shared/ingest/batched-store';
import { runPool } from '../../shared/upload/pool';
import { startIngestRig } from '../../test/support/local-aws';
import { deliverInBatches, s3Message } from '../../test/support/sqs';
import { emptyMeter, type Meter, meterClient } from './dynamo-meter';
import { type Figure, pairedFigure, plainFigure } from './figures';
import { inputFiles } from './inputs';
import type { Plan } from './modes';
import { progress } from './progress';

/** As deployed: the CDK event source and the local queue both deliver batches of this size. */
const BATCH_SIZE = INGEST_BATCH_SIZE;
const CONCURRENT_BATCHES = 4;
/**
 * Receives per message, as the ingest queue's redrive policy allows (MAX_RECEIVE_COUNT): with 4
 * invocations at once, a record whose event another record is merging fails as transient and SQS delivers
 * it again; on a loaded machine that happens to a few records a run, which is the protocol, not an error.
 */
const MAX_RECEIVES = 4;
/**
 * Files ingested (and read back) before anything is timed: four rounds of the concurrent batches. A fresh
 * process (the handler's, and dynalite's and s3rver's) takes about 1,200-1,600 files to reach its steady
 * CPU per file (V8 compiles the hot paths as they get hot): on 2026-12-01 a fresh rig spent 10.5-11.9 ms
 * of CPU (all three processes) per file on its first 400 files, 8.4-9.8 on the next 400 and 5.6-7.5 from
 * 1,200 files on (docs/benchmarks.md, "Warm-up"). With two batches of warm-up the first timed slice was
 * still compiling, which measured JIT warm-up instead of ingest; cold start is step 6.
 */
export const WARMUP_FILES = 4 * CONCURRENT_BATCHES * BATCH_SIZE;

/**
 * Files of one round: a batch for each concurrent invocation. A timed slice is whole rounds. With 500 files
 * (five batches over four invocations) the fifth batch ran alone at the end of every slice, on a machine
 * then half idle, and that tail was timed as ingest: a steady queue keeps every poller busy.
 */
export const ROUND_FILES = CONCURRENT_BATCHES * BATCH_SIZE;

/** The largest slice of whole rounds that `files` split `repeats` ways allows; less only if not one round. */
export function sliceOfWholeRounds(files: number, repeats: number, round = ROUND_FILES): number {
  const share = Math.floor(files / repeats);
  return share >= round ? share - (share % round) : share;
}

export interface SliceTimes {
  ingestRate: number;
  /** The floor's files/s: the same objects read again once the slice is ingested. */
  floorRate: number;
}

/**
 * Times one uploaded slice: its ingest, then the floor's reads of the same objects. First the uploads' dirty
 * pages are written out (`sync`), so the kernel's writeback of s3rver's new files is in neither. The floor
 * is read after the ingest, not before: for a few seconds after the uploads a read ran 10-25 % slower
 * (2026-12-01: 640-840 files/s straight after them, 840-930 five seconds later or after the ingest, in
 * the same runs), so a floor read first measured the uploads' aftermath as much as S3. The ingest starts
 * right after the uploads, as notifications do.
 */
export async function timeSlice(
  files: number,
  ingest: () => Promise<void>,
  readBack: () => Promise<void>,
): Promise<SliceTimes> {
  spawnSync('sync');
  const rate = async (work: () => Promise<void>): Promise<number> => {
    const start = performance.now();
    await work();
    return files / ((performance.now() - start) / 1000);
  };
  const ingestRate = await rate(ingest);
  const floorRate = await rate(readBack);
  return { ingestRate, floorRate };
}

export async function ingestStep(plan: Plan): Promise<Figure[]> {
  const all = inputFiles(plan.seed);
  // The zh edition is the bulk of the real corpus (event files and day listings); else the generated files.
  const zh = all.filter((file) => file.key.startsWith('zh/'));
  const pool = zh.length > 0 ? zh : all;
  const files = pool.slice(0, plan.ingestFiles);
  const slice = sliceOfWholeRounds(files.length, plan.ingestRepeats);
  // Other files, ingested first and not measured: a warm container is the steady state (cold start is
  // step 6), and without this the first slice paid for JIT compilation and new connections.
  const warmup = pool.slice(plan.ingestFiles, plan.ingestFiles + WARMUP_FILES);

  const rig = await startIngestRig();
  const { clients } = await import('../../shared/aws/clients');
  let meter: Meter | undefined;
  meterClient(clients.dynamo, () => meter);

  const floorRates: number[] = [];
  const ingestRates: number[] = [];
  const requestsPerFile: number[] = [];
  const unitsPerFile: number[] = [];
  const readUnitsPerFile: number[] = [];
  let redelivered = 0;
  const upload = async (batch: typeof files): Promise<SQSRecord[]> => {
    // Untimed: 8 at once, as `aws s3 cp --recursive` uploads.
    await runPool(batch, 8, async (file) => {
      await rig.s3.client.send(
        new PutObjectCommand({ Bucket: rig.s3.bucket, Key: file.key, Body: file.body }),
      );
    });
    return batch.map((file) => s3Message({ key: file.key, sequencer: '01', size: file.body.byteLength }));
  };
  const readBack = async (batch: typeof files): Promise<void> => {
    for (const file of batch) {
      // The handler's own S3 client: the floor reads as the handler reads, with the same configuration.
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: rig.s3.bucket, Key: file.key }));
      await object.Body?.transformToByteArray();
    }
  };
  const ingest = async (messages: SQSRecord[]): Promise<void> => {
    const failed = await deliverInBatches(rig.handler, messages, {
      batchSize: BATCH_SIZE,
      concurrency: CONCURRENT_BATCHES,
      maxReceives: MAX_RECEIVES,
      onRedelivery: (ids) => {
        redelivered += ids.length;
      },
    });
    if (failed.length > 0)
      throw new Error(`ingest bench: ${failed.length} messages failed after ${MAX_RECEIVES} receives`);
  };
  const bar = progress(`ingest ${plan.ingestRepeats} × ${slice} files`, plan.ingestRepeats * slice);
  try {
    const warmupMessages = await upload(warmup);
    await readBack(warmup);
    // Units are counted on the warm-up, a round at a time, where asking for them costs no timed work.
    for (let first = 0; first < warmupMessages.length; first += ROUND_FILES) {
      const round = warmupMessages.slice(first, first + ROUND_FILES);
      const roundMeter = emptyMeter();
      meter = roundMeter;
      await ingest(round);
      meter = undefined;
      unitsPerFile.push(roundMeter.writeUnits / round.length);
      readUnitsPerFile.push(roundMeter.readUnits / round.length);
    }
    for (let repeat = 0; repeat < plan.ingestRepeats; repeat++) {
      const batch = files.slice(repeat * slice, (repeat + 1) * slice);
      const messages = await upload(batch);
      // Requests only: the timed slices send what the deployed handler sends, no ReturnConsumedCapacity.
      const sliceMeter = emptyMeter({ capacity: false });
      const times = await timeSlice(
        batch.length,
        async () => {
          meter = sliceMeter;
          await ingest(messages);
          meter = undefined;
        },
        () => readBack(batch),
      );
      floorRates.push(times.floorRate);
      ingestRates.push(times.ingestRate);
      requestsPerFile.push(sliceMeter.requests / batch.length);
      bar.tick((repeat + 1) * slice);
    }
  } finally {
    await rig.close();
  }
  bar.done();
  const how = `${warmup.length} other files ingested first, untimed (the units figures count them); then ${plan.ingestRepeats} fresh slices of ${slice} ${zh.length > 0 ? 'zh corpus' : 'generated'} files; SQS batches of ${BATCH_SIZE}, ${CONCURRENT_BATCHES} invocations at once, a record that failed as transient delivered again at once (up to ${MAX_RECEIVES} receives, as the queue's redrive policy; ${redelivered} redeliveries in this run); floor: sequential GetObject of the same objects through the handler's S3 client, after each slice's ingest (the uploads' writeback flushed before it)`;
  const unitsHow = `the ${warmup.length} warm-up files, ingested ${ROUND_FILES} at a time (one run each) with ReturnConsumedCapacity asked on every request, which the timed slices do not ask, as the deployed handler does not`;
  return [
    pairedFigure(
      'ingest: files/s vs S3-read floor',
      'files/s',
      ingestRates,
      { name: 'S3 GetObject alone', runs: floorRates },
      { target: { op: '>=', value: 0.5 }, how },
    ),
    plainFigure('ingest: DynamoDB requests per file', 'requests', requestsPerFile, {
      how: `${how}; every request the handler's client sent in the timed slices, divided by files`,
    }),
    plainFigure('ingest: write units per file', 'WCU', unitsPerFile, {
      how: `${unitsHow}; table units as dynalite reports them + each month-day index entry's size in KB, rounded up (keys and brief)`,
    }),
    plainFigure('ingest: read units per file', 'RCU', readUnitsPerFile, {
      how: `${unitsHow}; read units as dynalite reports them`,
    }),
  ];
}
