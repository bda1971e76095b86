// `npm start` reconciles on start: objects in the bucket that the table does not reflect are ingested again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { quietStackOptions } from '../support/local-stack';

const dataDir = mkdtempSync(join(tmpdir(), 'reconcile-'));
const eventKey = 'news/2016/07/9/the-harbour-bridge-reopens.md';
const eventFile = `### [2016-07-9](/news/2016/07/9/index.md)

##### Riverton harbour bridge
#  The harbour bridge reopens. 

### Sources:

1. [Example Gazette](https://example.org/bridge)
`;

let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('reconcile on start', () => {
  it('ingests an object the table lost, as after a crash mid-ingest', async () => {
    // Prepare: a running stack ingests one object, then stops; its table is lost, the bucket is kept.
    const options = quietStackOptions(dataDir, false);
    stack = await startLocalStack(options);
    await stack.s3.send(new PutObjectCommand({ Bucket: 'events', Key: eventKey, Body: eventFile }));
    await stack.drain();
    expect(await stack.store.getEvent('2016-07-09/the-harbour-bridge-reopens')).toBeDefined();
    // The handlers keep their clients between starts (as a warm Lambda would), so reuse the same ports.
    const ports = {
      port: Number(new URL(stack.baseUrl).port),
      s3Port: Number(new URL(stack.s3Endpoint).port),
      dynamoPort: Number(new URL(stack.dynamoEndpoint).port),
    };
    await stack.close();
    rmSync(join(dataDir, 'dynamodb'), { recursive: true, force: true });

    // Act
    stack = await startLocalStack({ ...options, ...ports });
    await stack.drain();

    // Assess
    expect(await stack.store.getEvent('2016-07-09/the-harbour-bridge-reopens')).toMatchObject({
      title: 'The harbour bridge reopens.',
      topics: ['Riverton harbour bridge'],
    });
    expect(await stack.store.objectState(eventKey)).toMatchObject({ state: 'events' });
  });
});

describe('reconcile on start, the other way', () => {
  it('deletes events whose object left the bucket while the stack was down', async () => {
    // Prepare: the table holds an object the bucket does not (its delete notification never arrived).
    const ghostKey = 'news/2016/07/9/a-ghost-of-a-deleted-file.md';
    await stack?.store.putEvents({ key: ghostKey, sequencer: '01' }, [
      {
        objectKey: ghostKey,
        kind: 'event-file',
        event: {
          id: '2016-07-09/a-ghost-of-a-deleted-file',
          date: '2016-07-09',
          slug: 'a-ghost-of-a-deleted-file',
          title: 'A ghost of a deleted file',
          sources: [],
          images: [],
          related: [],
          topics: ['Ghosts'],
          lang: 'en',
        },
      },
    ]);
    const ports = {
      port: Number(new URL(stack?.baseUrl ?? '').port),
      s3Port: Number(new URL(stack?.s3Endpoint ?? '').port),
      dynamoPort: Number(new URL(stack?.dynamoEndpoint ?? '').port),
    };
    await stack?.close();

    // Act
    stack = await startLocalStack({ ...quietStackOptions(dataDir, false), ...ports });
    await stack.drain();

    // Assess: the ghost is gone, the real object stays.
    expect(await stack.store.getEvent('2016-07-09/a-ghost-of-a-deleted-file')).toBeUndefined();
    expect(await stack.store.getTopic('ghosts')).toBeUndefined();
    expect(await stack.store.getEvent('2016-07-09/the-harbour-bridge-reopens')).toBeDefined();
  });
});
