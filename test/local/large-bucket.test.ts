// A bucket of more than 1,000 objects: s3rver lists it page by page, and `npm start` comes up on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion, type S3rverService, startS3rver } from '../../infra/local/services';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { quietStackOptions } from '../support/local-stack';

// 1,001 rejected objects would each log a warning.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

/** One more than a ListObjectsV2 page holds, so every full listing needs a continuation token. */
const objectCount = 1_001;
const keyOf = (i: number) => `bulk/${String(i).padStart(4, '0')}.txt`;
const lastKey = keyOf(objectCount - 1);

const dataDir = mkdtempSync(join(tmpdir(), 'large-bucket-'));
let s3rver: S3rverService | undefined;
let s3: S3Client | undefined;
let stack: LocalStack | undefined;

/** Runs `task` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

async function listAllKeys(client: S3Client): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: 'events', ContinuationToken: token }));
    pages++;
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = page.NextContinuationToken;
  } while (token);
  return { keys, pages };
}

beforeAll(async () => {
  // Prepare: s3rver alone fills the data dir, as `npm run upload` of a whole edition would.
  s3rver = await startS3rver({ dataDir, bucket: 'events' });
  s3 = new S3Client({
    endpoint: s3rver.endpoint,
    forcePathStyle: true,
    region: localRegion,
    credentials: localCredentials,
  });
  const client = s3;
  const indexes = Array.from({ length: objectCount }, (_, i) => i);
  await eachLimited(indexes, 16, (i) =>
    client.send(new PutObjectCommand({ Bucket: 'events', Key: keyOf(i), Body: `object ${i}\n` })),
  );
});

afterAll(async () => {
  s3?.destroy();
  await s3rver?.close();
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a bucket holding more than 1,000 objects', () => {
  it('is listed to the end, across continuation tokens', async () => {
    // Act
    const { keys, pages } = await listAllKeys(s3 as S3Client);

    // Assess
    expect(pages).toBe(2);
    expect(keys).toHaveLength(objectCount);
    expect(new Set(keys).size).toBe(objectCount);
    expect(keys.at(-1)).toBe(lastKey);
  });

  it('does not stop the local stack from starting, and the start reconciles the last page too', async () => {
    // Prepare: the stack gets the data dir to itself.
    s3?.destroy();
    await s3rver?.close();
    s3 = undefined;
    s3rver = undefined;

    // Act
    stack = await startLocalStack(quietStackOptions(dataDir, false));
    await stack.drain();

    // Assess: it answers, and reconcile reached the object on the second page.
    const response = await fetch(`${stack.baseUrl}/stats`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    expect(await stack.store.objectState(lastKey)).toBeDefined();
  }, 120_000);

  it('restarts on a full data dir whose table is already in line', async () => {
    // Prepare: the same stack stops; it restarts on the same ports (the handlers keep their clients).
    const running = stack as LocalStack;
    const ports = {
      port: Number(new URL(running.baseUrl).port),
      s3Port: Number(new URL(running.s3Endpoint).port),
      dynamoPort: Number(new URL(running.dynamoEndpoint).port),
    };
    await running.close();
    stack = undefined;

    // Act
    stack = await startLocalStack({ ...quietStackOptions(dataDir, false), ...ports });

    // Assess
    const response = await fetch(`${stack.baseUrl}/stats`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    expect(await listAllKeys(stack.s3)).toMatchObject({ pages: 2 });
  }, 60_000);
});
