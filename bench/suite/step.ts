// Runs one step of the suite in a process of its own (handlers read their config once per process) and
// writes its figures to bench/results/steps/<step>.json for bench/run.ts to collect.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './figures';
import { type Plan, planFor } from './modes';

const steps: Record<string, (plan: Plan) => Promise<Figure[]>> = {
  parse: async (plan) => (await import('./parse-step')).parseStep(plan),
  ingest: async (plan) => (await import('./ingest-step')).ingestStep(plan),
  stores: async (plan) => (await import('./stores-step')).storesStep(plan),
  'cold-start': async (plan) => (await import('./cold-start-step')).coldStartStep(plan),
};

export const stepNames = Object.keys(steps);
export const stepResultsDir = join(import.meta.dirname, '..', 'results', 'steps');

const [name = '', ...args] = process.argv.slice(2);
const step = steps[name];
if (!step) throw new Error(`unknown step "${name}"; one of ${stepNames.join(', ')}`);
const figures = await step(planFor(args));
mkdirSync(stepResultsDir, { recursive: true });
writeFileSync(join(stepResultsDir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
