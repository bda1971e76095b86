// The four targeted read routes (topic feed and on this day, hot and cold) against their floors, with more
// rounds than `--quick` gives them, for before/after runs of two trees on a noisy machine:
// `npx tsx bench/suite/ab-targets.ts [events] [rounds] [out.json]` in each tree, alternately. The floors are
// stores-step.ts's: one raw Query of the route's page (50, or a cold subject's page) on the same partition, or on the same month-day index partition
// (its projection, whatever the tree's table-schema.ts says). Each round: 40 sequential requests per route,
// then 40 of its floor; the figure is the median over rounds of each round's p50.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClients } from '../../infra/local/services';
import { startLocalStack } from '../../infra/local/stack';
import { monthDayPartition, topicPartition } from '../../shared/store/keys';
import { tableSchema } from '../../shared/store/table-schema';
import { quietStackOptions } from '../../test/support/local-stack';
import { percentile } from './figures';
import { eventGenerator } from './generate';
import { eventPool, inputFiles } from './inputs';
import { planFor } from './modes';
import { coldPage } from './routes';
import { growStore } from './store-load';
import { SubjectCounter } from './subjects';

const events = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 7);
const out = process.argv[4] ?? join(tmpdir(), 'ab-targets.json');
const { seed } = planFor([]);
const generator = eventGenerator(eventPool(inputFiles(seed)), seed);
const dataDir = mkdtempSync(join(tmpdir(), 'bench-ab-'));
const stack = await startLocalStack(quietStackOptions(dataDir, false));
const { client: dynamo, doc: client } = localDynamoClients(stack.dynamoEndpoint);
await growStore(client, 'events', generator, { from: 0, to: events }, '2026-11-30T00:00:00.000Z');
// Read settled, as stores-step.ts does: not while LevelDB compacts what the load wrote.
await stack.compactTables();
const s = new SubjectCounter(generator).countTo(events);
const { monthDayIndex, partitionKey: PK } = tableSchema;
const year = String(new Date().getUTCFullYear());
const mdQuery = (md: string, limit = 50) =>
  new QueryCommand({
    TableName: 'events',
    IndexName: monthDayIndex.name,
    KeyConditionExpression: '#pk = :pk AND #sk < :y',
    ExpressionAttributeNames: { '#pk': monthDayIndex.partitionKey, '#sk': monthDayIndex.sortKey },
    ExpressionAttributeValues: { ':pk': monthDayPartition(md), ':y': year },
    ScanIndexForward: false,
    Limit: limit,
  });
const topicQuery = (slug: string, limit = 50) =>
  new QueryCommand({
    TableName: 'events',
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': PK },
    ExpressionAttributeValues: { ':pk': topicPartition(slug) },
    ScanIndexForward: false,
    Limit: limit,
  });
const get = async (path: string) => {
  const r = await fetch(stack.baseUrl + path);
  await r.arrayBuffer();
  if (r.status >= 400) throw new Error(path);
};
const enc = encodeURIComponent;
const routes: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
  [
    'topic feed (hot)',
    () => get(`/topics/${enc(s.hotTopic.slug)}/feed.atom`),
    () => client.send(topicQuery(s.hotTopic.slug)),
  ],
  [
    'topic feed (cold)',
    () => get(`/topics/${enc(s.coldTopic.slug)}/feed.atom?limit=${coldPage(s.coldTopic)}`),
    () => client.send(topicQuery(s.coldTopic.slug, coldPage(s.coldTopic))),
  ],
  [
    'on this day (hot)',
    () => get(`/on-this-day/${s.hotMonthDay.monthDay}`),
    () => client.send(mdQuery(s.hotMonthDay.monthDay)),
  ],
  [
    'on this day (cold)',
    () => get(`/on-this-day/${s.coldMonthDay.monthDay}?limit=${coldPage(s.coldMonthDay)}`),
    () => client.send(mdQuery(s.coldMonthDay.monthDay, coldPage(s.coldMonthDay))),
  ],
];
for (const [, route, floor] of routes)
  for (let i = 0; i < 20; i++) {
    await route();
    await floor();
  }
const result: Record<string, { route: number[]; floor: number[] }> = {};
const time = async (f: () => Promise<unknown>) => {
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return percentile(times, 50);
};
for (let r = 0; r < rounds; r++)
  for (const [name, route, floor] of routes) {
    const entry = result[name] ?? { route: [], floor: [] };
    result[name] = entry;
    entry.route.push(await time(route));
    entry.floor.push(await time(floor));
  }
for (const [name, { route, floor }] of Object.entries(result)) {
  const a = percentile(route, 50),
    b = percentile(floor, 50);
  console.log(
    `${name.padEnd(20)} route ${a.toFixed(2)} ms  floor ${b.toFixed(2)} ms  ratio ${(a / b).toFixed(2)}`,
  );
}
writeFileSync(out, JSON.stringify({ events, rounds, index: monthDayIndex.name, result }));
await stack.close();
dynamo.destroy();
rmSync(dataDir, { recursive: true, force: true });
