// Profiling aid for a missed latency target: `npx tsx bench/suite/profile-route.ts [events] [requests]
// [feed.atom | /path] [out.cpuprofile]` loads a generated store, then requests the hot topic's feed (or
// `/path`, in which `{hot}` and `{cold}` are the hot and cold topics' slugs, `{day}` and `{coldDay}` the
// busiest and quietest month-days) in sequence
// under the V8 CPU profiler (what `node --cpu-prof` records, but only around the requests), so the
// profile shows where a feed request's time goes; bench/suite/hot-spots.ts summarizes it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDynamoClients } from '../../infra/local/services';
import { startLocalStack } from '../../infra/local/stack';
import { quietStackOptions } from '../../test/support/local-stack';
import { eventGenerator } from './generate';
import { eventPool, inputFiles } from './inputs';
import { planFor } from './modes';
import { growStore } from './store-load';
import { SubjectCounter } from './subjects';

const events = Number(process.argv[2] ?? 10_000);
const requests = Number(process.argv[3] ?? 200);
const path = process.argv[4] ?? 'feed.atom';
const { seed } = planFor([]);
const generator = eventGenerator(eventPool(inputFiles(seed)), seed);
const dataDir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
const stack = await startLocalStack(quietStackOptions(dataDir, false));
const { client: dynamo, doc } = localDynamoClients(stack.dynamoEndpoint);
await growStore(doc, 'events', generator, { from: 0, to: events }, '2026-11-30T00:00:00.000Z');
// Read settled, as stores-step.ts does: not while LevelDB compacts what the load wrote.
await stack.compactTables();
const { hotTopic, hotMonthDay, coldTopic, coldMonthDay } = new SubjectCounter(generator).countTo(events);
const url = path.startsWith('/')
  ? stack.baseUrl +
    path
      .replace('{hot}', encodeURIComponent(hotTopic.slug))
      .replace('{cold}', encodeURIComponent(coldTopic.slug))
      .replace('{day}', hotMonthDay.monthDay)
      .replace('{coldDay}', coldMonthDay.monthDay)
  : `${stack.baseUrl}/topics/${encodeURIComponent(hotTopic.slug)}/${path}`;
for (let i = 0; i < 20; i++) await (await fetch(url)).arrayBuffer();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const started = performance.now();
for (let i = 0; i < requests; i++) await (await fetch(url)).arrayBuffer();
console.log(`${requests} × ${url}: ${((performance.now() - started) / requests).toFixed(1)} ms each`);
const { profile } = await session.post('Profiler.stop');
const out = process.argv[5] ?? join(tmpdir(), 'feed.cpuprofile');
writeFileSync(out, JSON.stringify(profile));
console.log(`profile: ${out}`);
await stack.close();
dynamo.destroy();
rmSync(dataDir, { recursive: true, force: true });
