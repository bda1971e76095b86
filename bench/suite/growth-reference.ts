// Growth measured against a store of the first size held beside the grown one, at the same moment. Measured
// minutes apart, the same store's hot feed p50 moved by 30 % with the machine's phase (docs/benchmarks.md,
// "Kept page vs GetItem"), which is the size of the whole target (1.3×). Here a reference store of the first
// size (the same generated events, in a dynalite of its own) and the grown store are served by one API
// process (each by a handler of its own), and their requests interleave call by call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable, localDynamoClients, startDynalite } from '../../infra/local/services';
import { startApiProcess } from './api-process';
import type { Generator } from './generate';
import type { Plan } from './modes';
import { progress } from './progress';
import { latencyRoundLimits, timeInterleaved } from './rounds';
import { get, type LatencyRoute, requestOf } from './routes';
import { growStore } from './store-load';

/** The routes whose growth has a target. */
export const GROWTH_ROUTES = [
  'topic feed (hot)',
  'topic feed (cold)',
  'on this day (hot)',
  'on this day (cold)',
] as const;

const WARMUP_ROUNDS = 2;

export interface ReferenceStore {
  dynamoEndpoint: string;
  close(): Promise<void>;
}

/**
 * Loads events `0 … size` of `generator` into a new dynalite, through the same bulk path and with the same
 * write time as the grown store's first size, and compacts it as that one was.
 */
export async function startReferenceStore(
  generator: Generator,
  tableName: string,
  size: number,
  at: string,
): Promise<ReferenceStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-reference-'));
  const dynalite = await startDynalite({ dataDir });
  const { client, doc } = localDynamoClients(dynalite.endpoint);
  const close = async () => {
    client.destroy();
    await dynalite.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ensureTable(client, tableName);
    await growStore(doc, tableName, generator, { from: 0, to: size }, at);
    await dynalite.compact();
  } catch (error) {
    await close();
    throw error;
  }
  return { dynamoEndpoint: dynalite.endpoint, close };
}

export interface PairedP50s {
  /** Per-round p50s of the grown store's route, and of the reference store's, round for round. */
  grown: number[];
  reference: number[];
}

/**
 * Each growth route on the grown store (`routes.grown`) and on the reference store (`routes.reference`),
 * from one fresh API process that serves both, warmed alike, their requests interleaved call by call within
 * each round. One process for both: two processes, one per store, added their own spread (0.72-1.29× between
 * two copies of one store, bench/suite/api-process.ts).
 */
export async function pairedGrowthRounds(
  stores: { grown: string; reference: string },
  tableName: string,
  routes: { grown: LatencyRoute[]; reference: LatencyRoute[] },
  plan: Plan,
  label: string,
): Promise<Map<string, PairedP50s>> {
  const api = await startApiProcess([stores.grown, stores.reference], tableName);
  const [grownUrl, referenceUrl] = api.baseUrls as [string, string];
  try {
    const pairs = GROWTH_ROUTES.map((name) => {
      const find = (list: LatencyRoute[]) => {
        const route = list.find((one) => one.name === name);
        if (!route) throw new Error(`no latency route named ${name}`);
        return route;
      };
      return {
        name,
        grown: request(grownUrl, find(routes.grown)),
        reference: request(referenceUrl, find(routes.reference)),
      };
    });
    // The grown and the reference store's requests alternate call by call, so each pair sees the same moment.
    const time = (pair: (typeof pairs)[number]) =>
      timeInterleaved(plan.latencyRequests, [pair.grown, pair.reference] as const, latencyRoundLimits(plan));
    // The process is new, and a new process answered this route at twice its warm p50 for its first
    // few hundred requests (V8 still compiling): the latency pass's warm-up requests, then two unmeasured
    // rounds of each route, so that no measured round includes compiling.
    for (const pair of pairs) {
      for (let i = 0; i < plan.warmupRequests; i++) {
        await pair.grown();
        await pair.reference();
      }
      for (let i = 0; i < WARMUP_ROUNDS; i++) await time(pair);
    }
    const p50s = new Map<string, PairedP50s>(
      GROWTH_ROUTES.map((name) => [name, { grown: [], reference: [] }]),
    );
    const bar = progress(
      `growth rounds @${label} (grown and reference stores call by call)`,
      plan.latencyRounds,
    );
    for (let round = 0; round < plan.latencyRounds; round++) {
      for (const pair of pairs) {
        const entry = p50s.get(pair.name) as PairedP50s;
        const [grown, reference] = await time(pair);
        entry.grown.push(grown.p50);
        entry.reference.push(reference.p50);
      }
      bar.tick(round + 1);
    }
    bar.done();
    return p50s;
  } finally {
    await api.close();
  }
}

function request(baseUrl: string, route: LatencyRoute): () => Promise<unknown> {
  const { url, headers } = requestOf(baseUrl, route);
  return () => get(url, headers);
}
