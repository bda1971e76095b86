// The real ingest handler on a message's last receive: a transient failure that outlived its retries is
// recorded as a `retries-exhausted` rejection (never over a newer version) and the message still goes to the DLQ.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import { ingestTuning } from '../../infra/stacks/config';
import { INGEST_METRICS } from '../../shared/ingest/ingest-metrics';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, makeEvent } from '../support/events';
import { type IngestRig, startIngestRig } from '../support/local-aws';
import { type NotificationSpec, s3Message, sqsEvent } from '../support/sqs';

const lastReceive = ingestTuning.maxReceiveCount;

let rig: IngestRig;
let store: EventsTable;
let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
let handlerS3: S3Client;
let handlerDynamo: DynamoDBDocumentClient;

const eventFile = (date: string) => `### [${date}](/news/index.md)

##### Ferry strike
#  Ferry workers strike over pay. 

### Source:

1. [Example News](https://example.org/ferry)
`;

async function upload(key: string, body: string): Promise<number> {
  await rig.s3.client.send(new PutObjectCommand({ Bucket: rig.s3.bucket, Key: key, Body: body }));
  return Buffer.byteLength(body);
}

/** An S3 notification as SQS delivers it for the `receiveCount`-th time. */
function delivery(spec: NotificationSpec, receiveCount: number): SQSRecord {
  const record = s3Message(spec);
  return {
    ...record,
    attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount) },
  };
}

const slowDown = () =>
  Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $fault: 'server' });
const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: 'ProvisionedThroughputExceededException',
  });

/** S3 keeps answering SlowDown for `key`; other keys pass through to s3rver. */
function persistentS3Fault(key: string, beforeThrowing: () => Promise<void> = async () => undefined) {
  const real = rig.s3.client;
  mockClient(handlerS3)
    .on(GetObjectCommand)
    .callsFake(async (input: GetObjectCommand['input']) => {
      if (input.Key !== key) return real.send(new GetObjectCommand(input));
      await beforeThrowing();
      throw slowDown();
    });
}

beforeAll(async () => {
  process.env.MAX_RECEIVE_COUNT = String(ingestTuning.maxReceiveCount);
  // This file checks the metric documents the handler writes, so they stay on here.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  rig = await startIngestRig();
  handler = rig.handler;
  ({ s3: handlerS3, dynamo: handlerDynamo } = (await import('../../shared/aws/clients')).clients);
  store = new EventsTable(rig.dynamo.doc, rig.tableName);
});
let stdout: MockInstance<typeof process.stdout.write>;
beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stdout.mockRestore();
  mockClient(handlerS3).restore();
  mockClient(handlerDynamo).restore();
});
afterAll(async () => {
  await rig?.close();
});

/** The Embedded Metric Format documents the handler wrote to stdout. */
const metricDocuments = (): Record<string, unknown>[] =>
  stdout.mock.calls
    .map(([chunk]) => String(chunk))
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const rejectionOf = async (key: string) =>
  (await store.listRejections({ limit: 100 })).items.find((r) => r.key === key);

describe('ingest handler on a failing message', () => {
  it('records no rejection before the last receive: SQS will deliver it again', async () => {
    // Prepare
    const key = 'news/2013/03/3/early-receive.md';
    const size = await upload(key, eventFile('2013-03-3'));
    persistentS3Fault(key);

    // Act
    const response = await handler(
      sqsEvent([delivery({ key, sequencer: '01', size, messageId: 'early' }, lastReceive - 1)]),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'early' }] });
    expect(await rejectionOf(key)).toBeUndefined();
    expect(await store.objectState(key)).toBeUndefined();
  });

  it('records retries-exhausted on the last receive and still fails the item, so it reaches the DLQ', async () => {
    // Prepare
    const key = 'news/2013/03/4/last-receive.md';
    const okKey = 'news/2013/03/5/unaffected.md';
    const sizes = [await upload(key, eventFile('2013-03-4')), await upload(okKey, eventFile('2013-03-5'))];
    persistentS3Fault(key);

    // Act
    const response = await handler(
      sqsEvent([
        delivery({ key, sequencer: '0A', size: sizes[0], messageId: 'exhausted' }, lastReceive),
        delivery({ key: okKey, sequencer: '0A', size: sizes[1], messageId: 'fine' }, lastReceive),
      ]),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'exhausted' }] });
    expect(await rejectionOf(key)).toMatchObject({
      reason: 'retries-exhausted',
      detail: expect.stringMatching(new RegExp(`${lastReceive} times.*SlowDown`)),
    });
    expect(await store.objectState(key)).toMatchObject({
      state: 'rejected',
      seq: expect.stringMatching(/^0A0*$/),
    });
    expect(await rejectionOf(okKey)).toBeUndefined();
    expect(await store.getEvent('2013-03-05/unaffected')).toBeDefined();
    expect(metricDocuments()).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: INGEST_METRICS.namespace })],
        }),
        [INGEST_METRICS.processed]: 2,
        [INGEST_METRICS.ingested]: 1,
        [INGEST_METRICS.rejected]: 1,
        // The exhausted message is still handed back (to go to the DLQ): one retried message.
        [INGEST_METRICS.retried]: 1,
      }),
      // The rejection again, by its reason.
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Dimensions: [['service', 'reason']] })],
        }),
        reason: 'retries-exhausted',
        [INGEST_METRICS.rejected]: 1,
      }),
    ]);
  });

  it('never records the rejection over a newer version of the object', async () => {
    // Prepare: while the old version fails, a newer version of the same key is ingested.
    const key = 'news/2013/03/6/overtaken.md';
    const size = await upload(key, eventFile('2013-03-6'));
    const newer = makeEvent('2013-03-06/overtaken-newer');
    persistentS3Fault(key, async () => {
      await store.putEvents({ key, sequencer: '0B' }, [fileContribution(key, newer)]);
    });

    // Act
    const response = await handler(
      sqsEvent([delivery({ key, sequencer: '0A', size, messageId: 'old' }, lastReceive)]),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'old' }] });
    expect(await rejectionOf(key)).toBeUndefined();
    expect(await store.objectState(key)).toMatchObject({
      state: 'events',
      seq: expect.stringMatching(/^0B0*$/),
    });
    expect(await store.getEvent(newer.id)).toBeDefined();
  });

  it('still fails the item when the rejection cannot be written either', async () => {
    // Prepare: every DynamoDB write naming the key is throttled, the rejection's included.
    const key = 'news/2013/03/7/all-writes-throttled.md';
    const size = await upload(key, eventFile('2013-03-7'));
    const real = rig.dynamo.doc;
    const mock = mockClient(handlerDynamo);
    type AnyCommand = new (input: never) => never;
    for (const Command of [PutCommand, UpdateCommand, DeleteCommand, BatchWriteCommand]) {
      mock.on(Command as never).callsFake((input: unknown) => {
        if (JSON.stringify(input).includes(key)) throw throttled();
        return real.send(new (Command as unknown as AnyCommand)(input as never));
      });
    }

    // Act
    const response = await handler(
      sqsEvent([delivery({ key, sequencer: '0A', size, messageId: 'stuck' }, lastReceive)]),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'stuck' }] });
    expect(await rejectionOf(key)).toBeUndefined();
  });

  it('a redriven message that then succeeds replaces the rejection with its events', async () => {
    // Prepare: the last receive failed and left a retries-exhausted rejection.
    const key = 'news/2013/03/8/redriven.md';
    const size = await upload(key, eventFile('2013-03-8'));
    persistentS3Fault(key);
    await handler(sqsEvent([delivery({ key, sequencer: '0A', size, messageId: 'dlq' }, lastReceive)]));
    expect(await rejectionOf(key)).toMatchObject({ reason: 'retries-exhausted' });
    mockClient(handlerS3).restore();

    // Act: the same message, moved back from the DLQ once the cause is fixed.
    const response = await handler(sqsEvent([delivery({ key, sequencer: '0A', size, messageId: 'dlq' }, 1)]));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await rejectionOf(key)).toBeUndefined();
    expect(await store.objectState(key)).toMatchObject({
      state: 'events',
      seq: expect.stringMatching(/^0A0*$/),
    });
    expect(await store.getEvent('2013-03-08/redriven')).toBeDefined();
  });
});
