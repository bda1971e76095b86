// Operators' view of the rejections: one bounded page at a time, by key prefix (a key condition) and by reason.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { REJECTIONS_PARTITION, rejectionItemSchema } from './keys';
import type { Rejection } from './queries';
import { tableSchema } from './table-schema';

const { partitionKey: PK, sortKey: SK } = tableSchema;

export interface RejectionFilter {
  /** Only rejections with this reason (`invalid-date`, `over-limit`, …). */
  reason?: string | undefined;
  /** Only objects whose key starts with this. */
  keyPrefix?: string | undefined;
}

export interface RejectionPage {
  items: Rejection[];
  /** The object key to continue after, when there may be more. */
  next?: string;
}

/** Items read per call at most: a sparse reason filter returns a short page and a `next`, never a long scan. */
const MAX_READ_PER_CALL = 2_000;

export class RejectionQueries {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Up to `limit` rejections in key order after the key `after`. The prefix is a key condition (`begins_with` on
   * the sort key, the object key), so it reads only matching items; the reason is a filter, so reads are bounded
   * by MAX_READ_PER_CALL and the page may come back short with a `next`.
   */
  async page(
    filter: RejectionFilter,
    { limit, after }: { limit: number; after?: string },
  ): Promise<RejectionPage> {
    const items: Rejection[] = [];
    let startKey: Record<string, unknown> | undefined = after
      ? { [PK]: REJECTIONS_PARTITION, [SK]: after }
      : undefined;
    let read = 0;
    do {
      const wanted = limit - items.length;
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression:
            filter.keyPrefix === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :prefix)',
          ...(filter.reason === undefined ? {} : { FilterExpression: '#reason = :reason' }),
          ExpressionAttributeNames: {
            '#pk': PK,
            ...(filter.keyPrefix === undefined ? {} : { '#sk': SK }),
            ...(filter.reason === undefined ? {} : { '#reason': 'reason' }),
          },
          ExpressionAttributeValues: {
            ':pk': REJECTIONS_PARTITION,
            ...(filter.keyPrefix === undefined ? {} : { ':prefix': filter.keyPrefix }),
            ...(filter.reason === undefined ? {} : { ':reason': filter.reason }),
          },
          // Never more than the page still needs: the last evaluated key is then exactly where to continue.
          Limit: Math.min(wanted, MAX_READ_PER_CALL - read),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      read += result.ScannedCount ?? 0;
      for (const item of result.Items ?? []) {
        const { key, reason, detail, at } = rejectionItemSchema.parse(item);
        items.push({ key, reason, detail, at });
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length < limit && read < MAX_READ_PER_CALL);
    const next = startKey?.[SK];
    return typeof next === 'string' ? { items, next } : { items };
  }
}
