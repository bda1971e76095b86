// `kill -9` of the local stack in the middle of an `aws s3 sync` of 1,000 real files loses nothing and duplicates nothing.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STACK_HEAP_FLAGS } from '../../infra/constructs/function-memory';
import { parseEventObject } from '../../shared/parse';
import { corpusFiles, corpusSkipMessage, hasCorpus, readCorpusFile } from '../support/corpus';
import { freePort } from '../support/local-stack';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
const FILE_COUNT = 1_000;
/** Every 11th file of the zh edition (sorted): many dates, event files and day listings alike. */
const STRIDE = 11;
const awsEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
  // With the stack dead, the rest of the first sync must fail fast instead of backing off per file.
  AWS_MAX_ATTEMPTS: '2',
  AWS_RETRY_MODE: 'standard',
};
const progress = (message: string) =>
  process.stderr.write(`[kill-9] ${new Date().toISOString()} ${message}\n`);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Stats {
  events: number;
  rejected: number;
}

/**
 * `npm start` (its heap flags too) as its own process group, so that SIGKILL to the group takes tsx, node and
 * the dynalite child.
 */
function startStack(env: Record<string, string>, output: string[]): ChildProcess {
  const child = spawn(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    [...LOCAL_STACK_HEAP_FLAGS, 'infra/local/main.ts'],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return child;
}

function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  return exited;
}

/** The live (not zombie) processes of a process group: a killed grandchild waits for init to reap it. */
function liveMembers(pgid: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pgid=,stat=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, stat]) => group === String(pgid) && stat !== undefined && !stat.startsWith('Z'))
    .map((fields) => fields.slice(2).join(' '));
}

function sync(sourceDir: string, s3Port: number): ChildProcess {
  return spawn(
    'aws',
    [
      '--endpoint-url',
      `http://127.0.0.1:${s3Port}`,
      's3',
      'sync',
      sourceDir,
      's3://events/',
      '--only-show-errors',
    ],
    { env: awsEnv, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });

describe.skipIf(!hasCorpus || !hasAwsCli)('kill -9 of the local stack mid `aws s3 sync`', () => {
  if (!hasCorpus) console.warn(`[kill-9] ${corpusSkipMessage}`);
  if (!hasAwsCli) console.warn('[kill-9] the aws CLI is not on PATH: kill -9 test skipped');

  const files = corpusFiles('zh')
    .filter((_, i) => i % STRIDE === 0)
    .slice(0, FILE_COUNT);
  const dataDir = mkdtempSync(join(tmpdir(), 'kill-9-data-'));
  const sourceDir = mkdtempSync(join(tmpdir(), 'kill-9-source-'));
  const output: string[] = [];
  let stack: ChildProcess | undefined;
  let env: Record<string, string>;
  let base: string;
  let atKill: Stats = { events: 0, rejected: 0 };
  let survivors: string[] = ['not killed yet'];

  // The parser's own answer for each file: the event ids it yields, or a rejection.
  const expectedIds = new Set<string>();
  const expectedRejections = new Set<string>();
  for (const file of files) {
    const result = parseEventObject(file.key, readCorpusFile(file));
    if (result.kind === 'rejected') expectedRejections.add(file.key);
    else if (result.kind === 'event') expectedIds.add(result.event.id);
    else for (const event of result.events) expectedIds.add(event.id);
  }

  async function getJson<T>(path: string): Promise<T> {
    const response = await fetch(`${base}${path}`);
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body.slice(0, 300)}`);
    return JSON.parse(body) as T;
  }

  async function waitUntilServing(child: ChildProcess): Promise<void> {
    for (let i = 0; i < 1_200; i++) {
      if (child.exitCode !== null) throw new Error(`the stack exited early:\n${output.join('')}`);
      try {
        if ((await fetch(`${base}/stats`)).status === 200) return;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    throw new Error(`the stack did not start:\n${output.join('')}`);
  }

  /** Polls /stats until events and rejections match the parser's answer and then stay put. */
  async function waitUntilDrained(): Promise<Stats> {
    let last: Stats | undefined;
    let steady = 0;
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const stats = await getJson<Stats>('/stats');
      const same = last && last.events === stats.events && last.rejected === stats.rejected;
      const complete = stats.events >= expectedIds.size && stats.rejected >= expectedRejections.size;
      steady = same ? steady + 1 : 0;
      // Matched and unmoved for 3 s, or unmoved for 30 s (then the assertions say what is off).
      if ((complete && steady >= 3) || steady >= 30) return stats;
      last = stats;
      await sleep(1_000);
    }
    throw new Error(`ingest did not settle: ${JSON.stringify(last)}`);
  }

  beforeAll(async () => {
    // Prepare: the slice laid out as keys, as `aws s3 sync` uploads a folder.
    for (const file of files) {
      const target = join(sourceDir, file.key);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file.path, target);
    }
    const [port, s3Port, dynamoPort] = [await freePort(), await freePort(), await freePort()];
    env = {
      PORT: String(port),
      S3_PORT: String(s3Port),
      DYNAMODB_PORT: String(dynamoPort),
      DATA_DIR: dataDir,
      LOAD_SAMPLES: 'false',
    };
    base = `http://127.0.0.1:${port}`;

    // Act 1: sync, and kill -9 the whole stack once part of it is ingested.
    stack = startStack(env, output);
    await waitUntilServing(stack);
    progress('stack serving; first sync');
    const firstSync = sync(sourceDir, s3Port);
    for (;;) {
      atKill = await getJson<Stats>('/stats');
      if (atKill.events + atKill.rejected >= 50 || firstSync.exitCode !== null) break;
      await sleep(200);
    }
    const pid = stack.pid as number;
    await killGroup(stack);
    for (let i = 0; i < 20; i++) {
      survivors = liveMembers(pid);
      if (survivors.length === 0) break;
      await sleep(250);
    }
    progress(`killed at ${JSON.stringify(atKill)}; survivors: ${survivors.length}`);
    // The client saw its server die; left alone the CLI retries every remaining file against a closed port.
    firstSync.kill('SIGKILL');
    await exitOf(firstSync);
    progress('first sync ended');

    // Act 2: restart on the same data dir, sync again, let it drain.
    stack = startStack(env, output);
    await waitUntilServing(stack);
    progress('restarted; second sync');
    const secondSync = sync(sourceDir, s3Port);
    const errors: string[] = [];
    secondSync.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    const code = await exitOf(secondSync);
    progress(`second sync ended: ${code}`);
    if (code !== 0) throw new Error(`the second sync failed (${code}): ${errors.join('')}`);
  }, 600_000);

  afterAll(async () => {
    if (stack) await killGroup(stack);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(sourceDir, { recursive: true, force: true });
  });

  it('was killed mid-sync, with no process of its group left', () => {
    expect(files.length).toBe(FILE_COUNT);
    expect(atKill.events).toBeGreaterThan(0);
    expect(atKill.events).toBeLessThan(expectedIds.size);
    expect(survivors).toEqual([]);
  });

  it('ends every file as its events or as a rejection, as the parser says', {
    timeout: 400_000,
  }, async () => {
    const stats = await waitUntilDrained();

    const rejected = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page: { rejections: { key: string; reason: string }[]; next?: string } = await getJson(
        `/rejections?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const rejection of page.rejections) rejected.set(rejection.key, rejection.reason);
      cursor = page.next;
    } while (cursor);

    expect([...rejected.keys()].sort()).toEqual([...expectedRejections].sort());
    expect(stats.rejected).toBe(expectedRejections.size);
    // Exact, though the kill may have come between a batch's counter updates and the clearing of its merge
    // markers: the restart finishes those merges with their counters recounted (docs/table-design.md, "Crashes").
    expect(stats.events).toBe(expectedIds.size);
  });

  it('lists every event once in the all-events feed and in every topic feed', {
    timeout: 300_000,
  }, async () => {
    await waitUntilDrained();
    const idOf = (url: string) =>
      url.match(/\/events\/(\d{4}-\d{2}-\d{2}\/[^/?#]+?)(?:\.json)?$/)?.[1] ?? url;
    async function walkFeed(path: string): Promise<string[]> {
      const ids: string[] = [];
      let next: string | undefined = `${base}${path}`;
      while (next) {
        const response = await fetch(next);
        expect(response.status, next).toBe(200);
        const feed = (await response.json()) as { items: { url: string }[]; next_url?: string };
        ids.push(...feed.items.map((item) => decodeURIComponent(idOf(item.url))));
        next = feed.next_url;
      }
      return ids;
    }
    const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

    const all = await walkFeed('/feed.json?limit=200');
    expect(duplicates(all)).toEqual([]);
    expect(new Set(all)).toEqual(expectedIds);

    const topics: { slug: string; events: number }[] = [];
    let cursor: string | undefined;
    do {
      const page: { topics: { slug: string; events: number }[]; next?: string } = await getJson(
        `/topics?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      topics.push(...page.topics);
      cursor = page.next;
    } while (cursor);
    expect(topics.length).toBeGreaterThan(0);
    for (const { slug, events } of topics) {
      const ids = await walkFeed(`/topics/${encodeURIComponent(slug)}/feed.json?limit=200`);
      expect(duplicates(ids), slug).toEqual([]);
      // Each count is exact: the restart recounted what the kill may have left counted twice.
      expect(ids.length, slug).toBe(events);
      for (const id of ids) expect(expectedIds.has(id), `${slug}: ${id}`).toBe(true);
    }
  });
});
