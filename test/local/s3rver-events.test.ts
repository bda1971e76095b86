// s3rver runs in a process of its own; its object events must still reach the parent before the response
// to the request that caused them, or the local stack's drain() could report an upload as done too early.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  localCredentials,
  localRegion,
  type S3rverEvent,
  type S3rverService,
  startS3rver,
} from '../../infra/local/services';

const dataDir = mkdtempSync(join(tmpdir(), 's3rver-events-'));
let s3rver: S3rverService;
let s3: S3Client;
const seen: { eventName: string; key: string }[] = [];

beforeAll(async () => {
  s3rver = await startS3rver({ dataDir, bucket: 'events' });
  // A listener that takes its time (a queue that persists its messages would): the response must wait.
  s3rver.onEvent(async (event: S3rverEvent) => {
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 20)));
    for (const record of event.Records) seen.push({ eventName: record.eventName, key: record.s3.object.key });
  });
  s3 = new S3Client({
    endpoint: s3rver.endpoint,
    forcePathStyle: true,
    region: localRegion,
    credentials: localCredentials,
  });
});

afterAll(async () => {
  s3.destroy();
  await s3rver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('s3rver in its own process', () => {
  it('has let every listener finish with an object event before the response to its request', async () => {
    // Prepare: many uploads at once, so that responses and events interleave.
    const keys = Array.from({ length: 60 }, (_, i) => `news/2020/01/${String(i + 1).padStart(2, '0')}/e.md`);

    // Act: each upload checks, as soon as its response is in, that its event was already seen.
    const missing = await Promise.all(
      keys.map(async (key) => {
        await s3.send(new PutObjectCommand({ Bucket: 'events', Key: key, Body: `# ${key}\n` }));
        return seen.some((event) => event.key === key && event.eventName.startsWith('ObjectCreated'))
          ? undefined
          : key;
      }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: 'events', Key: keys[0] }));

    // Assess
    expect(missing.filter(Boolean)).toEqual([]);
    expect(seen.at(-1)).toEqual({ eventName: 'ObjectRemoved:Delete', key: keys[0] });
    expect(seen.filter((event) => event.eventName.startsWith('ObjectCreated'))).toHaveLength(keys.length);
  });
});
