// Pages through the object manifests (OBJECT#<key> items) for the reconcile. No index holds them: this is a Scan.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './batch-write';
import { decodeEventItem, itemKeys, OBJECT_MANIFEST_PREFIX, type ObjectItem, objectItemSchema } from './keys';
import { scanPages } from './scan-pages';
import { tableSchema } from './table-schema';

/** The manifests a page at a time, resumable (see scanPages). */
export async function* objectManifestPages(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { pageSize?: number; after?: string | undefined } = {},
): AsyncGenerator<{ items: ObjectItem[]; next?: string | undefined }> {
  const manifests = {
    expression: 'begins_with(#pk, :prefix)',
    names: { '#pk': tableSchema.partitionKey },
    values: { ':prefix': OBJECT_MANIFEST_PREFIX },
  };
  for await (const { items, next } of scanPages(client, tableName, manifests, options)) {
    yield { items: items.map((item) => objectItemSchema.parse(item)), next };
  }
}

/**
 * Whether the writes a manifest promises were all made. The ledger claims an object (manifest with its ETag and
 * event ids) before it writes the events, so a crash between the two leaves a manifest that looks current while
 * its events are missing, or carry a merge marker (`pending`) whose topic entries were never written. A
 * redelivery of the object finishes both; the reconcile must therefore not take the manifest's word for it.
 *
 * `pendingIds` alone does not prove unfinished work: a writer that stopped after its writes and before clearing
 * them leaves ids there whose withdrawals were made. What counts is the event items: each of
 * `eventIds` holds this object's contribution at the manifest's sequencer or later, each other pending id holds
 * no event from this object any more, and no marker on them is unsettled.
 */
export async function manifestWritesComplete(
  client: DynamoDBDocumentClient,
  tableName: string,
  manifest: ObjectItem,
): Promise<boolean> {
  if (manifest.state !== 'events') return manifest.pendingIds.length === 0;
  const live = [...new Set(manifest.eventIds)];
  const withdrawn = [...new Set(manifest.pendingIds)].filter((id) => !live.includes(id));
  const ids = [...live, ...withdrawn];
  if (ids.length === 0) return true;
  const items = (
    await batchGet(
      client,
      tableName,
      ids.map((id) => itemKeys.event(id)),
      { consistent: true },
    )
  ).map(decodeEventItem);
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const id of live) {
    const contribution = byId.get(id)?.src[manifest.key];
    if (contribution?.event === undefined || contribution.seq < manifest.seq) return false;
  }
  for (const id of withdrawn) {
    const contribution = byId.get(id)?.src[manifest.key];
    if (contribution?.event !== undefined) return false;
  }
  // A marker is unfinished work, except a journaled one whose journal item is gone: the merger leaves those on
  // the item (settling a round of three or more events by deleting its journal), and they count as settled.
  const journals = new Set<string>();
  for (const item of items) {
    if (!item.pending) continue;
    if (!item.pending.journal) return false;
    journals.add(item.pending.token);
  }
  for (const token of journals) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: itemKeys.journal(token), ConsistentRead: true }),
    );
    if (Item) return false;
  }
  return true;
}
