// The acceptance path: a loopback receiver subscribes through the local stack's API to two topics with
// anniversaries on 07-09, then `npm run notify -- --date 07-09` (scripts/notify.ts) runs twice against the
// running stack: exactly one delivery, naming both topics, that the Standard Webhooks library accepts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { quietStackOptions } from '../support/local-stack';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '..', '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

let dataDir: string;
let stack: LocalStack;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.end();
  });
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'notify-command-'));
  stack = await startLocalStack(quietStackOptions(dataDir, true));
  await stack.drain();
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((done) => receiver.close(done));
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function notify(date: string): Promise<string> {
  const { port, hostname } = new URL(stack.baseUrl);
  const { stdout } = await run(tsx, ['scripts/notify.ts', '--date', date], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: port,
      HOST: hostname,
      DYNAMODB_PORT: new URL(stack.dynamoEndpoint).port,
      DATA_DIR: dataDir,
    },
  });
  return stdout;
}

describe('npm run notify against the running local stack', () => {
  it('delivers one signed digest naming both topics, however often the day runs', async () => {
    // Prepare
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const response = await fetch(`${stack.baseUrl}/subscriptions`, {
      method: 'POST',
      body: JSON.stringify({
        protocol: 'webhook',
        endpoint: hook,
        topics: ['kestrel-launch-program', 'riverton-light-rail'],
      }),
    });
    expect(response.status).toBe(201);
    const subscription = (await response.json()) as { id: string; secret: string; token: string };

    // Act
    const first = await notify('07-09');
    const second = await notify('07-09');

    // Assess
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const digest = new Webhook(subscription.secret).verify(
      delivery?.body ?? '',
      delivery?.headers as Record<string, string>,
    ) as { data: { subscription: string; topics: { slug: string }[]; events: { id: string }[] } };
    expect(digest.data.subscription).toBe(subscription.id);
    expect(digest.data.topics.map((topic) => topic.slug)).toEqual([
      'kestrel-launch-program',
      'riverton-light-rail',
    ]);
    expect(digest.data.events).toHaveLength(3);
    expect(first).toContain(`webhook ${subscription.id}: 3 anniversaries`);
    expect(first).toContain('delivered 200');
    expect(second).toContain(`webhook ${subscription.id}: already marked for this day`);
  });
});
