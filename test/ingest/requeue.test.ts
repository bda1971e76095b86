// Re-queued notifications: the sequencer they carry, their S3 shape, and sending them to SQS in batches of ten
// with failed entries retried (SQS mocked: no local engine plays it in AWS mode).
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { compareSequencers, normalizeSequencer } from '../../shared/domain/sequencer';
import { parseNotificationBody } from '../../shared/ingest/notifications';
import { nextSequencer, requeueBody } from '../../shared/ingest/requeue';
import { RequeueFailed, SqsRequeue } from '../../shared/ingest/sqs-requeue';

const at = new Date('2026-11-30T03:00:00.000Z');

describe('nextSequencer', () => {
  it('orders above the version the table holds and below the key’s next real S3 event', () => {
    // Prepare: two real sequencers of one key, as S3 issues them (18 and 16 hex digits)
    const held = '0055AED6DCD90281E5';
    const laterReal = '0055AED6DCD90281E6';

    // Act
    const synthetic = nextSequencer(held);

    // Assess
    expect(compareSequencers(synthetic, held)).toBe(1);
    expect(compareSequencers(synthetic, laterReal)).toBe(-1);
    expect(synthetic).toBe(normalizeSequencer(synthetic));
    expect(compareSequencers(nextSequencer(synthetic), synthetic)).toBe(1);
    expect(compareSequencers(nextSequencer(nextSequencer(synthetic)), laterReal)).toBe(-1);
  });

  it('is just above zero without a held version, so that any real event wins', () => {
    expect(compareSequencers(nextSequencer(undefined), '0000000000000001')).toBe(-1);
    expect(compareSequencers(nextSequencer(undefined), '0')).toBe(1);
  });
});

describe('requeueBody', () => {
  it('is an S3 notification the ingest reads back, with the key encoded as S3 encodes it and no version', () => {
    // Act
    const body = requeueBody(
      'events',
      { action: 'put', key: 'inbox/a b+c/事件.md', after: '0A' },
      'context-feeds:reprocess',
      at,
    );

    // Assess
    expect(parseNotificationBody(body)).toEqual([
      { action: 'put', bucket: 'events', key: 'inbox/a b+c/事件.md', sequencer: nextSequencer('0A') },
    ]);
    expect(JSON.parse(body).Records[0].eventSource).toBe('context-feeds:reprocess');
    const deletion = parseNotificationBody(requeueBody('events', { action: 'delete', key: 'x.md' }, 's', at));
    expect(deletion[0]?.action).toBe('delete');
  });
});

describe('SqsRequeue', () => {
  const client = new SQSClient({ region: 'us-east-1' });
  const sqs = mockClient(client);
  const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest';
  const requeue = (attempts = 3) =>
    new SqsRequeue({
      sqs: client,
      queueUrl,
      bucket: 'events',
      source: 'context-feeds:reconcile',
      now: () => at,
      attempts,
      sleep: async () => undefined,
    });
  afterEach(() => sqs.reset());

  it('sends ten a call and retries only the entries SQS failed, until all are in', async () => {
    // Prepare: the second call fails two entries, the retry of those fails one, the next takes it
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [] })
      .resolvesOnce({
        Successful: [],
        Failed: [
          { Id: 'm11', SenderFault: false, Code: 'InternalError' },
          { Id: 'm12', SenderFault: false, Code: 'ServiceUnavailable' },
        ],
      })
      .resolvesOnce({ Successful: [], Failed: [{ Id: 'm12', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Successful: [], Failed: [] });
    const queue = requeue();

    // Act
    for (let i = 1; i <= 12; i++) await queue.send({ action: 'put', key: `news/${i}.md` });
    await queue.flush();

    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Entries?.map((entry) => entry.Id))).toEqual([
      ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10'],
      ['m11', 'm12'],
      ['m11', 'm12'],
      ['m12'],
    ]);
    expect(calls.every((input) => input.QueueUrl === queueUrl)).toBe(true);
    expect(parseNotificationBody(calls[3]?.Entries?.[0]?.MessageBody ?? '')[0]?.key).toBe('news/12.md');
    expect(queue.sent).toBe(12);
  });

  it('gives up with a named error when entries keep failing, and at once on a sender fault', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: 'm1', SenderFault: false, Code: 'InternalError' }],
    });
    const persistent = requeue(3);
    await persistent.send({ action: 'put', key: 'news/1.md' });

    // Act + Assess
    await expect(persistent.flush()).rejects.toThrow(RequeueFailed);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);

    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: 'm1', SenderFault: true, Code: 'InvalidMessageContents' }],
    });
    const malformed = requeue(3);
    await malformed.send({ action: 'put', key: 'news/1.md' });
    await expect(malformed.flush()).rejects.toThrow(/InvalidMessageContents/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });
});
