// The start-up reconcile survives one object that S3 fails to return: it logs it, records it and goes on.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, type GetObjectCommandInput, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { quietStackOptions } from '../support/local-stack';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

const dataDir = mkdtempSync(join(tmpdir(), 'reconcile-failure-'));
const eventFile = (day: number, title: string) => `### [2016-07-${day}](/news/2016/07/${day}/index.md)

##### Riverton harbour bridge
#  ${title}

### Sources:

1. [Example Gazette](https://example.org/bridge)
`;
const objects = [
  {
    key: 'news/2016/07/7/the-bridge-closes.md',
    id: '2016-07-07/the-bridge-closes',
    title: 'The bridge closes.',
  },
  {
    key: 'news/2016/07/8/the-bridge-is-repaired.md',
    id: '2016-07-08/the-bridge-is-repaired',
    title: 'Repaired.',
  },
  {
    key: 'news/2016/07/9/the-bridge-reopens.md',
    id: '2016-07-09/the-bridge-reopens',
    title: 'The bridge reopens.',
  },
] as const;
const [first, unreadable, last] = objects;

let stack: LocalStack | undefined;
const portsOf = (running: LocalStack) => ({
  port: Number(new URL(running.baseUrl).port),
  s3Port: Number(new URL(running.s3Endpoint).port),
  dynamoPort: Number(new URL(running.dynamoEndpoint).port),
});
afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('reconcile on start, when S3 fails to return one object', () => {
  it('logs and records that object as a rejection, and ingests the others', async () => {
    // Prepare: a stack holds three objects, then stops and loses its table, so the next start reconciles all.
    const options = quietStackOptions(dataDir, false);
    stack = await startLocalStack(options);
    for (const object of objects) {
      await stack.s3.send(
        new PutObjectCommand({ Bucket: 'events', Key: object.key, Body: eventFile(7, object.title) }),
      );
    }
    await stack.drain();
    const ports = portsOf(stack);
    await stack.close();
    stack = undefined;
    rmSync(join(dataDir, 'dynamodb'), { recursive: true, force: true });
    // S3 answers every GetObject but one with a server error (the handlers' own client; the rest pass through).
    const { clients } = await import('../../shared/aws/clients');
    const realSend = S3Client.prototype.send.bind(clients.s3) as (
      command: GetObjectCommand,
    ) => Promise<unknown>;
    const s3Mock = mockClient(clients.s3);
    s3Mock.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
      if (input.Key !== unreadable.key) return realSend(new GetObjectCommand(input));
      throw Object.assign(new Error('We encountered an internal error. Please try again.'), {
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      });
    });
    const logged: { message: string; fields?: Record<string, unknown> }[] = [];

    // Act
    try {
      stack = await startLocalStack({
        ...options,
        ...ports,
        log: (message, fields) => void logged.push({ message, ...(fields ? { fields } : {}) }),
      });
      await stack.drain();
    } finally {
      s3Mock.restore();
    }

    // Assess: the others are served, the unreadable one is a rejection and named in the log.
    expect(await stack.store.getEvent(first.id)).toMatchObject({ title: first.title });
    expect(await stack.store.getEvent(last.id)).toMatchObject({ title: last.title });
    expect(await stack.store.getEvent(unreadable.id)).toBeUndefined();
    expect(await stack.store.objectState(unreadable.key)).toMatchObject({ state: 'rejected' });
    const stats = await (await fetch(`${stack.baseUrl}/stats`)).json();
    expect(stats).toMatchObject({ events: 2, rejected: 1 });
    expect(logged.filter((entry) => entry.fields?.key === unreadable.key)).not.toEqual([]);
  }, 60_000);
});

describe('reconcile on start, when one damaged object makes S3 fail the whole listing', () => {
  it('repairs the objects a kill left half-written, so that listing the bucket works again', async () => {
    // Prepare: the stack above stops, as if killed mid-write: one object's metadata file is cut short (s3rver
    // answered every ListObjectsV2 page holding it with a 500) and another's content is cut short.
    const running = stack as LocalStack;
    const ports = portsOf(running);
    await running.close();
    stack = undefined;
    const metadata = join(dataDir, 's3', 'events', `${first.key}._S3rver_metadata.json`);
    const content = join(dataDir, 's3', 'events', `${last.key}._S3rver_object`);
    expect(existsSync(metadata)).toBe(true);
    writeFileSync(metadata, '{"content-type": "text/mark');
    writeFileSync(content, '### [2016-07-');
    const logged: { message: string; fields?: Record<string, unknown> }[] = [];

    // Act
    stack = await startLocalStack({
      ...quietStackOptions(dataDir, false),
      ...ports,
      log: (message, fields) => void logged.push({ message, ...(fields ? { fields } : {}) }),
    });
    await stack.drain();

    // Assess: the whole object keeps its event; the cut one is gone, as after a PUT that never completed.
    const response = await fetch(`${stack.baseUrl}/stats`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    expect(logged).toContainEqual(
      expect.objectContaining({ fields: expect.objectContaining({ removed: 1, restored: 1 }) }),
    );
    expect(logged.map((entry) => entry.message)).not.toContain(
      'could not list the bucket to the end; reconciled up to there, deleted nothing',
    );
    expect(await stack.store.getEvent(first.id)).toBeDefined();
    expect(await stack.store.getEvent(last.id)).toBeUndefined();
  }, 60_000);
});
