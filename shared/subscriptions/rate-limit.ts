// Per-client rate limit on subscription writes: a fixed one-minute window counted with an atomic ADD in the
// events table, so every API instance (and the local stack) shares one count.
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../store/writes';
import { subscriptionKeys } from './keys';

const windowMs = 60_000;

export interface RateLimiter {
  /** Counts one request of `client`; the seconds to wait when it is over the limit, else undefined. */
  take(client: string): Promise<number | undefined>;
}

export function tableRateLimiter(
  client: DynamoDBDocumentClient,
  tableName: string,
  limit: number,
  now: () => Date,
): RateLimiter {
  return {
    async take(clientId) {
      const at = now().getTime();
      const windowStart = at - (at % windowMs);
      // Hashed: the table never holds client addresses.
      const key = createHash('sha256').update(clientId).digest('base64url').slice(0, 22);
      const result = await conditionalWrite(
        client,
        new UpdateCommand({
          TableName: tableName,
          Key: subscriptionKeys.rateWindow(key, new Date(windowStart).toISOString()),
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            // DynamoDB's TTL removes old windows.
            ':expires': Math.ceil((windowStart + 2 * windowMs) / 1000),
          },
        }),
      );
      return result.written ? undefined : Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000));
    },
  };
}
