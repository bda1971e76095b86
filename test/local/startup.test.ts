// `npm start` answers every request it accepts: it listens only once wired, and drops stalled clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { freePort, quietStackOptions } from '../support/local-stack';

const dataDir = mkdtempSync(join(tmpdir(), 'startup-'));
let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Outcome = 'refused' | 'hung' | number;

/** GETs `url`: its status, 'refused' when nothing listens yet, 'hung' when accepted but not answered. */
async function probe(url: string, patienceMs: number): Promise<Outcome> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(patienceMs) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return 'hung';
    return 'refused';
  }
}

describe('npm start', () => {
  it('answers every request from the moment it is started (none accepted and left hanging)', async () => {
    // Prepare
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/stats`;
    const probes: Promise<Outcome>[] = [];

    // Act: poll every 50 ms from the moment start is called until shortly after it has resolved.
    const starting = startLocalStack({ ...quietStackOptions(dataDir, true), port });
    let started = false;
    const markStarted = () => {
      started = true;
    };
    starting.then(markStarted, markStarted);
    while (!started) {
      probes.push(probe(url, 5_000));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    stack = await starting;
    for (let i = 0; i < 5; i++) {
      probes.push(probe(url, 5_000));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const outcomes = await Promise.all(probes);

    // Assess: refused before it listens, answered (200) after; never accepted and then silent.
    expect(outcomes.filter((outcome) => outcome === 'hung')).toEqual([]);
    expect(outcomes.filter((outcome) => typeof outcome === 'number' && outcome !== 200)).toEqual([]);
    expect(outcomes.at(-1)).toBe(200);
  }, 60_000);

  it('closes a connection that never finishes sending its request headers', async () => {
    // Prepare: a client opens a connection and sends half a request, then stalls.
    const { port } = new URL((stack as LocalStack).baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const startedAt = Date.now();

    // Act
    socket.write('GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));

    // Assess: Node's own defaults would wait 60 s for the headers (checked every 30 s).
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 408 /);
  }, 90_000);
});
