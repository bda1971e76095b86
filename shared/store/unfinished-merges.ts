// Finds the event items that still carry a merge marker (`pending`): the work of writers that stopped between
// a merge and its derived writes. No index holds them (a sparse index would cost a write on every merge), so
// this is a paged Scan, for a start after a crash (the local stack), not for a request path.
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { decodeEventItem, type EventItem } from './keys';

const SCAN_PAGE = 500;

export async function* unfinishedMergePages(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<EventItem[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        Limit: SCAN_PAGE,
        FilterExpression: 'attribute_exists(#pending)',
        ExpressionAttributeNames: { '#pending': 'pending' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []).map((item) => decodeEventItem(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
