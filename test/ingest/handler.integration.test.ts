// The real ingest handler against dynalite and s3rver: formats, rejections, duplicates, deletes, faults.
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventsTable } from '../../shared/store/events-table';
import { type IngestRig, type LocalDynamo, type LocalS3, startIngestRig } from '../support/local-aws';
import { s3Message, sqsEvent, sqsRecord } from '../support/sqs';

let rig: IngestRig;
let dynamo: LocalDynamo;
let s3: LocalS3;
let store: EventsTable;
let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
let handlerDynamo: DynamoDBDocumentClient;

const siegeKey = 'news/2007/07/9/lal-masjid-siege-talks-fail.md';
const siegeFile = `### [2007-07-9](/news/2007/07/9/index.md)

##### Lal Masjid siege
#  Lal Masjid siege: talks to end the standoff at Islamabad's Red Mosque fail. 

### Source:

1. [Example News](https://example.org/siege)

### Related:

1. [ Clashes at a mosque in Islamabad. ](/news/2007/07/3/clashes-at-a-mosque-in-islamabad.md) _Context: Islamabad, Red Mosque_
`;
const zhKey = 'zh/news/2010/05/1/世博会 开幕.md';
const zhFile = `### [2010-05-1](/zh/news/2010/05/1/index.md)

##### 2010年上海世界博覽會
#  世博会开幕。 

### 信息来源:

1. [示例新闻](https://example.org/expo)
`;

async function upload(key: string, body: string): Promise<number> {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
  return Buffer.byteLength(body);
}

async function itemsWithPrefix(prefix: string): Promise<Record<string, unknown>[]> {
  const tableName = process.env.TABLE_NAME as string;
  const { Items = [] } = await dynamo.doc.send(new ScanCommand({ TableName: tableName }));
  return Items.filter((item) => String(item.PK).startsWith(prefix));
}

beforeAll(async () => {
  rig = await startIngestRig();
  ({ dynamo, s3, handler } = rig);
  const { tableName } = rig;
  handlerDynamo = (await import('../../shared/aws/clients')).clients.dynamo;
  store = new EventsTable(dynamo.doc, tableName);
});
afterAll(async () => {
  await rig?.close();
});

describe('ingest handler', () => {
  it('ingests an event file and a zh file with a form-encoded Han key', async () => {
    // Prepare
    const sizes = [await upload(siegeKey, siegeFile), await upload(zhKey, zhFile)];

    // Act
    const response = await handler(
      sqsEvent([
        s3Message({ key: siegeKey, sequencer: '01', size: sizes[0] }),
        s3Message({ key: zhKey, sequencer: '01', size: sizes[1] }),
      ]),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const siege = await store.getEvent('2007-07-09/lal-masjid-siege-talks-fail');
    expect(siege).toMatchObject({
      date: '2007-07-09',
      title: "Lal Masjid siege: talks to end the standoff at Islamabad's Red Mosque fail.",
      sources: [{ name: 'Example News', url: 'https://example.org/siege' }],
      lang: 'en',
    });
    expect(siege?.topics).toEqual(expect.arrayContaining(['Lal Masjid siege', 'Islamabad', 'Red Mosque']));
    expect(siege?.related.map((r) => r.id)).toEqual(['2007-07-03/clashes-at-a-mosque-in-islamabad']);
    expect(await store.getEvent('2010-05-01/世博会 开幕')).toMatchObject({
      lang: 'zh',
      title: '世博会开幕。',
    });
  });

  it('leaves exactly one event however often S3 delivers the same notification', async () => {
    const key = 'news/2008/01/2/duplicate-delivery.md';
    const size = await upload(key, siegeFile.replace('talks to end', 'a duplicate of'));
    for (let copies = 1; copies <= 5; copies++) {
      // Act: the same S3 event, delivered `copies` times in one batch.
      const response = await handler(
        sqsEvent(Array.from({ length: copies }, () => s3Message({ key, sequencer: '0A', size }))),
      );

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(await itemsWithPrefix('EVENT#2008-01-02/duplicate-delivery')).toHaveLength(1); // one event item holds every contribution
      expect(
        (await store.topicEvents('lal-masjid-siege', { limit: 50 })).items.filter((e) =>
          e.id.startsWith('2008-01-02/'),
        ),
      ).toHaveLength(1);
    }
  });

  it('records malformed files and oversize objects as rejections, and is not retried', async () => {
    // Prepare
    const badDate = 'news/2007/02/30/impossible.md';
    const size = await upload(badDate, siegeFile.replaceAll('2007-07-9', '2007-02-30'));
    const oversize = 'inbox/huge.md';
    await upload(oversize, '# tiny, but the notification says otherwise');

    // Act
    const response = await handler(
      sqsEvent([
        s3Message({ key: badDate, sequencer: '01', size }),
        s3Message({ key: oversize, sequencer: '01', size: 5_000_000 }),
        sqsRecord('not-an-s3-event', '{"hello":"world"}'),
      ]),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const rejections = (await store.listRejections({ limit: 50 })).items;
    expect(rejections.find((r) => r.key === badDate)).toMatchObject({ reason: 'invalid-date' });
    expect(rejections.find((r) => r.key === oversize)).toMatchObject({ reason: 'too-large' });
    expect(rejections.find((r) => r.key === 'sqs-message/not-an-s3-event')).toMatchObject({
      reason: 'malformed-notification',
    });
  });

  it('ignores s3:TestEvent and a notification for an object that is already gone', async () => {
    const response = await handler(
      sqsEvent([
        sqsRecord('test-event', JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' })),
        s3Message({ key: 'news/2009/09/9/never-uploaded.md', sequencer: '01' }),
      ]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(await store.objectState('news/2009/09/9/never-uploaded.md')).toBeUndefined();
  });

  it('ObjectRemoved deletes the event and all its items', async () => {
    const key = 'news/2011/11/11/to-be-deleted.md';
    const size = await upload(key, siegeFile.replaceAll('2007-07-9', '2011-11-11'));
    await handler(sqsEvent([s3Message({ key, sequencer: '01', size })]));
    expect(await store.getEvent('2011-11-11/to-be-deleted')).toBeDefined();
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));

    const response = await handler(
      sqsEvent([s3Message({ key, sequencer: '02', eventName: 'ObjectRemoved:Delete' })]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(await store.getEvent('2011-11-11/to-be-deleted')).toBeUndefined();
    // Only a tombstone stays, listed nowhere: it refuses a late write of the deleted version.
    const leftovers = await itemsWithPrefix('EVENT#2011-11-11/');
    expect(leftovers.map((item) => item.updatedAt)).toEqual([undefined]);
    const entries = [...(await itemsWithPrefix('TOPIC#')), ...(await itemsWithPrefix('ALL#'))].filter(
      (item) => String(item.SK).startsWith('2011-11-11'),
    );
    expect(entries).toEqual([]);
  });

  describe('under a persistent throttle on one object', () => {
    // dynalite never throttles, so the handler's client is wrapped: one key's requests fail, the rest pass
    // through to dynalite unchanged.
    const throttledKey = 'news/2012/12/12/throttled.md';
    afterEach(() => mockClient(handlerDynamo).restore());

    it('reports exactly the affected records in batchItemFailures', async () => {
      // Prepare
      const okKey = 'news/2012/12/13/fine.md';
      const sizes = [
        await upload(throttledKey, siegeFile.replaceAll('2007-07-9', '2012-12-12')),
        await upload(okKey, siegeFile.replaceAll('2007-07-9', '2012-12-13')),
      ];
      const real = dynamo.doc;
      const mock = mockClient(handlerDynamo);
      type AnyCommand = new (input: never) => never;
      // biome-ignore lint/suspicious/noExplicitAny: the fake stands in for six command types at once.
      const throttleOr = (Command: AnyCommand) => (input: any) => {
        if (JSON.stringify(input).includes(throttledKey)) {
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
            name: 'ProvisionedThroughputExceededException',
          });
        }
        return real.send(new Command(input as never));
      };
      for (const Command of [
        GetCommand,
        PutCommand,
        DeleteCommand,
        UpdateCommand,
        QueryCommand,
        BatchWriteCommand,
      ]) {
        mock.on(Command as never).callsFake(throttleOr(Command as unknown as AnyCommand));
      }

      // Act
      const response = await handler(
        sqsEvent([
          s3Message({ key: throttledKey, sequencer: '01', size: sizes[0], messageId: 'throttled' }),
          s3Message({ key: okKey, sequencer: '01', size: sizes[1], messageId: 'fine' }),
        ]),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'throttled' }] });
      expect(await store.getEvent('2012-12-13/fine')).toBeDefined();
      expect(await store.getEvent('2012-12-12/throttled')).toBeUndefined();
    });
  });
});
