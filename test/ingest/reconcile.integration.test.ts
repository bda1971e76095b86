// The reconcile Lambda handler against s3rver and dynalite: the table misses an object, holds a stale version of
// another and an event whose object the bucket lost (their notifications never arrived). The handler re-queues
// them to SQS (mocked: no local engine plays SQS in AWS mode); the real ingest handler then takes the captured
// messages, and the table matches the bucket. A late copy of the stale version's own notification changes nothing.
// A run short of time sends its cursor to the continuation queue, and the queue's delivery of it finishes the run.
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsTable } from '../../shared/store/events-table';
import { type IngestRig, requeueEnvironment, startIngestRig } from '../support/local-aws';
import { s3Message, sqsEvent, sqsRecord } from '../support/sqs';

const sqs = mockClient(SQSClient);
let rig: IngestRig;
let store: EventsTable;
let reconcileHandler: (event: unknown, context: Context) => Promise<{ requeued: number; removed: number }>;

const file = (title: string, topic: string) =>
  `---\ntitle: ${title}\ndate: 2016-07-09\ntopics: [${topic}]\n---\n${title}.\n`;
const keys = {
  kept: 'news/2016/07/9/kept.md',
  stale: 'news/2016/07/9/stale.md',
  missing: 'news/2016/07/9/missing.md',
  gone: 'news/2016/07/9/gone.md',
  large: 'news/2016/07/9/large.md',
  outside: 'drafts/not-an-event.md',
};

const context = (remainingMs = 800_000) =>
  ({
    functionName: 'context-feeds-reconcile',
    awsRequestId: 'run-1',
    getRemainingTimeInMillis: () => remainingMs,
  }) as unknown as Context;

/** The bodies the handler sent to the ingest queue since the last call, as SQS records. */
function takeQueued() {
  const records = sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap(({ args: [{ input }] }) => input.Entries ?? [])
    .map((entry, index) => sqsRecord(`requeued-${index}`, entry.MessageBody ?? ''));
  sqs.resetHistory();
  return records;
}

async function put(key: string, body: string) {
  await rig.s3.client.send(new PutObjectCommand({ Bucket: 'events', Key: key, Body: body }));
}

beforeAll(async () => {
  rig = await startIngestRig();
  store = new EventsTable(rig.dynamo.doc, rig.tableName);
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'continuation-1' });
  Object.assign(process.env, requeueEnvironment);
  reconcileHandler = (await import('../../functions/reconcile/handler')).handler;
});

afterAll(async () => {
  sqs.restore();
  await rig.close();
});

describe('reconcile handler', () => {
  it('re-queues what the table misses or holds stale and removes what the bucket lost, until they match', async () => {
    // Prepare: three objects ingested through their notifications, at real-looking S3 sequencers
    await put(keys.kept, file('Kept', 'Harbour'));
    await put(keys.stale, file('Stale old', 'Harbour'));
    await put(keys.gone, file('Gone', 'Ferries'));
    const first = [
      s3Message({ key: keys.kept, sequencer: '0062A1B2C3D4E5F601' }),
      s3Message({ key: keys.stale, sequencer: '0062A1B2C3D4E5F602' }),
      s3Message({ key: keys.gone, sequencer: '0062A1B2C3D4E5F603' }),
    ];
    expect((await rig.handler(sqsEvent(first))).batchItemFailures).toEqual([]);
    // ...then notifications are lost: an edit, a new object, a delete; and a key outside the event prefixes
    await put(keys.stale, file('Stale new', 'Trams'));
    await put(keys.missing, file('Missing', 'Harbour'));
    await rig.s3.client.send(new DeleteObjectCommand({ Bucket: 'events', Key: keys.gone }));
    await put(keys.outside, file('Draft', 'Drafts'));
    await put(keys.large, 'x'.repeat(1_048_577));

    // Act
    const report = await reconcileHandler({}, context());
    const queued = takeQueued();
    const ingested = await rig.handler(sqsEvent(queued));

    // Assess
    expect(report).toMatchObject({ listed: 4, requeued: 3, removed: 1, continued: false });
    expect(queued).toHaveLength(4);
    expect(ingested.batchItemFailures).toEqual([]);
    expect((await store.getEvent('2016-07-09/stale'))?.title).toBe('Stale new');
    expect(await store.getEvent('2016-07-09/missing')).toBeDefined();
    expect(await store.getEvent('2016-07-09/gone')).toBeUndefined();
    expect(await store.getEvent('2016-07-09/kept')).toBeDefined();
    const topics = await store.listTopics(undefined, { limit: 10 });
    expect(Object.fromEntries(topics.items.map((t) => [t.label, t.events]))).toEqual({
      Harbour: 2,
      Trams: 1,
    });
    expect(await store.stats()).toMatchObject({ events: 3, rejected: 1 });
    expect(await store.objectState(keys.large)).toMatchObject({
      state: 'rejected',
      eTag: expect.any(String),
    });

    // A second run finds nothing to do: the ingest recorded the ETags it read, the oversized object's too.
    expect(await reconcileHandler({}, context())).toMatchObject({ requeued: 0, removed: 0 });
    expect(takeQueued()).toEqual([]);

    // The stale version's own notification, delivered late, is older than the reconciled one: no change.
    const late = await rig.handler(
      sqsEvent([s3Message({ key: keys.stale, sequencer: '0062A1B2C3D4E5F602' })]),
    );
    expect(late.batchItemFailures).toEqual([]);
    expect((await store.getEvent('2016-07-09/stale'))?.title).toBe('Stale new');
    // A later real event of the key still wins over the reconciled version.
    await put(keys.stale, file('Stale newest', 'Trams'));
    await rig.handler(sqsEvent([s3Message({ key: keys.stale, sequencer: '0062A1B2C3D4E5F604' })]));
    expect((await store.getEvent('2016-07-09/stale'))?.title).toBe('Stale newest');
  });

  it('continues a run that is short of time through the continuation queue, whose delivery finishes it', async () => {
    // Prepare: an object the table lacks; the first invocation has less time left than the run keeps back
    await put('news/2016/07/9/late.md', file('Late', 'Harbour'));
    sqs.resetHistory();

    // Act
    const first = await reconcileHandler({}, context(60_000));
    const sent = sqs.commandCalls(SendMessageCommand).map(({ args: [{ input }] }) => input);
    const second = await reconcileHandler(
      sqsEvent([sqsRecord('continuation-1', sent[0]?.MessageBody ?? '')]),
      { ...context(), awsRequestId: 'run-2' } as Context,
    );

    // Assess
    expect(first).toMatchObject({ runId: 'run-1', hop: 0, continued: true });
    expect(sent).toEqual([
      {
        QueueUrl: requeueEnvironment.RECONCILE_QUEUE_URL,
        MessageBody: expect.stringContaining('"runId":"run-1"'),
      },
    ]);
    expect(second).toMatchObject({ runId: 'run-1', hop: 1, continued: false });
    const requeued = takeQueued().map((record) => JSON.parse(record.body).Records[0].s3.object.key);
    expect(requeued).toContain('news/2016/07/9/late.md');
  });
});
