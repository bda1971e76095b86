// The reconcile as AWS runs it: the bucket listed by prefix a page at a time (S3 mocked to control its pages and
// continuation tokens), the table in dynalite, re-queued notifications to SQS (mocked: no local engine in AWS
// mode), and a run that pauses before Lambda's limit and resumes from its cursor in the next invocation.
import { HeadObjectCommand, ListObjectsV2Command, NotFound, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bucketPages } from '../../shared/ingest/bucket-pages';
import { parseNotificationBody } from '../../shared/ingest/notifications';
import { nextSequencer } from '../../shared/ingest/requeue';
import {
  MalformedContinuation,
  type ReconcileEvent,
  ReconcileIncomplete,
  runScheduledReconcile,
} from '../../shared/ingest/scheduled-reconcile';
import { SqsRequeue } from '../../shared/ingest/sqs-requeue';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, makeEvent } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';
import { sqsEvent, sqsRecord } from '../support/sqs';

const s3Client = new S3Client({ region: 'us-east-1' });
const s3 = mockClient(s3Client);
const sqsClient = new SQSClient({ region: 'us-east-1' });
const sqs = mockClient(sqsClient);
const at = new Date('2026-11-30T03:00:00.000Z');

/** A bucket S3 lists two keys a page, with ContinuationTokens, and HeadObject answers for. */
function fakeBucket(keys: string[]) {
  const sorted = [...keys].sort();
  s3.on(ListObjectsV2Command).callsFake(
    (input: { Prefix?: string; ContinuationToken?: string; StartAfter?: string }) => {
      const after = input.ContinuationToken?.replace(/^token:/, '') ?? input.StartAfter ?? '';
      const under = sorted.filter((key) => key.startsWith(input.Prefix ?? '') && key > after);
      const page = under.slice(0, 2);
      return {
        Contents: page.map((key) => ({ Key: key, ETag: `"${key.length}"`, Size: 10 })),
        ...(under.length > 2 ? { NextContinuationToken: `token:${page.at(-1)}`, IsTruncated: true } : {}),
      };
    },
  );
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    if (sorted.includes(input.Key)) return {};
    throw new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
  });
}

const listCalls = () =>
  s3.commandCalls(ListObjectsV2Command).map(({ args: [{ input }] }) => ({
    Prefix: input.Prefix,
    ...(input.ContinuationToken ? { ContinuationToken: input.ContinuationToken } : {}),
    ...(input.StartAfter ? { StartAfter: input.StartAfter } : {}),
  }));

const queued = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap(({ args: [{ input }] }) => input.Entries ?? [])
    .flatMap((entry) => parseNotificationBody(entry.MessageBody ?? ''))
    .map((n) => `${n.action} ${n.key}`);

afterEach(() => {
  s3.reset();
  sqs.reset();
});

describe('bucketPages', () => {
  it('lists each prefix page by page, and a position resumes with StartAfter in the right prefix', async () => {
    // Prepare
    fakeBucket(['news/1.md', 'news/2.md', 'news/3.md', 'other/x.md', 'zh/news/1.md']);

    // Act
    const pages = [];
    for await (const page of bucketPages(s3Client, 'events', { prefixes: ['zh/news/', 'news/'] }))
      pages.push(page);
    const firstCalls = listCalls();
    s3.resetHistory();
    const resumed = [];
    for await (const page of bucketPages(s3Client, 'events', {
      prefixes: ['zh/news/', 'news/'],
      after: pages[0]?.next,
    }))
      resumed.push(page);

    // Assess
    expect(pages.map((page) => page.items.map((item) => item.key))).toEqual([
      ['news/1.md', 'news/2.md'],
      ['news/3.md'],
      ['zh/news/1.md'],
    ]);
    expect(pages.map((page) => page.next !== undefined)).toEqual([true, true, false]);
    expect(firstCalls).toEqual([
      { Prefix: 'news/' },
      { Prefix: 'news/', ContinuationToken: 'token:news/2.md' },
      { Prefix: 'zh/news/' },
    ]);
    expect(listCalls()).toEqual([{ Prefix: 'news/', StartAfter: 'news/2.md' }, { Prefix: 'zh/news/' }]);
    expect(resumed.flatMap((page) => page.items.map((item) => item.key))).toEqual([
      'news/3.md',
      'zh/news/1.md',
    ]);
  });
});

describe('runScheduledReconcile', () => {
  let dynamo: LocalDynamo;
  let tableName: string;
  withFreshTable((d, name) => {
    dynamo = d;
    tableName = name;
  });
  beforeEach(() => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  const deps = (remainingMs: () => number, continued: ReconcileEvent[]) => ({
    s3: s3Client,
    dynamo: dynamo.doc,
    tableName,
    bucket: 'events',
    prefixes: ['news/'],
    requeue: new SqsRequeue({
      sqs: sqsClient,
      queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest',
      bucket: 'events',
      source: 'context-feeds:reconcile',
      now: () => at,
    }),
    remainingMs,
    continueWith: async (event: ReconcileEvent) => {
      continued.push(event);
    },
  });

  it('pauses when time runs short, continues from its cursor, and re-queues each object once', async () => {
    // Prepare: five objects (three pages); the table holds none of them, and one object the bucket lost
    fakeBucket(['news/1.md', 'news/2.md', 'news/3.md', 'news/4.md', 'news/5.md']);
    const store = new EventsTable(dynamo.doc, tableName);
    await store.putEvents({ key: 'news/gone.md', sequencer: '0A' }, [
      fileContribution('news/gone.md', makeEvent('2007-07-09/gone')),
    ]);
    // ...and one outside the event prefixes, which the function may not HEAD: left alone
    await store.putEvents({ key: 'drafts/old.md', sequencer: '0A' }, [
      fileContribution('drafts/old.md', makeEvent('2007-07-09/old')),
    ]);
    const continued: ReconcileEvent[] = [];
    // Under the three-minute reserve: the run pauses after its first page.
    const shortOfTime = () => 60_000;

    // Act
    const first = await runScheduledReconcile(deps(shortOfTime, continued), {}, 'run-1');
    // ...delivered as the continuation queue's event source delivers the message continueWith sent
    const second = await runScheduledReconcile(
      deps(() => 600_000, continued),
      sqsEvent([sqsRecord('continuation-1', JSON.stringify(continued[0]))]),
      'invocation-2',
    );

    // Assess
    expect(first).toMatchObject({ runId: 'run-1', hop: 0, listed: 2, requeued: 2, continued: true });
    expect(continued).toHaveLength(1);
    expect(continued[0]).toMatchObject({ hop: 1, runId: 'run-1', resumeFrom: { pass: 'objects' } });
    expect(second).toMatchObject({
      runId: 'run-1',
      hop: 1,
      listed: 3,
      requeued: 3,
      removed: 1,
      continued: false,
    });
    expect(listCalls()).toEqual([
      { Prefix: 'news/' },
      { Prefix: 'news/', StartAfter: 'news/2.md' },
      { Prefix: 'news/', ContinuationToken: 'token:news/4.md' },
    ]);
    expect(queued()).toEqual([
      'put news/1.md',
      'put news/2.md',
      'put news/3.md',
      'put news/4.md',
      'put news/5.md',
      'delete news/gone.md',
    ]);
    expect(s3.commandCalls(HeadObjectCommand).map(({ args: [{ input }] }) => input.Key)).toEqual([
      'news/gone.md',
    ]);
    const removal = sqs.commandCalls(SendMessageBatchCommand).at(-1)?.args[0].input.Entries?.at(-1);
    expect(parseNotificationBody(removal?.MessageBody ?? '')[0]?.sequencer).toBe(nextSequencer('0A'));
  });

  it('fails loudly when a run needs more continuations than allowed, after sending what it decided', async () => {
    // Prepare
    fakeBucket(['news/1.md', 'news/2.md', 'news/3.md']);
    const continued: ReconcileEvent[] = [];

    // Act
    const run = runScheduledReconcile(
      deps(() => 0, continued),
      { hop: 48, runId: 'run-1' },
      'x',
    );

    // Assess
    await expect(run).rejects.toThrow(ReconcileIncomplete);
    expect(continued).toEqual([]);
    expect(queued()).toEqual(['put news/1.md', 'put news/2.md']);
  });

  it('fails loudly, and removes nothing, when the bucket cannot be listed to the end', async () => {
    // Prepare
    fakeBucket(['news/1.md', 'news/2.md', 'news/3.md']);
    s3.on(ListObjectsV2Command, { ContinuationToken: 'token:news/2.md' }).rejects(new Error('InternalError'));
    const store = new EventsTable(dynamo.doc, tableName);
    await store.putEvents({ key: 'news/gone.md', sequencer: '0A' }, [
      fileContribution('news/gone.md', makeEvent('2007-07-09/gone')),
    ]);

    // Act
    const run = runScheduledReconcile(
      deps(() => 600_000, []),
      {},
      'run-1',
    );

    // Assess
    await expect(run).rejects.toThrow(/listing the bucket failed after news\/2.md/);
    expect(queued()).toEqual(['put news/1.md', 'put news/2.md']);
  });

  it('refuses an event that is not a reconcile continuation', async () => {
    await expect(
      runScheduledReconcile(
        deps(() => 600_000, []),
        { hop: -1 },
        'x',
      ),
    ).rejects.toThrow();
  });

  it('refuses a continuation delivery of more than one record, or with a body that is not JSON', async () => {
    // Prepare
    fakeBucket(['news/1.md']);
    const body = JSON.stringify({ hop: 1, runId: 'run-1', resumeFrom: { pass: 'objects' } });
    const deliveries = [
      sqsEvent([sqsRecord('a', body), sqsRecord('b', body)]),
      sqsEvent([sqsRecord('a', '{"hop": 1,')]),
      sqsEvent([]),
    ];

    // Act
    const runs = deliveries.map((delivery) =>
      runScheduledReconcile(
        deps(() => 600_000, []),
        delivery,
        'x',
      ),
    );

    // Assess: nothing was listed or re-queued on the strength of any of them
    for (const run of runs) await expect(run).rejects.toThrow(MalformedContinuation);
    expect(listCalls()).toEqual([]);
    expect(queued()).toEqual([]);
  });
});
