// Pages through the object manifests (OBJECT#<key> items) for the reconcile. No index holds them: this is a Scan.
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './batch-write';
import { decodeEventItem, itemKeys, OBJECT_MANIFEST_PREFIX, type ObjectItem, objectItemSchema } from './keys';
import { tableSchema } from './table-schema';

/** Items read per Scan call: bounds memory and each call's read burst (a Scan reads every item, filtered or not). */
export const MANIFEST_SCAN_PAGE = 500;

export async function* objectManifestPages(
  client: DynamoDBDocumentClient,
  tableName: string,
  pageSize = MANIFEST_SCAN_PAGE,
): AsyncGenerator<ObjectItem[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        Limit: pageSize,
        FilterExpression: 'begins_with(#pk, :prefix)',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
        ExpressionAttributeValues: { ':prefix': OBJECT_MANIFEST_PREFIX },
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []).map((item) => objectItemSchema.parse(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * Whether the writes a manifest promises were all made. The ledger claims an object (manifest with its ETag and
 * event ids) before it writes the events, so a crash between the two leaves a manifest that looks current while
 * its events are missing, or carry a merge marker (`pending`) whose topic entries were never written. A
 * redelivery of the object finishes both; the reconcile must therefore not take the manifest's word for it.
 */
export async function manifestWritesComplete(
  client: DynamoDBDocumentClient,
  tableName: string,
  manifest: ObjectItem,
): Promise<boolean> {
  if (manifest.state !== 'events' && manifest.pendingIds.length === 0) return true;
  if (manifest.pendingIds.length > 0) return false;
  const ids = [...new Set(manifest.eventIds)];
  if (ids.length === 0) return true;
  const items = await batchGet(
    client,
    tableName,
    ids.map((id) => itemKeys.event(id)),
    { consistent: true },
  );
  if (items.length !== ids.length) return false;
  return items.every((raw) => {
    if (raw.pending !== undefined) return false;
    const contribution = decodeEventItem(raw).src[manifest.key];
    return contribution !== undefined && contribution.seq >= manifest.seq;
  });
}
