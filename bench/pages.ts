// HTML pages against the JSON of the same data over HTTP on the local stack (npx tsx bench/pages.ts [requests]):
// each pair's requests alternate page, JSON, page, JSON… so both halves share the machine's noise; the figure
// that matters is the ratio of medians (the target: a page within 1.5× of its JSON).
import { performance } from 'node:perf_hooks';
import { browserAccept } from '../test/web/support';
import { startSampleStack } from './sample-stack';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function timed(url: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.arrayBuffer();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return { ms, bytes: body.byteLength };
}

interface Pair {
  name: string;
  /** [page path, JSON path] per request; cycled. */
  paths: [string, string][];
}

async function measurePair(baseUrl: string, pair: Pair, requests: number) {
  const page: number[] = [];
  const json: number[] = [];
  const bytes = { page: 0, json: 0 };
  for (let i = 0; i < requests; i++) {
    const [pagePath, jsonPath] = pair.paths[i % pair.paths.length] as [string, string];
    const html = await timed(`${baseUrl}${pagePath}`, { accept: browserAccept });
    const data = await timed(`${baseUrl}${jsonPath}`, {
      accept: jsonPath === '/opml' ? '*/*' : 'application/json',
    });
    page.push(html.ms);
    json.push(data.ms);
    bytes.page += html.bytes;
    bytes.json += data.bytes;
  }
  return {
    pair: pair.name,
    'page p50 ms': Number(median(page).toFixed(2)),
    'JSON p50 ms': Number(median(json).toFixed(2)),
    'page / JSON': Number((median(page) / median(json)).toFixed(2)),
    'page KiB': Number((bytes.page / requests / 1024).toFixed(1)),
    'JSON KiB': Number((bytes.json / requests / 1024).toFixed(1)),
  };
}

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? process.env.REQUESTS ?? 300);
  const sample = await startSampleStack('pages');
  const { stack } = sample;
  try {
    const stats = await stack.store.stats();
    const topics = (await stack.store.listTopics(undefined, { limit: 50 })).items.map((t) =>
      encodeURIComponent(t.slug),
    );
    const events = (await stack.store.allEvents({ limit: 50 })).items.map((event) => {
      const [date, slug] = event.id.split('/') as [string, string];
      return `/events/${date}/${encodeURIComponent(slug)}`;
    });
    const pairs: Pair[] = [
      { name: 'event page vs its .json (50 events)', paths: events.map((path) => [path, `${path}.json`]) },
      { name: 'on-this-day/07-09 page vs JSON', paths: [['/on-this-day/07-09', '/on-this-day/07-09']] },
      {
        name: 'topic search page vs JSON (q=A…E)',
        paths: ['A', 'B', 'C', 'D', 'E'].map((q) => [`/topics?q=${q}`, `/topics?q=${q}`]),
      },
      {
        // The page also lists the topic's anniversaries today: one more (small) query than the feed.
        name: 'topic page vs topic feed.json, 20 items (50 topics)',
        paths: topics.map((slug) => [`/topics/${slug}`, `/topics/${slug}/feed.json?limit=20`]),
      },
      {
        // Not the same data: the home page reads every topic (for the most active) and today's anniversaries;
        // the OPML reads every topic too (XML, not JSON), the topics list one page of them.
        name: 'home page vs /opml (every topic)',
        paths: [['/', '/opml']],
      },
      { name: 'home page vs /topics?limit=500 JSON', paths: [['/', '/topics?limit=500']] },
    ];
    // Warm-up: JIT, connection pools and dynalite's caches.
    for (const pair of pairs) await measurePair(stack.baseUrl, pair, 30);
    const rows = [];
    for (const pair of pairs) rows.push(await measurePair(stack.baseUrl, pair, requests));
    console.log(
      `[bench] ${requests} alternating page/JSON request pairs per row; ${stats.events} events, ${stats.topics} topics`,
    );
    console.table(rows);
  } finally {
    await sample.close();
  }
}

await main();
