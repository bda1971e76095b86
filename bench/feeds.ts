// Feed latency over HTTP on the local stack (npx tsx bench/feeds.ts [requests]): p50/p99 per route against a
// baseline route that touches no table, measured in the same run, with the English corpus loaded.
import { performance } from 'node:perf_hooks';
import { startSampleStack } from './sample-stack';

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
  const sample = await startSampleStack('feeds');
  const { stack } = sample;
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
    `[bench] all-events page of 50: store read p50 ${p50(queryMs)} ms, Atom render p50 ${p50(renderMs)} ms`,
  );

  // A feed page is one Query whose entries carry the events, decoded; the floor is one raw Query of the
  // same page on the same partition, measured in the same run. Target: within 2×.
  const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
  const { tableSchema } = await import('../shared/store/table-schema');
  const { clients } = await import('../shared/aws/clients');
  const everyTopic = (await stack.store.listTopics(undefined, { limit: 500 })).items;
  const hot = everyTopic.sort((a, b) => b.events - a.events)[0]?.slug ?? '';
  const rawQuery = () =>
    clients.dynamo.send(
      new QueryCommand({
        TableName: 'events',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
        ExpressionAttributeValues: { ':pk': `TOPIC#${hot}` },
        ScanIndexForward: false,
        Limit: 50,
      }),
    );
  const floorMs: number[] = [];
  const pageMs: number[] = [];
  for (let i = 0; i < 300; i++) {
    let start = performance.now();
    await rawQuery();
    floorMs.push(performance.now() - start);
    start = performance.now();
    await stack.store.topicEvents(hot, { limit: 50 });
    pageMs.push(performance.now() - start);
  }
  const ratio = Number(p50(pageMs)) / Number(p50(floorMs));
  console.log(
    `[bench] topic page of 50 (${hot}): store read p50 ${p50(pageMs)} ms vs raw Query p50 ${p50(floorMs)} ms = ${ratio.toFixed(2)}× (target ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'})`,
  );
  await sample.close();
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
