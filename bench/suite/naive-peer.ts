// The naive peer: a topic's newest events the way a store without an index would answer, a Scan of the
// whole table filtered on the topic, sorted by date, the page decoded. Lives in bench/ only, for comparison.
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../../shared/domain/event';
import { mergeContributions } from '../../shared/domain/merge';
import { decodeEventItem } from '../../shared/store/keys';
import { tableSchema } from '../../shared/store/table-schema';

export async function naiveTopicPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  slug: string,
  limit: number,
  /** Called after each page with the items scanned so far (a Scan of the 1M store takes minutes). */
  onPage: (scanned: number) => void = () => undefined,
): Promise<StoredEvent[]> {
  let scanned = 0;
  const matches: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(#pk, :event) AND contains(topics, :slug)',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
        ExpressionAttributeValues: { ':event': 'EVENT#', ':slug': slug },
        ExclusiveStartKey: startKey,
      }),
    );
    matches.push(...(page.Items ?? []));
    scanned += page.ScannedCount ?? 0;
    onPage(scanned);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const key = (item: Record<string, unknown>) => `${String(item.date)}#${String(item.id)}`;
  matches.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
  return matches.slice(0, limit).flatMap((raw) => {
    const item = decodeEventItem(raw);
    const merged = mergeContributions(
      Object.entries(item.src).flatMap(([objectKey, entry]) =>
        entry.event ? [{ objectKey, kind: entry.kind ?? 'event-file', event: entry.event }] : [],
      ),
    );
    return merged && item.updatedAt ? [{ ...merged, updatedAt: item.updatedAt }] : [];
  });
}
