// A check of the growth rounds themselves: `npx tsx bench/suite/growth-aa.ts [pairings] [size]` loads two
// copies of the same generated store (the first size's, 10k by default) into two dynalites, then runs the
// growth rounds (growth-reference.ts) on them, each copy in turn as the "grown" one. Their ratios should be
// 1: how far they stray is the noise of the method, to set beside the 1.3 target. With one API process per
// store (until 2026-12-02) they spread 0.72-1.29; with one process for both, 0.98-1.06 (docs/benchmarks.md).

import { median } from './figures';
import { eventGenerator } from './generate';
import {
  GROWTH_ROUTES,
  pairedGrowthRounds,
  type ReferenceStore,
  startReferenceStore,
} from './growth-reference';
import { eventPool, inputFiles } from './inputs';
import { planFor, sizeLabel } from './modes';
import { latencyRoutes } from './routes';
import { SubjectCounter } from './subjects';

const pairings = Number(process.argv[2] ?? 4);
const size = Number(process.argv[3] ?? 10_000);
const plan = planFor([]);
const pool = eventPool(inputFiles(plan.seed));
const at = '2026-11-30T00:00:00.000Z';
const routes = latencyRoutes(new SubjectCounter(eventGenerator(pool, plan.seed)).countTo(size), new Date());
const stores: ReferenceStore[] = [];
try {
  for (let copy = 0; copy < 2; copy++) {
    stores.push(await startReferenceStore(eventGenerator(pool, plan.seed), 'events', size, at));
  }
  const [first, second] = stores as [ReferenceStore, ReferenceStore];
  const ratios = new Map<string, number[]>(GROWTH_ROUTES.map((name) => [name, []]));
  for (let pairing = 0; pairing < pairings; pairing++) {
    const [grown, reference] = pairing % 2 === 0 ? [first, second] : [second, first];
    const rounds = await pairedGrowthRounds(
      { grown: grown.dynamoEndpoint, reference: reference.dynamoEndpoint },
      'events',
      { grown: routes, reference: routes },
      plan,
      `A/A ${pairing + 1} of ${pairings}`,
    );
    for (const [name, { grown: grownP50s, reference: referenceP50s }] of rounds) {
      const ratio = median(grownP50s) / median(referenceP50s);
      ratios.get(name)?.push(ratio);
      console.log(
        `pairing ${pairing + 1}, ${name}: ${median(grownP50s).toFixed(2)} against ${median(referenceP50s).toFixed(2)} ms, ${ratio.toFixed(3)}×`,
      );
    }
  }
  for (const [name, list] of ratios) {
    console.log(
      `${name} @${sizeLabel(size)} A/A: ${Math.min(...list).toFixed(3)}-${Math.max(...list).toFixed(3)}×, median ${median(list).toFixed(3)}× over ${list.length} pairings`,
    );
  }
} finally {
  for (const store of stores) await store.close();
}
