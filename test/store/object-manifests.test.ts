// Whether a manifest's writes were all made (the reconcile's test for "re-queue it"), against dynalite: settled
// states the store leaves behind count as complete, the traces of a crash between the claim and the writes do not.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventsTable } from '../../shared/store/events-table';
import { itemKeys } from '../../shared/store/keys';
import { manifestWritesComplete } from '../../shared/store/object-manifests';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';

let dynamo: LocalDynamo;
let tableName: string;
let store: EventsTable;
withFreshTable((d, name) => {
  dynamo = d;
  tableName = name;
});
beforeEach(() => {
  store = new EventsTable(dynamo.doc, tableName, { now: steppingClock() });
});

const key = 'news/2007/07/9/a.md';
const complete = async (objectKey = key) => {
  const manifest = await store.objectState(objectKey);
  if (!manifest) throw new Error(`no manifest for ${objectKey}`);
  return manifestWritesComplete(dynamo.doc, tableName, manifest);
};
const write = (seq: string, id: string, title: string, objectKey = key) =>
  store.putEvents({ key: objectKey, sequencer: seq }, [
    fileContribution(objectKey, makeEvent(id, { title, topics: ['Harbour'] })),
  ]);
/** What a writer that stopped before its finish leaves on the manifest. */
const leaveInPendingIds = (...ids: string[]) =>
  dynamo.doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: itemKeys.object(key),
      UpdateExpression: 'SET pendingIds = :ids',
      ExpressionAttributeValues: { ':ids': ids },
    }),
  );

describe('manifestWritesComplete', () => {
  it('holds for an edit that kept its event id, though a writer stopped before its finish left that id in pendingIds', async () => {
    // Prepare: the edit's writes are made; its finish (which clears pendingIds) is not.
    await write('01', '2007-07-09/a', 'First');
    await write('02', '2007-07-09/a', 'Second');
    expect((await store.objectState(key))?.pendingIds).toEqual([]);
    await leaveInPendingIds('2007-07-09/a');

    // Act + Assess
    expect(await complete()).toBe(true);
  });

  it('holds for journaled markers whose journal is gone, and not while the journal is still there', async () => {
    // Prepare: three objects in one round are settled through a journal, whose markers stay on the items
    const keys = ['news/2007/07/9/a.md', 'news/2007/07/9/b.md', 'news/2007/07/9/c.md'];
    await store.applyMany(
      keys.map((objectKey, index) => ({
        version: { key: objectKey, sequencer: '01' },
        state: 'events' as const,
        contributions: [
          fileContribution(objectKey, makeEvent(`2007-07-09/e${index}`, { topics: ['Harbour'] })),
        ],
      })),
    );
    const { Item } = await dynamo.doc.send(
      new GetCommand({ TableName: tableName, Key: itemKeys.event('2007-07-09/e0') }),
    );
    const token = (Item?.pending as { token: string; journal?: boolean } | undefined)?.token;
    expect(Item?.pending).toMatchObject({ journal: true });

    // Act
    const settled = await complete(keys[0]);
    await dynamo.doc.send(
      new PutCommand({ TableName: tableName, Item: { ...itemKeys.journal(token ?? ''), at: 'x' } }),
    );
    const inFlight = await complete(keys[0]);

    // Assess
    expect([settled, inFlight]).toEqual([true, false]);
  });

  it('fails when an event the manifest names lacks the object’s contribution', async () => {
    // Prepare
    await write('01', '2007-07-09/a', 'First');
    await dynamo.doc.send(new DeleteCommand({ TableName: tableName, Key: itemKeys.event('2007-07-09/a') }));

    // Act + Assess
    expect(await complete()).toBe(false);
  });

  it('fails when an event the object no longer names still holds its contribution (the withdrawal was cut short)', async () => {
    // Prepare: the object moves from event a to event b; then the state a crash leaves is put back
    await write('01', '2007-07-09/a', 'First');
    const { Item: before } = await dynamo.doc.send(
      new GetCommand({ TableName: tableName, Key: itemKeys.event('2007-07-09/a') }),
    );
    await write('02', '2007-07-09/b', 'Renamed');
    expect(await complete()).toBe(true);
    await dynamo.doc.send(new PutCommand({ TableName: tableName, Item: before ?? {} }));
    await leaveInPendingIds('2007-07-09/a');

    // Act + Assess
    expect(await complete()).toBe(false);
  });
});
