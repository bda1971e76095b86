// The scheduled reconcile over a bucket the table fully reflects (npx tsx bench/reconcile.ts [objects]): objects
// per second through both passes on s3rver + dynalite, one lookup at a time against 16 in flight, and the
// requests a run makes. SQS is a counting stub (no local engine); nothing should be re-queued.
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { runScheduledReconcile } from '../shared/ingest/scheduled-reconcile';
import { SqsRequeue } from '../shared/ingest/sqs-requeue';
import { runPool } from '../shared/upload/pool';
import { startIngestRig } from '../test/support/local-aws';
import { deliverInBatches, s3Message } from '../test/support/sqs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const objects = Number(process.argv[2] ?? 500);
const rig = await startIngestRig();
try {
  const keys = Array.from(
    { length: objects },
    (_, i) => `news/2016/07/9/event-${String(i).padStart(5, '0')}.md`,
  );
  await runPool(keys, 16, async (key, i) => {
    const body = `---\ntitle: Event ${i}\ndate: 2016-07-09\ntopics: [Topic ${i % 7}]\n---\nBody ${i}.\n`;
    await rig.s3.client.send(new PutObjectCommand({ Bucket: 'events', Key: key, Body: body }));
  });
  const failed = await deliverInBatches(
    rig.handler,
    keys.map((key, i) => s3Message({ key, sequencer: (0x1000 + i).toString(16).toUpperCase() })),
    { batchSize: 100 },
  );
  if (failed.length > 0) throw new Error(`ingest failed for ${failed.length} messages`);

  let sent = 0;
  const sqs = {
    send: async (command: { input: { Entries?: unknown[] } }) => {
      sent += command.input.Entries?.length ?? 0;
      return { Successful: [], Failed: [] };
    },
  } as unknown as SQSClient;
  for (const concurrency of [1, 16]) {
    const started = performance.now();
    const report = await runScheduledReconcile(
      {
        s3: rig.s3.client,
        dynamo: rig.dynamo.doc,
        tableName: rig.tableName,
        bucket: 'events',
        prefixes: ['news/'],
        requeue: new SqsRequeue({
          sqs,
          queueUrl: 'https://sqs.invalid/q',
          bucket: 'events',
          source: 'bench',
          now: () => new Date(),
        }),
        remainingMs: () => 900_000,
        continueWith: async () => undefined,
        concurrency,
      },
      {},
      'bench',
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `concurrency ${String(concurrency).padStart(2)}: ${report.listed} objects in ${seconds.toFixed(2)} s (${(report.listed / seconds).toFixed(0)} objects/s), re-queued ${report.requeued + report.removed}, sent ${sent}`,
    );
  }
} finally {
  await rig.close();
}
