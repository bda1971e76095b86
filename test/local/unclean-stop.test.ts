// A start after an unclean stop finishes the merges the dead process left, with their counters recounted.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../infra/local/services';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { defaultRetryPolicy } from '../../shared/store/batch-write';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { quietStackOptions } from '../support/local-stack';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

const dataDir = mkdtempSync(join(tmpdir(), 'unclean-stop-'));
const runningFlag = join(dataDir, '.running');
let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A document client whose process "dies" at the step that commits a merge: its marker clear or journal delete. */
function killedAtMarkerClear(doc: DynamoDBDocumentClient): DynamoDBDocumentClient {
  return new Proxy(doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { input: { UpdateExpression?: string; Key?: Record<string, unknown> } }) => {
        const commits =
          command.input.UpdateExpression === 'REMOVE pending' ||
          (command.constructor.name === 'DeleteCommand' &&
            String(command.input.Key?.PK).startsWith('JOURNAL#'));
        if (commits) throw new Error('process killed');
        return target.send(command as never);
      };
    },
  });
}

describe('a start after an unclean stop', () => {
  it('finishes the merges left between their counter updates and their markers, counting each once', async () => {
    // Prepare: a run writes three events and dies at the commit step; its flag file stays, as a kill leaves it.
    const options = quietStackOptions(dataDir, false);
    stack = await startLocalStack(options);
    expect(existsSync(runningFlag)).toBe(true);
    const dynamo = new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const dying = new EventsTable(killedAtMarkerClear(DynamoDBDocumentClient.from(dynamo)), 'events', {
      now: steppingClock('2026-11-25T12:00:00.000Z'),
      retry: { ...defaultRetryPolicy, sleep: async () => {} },
    });
    const events = ['one', 'two', 'three'].map((slug) =>
      makeEvent(`2014-05-01/${slug}`, { topics: ['Harbour works'] }),
    );
    await expect(
      dying.applyMany(
        events.map((event) => ({
          version: { key: `news/${event.slug}.md`, sequencer: '01' },
          state: 'events' as const,
          contributions: [fileContribution(`news/${event.slug}.md`, event)],
        })),
      ),
    ).rejects.toThrow('process killed');
    dynamo.destroy();
    const ports = {
      port: Number(new URL(stack.baseUrl).port),
      s3Port: Number(new URL(stack.s3Endpoint).port),
      dynamoPort: Number(new URL(stack.dynamoEndpoint).port),
    };
    await stack.close();
    stack = undefined;
    expect(existsSync(runningFlag)).toBe(false);
    writeFileSync(runningFlag, '1\n');
    const logged: { message: string; fields: Record<string, unknown> | undefined }[] = [];

    // Act
    stack = await startLocalStack({
      ...options,
      ...ports,
      log: (message, fields) => void logged.push({ message, fields }),
    });

    await stack.drain();

    // Assess: the merges were finished once; then the start's reconcile removed the events, whose files the
    // bucket never held. Re-applying the dead run's counter updates instead would leave `Harbour works`
    // counting 3 events with no entries, and /stats 3.
    expect(logged).toContainEqual({
      message: 'finished the merges an unclean stop left, with their topics recounted',
      fields: { merges: 3, topics: 1 },
    });
    const stats = (await (await fetch(`${stack.baseUrl}/stats`)).json()) as {
      events: number;
      topics: number;
    };
    expect(stats).toMatchObject({ events: 0, topics: 0 });
    expect(await topicCount(stack.baseUrl, 'Harbour', 'harbour-works')).toBeUndefined();
    expect((await fetch(`${stack.baseUrl}/topics/harbour-works/feed.json`)).status).toBe(404);
  }, 60_000);
});

async function topicCount(baseUrl: string, labelPrefix: string, slug: string): Promise<number | undefined> {
  const response = await fetch(`${baseUrl}/topics?q=${encodeURIComponent(labelPrefix)}`);
  const page = (await response.json()) as {
    topics: { slug: string; events: number }[];
  };
  expect(page.topics, JSON.stringify(page)).toBeDefined();
  return page.topics.find((topic) => topic.slug === slug)?.events;
}
