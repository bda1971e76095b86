// DynamoDB faults at every write step of one ingest, through the real handler against dynalite: each step (named by
// its command and the item it writes) fails once with throttling, a 500, a timeout, or (batch writes) every item
// unprocessed. The record is reported for a retry or succeeds; after the retry the table is exact: the event and
// its topic entries are there once, every count equals its recount, and no merge marker or journal is left.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventsTable } from '../../shared/store/events-table';
import { type IngestRig, startIngestRig } from '../support/local-aws';
import { redelivered, s3Message, sqsEvent } from '../support/sqs';

type WriteCommand =
  | typeof PutCommand
  | typeof UpdateCommand
  | typeof DeleteCommand
  | typeof BatchWriteCommand;
const WRITE_COMMANDS: WriteCommand[] = [PutCommand, UpdateCommand, DeleteCommand, BatchWriteCommand];

const FAULTS = {
  throttling: () =>
    Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    }),
  'a 500': () =>
    Object.assign(new Error('Internal server error'), {
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    }),
  'a timeout': () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }),
} as const;
type FaultName = keyof typeof FAULTS | 'UnprocessedItems';

let rig: IngestRig;
let store: EventsTable;
let handlerDynamo: DynamoDBDocumentClient;

/** `PutCommand EVENT#`, `UpdateCommand TOPICS`, …: the command and the partition of the first item it writes. */
function stepName(command: WriteCommand, input: Record<string, unknown>): string {
  const requests = (input.RequestItems ?? {}) as Record<string, Record<string, Record<string, unknown>>[]>;
  const first = Object.values(requests)[0]?.[0];
  const item = (input.Item ?? input.Key ?? first?.PutRequest?.Item ?? first?.DeleteRequest?.Key ?? {}) as {
    PK?: string;
  };
  const partition = String(item.PK ?? '?').replace(/#.*$/, '#');
  return `${command.name} ${partition}`;
}

function eventFile(date: string, topic: string): string {
  return `### [${date}](/news/index.md)\n\n##### Fault shared\n#  Fault case ${topic} \n\n### Related:\n\n1. [ Other ](/news/2001/01/1/other.md) _Context: ${topic}_\n`;
}

async function upload(key: string, body: string): Promise<SQSRecord> {
  await rig.s3.client.send(new PutObjectCommand({ Bucket: rig.s3.bucket, Key: key, Body: body }));
  return s3Message({ key, sequencer: '0A', size: Buffer.byteLength(body), messageId: key });
}

/** Passes every write through to dynalite, calling `intercept` first; it may throw or answer instead. */
function interceptWrites(
  intercept: (command: WriteCommand, input: Record<string, unknown>) => unknown | undefined,
): void {
  const real = rig.dynamo.doc;
  const mock = mockClient(handlerDynamo);
  mock.callsFake((input: Record<string, unknown>) => real.send(new ScanCommand(input as never)));
  for (const Command of WRITE_COMMANDS) {
    mock.on(Command as never).callsFake((input: Record<string, unknown>) => {
      const answer = intercept(Command, input);
      return answer ?? real.send(new Command(input as never) as never);
    });
  }
}

/** The writes of a clean ingest of one new event file, in order, each with its occurrence number. */
async function recordSteps(): Promise<string[]> {
  const names: string[] = [];
  const seen = new Map<string, number>();
  interceptWrites((command, input) => {
    const name = stepName(command, input);
    const occurrence = (seen.get(name) ?? 0) + 1;
    seen.set(name, occurrence);
    names.push(occurrence === 1 ? name : `${name} (${occurrence})`);
    return undefined;
  });
  const record = await upload('inbox/faults/clean.md', eventFile('2003-01-01', 'Clean run'));
  const response = await rig.handler(sqsEvent([record]));
  mockClient(handlerDynamo).restore();
  expect(response.batchItemFailures).toEqual([]);
  return names;
}

async function countPartition(partition: string): Promise<number> {
  const { Count = 0 } = await rig.dynamo.doc.send(
    new QueryCommand({
      TableName: rig.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      Select: 'COUNT',
    }),
  );
  return Count;
}

/** The shared topic's count minus a recount of its entries: 0 when exact. */
async function sharedDrift(): Promise<number> {
  return ((await store.getTopic('fault-shared'))?.events ?? 0) - (await countPartition('TOPIC#fault-shared'));
}

/** The live-event total minus a count of live event items: 0 when exact. */
async function statsDrift(): Promise<number> {
  const { Items = [] } = await rig.dynamo.doc.send(new ScanCommand({ TableName: rig.tableName }));
  // A live event item has an `updatedAt`; one that holds only tombstones has none.
  const live = Items.filter((item) => String(item.PK).startsWith('EVENT#') && item.updatedAt !== undefined);
  return (await store.stats()).events - live.length;
}

let steps: string[] = [];

beforeAll(async () => {
  rig = await startIngestRig();
  store = new EventsTable(rig.dynamo.doc, rig.tableName);
  handlerDynamo = (await import('../../shared/aws/clients')).clients.dynamo;
  steps = await recordSteps();
}, 120_000);
afterEach(() => {
  mockClient(handlerDynamo).restore();
  vi.useRealTimers();
});
afterAll(async () => {
  await rig?.close();
});

/** One fault at one named write step of a new file's ingest, then SQS's retries; asserts the table is exact. */
async function faultAt(fault: FaultName, step: number, target: string): Promise<void> {
  // Prepare: one new event file, a topic of its own and one it shares with every case.
  const topic = `Fault ${fault} ${step}`;
  const key = `inbox/faults/${fault.replace(/\W+/g, '-')}-${step}.md`;
  const date = `2004-${String(step + 1).padStart(2, '0')}-${String(Object.keys(FAULTS).indexOf(fault) + 2).padStart(2, '0')}`;
  const record = await upload(key, eventFile(date, topic));
  const driftBefore = await sharedDrift();
  const statsDriftBefore = await statsDrift();
  const seen = new Map<string, number>();
  let injected = false;
  interceptWrites((command, input) => {
    const name = stepName(command, input);
    const occurrence = (seen.get(name) ?? 0) + 1;
    seen.set(name, occurrence);
    if (injected || (occurrence === 1 ? name : `${name} (${occurrence})`) !== target) return undefined;
    injected = true;
    if (fault === 'UnprocessedItems') return Promise.resolve({ UnprocessedItems: input.RequestItems });
    throw FAULTS[fault]();
  });

  // Act: the faulted attempt, then SQS's redelivery of whatever it reported.
  const first = await rig.handler(sqsEvent([record]));
  mockClient(handlerDynamo).restore();
  let attempts = 1;
  let failed = first.batchItemFailures.length > 0;
  while (failed && attempts < 4) {
    attempts++;
    // A merge marker left by the faulted attempt holds the event for the lock timeout (120 s): the retry comes
    // after it, as SQS's visibility timeout and backoff would make it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5 * 60_000 * attempts);
    failed = (await rig.handler(sqsEvent([redelivered(record, attempts)]))).batchItemFailures.length > 0;
    vi.useRealTimers();
  }

  // Assess
  expect(injected, `${fault} at ${target}: step reached`).toBe(true);
  expect(failed, `${fault} at ${target}: still failing after ${attempts} attempts`).toBe(false);
  const id = `${date}/fault-case-${topic.toLowerCase().replace(/\W+/g, '-')}`;
  expect((await store.objectState(key))?.eventIds, `${fault} at ${target}`).toEqual([id]);
  const event = await store.getEvent(id);
  expect(event?.topics, `${fault} at ${target}`).toEqual(['Fault shared', topic]);
  const own = topic.toLowerCase().replace(/\W+/g, '-');
  expect(await store.getTopic(own), `${fault} at ${target}`).toMatchObject({ events: 1 });
  expect(await countPartition(`TOPIC#${own}`)).toBe(1);
  // Every case adds to this topic: this case must not move its count away from a recount of its entries.
  expect(await sharedDrift(), `${fault} at ${target}`).toBe(driftBefore);
  const { Items = [] } = await rig.dynamo.doc.send(new ScanCommand({ TableName: rig.tableName }));
  expect(
    Items.filter((item) => String(item.PK).startsWith('JOURNAL#')),
    `${fault} at ${target}`,
  ).toEqual([]);
  expect(
    Items.filter((item) => item.pending !== undefined).map((item) => item.PK),
    `${fault} at ${target}`,
  ).toEqual([]);
  expect(await statsDrift(), `${fault} at ${target}`).toBe(statsDriftBefore);
}

const FAULT_NAMES = [...Object.keys(FAULTS), 'UnprocessedItems'] as FaultName[];

describe('a DynamoDB fault at each write step of an ingest', () => {
  it('the clean run has named write steps to fault, a batch write among them', () => {
    console.info(`[faults] write steps of one ingest: ${steps.join(' → ')}`);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.some((name) => name.startsWith('BatchWriteCommand'))).toBe(true);
  });

  it.each(FAULT_NAMES)(
    '%s at each write step: reported or applied, and exact after the retry',
    async (fault) => {
      for (const [step, target] of steps.entries()) {
        // UnprocessedItems is an answer only BatchWriteItem gives.
        if (fault === 'UnprocessedItems' && !target.startsWith('BatchWriteCommand')) continue;
        await faultAt(fault, step, target);
      }
    },
    180_000,
  );
});
