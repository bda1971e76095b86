// The local stack with the samples and the English corpus loaded, as the feed and page benches read it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '../infra/local/stack';
import { corpusFiles, hasCorpus } from '../test/support/corpus';
import { quietStackOptions } from '../test/support/local-stack';

export interface SampleStack {
  stack: LocalStack;
  /** Stops the stack and removes its data directory. */
  close(): Promise<void>;
}

export async function startSampleStack(name: string): Promise<SampleStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const stack = await startLocalStack(quietStackOptions(dataDir, true));
  for (const file of hasCorpus ? corpusFiles('en') : []) {
    await stack.s3.send(
      new PutObjectCommand({ Bucket: 'events', Key: file.key, Body: readFileSync(file.path) }),
    );
  }
  await stack.drain();
  return {
    stack,
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
