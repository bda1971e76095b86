// Ctrl-C reaches every process of `npm start`'s group. The stand-ins must outlive it until the stack has
// drained its queue (which reads S3 and writes DynamoDB) and closes them, or that drain fails half-done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion, startDynalite, startS3rver } from '../../infra/local/services';

const dataDir = mkdtempSync(join(tmpdir(), 'stand-in-signals-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Whether a process with this pid is alive (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the stand-ins on SIGINT and SIGTERM', () => {
  it('keep answering until their parent closes them', async () => {
    // Prepare
    const dynalite = await startDynalite();
    const s3rver = await startS3rver({ dataDir, bucket: 'events' });
    const options = { region: localRegion, credentials: localCredentials };
    const dynamo = new DynamoDBClient({ ...options, endpoint: dynalite.endpoint });
    const s3 = new S3Client({ ...options, endpoint: s3rver.endpoint, forcePathStyle: true });
    const pids = [dynalite.pid, s3rver.pid];
    expect(pids.map(alive)).toEqual([true, true]);

    // Act: what a terminal's Ctrl-C and a group-wide SIGTERM deliver.
    for (const pid of pids) process.kill(pid, 'SIGINT');
    for (const pid of pids) process.kill(pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const tables = await dynamo.send(new ListTablesCommand({}));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'events', Key: 'inbox/a.md', Body: 'a' }));
    dynamo.destroy();
    s3.destroy();
    await s3rver.close();
    await dynalite.close();

    // Assess
    expect(tables.TableNames).toEqual([]);
    expect(put.ETag).toBeDefined();
    expect(pids.map(alive)).toEqual([false, false]);
  });
});
