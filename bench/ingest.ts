// Ingest throughput through the real handler on dynalite + s3rver (npx tsx bench/ingest.ts [files]), with the
// DynamoDB time per command, against a baseline of the same files' S3 GetObject alone.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { corpusFiles, hasCorpus } from '../test/support/corpus';
import { startIngestRig } from '../test/support/local-aws';
import { s3Message, sqsEvent } from '../test/support/sqs';

async function main(): Promise<void> {
  if (!hasCorpus) {
    console.log('[bench] skipped: no corpus to ingest');
    return;
  }
  const limit = Number(process.argv[2] ?? process.env.FILES ?? 2000);
  const files = corpusFiles('zh').slice(0, limit);
  const rig = await startIngestRig();
  const { s3, handler } = rig;
  const { clients } = await import('../shared/aws/clients');

  // Time spent per DynamoDB command, measured around the handler's own client.
  const perCommand = new Map<string, { calls: number; ms: number }>();
  clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        const name = String(context.commandName);
        const entry = perCommand.get(name) ?? { calls: 0, ms: 0 };
        entry.calls += 1;
        entry.ms += performance.now() - start;
        perCommand.set(name, entry);
      }
    },
    { step: 'initialize', name: 'benchTimer' },
  );

  const messages: SQSRecord[] = [];
  for (const [i, file] of files.entries()) {
    const body = readFileSync(file.path);
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: file.key, Body: body }));
    messages.push(s3Message({ key: file.key, sequencer: (i + 1).toString(16), size: body.length }));
  }

  const baselineStart = performance.now();
  for (const file of files) {
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: file.key }));
    await object.Body?.transformToByteArray();
  }
  const baselineMs = performance.now() - baselineStart;

  const start = performance.now();
  for (let i = 0; i < messages.length; i += 10) {
    const response = await handler(sqsEvent(messages.slice(i, i + 10)));
    if (response.batchItemFailures.length > 0) throw new Error('ingest failures in bench');
  }
  const ingestMs = performance.now() - start;

  console.log(`ingest of ${files.length} zh corpus files (batches of 10, one Lambda at a time)`);
  console.log(`  baseline S3 reads  ${(files.length / (baselineMs / 1000)).toFixed(0)} files/s`);
  console.log(
    `  ingest             ${(files.length / (ingestMs / 1000)).toFixed(0)} files/s  (${(ingestMs / baselineMs).toFixed(1)}× the baseline time)`,
  );
  console.log('  DynamoDB time by command:');
  for (const [name, { calls, ms }] of [...perCommand].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`    ${name.padEnd(22)} ${String(calls).padStart(7)} calls ${ms.toFixed(0).padStart(8)} ms`);
  }
  await rig.close();
}

await main();
