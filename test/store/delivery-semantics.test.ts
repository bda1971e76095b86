// The store and ingest under S3's and SQS's real delivery semantics: sequencers of different lengths,
// versioned deletes, concurrent writers, broken edits. Each case once failed on the first version.

import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NewsEvent } from '../../shared/domain/event';
import { topicSlug } from '../../shared/domain/topics';
import { ingestObject } from '../../shared/ingest/ingest-object';
import { parseNotificationBody } from '../../shared/ingest/notifications';
import { parseEventObject } from '../../shared/parse';
import { defaultRetryPolicy } from '../../shared/store/batch-write';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, listingContribution, makeEvent, steppingClock } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';
import { pausingClient } from '../support/pausing-client';
import { s3Message } from '../support/sqs';

let dynamo: LocalDynamo;
let tableName: string;
let store: EventsTable;

withFreshTable((engine, name) => {
  dynamo = engine;
  tableName = name;
  store = new EventsTable(engine.doc, name, { now: steppingClock() });
});

const key = 'news/2007/07/9/siege.md';
const siege = makeEvent('2007-07-09/siege', { title: 'Talks fail', topics: ['Islamabad'] });

describe('sequencers of different lengths (S3: right-pad with zeros, then compare)', () => {
  // `…4072A` is shorter, and newer: right-padded it is `…4072A0`, above `…407297`.
  const older = '0062E99A88DC407297';
  const newer = '0062E99A88DC4072A';

  for (const order of [
    [older, newer],
    [newer, older],
  ]) {
    it(`ends in the newer version when ${order[0]} arrives before ${order[1]}`, async () => {
      // Act
      for (const sequencer of order) {
        const title = sequencer === newer ? 'Newer' : 'Older';
        await store.putEvents({ key, sequencer }, [fileContribution(key, { ...siege, title })]);
      }

      // Assess
      expect((await store.getEvent(siege.id))?.title).toBe('Newer');
    });
  }

  it('stores one fixed-width upper-case form, so DynamoDB conditions order as the code does', async () => {
    // Act
    const [note] = parseNotificationBody(s3Message({ key, sequencer: '62e99a' }).body);

    // Assess
    expect(note?.sequencer).toMatch(/^62E99A0+$/);
    expect(note?.sequencer).toHaveLength(48);
  });
});

describe('a broken edit of an event file', () => {
  it('keeps the last good version up while the rejection says what is wrong', async () => {
    // Prepare
    await store.putEvents({ key, sequencer: '01' }, [fileContribution(key, siege)]);

    // Act
    await store.putRejection({ key, sequencer: '02' }, 'missing-title', 'no headline line');

    // Assess
    expect((await store.getEvent(siege.id))?.title).toBe('Talks fail');
    expect((await store.topicEvents('islamabad', { limit: 10 })).items).toHaveLength(1);
    expect((await store.listRejections({ limit: 10 })).items).toMatchObject([
      { key, reason: 'missing-title' },
    ]);
  });

  it('is replaced by the next good version, and a delete still removes the event', async () => {
    // Prepare
    await store.putEvents({ key, sequencer: '01' }, [fileContribution(key, siege)]);
    await store.putRejection({ key, sequencer: '02' }, 'missing-title', 'no headline line');

    // Act
    await store.putEvents({ key, sequencer: '03' }, [fileContribution(key, { ...siege, title: 'Fixed' })]);
    const afterFix = await store.getEvent(siege.id);
    await store.deleteObject({ key, sequencer: '04' });

    // Assess
    expect(afterFix?.title).toBe('Fixed');
    expect((await store.listRejections({ limit: 10 })).items).toEqual([]);
    expect(await store.getEvent(siege.id)).toBeUndefined();
    expect(await store.getTopic('islamabad')).toBeUndefined();
  });
});

describe('topic counts under concurrent writers', () => {
  async function recount(slug: string): Promise<number> {
    const { Count = 0 } = await dynamo.doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `TOPIC#${slug}` },
        Select: 'COUNT',
      }),
    );
    return Count;
  }

  it('match a full recount after many objects are written, rewritten and deleted at once', async () => {
    // Prepare: 24 events in a shared topic, each also in one of four small topics.
    const events = Array.from({ length: 24 }, (_, i) =>
      makeEvent(`2010-05-${String((i % 28) + 1).padStart(2, '0')}/event-${i}`, {
        topics: ['Shared', `Group ${i % 4}`],
      }),
    );
    const keyOf = (i: number) => `news/concurrent/${i}.md`;
    await Promise.all(
      events.map((event, i) =>
        store.putEvents({ key: keyOf(i), sequencer: '01' }, [fileContribution(keyOf(i), event)]),
      ),
    );

    // Act: at once, delete the even ones, move every third to another group, and add new ones.
    const extra = Array.from({ length: 12 }, (_, i) =>
      makeEvent(`2011-06-${String(i + 1).padStart(2, '0')}/extra-${i}`, { topics: ['Shared', 'Group 0'] }),
    );
    await Promise.all([
      ...events.map((event, i) =>
        i % 2 === 0
          ? store.deleteObject({ key: keyOf(i), sequencer: '02' })
          : i % 3 === 0
            ? store.putEvents({ key: keyOf(i), sequencer: '02' }, [
                fileContribution(keyOf(i), { ...event, topics: ['Shared', 'Moved'] }),
              ])
            : Promise.resolve(),
      ),
      ...extra.map((event, i) =>
        store.putEvents({ key: `news/extra/${i}.md`, sequencer: '01' }, [
          fileContribution(`news/extra/${i}.md`, event),
        ]),
      ),
    ]);

    // Assess: every stored count equals its recount, and a topic item exists exactly while it has entries.
    for (const label of ['Shared', 'Group 0', 'Group 1', 'Group 2', 'Group 3', 'Moved']) {
      const slug = topicSlug(label);
      const entries = await recount(slug);
      const topic = await store.getTopic(slug);
      if (entries === 0) expect(topic, slug).toBeUndefined();
      else expect(topic?.events, slug).toBe(entries);
    }
    expect(await recount('shared')).toBe(12 + 12);
    expect(await store.stats()).toMatchObject({ events: 24 });
  });

  it('never leave a topic without its item while it has entries, when one event comes and another goes', async () => {
    for (let round = 0; round < 10; round++) {
      // Prepare
      const leaving = makeEvent(`2012-01-0${(round % 9) + 1}/leaving-${round}`, {
        topics: [`Churn ${round}`],
      });
      const arriving = makeEvent(`2012-02-0${(round % 9) + 1}/arriving-${round}`, {
        topics: [`Churn ${round}`],
      });
      await store.putEvents({ key: `leaving-${round}`, sequencer: '01' }, [
        fileContribution(`leaving-${round}`, leaving),
      ]);

      // Act
      await Promise.all([
        store.deleteObject({ key: `leaving-${round}`, sequencer: '02' }),
        store.putEvents({ key: `arriving-${round}`, sequencer: '01' }, [
          fileContribution(`arriving-${round}`, arriving),
        ]),
      ]);

      // Assess
      expect(await store.getTopic(topicSlug(`Churn ${round}`))).toMatchObject({ events: 1 });
    }
  });
});

describe('a topic whose last entry leaves while another arrives', () => {
  it('keeps its item and an exact count when the leaving writer is paused at its topic update', async () => {
    // Prepare: one entry in the topic; the writer deleting it is paused at its first write to the topic
    // item, after its entry is gone, while another writer adds an entry to the same topic.
    const leaving = makeEvent('2012-01-01/leaving', { topics: ['Churn'] });
    const arriving = makeEvent('2012-02-02/arriving', { topics: ['Churn'] });
    await store.putEvents({ key: 'leaving.md', sequencer: '01' }, [fileContribution('leaving.md', leaving)]);
    const { client, paused, resume } = pausingClient(dynamo.doc, (input) => input.Key?.PK === 'TOPICS');
    const leavingWriter = new EventsTable(client, tableName, { now: steppingClock() });

    // Act
    const deletion = leavingWriter.deleteObject({ key: 'leaving.md', sequencer: '02' });
    await paused;
    await store.putEvents({ key: 'arriving.md', sequencer: '01' }, [
      fileContribution('arriving.md', arriving),
    ]);
    resume();
    await deletion;

    // Assess
    expect((await store.topicEvents('churn', { limit: 10 })).items.map((e) => e.id)).toEqual([arriving.id]);
    expect(await store.getTopic('churn')).toMatchObject({ events: 1 });
  });
});

describe('stats', () => {
  it('reads no event documents', async () => {
    // Prepare
    await store.putEvents({ key, sequencer: '01' }, [fileContribution(key, siege)]);
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    dynamo.doc.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ name: String(context.commandName), input: args.input as Record<string, unknown> });
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );

    try {
      // Act
      const stats = await store.stats();

      // Assess
      expect(stats).toEqual({ events: 1, topics: 1, rejected: 0 });
      expect(sent.map((c) => c.name).sort()).toEqual(['GetItemCommand', 'QueryCommand', 'QueryCommand']);
      for (const command of sent) {
        expect(command.input.IndexName).toBeUndefined();
        expect(JSON.stringify(command.input)).not.toContain('EVENT#');
      }
    } finally {
      dynamo.doc.middlewareStack.remove('recordCommands');
    }
  });
});

describe('versioned bucket: remove notifications converge to what is current', () => {
  const bucket = 'events';
  const s3 = mockClient(S3Client);
  const fileBody = (title: string) =>
    `### [2007-07-9](/news/2007/07/9/index.md)\n##### Islamabad\n# ${title}\n`;
  // The ingest reads the body as an async iterable of bytes, as the SDK's stream is.
  const body = (text: string) => Readable.from([Buffer.from(text)]) as never;
  const deps = () => ({ store, s3: new S3Client({}), parse: parseEventObject, maxObjectBytes: 1_048_576 });
  const note = (eventName: string, sequencer: string, versionId?: string) => {
    const [parsed] = parseNotificationBody(
      s3Message({ key, sequencer, eventName, ...(versionId ? { versionId } : {}) }).body,
    );
    if (!parsed) throw new Error('no notification');
    return parsed;
  };

  // A fresh body per read: a stream can be read only once.
  const serve = (title: string, versionId: string) =>
    s3.on(GetObjectCommand).callsFake(() => ({ Body: body(fileBody(title)), VersionId: versionId }));

  beforeEach(() => {
    s3.reset();
  });

  async function ingestFirstVersion(): Promise<void> {
    serve('First version', 'v1');
    await ingestObject(deps(), note('ObjectCreated:Put', '0100', 'v1'));
  }

  it('deleting an old, noncurrent version leaves the event alive', async () => {
    // Prepare: v2 is current, then v1 (noncurrent) is deleted.
    await ingestFirstVersion();
    serve('Second version', 'v2');
    await ingestObject(deps(), note('ObjectCreated:Put', '0200', 'v2'));

    // Act
    const outcome = await ingestObject(deps(), note('ObjectRemoved:Delete', '0300', 'v1'));

    // Assess
    expect(outcome).toMatchObject({ status: 'events' });
    expect((await store.getEvent('2007-07-09/siege'))?.title).toBe('Second version');
    expect(s3.commandCalls(GetObjectCommand).at(-1)?.args[0].input).toEqual({ Bucket: bucket, Key: key });
  });

  it('a delete marker removes the event, and deleting the marker brings it back', async () => {
    // Prepare
    await ingestFirstVersion();

    // Act: a delete marker makes the key 404; removing the marker makes v1 current again (no ObjectCreated).
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }),
    );
    await ingestObject(deps(), note('ObjectRemoved:DeleteMarkerCreated', '0200', 'marker-1'));
    const whileMarked = await store.getEvent('2007-07-09/siege');
    serve('First version', 'v1');
    await ingestObject(deps(), note('ObjectRemoved:Delete', '0300', 'marker-1'));

    // Assess
    expect(whileMarked).toBeUndefined();
    expect((await store.getEvent('2007-07-09/siege'))?.title).toBe('First version');
    expect(await store.getTopic('islamabad')).toMatchObject({ events: 1 });
  });
});

describe('one SQS batch written together', () => {
  it('writes every object, counts exactly and leaves no journal behind, so later merges need not wait', async () => {
    // Prepare: five event files and a listing that names three of them, in one batch.
    const events = Array.from({ length: 5 }, (_, i) =>
      makeEvent(`2013-04-0${i + 1}/batch-${i}`, { topics: ['Batch', `Own ${i}`] }),
    );
    const requests = [
      ...events.map((event, i) => ({
        version: { key: `batch-${i}.md`, sequencer: '01' },
        state: 'events' as const,
        contributions: [fileContribution(`batch-${i}.md`, event)],
      })),
      {
        version: { key: 'listing.md', sequencer: '01' },
        state: 'events' as const,
        contributions: events
          .slice(0, 3)
          .map((event) => listingContribution('listing.md', { ...event, topics: ['Listed'] })),
      },
    ];

    // Act
    const outcomes = await store.applyMany(requests);
    const later = await store.putEvents({ key: 'batch-0.md', sequencer: '02' }, [
      fileContribution('batch-0.md', { ...events[0], topics: ['Moved'] } as NewsEvent),
    ]);

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('applied'));
    expect(later).toMatchObject({ status: 'applied' });
    expect(await store.getTopic('batch')).toMatchObject({ events: 4 });
    expect(await store.getTopic('listed')).toMatchObject({ events: 3 });
    expect(await store.getTopic('moved')).toMatchObject({ events: 1 });
    expect(await store.stats()).toMatchObject({ events: 5, topics: 7 });
    const { Items = [] } = await dynamo.doc.send(new ScanCommand({ TableName: tableName }));
    expect(Items.filter((item) => String(item.PK).startsWith('JOURNAL#'))).toEqual([]);
  });
});

describe('a merge left unfinished by a crashed writer', () => {
  it('is finished by the next writer where the markers are known dead (the local stack after a restart)', async () => {
    // Prepare: the first writer dies between its event put and its topic writes.
    const crashing = new Proxy(dynamo.doc, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: { constructor: { name: string } }) => {
          if (command.constructor.name === 'BatchWriteCommand') throw new Error('process killed');
          return target.send(command as never);
        };
      },
    });
    const crashed = new EventsTable(crashing, tableName, { now: steppingClock('2026-11-25T12:00:00.000Z') });
    await expect(crashed.putEvents({ key, sequencer: '01' }, [fileContribution(key, siege)])).rejects.toThrow(
      'process killed',
    );
    const restarted = new EventsTable(dynamo.doc, tableName, {
      now: steppingClock('2026-11-25T12:00:30.000Z'),
      markersDeadBefore: new Date('2026-11-25T12:00:20.000Z'),
    });

    // Act: a listing adds a topic to the same event, 30 s later (well within the 120 s lock timeout).
    const outcome = await restarted.putEvents({ key: 'listing.md', sequencer: '01' }, [
      listingContribution('listing.md', { ...siege, topics: ['Extra'] }),
    ]);

    // Assess: the crashed writer's topic writes were applied once, then the listing's.
    expect(outcome).toMatchObject({ status: 'applied' });
    expect(await store.getTopic('islamabad')).toMatchObject({ events: 1 });
    expect(await store.getTopic('extra')).toMatchObject({ events: 1 });
    expect((await store.topicEvents('islamabad', { limit: 10 })).items.map((e) => e.id)).toEqual([siege.id]);
    expect(await store.stats()).toMatchObject({ events: 1 });
  });
});

describe('a writer killed after its counter updates and before clearing its markers', () => {
  // The process dies at the one step that commits a merge: every marker clear and journal delete fails.
  const killedAtMarkerClear = () =>
    new Proxy(dynamo.doc, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: { input: { UpdateExpression?: string; Key?: Record<string, unknown> } }) => {
          const clearsMarker = command.input.UpdateExpression === 'REMOVE pending';
          const deletesJournal =
            command.constructor.name === 'DeleteCommand' &&
            String(command.input.Key?.PK).startsWith('JOURNAL#');
          if (clearsMarker || deletesJournal) throw new Error('process killed');
          return target.send(command as never);
        };
      },
    });
  const noWait = { ...defaultRetryPolicy, sleep: async () => {} };
  const events = ['one', 'two', 'three'].map((slug) =>
    makeEvent(`2014-05-01/${slug}`, { topics: ['Shared', `Own ${slug}`] }),
  );
  const requestsFor = (list: NewsEvent[]) =>
    list.map((event) => ({
      version: { key: `${event.slug}.md`, sequencer: '01' },
      state: 'events' as const,
      contributions: [fileContribution(`${event.slug}.md`, event)],
    }));
  const countEntries = async (partition: string) =>
    (
      await dynamo.doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          Select: 'COUNT',
        }),
      )
    ).Count;

  it('is finished at the next start with every counter recounted, not counted twice', async () => {
    // Prepare: a batch (journaled) and a single event (its own marker) both die after their `ADD`s landed.
    const killed = new EventsTable(killedAtMarkerClear(), tableName, {
      now: steppingClock('2026-11-25T12:00:00.000Z'),
      retry: noWait,
    });
    await expect(killed.applyMany(requestsFor(events))).rejects.toThrow('process killed');
    await expect(killed.applyMany(requestsFor([siege]))).rejects.toThrow('process killed');
    const restarted = new EventsTable(dynamo.doc, tableName, {
      now: steppingClock('2026-11-25T12:05:00.000Z'),
      markersDeadBefore: new Date('2026-11-25T12:04:00.000Z'),
    });

    // Act: the start finishes what the dead writer left, then the same files arrive again (the re-sync).
    const finished = await restarted.finishAbandonedMerges();
    const again = await restarted.applyMany(requestsFor([...events, siege]));

    // Assess
    expect(finished).toEqual({ merges: 4, topics: 5 });
    expect(again).toHaveLength(4);
    expect(await store.getTopic('shared')).toMatchObject({ events: 3 });
    for (const slug of ['shared', 'own-one', 'own-two', 'own-three', 'islamabad'])
      expect((await store.getTopic(slug))?.events, slug).toBe(await countEntries(`TOPIC#${slug}`));
    expect(await store.stats()).toMatchObject({ events: 4, topics: 5 });
    const { Items = [] } = await dynamo.doc.send(new ScanCommand({ TableName: tableName }));
    expect(Items.filter((item) => String(item.PK).startsWith('JOURNAL#'))).toEqual([]);
    expect(Items.filter((item) => item.pending !== undefined)).toEqual([]);
  });

  it("without that finish, the next writer would apply the dead writer's counter deltas a second time", async () => {
    // Prepare: the same crash, then a restart that only knows the markers are dead.
    const killed = new EventsTable(killedAtMarkerClear(), tableName, {
      now: steppingClock('2026-11-25T12:00:00.000Z'),
      retry: noWait,
    });
    await expect(killed.applyMany(requestsFor([siege]))).rejects.toThrow('process killed');
    const restarted = new EventsTable(dynamo.doc, tableName, {
      now: steppingClock('2026-11-25T12:05:00.000Z'),
      markersDeadBefore: new Date('2026-11-25T12:04:00.000Z'),
    });

    // Act: a listing touches the event, finishing the dead marker the only way a running writer can.
    await restarted.putEvents({ key: 'listing.md', sequencer: '01' }, [
      listingContribution('listing.md', { ...siege, topics: ['Extra'] }),
    ]);

    // Assess: the window this start-up step closes (documented in docs/table-design.md).
    expect(await store.getTopic('islamabad')).toMatchObject({ events: 2 });
    expect(await countEntries('TOPIC#islamabad')).toBe(1);
  });
});

describe('a batch in which one event write fails', () => {
  it('still applies and clears what the others wrote, so they are not held until the lock times out', async () => {
    // Prepare: DynamoDB throttles every write of one event of the batch.
    const events = ['one', 'two', 'bad'].map((slug) =>
      makeEvent(`2014-05-01/${slug}`, { topics: ['Shared', `Own ${slug}`] }),
    );
    const throttling = new Proxy(dynamo.doc, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: { input: { Item?: Record<string, unknown> } }) => {
          if (command.input.Item?.PK === 'EVENT#2014-05-01/bad') {
            throw Object.assign(new Error('Rate exceeded'), {
              name: 'ProvisionedThroughputExceededException',
            });
          }
          return target.send(command as never);
        };
      },
    });
    const writer = new EventsTable(throttling, tableName, { now: steppingClock() });

    // Act
    const attempt = writer.applyMany(
      events.map((event) => ({
        version: { key: `${event.slug}.md`, sequencer: '01' },
        state: 'events' as const,
        contributions: [fileContribution(`${event.slug}.md`, event)],
      })),
    );

    // Assess
    await expect(attempt).rejects.toThrow('Rate exceeded');
    const { Items = [] } = await dynamo.doc.send(new ScanCommand({ TableName: tableName }));
    expect(Items.filter((item) => String(item.PK).startsWith('JOURNAL#'))).toEqual([]);
    expect(await store.getTopic('shared')).toMatchObject({ events: 2 });
    expect(await store.stats()).toMatchObject({ events: 2 });
  });
});
