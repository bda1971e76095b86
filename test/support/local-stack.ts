// Starts the whole local stack (as `npm start` does) in a temp data dir, with fetch helpers for its API.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../infra/local/stack';

export const samplesDir = join(import.meta.dirname, '..', '..', 'samples');

export interface TestStack {
  stack: LocalStack;
  get(
    path: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: string }>;
  getJson<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

/** Options of a quiet local stack on ephemeral ports, as tests and benchmarks run it. */
export function quietStackOptions(dataDir: string, samples: boolean): LocalStackOptions {
  return {
    port: 0,
    host: '127.0.0.1',
    s3Port: 0,
    dynamoPort: 0,
    dataDir,
    bucket: 'events',
    tableName: 'events',
    samplesDir: samples ? samplesDir : undefined,
    log: () => undefined,
  };
}

export async function startTestStack(options: { samples: boolean }): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-'));
  const stack = await startLocalStack(quietStackOptions(dataDir, options.samples));
  await stack.drain();
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${stack.baseUrl}${path}`, { headers });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  return {
    stack,
    get,
    async getJson<T>(path: string): Promise<T> {
      const response = await get(path);
      expect(response.status, `${path}: ${response.body}`).toBe(200);
      return JSON.parse(response.body) as T;
    },
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on now, so a test can poll it before a stack has told anyone its port. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
