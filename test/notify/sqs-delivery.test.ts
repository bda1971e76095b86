// The AWS side of the delivery queue, SQS mocked (no local engine plays SQS in AWS mode): SendMessageBatch
// in chunks of 10 with refused entries reported by webhook id, and the delivery's exponential backoff.
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverBatch, retryDelaySeconds } from '../../shared/notify/delivery-batch';
import { type DeliveryMessage, sqsDeliveryQueue, webhookIdOf } from '../../shared/notify/delivery-queue';
import type { WebhookDelivery } from '../../shared/notify/webhook-delivery';

const client = new SQSClient({ region: 'us-east-1' });
const sqs = mockClient(client);
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/delivery';

afterEach(() => sqs.reset());

const message = (i: number): DeliveryMessage => ({
  subscriptionId: `wh_subscription${String(i).padStart(8, '0')}`,
  day: '2026-07-09',
  webhookId: webhookIdOf(`wh_subscription${String(i).padStart(8, '0')}`, '2026-07-09'),
  payload: `{"n":${i}}`,
});

describe('SQS delivery queue', () => {
  it('sends ten messages a call and names the ones SQS refused', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [] })
      .resolves({
        Successful: [],
        Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }],
      });
    const messages = Array.from({ length: 12 }, (_, i) => message(i));

    // Act
    const { failed } = await sqsDeliveryQueue(client, queueUrl).send(messages);

    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Entries?.length)).toEqual([10, 2]);
    expect(calls.every((input) => input.QueueUrl === queueUrl)).toBe(true);
    expect(JSON.parse(calls[1]?.Entries?.[1]?.MessageBody ?? '{}')).toEqual(messages[11]);
    expect(failed).toEqual([messages[11]?.webhookId]);
  });

  it('gives every (subscription, day) one webhook id, the same on every attempt', () => {
    expect(webhookIdOf('wh_a', '2026-07-09')).toBe(webhookIdOf('wh_a', '2026-07-09'));
    expect(webhookIdOf('wh_a', '2026-07-09')).not.toBe(webhookIdOf('wh_a', '2026-07-10'));
    expect(webhookIdOf('wh_a', '2026-07-09')).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
  });
});

describe('delivery backoff', () => {
  it('doubles from 30 s per receive, capped at 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => retryDelaySeconds(n))).toEqual([30, 60, 120, 240, 480, 900]);
  });

  it('asks for a later retry of each record to retry, and reports it as failed, the others not', async () => {
    // Prepare: the first digest fails this time, the second is delivered.
    const outcomes = new Map([
      [message(0).webhookId, 'retry'],
      [message(1).webhookId, 'delivered'],
    ]);
    const delivery = {
      deliver: async (m: DeliveryMessage) => outcomes.get(m.webhookId),
    } as unknown as WebhookDelivery;
    const retried: [string, number][] = [];
    const records = [0, 1].map((i) => ({
      messageId: `id-${i}`,
      receiptHandle: `r-${i}`,
      body: JSON.stringify(message(i)),
      attributes: { ApproximateReceiveCount: '3' },
    }));

    // Act
    const response = await deliverBatch(records as never, delivery, {
      maxReceiveCount: 5,
      log: () => undefined,
      onRetry: async (record, receiveCount) => {
        retried.push([record.messageId, receiveCount]);
      },
    });

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'id-0' }]);
    expect(retried).toEqual([['id-0', 3]]);
  });
});
