// Profiling aid for the ingest throughput target: `npx tsx bench/suite/profile-ingest.ts [files]
// [out.cpuprofile] [warm-up files]` puts that many zh corpus files in s3rver, ingests the warm-up files
// first (WARMUP_FILES by default, as the suite's ingest step: a fresh process is still compiling its hot
// paths for the first thousand or so), then runs the rest through the real ingest handler (batches of
// INGEST_BATCH_SIZE, 4 invocations at once) under the V8 CPU profiler, started only around that part, so the
// profile shows where a warm handler process spends a file's time;
// bench/suite/hot-spots.ts summarizes it. It also prints the CPU that dynalite's and s3rver's processes
// spent per file; with STANDIN_CPU_PROFILE_DIR=<folder> set, they write their own profiles there on exit.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { INGEST_BATCH_SIZE } from '../../shared/ingest/batched-store';
import { runPool } from '../../shared/upload/pool';
import { corpusFiles, corpusSkipMessage, hasCorpus } from '../../test/support/corpus';
import { startIngestRig } from '../../test/support/local-aws';
import { deliverInBatches, s3Message } from '../../test/support/sqs';
import { WARMUP_FILES } from './ingest-step';
import { rerunWithHeapFlags } from './lambda-heap';
import { cpuSeconds } from './process-cpu';

// The handler runs in this process: give it the ingest function's heap, as Lambda does.
rerunWithHeapFlags();

if (!hasCorpus) {
  console.error(corpusSkipMessage);
  process.exit(1);
}
const count = Number(process.argv[2] ?? 2_000);
const out = process.argv[3] ?? join(tmpdir(), 'ingest.cpuprofile');
const warmupCount = Number(process.argv[4] ?? WARMUP_FILES);
const zh = corpusFiles('zh');
const warmupFiles = zh.slice(count, count + warmupCount);
const files = zh.slice(0, count);
const rig = await startIngestRig();
/** PutObjects the files, 8 at once, and returns their notifications in order (sequencers from `first`). */
const upload = async (batch: typeof files, first: number): Promise<SQSRecord[]> => {
  const messages: SQSRecord[] = new Array(batch.length);
  await runPool(batch, 8, async (file, index) => {
    const body = readFileSync(file.path);
    await rig.s3.client.send(new PutObjectCommand({ Bucket: rig.s3.bucket, Key: file.key, Body: body }));
    messages[index] = s3Message({
      key: file.key,
      sequencer: (first + index).toString(16),
      size: body.length,
    });
  });
  return messages;
};
const messages = await upload(files, 1);
const warmupFailures = await deliverInBatches(rig.handler, await upload(warmupFiles, 1), {
  batchSize: INGEST_BATCH_SIZE,
  concurrency: 4,
  maxReceives: 3,
});
if (warmupFailures.length > 0) throw new Error(`${warmupFailures.length} warm-up files failed`);
/** CPU seconds used so far by each stand-in's process (its own process, not this one). */
const standIns = { dynalite: rig.dynamo.service.pid, s3rver: rig.s3.service.pid };
const childCpu = (): Map<string, number> =>
  new Map(Object.entries(standIns).map(([name, pid]) => [name, cpuSeconds(pid)]));
const childCpuBefore = childCpu();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const started = performance.now();
const cpuBefore = process.cpuUsage();
const failures = await deliverInBatches(rig.handler, messages, {
  batchSize: INGEST_BATCH_SIZE,
  concurrency: 4,
  maxReceives: 3,
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const childCpuAfter = childCpu();
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
console.log(
  `${files.length} files in ${seconds.toFixed(1)} s (${(files.length / seconds).toFixed(0)} files/s), ` +
    `handler process CPU ${((cpu.user + cpu.system) / 1e3 / files.length).toFixed(2)} ms per file, ` +
    `${failures.length} failed; profile: ${out}`,
);
for (const [name, after] of childCpuAfter)
  console.log(
    `${name} process CPU ${(((after - (childCpuBefore.get(name) ?? 0)) * 1e3) / files.length).toFixed(2)} ms per file`,
  );
await rig.close();
