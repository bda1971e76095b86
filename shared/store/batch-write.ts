// BatchWriteItem in chunks of 25 and BatchGetItem in chunks of 100, each with the Unprocessed* loop,
// exponential backoff and full jitter.
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runPool } from '../upload/pool';

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export interface RetryPolicy {
  /** Attempts per chunk, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Thrown when DynamoDB keeps returning Unprocessed*: transient, so the caller's record is retried. */
export class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
  constructor(
    readonly remaining: number,
    kind = 'write',
  ) {
    super(`${remaining} ${kind} requests still unprocessed after retries`);
  }
}

const MAX_BATCH = 25;
/**
 * BatchWriteItem calls in flight at once for one `batchWrite`. An SQS batch of 100 new files writes about
 * 330 entries, 14 chunks: one after another they were 14 round trips of the invocation's time. The callers
 * never name one key twice, so chunks commute. 4 keeps one invocation's burst small beside its neighbours'.
 */
export const BATCH_WRITES_IN_FLIGHT = 4;
const MAX_BATCH_GET = 100;

/** "Full jitter": a uniformly random wait up to the capped exponential delay. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(policy.random() * ceiling);
}

export async function batchWrite(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let start = 0; start < requests.length; start += MAX_BATCH)
    chunks.push(requests.slice(start, start + MAX_BATCH));
  // A chunk that gives up stops new chunks from starting; those in flight finish (every write is idempotent).
  await runPool(chunks, BATCH_WRITES_IN_FLIGHT, async (chunk) => {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= policy.maxAttempts) throw new UnprocessedItemsError(pending.length);
      if (attempt > 0) await policy.sleep(backoffDelay(attempt, policy));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  });
}

/** Every item of `keys` that exists, in no particular order. */
export async function batchGet(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: Record<string, unknown>[],
  options: { consistent?: boolean; policy?: RetryPolicy; attributes?: string[] } = {},
): Promise<Record<string, unknown>[]> {
  const { consistent = false, policy = defaultRetryPolicy, attributes } = options;
  const projection = attributes && {
    ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
  };
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += MAX_BATCH_GET) {
    let pending = keys.slice(start, start + MAX_BATCH_GET);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= policy.maxAttempts) throw new UnprocessedItemsError(pending.length, 'read');
      if (attempt > 0) await policy.sleep(backoffDelay(attempt, policy));
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent, ...projection } },
        }),
      );
      items.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
