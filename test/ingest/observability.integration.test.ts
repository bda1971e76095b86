// The real ingest handler on one concurrent batch of every kind of outcome (events, three rejection reasons, a
// malformed message, a retry, a message naming two objects): every log line carries its own object's key and
// sequencer (never a sibling's), on the last receive too (retries exhausted), and the Embedded Metric Format documents carry the ingested, rejected (in total
// and per reason, a bounded dimension) and retried counts the alarms read.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INGEST_METRICS, REJECTION_REASONS } from '../../shared/ingest/ingest-metrics';
import { EventsTable } from '../../shared/store/events-table';
import { type IngestRig, startIngestRig } from '../support/local-aws';
import { redelivered, s3Message, sqsEvent, sqsRecord } from '../support/sqs';

let rig: IngestRig;
let handlerS3: S3Client;
/** What the handler wrote to stdout and stderr while the batch ran. */
const written: string[] = [];

const eventFile = (day: string, topic: string) => `### [2015-06-${day}](/news/2015/06/${day}/index.md)

##### ${topic}
#  Something happened on June ${day}. 

### Source:

1. [Example News](https://example.org/${day})
`;

/** Every line the handler wrote, parsed when it is JSON. */
function writtenDocuments(): Record<string, unknown>[] {
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
  // This file reads what the handler logs and the metric documents it writes, so both stay on.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('TEST_LOG_LEVEL', 'DEBUG');
  rig = await startIngestRig();
  handlerS3 = (await import('../../shared/aws/clients')).clients.s3;
});

afterAll(async () => {
  await rig?.close();
  vi.unstubAllEnvs();
});

async function upload(key: string, body: string | Uint8Array): Promise<number> {
  await rig.s3.client.send(new PutObjectCommand({ Bucket: rig.s3.bucket, Key: key, Body: body }));
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/**
 * Runs one batch through the real handler while S3 answers SlowDown for `throttledKey` (a fault s3rver does
 * not make): a transient failure. Returns the handler's answer and every JSON document it wrote.
 */
async function runBatch(records: SQSRecord[], throttledKey: string) {
  const real = rig.s3.client;
  mockClient(handlerS3)
    .on(GetObjectCommand)
    .callsFake(async (input: GetObjectCommand['input']) => {
      if (input.Key === throttledKey)
        throw Object.assign(new Error('Please reduce your request rate.'), {
          name: 'SlowDown',
          $fault: 'server',
        });
      return real.send(new GetObjectCommand(input));
    });
  written.length = 0;
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const response = await rig.handler(sqsEvent(records));
    return { response, documents: writtenDocuments() };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    mockClient(handlerS3).restore();
  }
}

describe('one ingest batch, logged and counted', () => {
  it('puts the key and sequencer of its own object on every log line, and publishes the counts by reason', async () => {
    // Prepare: one batch, whose records the handler runs concurrently.
    const objects = {
      good1: { key: 'news/2015/06/1/first.md', body: eventFile('1', 'Alpha'), seq: '0101' },
      good2: { key: 'news/2015/06/2/second.md', body: eventFile('2', 'Beta'), seq: '0202' },
      empty: { key: 'inbox/empty.md', body: '', seq: '0303' },
      binary: {
        key: 'inbox/binary.md',
        body: new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]),
        seq: '0404',
      },
      code: { key: 'inbox/code.md', body: '---js\nmodule.exports = {}\n---\nbody\n', seq: '0505' },
      pairA: { key: 'news/2015/06/6/pair-a.md', body: eventFile('6', 'Gamma'), seq: '0606' },
      pairB: { key: 'news/2015/06/7/pair-b.md', body: eventFile('7', 'Delta'), seq: '0707' },
      throttled: { key: 'news/2015/06/8/throttled.md', body: eventFile('8', 'Eta'), seq: '0808' },
    };
    const sizes: Record<string, number> = {};
    for (const [name, object] of Object.entries(objects)) sizes[name] = await upload(object.key, object.body);
    const single = (name: keyof typeof objects): SQSRecord =>
      s3Message({
        key: objects[name].key,
        sequencer: objects[name].seq,
        size: sizes[name],
        messageId: `m-${name}`,
      });
    // One message naming two objects, as S3 may batch them.
    const pairBody = JSON.parse(single('pairA').body) as { Records: unknown[] };
    pairBody.Records.push(...(JSON.parse(single('pairB').body) as { Records: unknown[] }).Records);
    const records = [
      single('good1'),
      single('good2'),
      single('empty'),
      single('binary'),
      single('code'),
      sqsRecord('m-pair', JSON.stringify(pairBody)),
      sqsRecord('m-malformed', '{"Records": "nope"'),
      single('throttled'),
    ];

    // Act
    const { response, documents } = await runBatch(records, objects.throttled.key);

    // Assess: the outcome the logs and metrics must describe.
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-throttled' }]);
    const lines = documents.filter((doc) => typeof doc.level === 'string' && typeof doc.message === 'string');
    expect(lines.length).toBeGreaterThanOrEqual(Object.keys(objects).length + 1);
    const expectedSequencer = new Map<string, string>([
      ...Object.values(objects).map((object) => [object.key, object.seq.padEnd(48, '0')] as [string, string]),
      ['sqs-message/m-malformed', '0'],
    ]);
    for (const line of lines) {
      expect(line, JSON.stringify(line)).toMatchObject({
        key: expect.any(String),
        sequencer: expect.any(String),
      });
      // Never a sibling record's sequencer under this key.
      expect(line.sequencer, JSON.stringify(line)).toBe(expectedSequencer.get(String(line.key)));
    }
    const messagesOf = (key: string) => lines.filter((line) => line.key === key).map((line) => line.message);
    for (const name of ['good1', 'good2', 'pairA', 'pairB'] as const)
      expect(messagesOf(objects[name].key)).toEqual(['object ingested']);
    for (const name of ['empty', 'binary', 'code'] as const)
      expect(messagesOf(objects[name].key)).toEqual(['object rejected']);
    expect(messagesOf('sqs-message/m-malformed')).toEqual(['malformed notification']);
    expect(messagesOf(objects.throttled.key)).toEqual(['transient failure']);
    expect(lines.find((line) => line.key === objects.throttled.key)).toMatchObject({
      level: 'WARN',
      messageId: 'm-throttled',
      next: 'a retry',
    });

    // Assess: the metric documents, their dimensions, and the reasons as the table recorded them.
    const metricDocs = documents.filter((doc) => '_aws' in doc);
    const dimensionsOf = (doc: Record<string, unknown>) =>
      (doc._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] })
        .CloudWatchMetrics[0];
    const totals = metricDocs.filter((doc) => dimensionsOf(doc)?.Dimensions[0]?.length === 1);
    expect(totals).toHaveLength(1);
    expect(dimensionsOf(totals[0] ?? {})).toMatchObject({
      Namespace: INGEST_METRICS.namespace,
      Dimensions: [['service']],
    });
    expect(totals[0]).toMatchObject({
      [INGEST_METRICS.processed]: 8,
      [INGEST_METRICS.ingested]: 4,
      [INGEST_METRICS.rejected]: 4,
      [INGEST_METRICS.retried]: 1,
    });
    const stored = await new EventsTable(rig.dynamo.doc, rig.tableName).listRejections({ limit: 100 });
    const recordedReasons: Record<string, number> = {};
    for (const rejection of stored.items)
      recordedReasons[rejection.reason] = (recordedReasons[rejection.reason] ?? 0) + 1;
    const byReason = metricDocs.filter((doc) => dimensionsOf(doc)?.Dimensions[0]?.length === 2);
    const publishedReasons: Record<string, number> = {};
    for (const doc of byReason) {
      expect(dimensionsOf(doc)).toMatchObject({
        Namespace: INGEST_METRICS.namespace,
        Dimensions: [['service', 'reason']],
      });
      publishedReasons[String(doc.reason)] = Number(doc[INGEST_METRICS.rejected]);
    }
    expect(publishedReasons).toEqual(recordedReasons);
    expect(Object.keys(publishedReasons)).toHaveLength(4);
    for (const reason of Object.keys(publishedReasons)) expect(REJECTION_REASONS).toContain(reason);
  });

  it('keeps the keys on the last receive, where a message of two objects is recorded as retries exhausted', async () => {
    // Prepare: a message naming two objects whose first read keeps failing, on its last receive.
    const first = { key: 'news/2015/07/1/exhausted-a.md', seq: '0A01' };
    const second = { key: 'news/2015/07/2/exhausted-b.md', seq: '0A02' };
    const bodies = await Promise.all(
      [first, second].map(async (object, n) => {
        const size = await upload(object.key, eventFile(String(n + 1), 'Theta'));
        return JSON.parse(s3Message({ key: object.key, sequencer: object.seq, size }).body) as {
          Records: unknown[];
        };
      }),
    );
    const message = sqsRecord(
      'm-exhausted',
      JSON.stringify({ Records: bodies.flatMap((body) => body.Records) }),
    );
    const lastReceive = Number(process.env.MAX_RECEIVE_COUNT);

    // Act
    const { response, documents } = await runBatch([redelivered(message, lastReceive)], first.key);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-exhausted' }]);
    const lines = documents.filter((doc) => typeof doc.level === 'string' && typeof doc.message === 'string');
    const sequencerOf = new Map([first, second].map((object) => [object.key, object.seq.padEnd(48, '0')]));
    for (const line of lines)
      expect(line.sequencer, JSON.stringify(line)).toBe(sequencerOf.get(String(line.key)));
    expect(lines.map((line) => [line.key, line.message])).toEqual([
      [first.key, 'transient failure'],
      [first.key, 'retries exhausted; recorded as a rejection'],
      [second.key, 'retries exhausted; recorded as a rejection'],
    ]);
    expect(lines[0]).toMatchObject({ next: 'the DLQ', receiveCount: lastReceive, messageId: 'm-exhausted' });
    const byReason = documents.filter((doc) => doc.reason !== undefined);
    expect(byReason).toEqual([
      expect.objectContaining({ reason: 'retries-exhausted', [INGEST_METRICS.rejected]: 2 }),
    ]);
  });
});
