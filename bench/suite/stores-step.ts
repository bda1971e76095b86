// Steps 3-5 and 7 on one local stack (dynalite + s3rver + the real handlers over HTTP), store by store:
// grow the generated store to each size, then latency per route against its raw-Query floor, the naive
// peer, the DynamoDB reads per request (for the cost table), and at 100k (10k with --quick) freshness
// and load. Growth compares each larger store with a reference store of the first size, kept beside it and
// measured in the same rounds (growth-reference.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClients } from '../../infra/local/services';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { itemKeys, monthDayPartition, TOPICS_PARTITION, topicPartition } from '../../shared/store/keys';
import { tableSchema } from '../../shared/store/table-schema';
import { quietStackOptions } from '../../test/support/local-stack';
import type { LoadResult } from '../load';
import { storedItemBytes } from './cost';
import { emptyMeter, type Meter, meterClient } from './dynamo-meter';
import { type Figure, median, pairedFigure, percentile, plainFigure } from './figures';
import { eventGenerator } from './generate';
import {
  GROWTH_ROUTES,
  type PairedP50s,
  pairedGrowthRounds,
  type ReferenceStore,
  startReferenceStore,
} from './growth-reference';
import { eventPool, inputFiles } from './inputs';
import { type Plan, sizeLabel } from './modes';
import { naiveTopicPage } from './naive-peer';
import { progress } from './progress';
import {
  LATENCY_ROUND_MAX_REQUESTS,
  latencyRoundLimits,
  MIN_ROUND_REQUESTS,
  ROUND_BUDGET_MS,
  type Timing,
  timeInterleaved,
} from './rounds';
import {
  coldPage,
  type Floor,
  get,
  type LatencyRoute,
  latencyRoutes,
  loadScenarios,
  requestOf,
} from './routes';
import { growStore } from './store-load';
import { SubjectCounter, type Subjects, type TopicSubject } from './subjects';

const TABLE = 'events';
/** Fixed, so the generated store is the same on every run. */
const LOADED_AT = '2026-11-30T00:00:00.000Z';

/**
 * The write time of growth step `step`: a second later each step, so that a topic the step adds events to
 * gets a later `updated`, as every change does through the write path (a reader's kept page must not
 * outlive it: shared/store/topic-feed-read.ts).
 */
export function loadedAt(step: number): string {
  return new Date(Date.parse(LOADED_AT) + step * 1000).toISOString();
}
const LOAD_CONNECTIONS = 8;

/** Runs `gc()` (the step runs with --expose-gc) and returns the heap and RSS in MB. */
function memoryAfterGc(): { heapMb: number; rssMb: number } {
  const gc = runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
  (globalThis as { gc?: () => void }).gc?.() ?? gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 };
}

/** Bytes of the files under `path` (dynalite's LevelDB), for the progress log. */
function directoryBytes(path: string): number {
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

function floorQuery(client: DynamoDBDocumentClient, floor: Floor, thisYear: string): () => Promise<unknown> {
  const { partitionKey: PK, monthDayIndex } = tableSchema;
  const monthDayQuery = (partition: string, limit: number) =>
    new QueryCommand({
      TableName: TABLE,
      IndexName: monthDayIndex.name,
      KeyConditionExpression: '#pk = :pk AND #sk < :year',
      ExpressionAttributeNames: { '#pk': monthDayIndex.partitionKey, '#sk': monthDayIndex.sortKey },
      ExpressionAttributeValues: { ':pk': partition, ':year': thisYear },
      ScanIndexForward: false,
      Limit: limit,
    });
  const partitionQuery = (partition: string, limit: number, newestFirst: boolean) =>
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: !newestFirst,
      Limit: limit,
    });
  switch (floor.kind) {
    case 'topic': {
      const command = partitionQuery(topicPartition(floor.slug), floor.limit, true);
      return () => client.send(command);
    }
    case 'topic-list': {
      const command = partitionQuery(TOPICS_PARTITION, floor.limit, false);
      return () => client.send(command);
    }
    case 'month-day': {
      const command = monthDayQuery(monthDayPartition(floor.monthDay), floor.limit);
      return () => client.send(command);
    }
    case 'month-days': {
      const commands = floor.monthDays.map((monthDay) =>
        monthDayQuery(monthDayPartition(monthDay, floor.topic), floor.limit),
      );
      return () => Promise.all(commands.map((command) => client.send(command)));
    }
    case 'event': {
      const command = new GetCommand({ TableName: TABLE, Key: itemKeys.event(floor.id) });
      return () => client.send(command);
    }
  }
}

/** The floor's name in the table. */
function floorName(floor: Floor): string {
  if (floor.kind === 'event') return 'raw GetItem of the event';
  if (floor.kind === 'month-days') return `${floor.monthDays.length} raw Queries at once`;
  return 'raw Query, same page size';
}

/** What a route's floor is, for the figure's `how`. */
function floorWords(floor: Floor): string {
  switch (floor.kind) {
    case 'month-days':
      return `${floor.monthDays.length} raw Queries at once (month-days ${floor.monthDays.join(', ')}${floor.topic ? ` of the topic` : ''}, ${floor.limit} items each)`;
    case 'event':
      return 'raw GetItems of the event item';
    default:
      return `raw Queries of the same page size (${floor.limit})`;
  }
}

export async function storesStep(plan: Plan): Promise<Figure[]> {
  const pool = eventPool(inputFiles(plan.seed));
  const generator = eventGenerator(pool, plan.seed);
  const counter = new SubjectCounter(generator);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-stores-'));
  const stack = await startLocalStack(quietStackOptions(dataDir, false));
  // Ctrl-C must not leave the store behind (about 12 GB at 1M): stop the engines, then remove their files.
  process.once('SIGINT', () => {
    void Promise.allSettled([stack.close(), reference?.store.close()]).finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
  const { client: dynamo, doc: client } = localDynamoClients(stack.dynamoEndpoint);
  // The API handler's own client: its requests and read units per HTTP request feed the cost table.
  const { clients } = await import('../../shared/aws/clients');
  let meter: Meter | undefined;
  meterClient(clients.dynamo, () => meter);

  const thisYear = String(new Date().getUTCFullYear());
  const figures: Figure[] = [];
  /** Per-round p50s by route and size, for the growth ratios. */
  const p50s = new Map<string, number[]>();
  const freshnessSize = [...plan.sizes].reverse().find((size) => size <= 100_000) ?? plan.sizes[0];
  let loaded = 0;
  /** About how many items the table holds: what the naive peer's Scan reads. */
  let tableItems = 0;
  /** The first size's store, held beside the grown one for the growth ratios (only when a larger size runs). */
  let reference: { store: ReferenceStore; routes: LatencyRoute[] } | undefined;
  /** Per-round p50s of the grown store and the reference store, interleaved call by call, by route and size. */
  const paired = new Map<string, PairedP50s>();
  try {
    for (const [step, size] of plan.sizes.entries()) {
      const label = sizeLabel(size);
      const { seconds, items } = await growStore(
        client,
        TABLE,
        generator,
        { from: loaded, to: size },
        loadedAt(step),
      );
      const added = size - loaded;
      loaded = size;
      tableItems += items;
      // The load leaves LevelDB compacting in the background for minutes, and reads cross its unmerged
      // files meanwhile: a stand-in's transient that DynamoDB does not have. Every size is read settled.
      const compactStarted = performance.now();
      await stack.compactTables();
      process.stderr.write(
        `  ${label}: LevelDB compacted in ${((performance.now() - compactStarted) / 1000).toFixed(1)} s\n`,
      );
      process.stderr.write(
        `  ${label}: ${megabytes(directoryBytes(join(dataDir, 'dynamodb')))} MB of LevelDB on disk; this process ${megabytes(process.memoryUsage().rss)} MB RSS\n`,
      );
      figures.push(
        plainFigure(`store load @${label}`, 'events/s', [added / seconds], {
          how: `${added.toLocaleString('en-US')} generated events (${(loaded - added).toLocaleString('en-US')} → ${loaded.toLocaleString('en-US')}) written with shared/store/bulk-load.ts into dynalite on disk, topic counts included, in ${seconds.toFixed(0)} s (bench/suite/store-load.ts)`,
        }),
      );
      const subjects = counter.countTo(size);
      process.stderr.write(
        `  ${label}: hot topic ${subjects.hotTopic.slug} (${subjects.hotTopic.events}), cold ${subjects.coldTopic.slug} (${subjects.coldTopic.events}, asked for ${coldPage(subjects.coldTopic)}); on this day hot ${subjects.hotMonthDay.monthDay} (${subjects.hotMonthDay.events}), cold ${subjects.coldMonthDay.monthDay} (${subjects.coldMonthDay.events}, asked for ${coldPage(subjects.coldMonthDay)})\n`,
      );
      const routes = latencyRoutes(subjects, new Date());

      // Warm-up: JIT, connection pools, dynalite's caches.
      for (const route of routes) {
        const { url, headers } = requestOf(stack.baseUrl, route);
        for (let i = 0; i < plan.warmupRequests; i++) await get(url, headers);
      }
      const rounds = new Map<string, { route: Timing[]; floor: Timing[] }>();
      const bar = progress(`latency @${label}`, plan.latencyRounds * routes.length);
      for (let round = 0; round < plan.latencyRounds; round++) {
        for (const [index, route] of routes.entries()) {
          const { url, headers } = requestOf(stack.baseUrl, route);
          const entry = rounds.get(route.name) ?? { route: [], floor: [] };
          // Route and floor alternate call by call, so each pair of calls sees the same moment of the machine.
          const [timing, floorTiming] = await timeInterleaved(
            plan.latencyRequests,
            [() => get(url, headers), floorQuery(client, route.floor, thisYear)] as const,
            latencyRoundLimits(plan),
          );
          entry.route.push(timing);
          entry.floor.push(floorTiming);
          rounds.set(route.name, entry);
          bar.tick(round * routes.length + index + 1);
        }
      }
      bar.done();
      if (reference) {
        const rounds = await pairedGrowthRounds(
          { grown: stack.dynamoEndpoint, reference: reference.store.dynamoEndpoint },
          TABLE,
          { grown: routes, reference: reference.routes },
          plan,
          label,
        );
        for (const [name, p50s] of rounds) paired.set(`${name}@${size}`, p50s);
      }
      for (const route of routes) {
        const { route: timings, floor } = rounds.get(route.name) ?? { route: [], floor: [] };
        const made = timings.map((t) => t.requests);
        const counts =
          Math.min(...made) === Math.max(...made)
            ? `${Math.min(...made)}`
            : `${Math.min(...made)}-${Math.max(...made)}`;
        const perRound = `${counts} (a round makes ${plan.latencyRequests}${plan.latencyRoundMinMs > 0 ? `, and more until it has lasted ${plan.latencyRoundMinMs / 1000} s, up to ${LATENCY_ROUND_MAX_REQUESTS}` : ''}; it stops after ${ROUND_BUDGET_MS / 1000} s once it has ${MIN_ROUND_REQUESTS})`;
        const how = `${plan.latencyRounds} rounds of ${perRound} sequential GET ${route.path}${route.accept ? ' (Accept: text/html)' : ''} over HTTP on loopback, each followed or preceded (alternately) by one call of the floor: ${floorWords(route.floor)}`;
        const routeP50 = timings.map((t) => t.p50);
        p50s.set(`${route.name}@${size}`, routeP50);
        figures.push(
          pairedFigure(
            `${route.name} p50 @${label}`,
            'ms',
            routeP50,
            { name: floorName(route.floor), runs: floor.map((t) => t.p50) },
            { ...(route.targeted ? { target: { op: '<=', value: 2 } } : {}), how },
          ),
          plainFigure(
            `${route.name} p99 @${label}`,
            'ms',
            timings.map((t) => t.p99),
            { how },
          ),
          plainFigure(
            `${route.name} req/s @${label}`,
            'req/s',
            timings.map((t) => t.perSecond),
            {
              how: `${how}; one client, requests in sequence`,
            },
          ),
        );
      }
      figures.push(...(await readCosts(stack, routes, (next) => (meter = next), label)));
      if (size === plan.sizes[0]) figures.push(await bytesPerEvent(client));
      figures.push(
        await naivePeer(client, subjects, plan, size, tableItems, p50s.get(`topic feed (hot)@${size}`) ?? []),
      );
      if (size === freshnessSize) {
        figures.push(await freshness(stack, subjects.hotTopic, plan.freshnessUploads, label));
        figures.push(...(await load(stack, subjects, plan, label)));
      }
      if (step === 0 && plan.sizes.length > 1) {
        const started = performance.now();
        reference = {
          // A generator of its own from the same seed: the same events as the first size's.
          store: await startReferenceStore(eventGenerator(pool, plan.seed), TABLE, size, loadedAt(0)),
          routes,
        };
        process.stderr.write(
          `  ${label}: reference store loaded and compacted in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
        );
      }
    }
    // Growth: each larger store against the reference store of the first size, round for round at the same
    // moment (the target); and, for the record, against the first size's own rounds, measured minutes before.
    const [first, ...larger] = plan.sizes;
    const firstLabel = sizeLabel(first as number);
    for (const size of larger) {
      for (const name of GROWTH_ROUTES) {
        const pair = paired.get(`${name}@${size}`) ?? { grown: [], reference: [] };
        figures.push(
          pairedFigure(
            `${name} p50 growth ${firstLabel} → ${sizeLabel(size)}`,
            'ms',
            pair.grown,
            { name: `p50 of the ${firstLabel} reference store, same rounds`, runs: pair.reference },
            {
              target: { op: '<=', value: 1.3 },
              how: `${plan.latencyRounds} rounds, each a round of the route on the ${sizeLabel(size)} store and on a ${firstLabel} store (the same generated events, loaded into a dynalite of its own), their requests interleaved call by call in rotating order; both stores served by one fresh API process, each by a handler of its own (bench/suite/api-process.ts), warmed alike; rounds as in the latency pass, whose p50 of this route @${sizeLabel(size)}, served in-process, was ${median(p50s.get(`${name}@${size}`) ?? []).toFixed(2)} ms`,
            },
          ),
          pairedFigure(
            `${name} p50 growth ${firstLabel} → ${sizeLabel(size)}, stores measured apart`,
            'ms',
            p50s.get(`${name}@${size}`) ?? [],
            { name: `p50 @${firstLabel}`, runs: p50s.get(`${name}@${first}`) ?? [] },
            {
              how: `the latency pass's per-round p50s at ${sizeLabel(size)} against those at ${firstLabel}, measured minutes earlier on the same store before it grew: shown for the record, as the machine's phase between the two moves it`,
            },
          ),
        );
      }
    }
  } finally {
    await reference?.store.close();
    await stack.close();
    dynamo.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

/** DynamoDB requests and read units per HTTP request of each route (a separate, metered pass). */
async function readCosts(
  stack: LocalStack,
  routes: LatencyRoute[],
  setMeter: (meter: Meter | undefined) => void,
  label: string,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const route of routes.filter((r) => r.targeted || r.name === 'topic list')) {
    const request = requestOf(stack.baseUrl, route);
    const requests: number[] = [];
    const units: number[] = [];
    for (let i = 0; i < 5; i++) {
      const meter = emptyMeter();
      setMeter(meter);
      await get(request.url, request.headers);
      setMeter(undefined);
      requests.push(meter.requests);
      units.push(meter.readUnits);
    }
    const how = `the API handler's DynamoDB client, metered over 5 GET ${route.path}; read units as dynalite reports them (eventually consistent)`;
    const { body } = await get(request.url, request.headers);
    figures.push(
      plainFigure(`${route.name}: response bytes gzip'd @${label}`, 'bytes', [gzipSync(body).byteLength], {
        how: `GET ${route.path}: ${body.byteLength} bytes, gzip'd as CloudFront compresses it (infra/constructs/cdn.ts: compress)`,
      }),
      plainFigure(`${route.name}: DynamoDB requests per request @${label}`, 'requests', requests, { how }),
      plainFigure(`${route.name}: read units per request @${label}`, 'RCU', units, { how }),
    );
  }
  figures.push(...(await unkeptPageCosts(stack, routes, setMeter, label)));
  return figures;
}

/**
 * The hot topic feed when this container has not kept its page (the first request for it, or one after a
 * change): repeated requests above measure the kept page (one GetItem), which a Lambda container serving a
 * feed once in five minutes does not have. Each request asks for a page size not asked for before
 * (`?limit=49` … `45`), so each is a first request for that page; the cost table uses these read units.
 */
async function unkeptPageCosts(
  stack: LocalStack,
  routes: LatencyRoute[],
  setMeter: (meter: Meter | undefined) => void,
  label: string,
): Promise<Figure[]> {
  const route = routes.find((one) => one.name === 'topic feed (hot)');
  if (!route) return [];
  const requests: number[] = [];
  const units: number[] = [];
  for (let limit = 49; limit >= 45; limit--) {
    const meter = emptyMeter();
    setMeter(meter);
    await get(`${stack.baseUrl}${route.path}?limit=${limit}`);
    setMeter(undefined);
    requests.push(meter.requests);
    units.push(meter.readUnits);
  }
  const how = `the API handler's DynamoDB client, metered over GET ${route.path}?limit=49 … 45, each page size asked for the first time (no kept page); read units as dynalite reports them`;
  return [
    plainFigure(
      `topic feed (hot), page not kept: DynamoDB requests per request @${label}`,
      'requests',
      requests,
      {
        how,
      },
    ),
    plainFigure(`topic feed (hot), page not kept: read units per request @${label}`, 'RCU', units, { how }),
  ];
}

/** Stored bytes per event (items, attribute names, per-item overhead, index copies: keys and brief), from a sample. */
async function bytesPerEvent(client: DynamoDBDocumentClient): Promise<Figure> {
  const { monthDayIndex } = tableSchema;
  const indexes: [string, string, ...string[]][] = [
    [monthDayIndex.partitionKey, monthDayIndex.sortKey, ...monthDayIndex.projectedAttributes],
  ];
  let bytes = 0;
  let events = 0;
  let startKey: Record<string, unknown> | undefined;
  // A Scan visits items in hash order, so a few pages sample every kind of item in its proportion.
  for (let page = 0; page < 4; page++) {
    const result = await client.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: startKey }));
    for (const item of result.Items ?? []) {
      bytes += storedItemBytes(item, indexes);
      if (String(item[tableSchema.partitionKey]).startsWith('EVENT#')) events++;
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) break;
  }
  return plainFigure('store: bytes per event', 'bytes', [bytes / events], {
    how: 'a Scan sample of the first store (all item kinds in proportion): DynamoDB item sizes (names + values + 100 bytes, + each index copy: keys and brief) over the event items in it',
  });
}

async function naivePeer(
  client: DynamoDBDocumentClient,
  subjects: Subjects,
  plan: Plan,
  size: number,
  tableItems: number,
  feedP50s: number[],
): Promise<Figure> {
  const label = sizeLabel(size);
  // One Scan of the 1M store reads every one of its ~5M items (minutes on dynalite): once is enough to
  // show the trend, and the target is set at 100k.
  const repeats = size >= 1_000_000 ? 1 : plan.naiveRepeats;
  const times: number[] = [];
  const bar = progress(`naive peer (Scan + filter) @${label}, items scanned`, repeats * tableItems);
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const page = await naiveTopicPage(client, TABLE, subjects.hotTopic.slug, 50, (scanned) =>
      bar.tick(Math.min(i * tableItems + scanned, repeats * tableItems)),
    );
    times.push(performance.now() - start);
    if (page.length === 0) throw new Error('naive peer found no events for the hot topic');
  }
  bar.done();
  return pairedFigure(
    `naive peer vs topic feed (hot) @${label}`,
    'ms',
    times,
    { name: 'topic feed (hot) p50 over HTTP', runs: feedP50s },
    {
      // The target is set at 100k events; at 10k the ratio is shown for the trend only.
      ...(size >= 100_000 ? { target: { op: '>=', value: 100 } } : {}),
      how: `${repeats} Scan-and-filter answer${repeats === 1 ? ' (one only at 1M: each reads the whole table)' : 's'} of the hot topic's newest 50 (whole table, filtered, sorted, decoded; bench/suite/naive-peer.ts) against the topic feed's per-round p50; ratio = how many times faster the feed is`,
    },
  );
}

/**
 * Freshness: `uploads` new event files for `hotTopic`, each timed from its PutObject until it heads the
 * topic's feed. The probes are then deleted (DeleteObject, through the ingest, as a user removes a file), and
 * this waits until none heads the feed, so the store the next size grows from holds generated events only.
 * Left in, the probes (dated 2025, newer than every generated event) were the hot topic's first page at 1M:
 * the `--full` runs of 2026-12-01 measured that page of 50 one-line probes (1,785 bytes gzip'd, against
 * 104,232 for the real page at 10k and 100k) as the hot topic feed at 1M, its floor and its growth.
 */
export async function freshness(
  stack: LocalStack,
  hotTopic: Pick<TopicSubject, 'slug' | 'label'>,
  uploads: number,
  label: string,
): Promise<Figure> {
  const { slug, label: topic } = hotTopic;
  const headOfFeed = async () =>
    (await fetch(`${stack.baseUrl}/topics/${encodeURIComponent(slug)}/feed.json?limit=1`)).text();
  const times: number[] = [];
  const keys: string[] = [];
  const bar = progress(`freshness @${label}`, uploads);
  for (let i = 0; i < uploads; i++) {
    // Each probe is newer than everything before it, so it must head the feed.
    const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
    const probeSlug = `freshness-probe-${i}`;
    const [year, month, dayOfMonth] = day.split('-');
    const key = `news/${year}/${month}/${Number(dayOfMonth)}/${probeSlug}.md`;
    const body = `---\ntitle: Freshness probe ${i}\ndate: ${day}\ntopics: [${JSON.stringify(topic)}]\nlang: en\n---\nA probe.\n`;
    const start = performance.now();
    await stack.s3.send(new PutObjectCommand({ Bucket: 'events', Key: key, Body: body }));
    keys.push(key);
    for (;;) {
      if ((await headOfFeed()).includes(probeSlug)) break;
      if (performance.now() - start > 10_000)
        throw new Error(`freshness probe ${i} not in its feed after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    times.push(performance.now() - start);
    bar.tick(i + 1);
  }
  for (const key of keys) await stack.s3.send(new DeleteObjectCommand({ Bucket: 'events', Key: key }));
  // Every probe is newer than every generated event: the feed's head is a probe until all are gone.
  const deadline = performance.now() + 10_000;
  while ((await headOfFeed()).includes('freshness-probe-')) {
    if (performance.now() > deadline)
      throw new Error('freshness probes still head the hot topic feed 10 s after their deletion');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  bar.done('probes deleted');
  return plainFigure(`freshness p99 @${label}`, 'ms', [percentile(times, 99)], {
    target: { op: '<=', value: 1000 },
    how: `${uploads} PutObjects of a new event file for the hot topic, each timed until it heads GET /topics/{hot}/feed.json?limit=1 (polled every 5 ms), then deleted again (the next size grows without them); p50 ${percentile(times, 50).toFixed(0)} ms, min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}`,
  });
}

async function load(stack: LocalStack, subjects: Subjects, plan: Plan, label: string): Promise<Figure[]> {
  const etags = new Map<string, string>();
  const base = loadScenarios(subjects, new Map());
  for (const request of base.flatMap((scenario) => scenario.requests)) {
    const { response } = await get(`${stack.baseUrl}${request.path}`, request.headers);
    const etag = response.headers.get('etag');
    if (etag) etags.set(request.path, etag);
  }
  const scenarios = loadScenarios(subjects, etags);
  const before = memoryAfterGc();
  const results = await new Promise<LoadResult[]>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '..', 'load.ts'),
        JSON.stringify({
          baseUrl: stack.baseUrl,
          scenarios,
          seconds: plan.loadSeconds,
          connections: LOAD_CONNECTIONS,
        }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as LoadResult[])
        : reject(new Error(`bench/load.ts exited ${code}`)),
    );
  });
  const after = memoryAfterGc();
  const how = (scenario: string) =>
    `autocannon (bench/load.ts, a child process), ${LOAD_CONNECTIONS} connections, ${plan.loadSeconds} s of ${scenario} on loopback`;
  const figures = results.flatMap((result) => [
    plainFigure(`load ${result.name}: throughput @${label}`, 'req/s', [result.requestsPerSecond], {
      how: `${how(result.name)}; ${result.requests} requests${result.notModified ? `, ${result.notModified} answered 304` : ''}`,
    }),
    plainFigure(`load ${result.name}: p99 @${label}`, 'ms', [result.p99Ms], { how: how(result.name) }),
    plainFigure(`load ${result.name}: errors @${label}`, 'errors', [result.errors], {
      target: { op: '<=', value: 0 },
      how: `${how(result.name)}; connection errors, timeouts, 4xx and 5xx`,
    }),
  ]);
  figures.push(
    pairedFigure(
      `load: heap after / before @${label}`,
      'MB',
      [after.heapMb],
      { name: 'heap before the load', runs: [before.heapMb] },
      {
        target: { op: '<=', value: 1.2 },
        how: `V8 heap used by the stack's process (API handler, queue, s3rver) after a full GC, before the first and after the last scenario; RSS ${before.rssMb.toFixed(0)} → ${after.rssMb.toFixed(0)} MB`,
      },
    ),
  );
  return figures;
}
