// The store's one paged Scan, for the two readers that must see items no key leads to: the reconcile's walk
// over the object manifests, and the local stack's start after an unclean stop (merge markers left behind).
// Never on a request path: a Scan reads the whole table, filtered or not.
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod';

/** A Scan position on this table: its two string key attributes (a GSI-less Scan's LastEvaluatedKey). */
const scanKeySchema = z.record(z.string(), z.string());

/** Items read per Scan call: bounds memory and each call's read burst. */
export const SCAN_PAGE = 500;

export interface ScanFilter {
  expression: string;
  names: Record<string, string>;
  values?: Record<string, unknown>;
}

/**
 * The items the filter keeps, a page at a time; `next` is the Scan's LastEvaluatedKey as JSON (the table's own
 * key attributes, strings), and `after` takes it back to resume there.
 */
export async function* scanPages(
  client: DynamoDBDocumentClient,
  tableName: string,
  filter: ScanFilter,
  options: { pageSize?: number; after?: string | undefined; consistent?: boolean } = {},
): AsyncGenerator<{ items: Record<string, unknown>[]; next?: string | undefined }> {
  let startKey = options.after === undefined ? undefined : scanKeySchema.parse(JSON.parse(options.after));
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        Limit: options.pageSize ?? SCAN_PAGE,
        FilterExpression: filter.expression,
        ExpressionAttributeNames: filter.names,
        ...(filter.values ? { ExpressionAttributeValues: filter.values } : {}),
        ...(options.consistent ? { ConsistentRead: true } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    startKey = page.LastEvaluatedKey && scanKeySchema.parse(page.LastEvaluatedKey);
    yield { items: page.Items ?? [], next: startKey && JSON.stringify(startKey) };
  } while (startKey);
}
