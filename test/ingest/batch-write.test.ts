// BatchWriteItem's UnprocessedItems loop under faults dynalite cannot produce on demand.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BATCH_WRITES_IN_FLIGHT,
  backoffDelay,
  batchWrite,
  type RetryPolicy,
  UnprocessedItemsError,
  type WriteRequest,
} from '../../shared/store/batch-write';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(client);
const table = 'events';

function recordingPolicy(): RetryPolicy & { delays: number[] } {
  const delays: number[] = [];
  return {
    maxAttempts: 8,
    baseDelayMs: 50,
    maxDelayMs: 5_000,
    random: () => 0.5,
    sleep: async (ms) => void delays.push(ms),
    delays,
  };
}

const puts = (n: number): WriteRequest[] =>
  Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { PK: `TOPIC#t`, SK: `2010-01-01#${i}` } } }));

beforeEach(() => dynamo.reset());

describe('batchWrite', () => {
  it('loses nothing when UnprocessedItems come back three times before success', async () => {
    // Prepare: each of the first three calls leaves a different remainder unprocessed.
    const requests = puts(6);
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [table]: requests.slice(2) } })
      .resolvesOnce({ UnprocessedItems: { [table]: requests.slice(4) } })
      .resolvesOnce({ UnprocessedItems: { [table]: requests.slice(5) } })
      .resolves({});
    const policy = recordingPolicy();

    // Act
    await batchWrite(client, table, requests, policy);

    // Assess: each retry resends exactly the unprocessed remainder, with growing backoff.
    const sent = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.[table]);
    expect(sent).toEqual([requests, requests.slice(2), requests.slice(4), requests.slice(5)]);
    expect(policy.delays).toEqual([50, 100, 200]);
  });

  it('splits into chunks of 25', async () => {
    dynamo.on(BatchWriteCommand).resolves({});

    await batchWrite(client, table, puts(60), recordingPolicy());

    expect(
      dynamo.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.[table]?.length),
    ).toEqual([25, 25, 10]);
  });

  it('sends up to BATCH_WRITES_IN_FLIGHT chunks at once, and every item once', async () => {
    // Prepare: each call stays open until the test has seen how many are open together.
    let open = 0;
    let mostOpen = 0;
    dynamo.on(BatchWriteCommand).callsFake(async () => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      await new Promise((resolve) => setTimeout(resolve, 5));
      open--;
      return {};
    });
    const requests = puts(25 * (BATCH_WRITES_IN_FLIGHT + 2));

    // Act
    await batchWrite(client, table, requests, recordingPolicy());

    // Assess
    expect(mostOpen).toBe(BATCH_WRITES_IN_FLIGHT);
    const sent = dynamo
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.[table]);
    expect(sent).toHaveLength(requests.length);
    expect(new Set(sent)).toEqual(new Set(requests));
  });

  it('starts no chunk after one gives up, and waits for those in flight', async () => {
    // Prepare: the first chunk stays unprocessed; the others land only once it has given up (its last
    // attempt, then a macrotask, by which time the caller's pool has seen the failure), so no timing decides.
    const policy = recordingPolicy();
    const requests = puts(25 * (BATCH_WRITES_IN_FLIGHT + 3));
    const first = requests.slice(0, 25);
    const finished: number[] = [];
    let firstAttempts = 0;
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    dynamo.on(BatchWriteCommand).callsFake(async (input) => {
      const chunk = input.RequestItems[table];
      if (chunk[0] === first[0]) {
        if (++firstAttempts === policy.maxAttempts) setTimeout(openGate, 0);
        return { UnprocessedItems: { [table]: chunk } };
      }
      await gate;
      finished.push(requests.indexOf(chunk[0]) / 25);
      return {};
    });

    // Act
    const outcome = batchWrite(client, table, requests, policy);

    // Assess: the caller hears the transient error only after the chunks already sent have landed.
    await expect(outcome).rejects.toBeInstanceOf(UnprocessedItemsError);
    expect(finished.sort((a, b) => a - b)).toEqual(
      Array.from({ length: BATCH_WRITES_IN_FLIGHT - 1 }, (_, index) => index + 1),
    );
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(
      policy.maxAttempts + BATCH_WRITES_IN_FLIGHT - 1,
    );
  });

  it('gives up with a transient error when items stay unprocessed', async () => {
    const requests = puts(3);
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { [table]: requests } });

    await expect(batchWrite(client, table, requests, recordingPolicy())).rejects.toBeInstanceOf(
      UnprocessedItemsError,
    );
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(8);
  });

  it('caps the backoff and jitters it below the ceiling', () => {
    const policy = { ...recordingPolicy(), random: () => 0.999 };
    expect(backoffDelay(20, policy)).toBe(4995);
    expect(backoffDelay(1, { ...policy, random: () => 0 })).toBe(0);
  });
});
