// POST /reprocess as AWS runs it: the admin handler (configured from the environment, as CDK sets it) lists
// s3rver, reads manifests from dynalite and sends to SQS (mocked: no local engine in AWS mode); the real ingest
// handler then takes the captured messages. An object ingested at a real S3 sequencer and rejected by a parser
// limit that is then fixed is parsed again, unchanged in S3, once, and only keys under the event prefixes go.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotificationBody } from '../../shared/ingest/notifications';
import { nextSequencer } from '../../shared/ingest/requeue';
import { PARSE_LIMITS } from '../../shared/parse/limits';
import { EventsTable } from '../../shared/store/events-table';
import { apiEvent } from '../http/support';
import { type IngestRig, requeueEnvironment, startIngestRig } from '../support/local-aws';
import { s3Message, sqsEvent, sqsRecord } from '../support/sqs';

const sqs = mockClient(SQSClient);
const limits = PARSE_LIMITS as { topics: number };
const realTopicLimit = PARSE_LIMITS.topics;
let rig: IngestRig;
let store: EventsTable;
let admin: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const key = 'news/2016/07/9/bridge-reopens.md';
const body =
  '---\ntitle: Bridge reopens\ndate: 2016-07-09\ntopics: [Harbour, Bridges, Transport]\n---\nReopened.\n';

const post = async (payload: unknown) => {
  const result = await admin(
    apiEvent({ method: 'POST', rawPath: '/reprocess', body: JSON.stringify(payload) }),
  );
  return { status: result.statusCode, json: JSON.parse(String(result.body)) as Record<string, unknown> };
};

beforeAll(async () => {
  rig = await startIngestRig();
  store = new EventsTable(rig.dynamo.doc, rig.tableName);
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  Object.assign(process.env, requeueEnvironment);
  admin = (await import('../../functions/admin/handler')).handler as typeof admin;
});

afterAll(async () => {
  limits.topics = realTopicLimit;
  sqs.restore();
  await rig.close();
});

describe('POST /reprocess in AWS mode', () => {
  it('re-queues above the held sequencer, and the ingest parses the unchanged object again', async () => {
    // Prepare: ingested at a real-looking sequencer while a "parser bug" allows two topics only
    await rig.s3.client.send(new PutObjectCommand({ Bucket: 'events', Key: key, Body: body }));
    limits.topics = 2;
    await rig.handler(sqsEvent([s3Message({ key, sequencer: '0062A1B2C3D4E5F601' })]));
    expect(await store.objectState(key)).toMatchObject({ state: 'rejected' });
    limits.topics = realTopicLimit;

    // Act
    const response = await post({ prefix: 'news/2016/' });
    const entries = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap(({ args: [{ input }] }) => input.Entries ?? []);
    const ingest = await rig.handler(
      sqsEvent(entries.map((e, i) => sqsRecord(`r-${i}`, e.MessageBody ?? ''))),
    );

    // Assess
    expect(response).toEqual({ status: 202, json: { requeued: 1, keys: [key] } });
    expect(entries).toHaveLength(1);
    expect(parseNotificationBody(entries[0]?.MessageBody ?? '')).toEqual([
      { action: 'put', bucket: 'events', key, sequencer: nextSequencer('0062A1B2C3D4E5F601') },
    ]);
    expect(ingest.batchItemFailures).toEqual([]);
    expect(await store.objectState(key)).toMatchObject({
      state: 'events',
      eventIds: ['2016-07-09/bridge-reopens'],
    });
    expect(await store.stats()).toMatchObject({ events: 1, rejected: 0 });
    const topics = await store.listTopics(undefined, { limit: 10 });
    expect(topics.items.map((t) => [t.label, t.events])).toEqual(
      expect.arrayContaining([
        ['Harbour', 1],
        ['Bridges', 1],
        ['Transport', 1],
      ]),
    );
  });

  it('refuses keys outside the event prefixes', async () => {
    sqs.resetHistory();
    const response = await post({ prefix: 'drafts/' });
    expect(response).toMatchObject({ status: 400, json: { param: 'prefix' } });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
