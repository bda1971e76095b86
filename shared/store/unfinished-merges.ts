// Finds the event items that still carry a merge marker (`pending`): the work of writers that stopped between
// a merge and its derived writes. No index holds them (a sparse index would cost a write on every merge), so
// this reads the table through the store's one Scan, for a start after a crash (the local stack), never for a
// request.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeEventItem, type EventItem } from './keys';
import { scanPages } from './scan-pages';

export async function* unfinishedMergePages(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<EventItem[]> {
  const marked = { expression: 'attribute_exists(#pending)', names: { '#pending': 'pending' } };
  for await (const { items } of scanPages(client, tableName, marked, { consistent: true })) {
    yield items.map((item) => decodeEventItem(item));
  }
}
