// Feed latency over HTTP on the local stack (npx tsx bench/feeds.ts [requests]): p50/p99 per route against a
// baseline route that touches no table, measured in the same run, with the English corpus loaded.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalStack } from '../infra/local/stack';
import { corpusFiles, hasCorpus } from '../test/support/corpus';
import { quietStackOptions } from '../test/support/local-stack';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(
  baseUrl: string,
  paths: string[],
  requests: number,
  headers: Record<string, string> = {},
) {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const path = paths[i % paths.length] as string;
    const start = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers });
    await response.arrayBuffer();
    times.push(performance.now() - start);
    if (response.status >= 400) throw new Error(`${path}: ${response.status}`);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? process.env.REQUESTS ?? 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-feeds-'));
  const stack = await startLocalStack(quietStackOptions(dataDir, true));
  for (const file of hasCorpus ? corpusFiles('en') : []) {
    await stack.s3.send(
      new PutObjectCommand({ Bucket: 'events', Key: file.key, Body: readFileSync(file.path) }),
    );
  }
  await stack.drain();
  const stats = await stack.store.stats();
  const topics = (await stack.store.listTopics(undefined, { limit: 50 })).items.map((t) =>
    encodeURIComponent(t.slug),
  );
  const feeds = (format: string) => topics.map((slug) => `/topics/${slug}/feed.${format}`);

  const etagOf = async (path: string) => (await fetch(`${stack.baseUrl}${path}`)).headers.get('etag') ?? '';
  const allAtomEtag = await etagOf('/feed.atom');
  const cases: [string, string[], Record<string, string>?][] = [
    ['baseline GET / (no table read)', ['/']],
    ['topic feed.rss (50 topics)', feeds('rss')],
    ['topic feed.atom (50 topics)', feeds('atom')],
    ['topic feed.json (50 topics)', feeds('json')],
    ['all events feed.atom, 50 items', ['/feed.atom']],
    ['all events feed.atom, 304', ['/feed.atom'], { 'if-none-match': allAtomEtag }],
    ['on-this-day/07-09', ['/on-this-day/07-09']],
    ['topics list', ['/topics']],
  ];
  // Warm-up: JIT, connection pools and dynalite's caches.
  for (const [, paths, headers] of cases) await measure(stack.baseUrl, paths, 50, headers);

  const rows = [];
  let baseP50 = Number.NaN;
  for (const [name, paths, headers] of cases) {
    const sorted = await measure(stack.baseUrl, paths, requests, headers);
    const p50 = percentile(sorted, 50);
    if (Number.isNaN(baseP50)) baseP50 = p50;
    rows.push({
      route: name,
      'p50 ms': Number(p50.toFixed(2)),
      'p99 ms': Number(percentile(sorted, 99).toFixed(2)),
      'p50 / baseline': Number((p50 / baseP50).toFixed(1)),
    });
  }
  console.log(
    `[bench] ${requests} sequential requests per route; ${stats.events} events, ${stats.topics} topics`,
  );
  console.table(rows);

  // Where the all-events feed's time goes: the Query, and rendering alone (in-process, same 50 events).
  const { renderFeed } = await import('../shared/feeds/render');
  const { linksFor } = await import('../shared/api/links');
  const link = linksFor(stack.baseUrl);
  const queryMs: number[] = [];
  const renderMs: number[] = [];
  for (let i = 0; i < 200; i++) {
    let start = performance.now();
    const page = await stack.store.allEvents({ limit: 50 });
    queryMs.push(performance.now() - start);
    start = performance.now();
    renderFeed('atom', {
      title: 'All events',
      description: 'Every event',
      selfUrl: link.allFeed('atom'),
      homeUrl: link.home,
      events: page.items,
      eventUrl: link.event,
    });
    renderMs.push(performance.now() - start);
  }
  const p50 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    ).toFixed(2);
  console.log(
    `[bench] all-events page of 50: Query p50 ${p50(queryMs)} ms, Atom render p50 ${p50(renderMs)} ms`,
  );
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
