// `npm run bench [-- --quick | --full]`: the benchmark suite (bench/suite/), each step in its own process
// (handler config stays per run), then one table and bench/results/latest.json. docs/benchmarks.md says
// what each figure is. bench/parse.ts, feeds.ts and ingest.ts still run on their own (npx tsx bench/x.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { INGEST_HEAP_FLAGS } from '../infra/constructs/function-memory';
import { costFigures } from './suite/cost';
import { buildResults, type Figure, formatTable, shapeProblems } from './suite/figures';
import { corpusName } from './suite/inputs';
import { planFor } from './suite/modes';

const args = process.argv.slice(2);
const plan = planFor(args);
const resultsDir = join(import.meta.dirname, 'results');
const stepsDir = join(resultsDir, 'steps');
const steps = ['parse', 'ingest', 'stores', 'cold-start'];
/**
 * The parse and ingest steps run the ingest function's code in their own process, so that process gets the
 * heap Lambda gives that function (function-memory.ts). The stores step drives the stack and the loads; the
 * API it measures runs in processes of its own (api-process.ts), and cold start starts its own.
 */
const STEP_HEAP_FLAGS: Record<string, string[]> = { parse: INGEST_HEAP_FLAGS, ingest: INGEST_HEAP_FLAGS };
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

rmSync(stepsDir, { recursive: true, force: true });
const started = Date.now();
const figures: Figure[] = [];
let failed = 0;
for (const step of steps.filter((name) => !only || only.includes(name))) {
  console.error(`\n=== ${step} (${plan.mode})`);
  const run = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      ...(STEP_HEAP_FLAGS[step] ?? []),
      '--import',
      'tsx',
      join(import.meta.dirname, 'suite', 'step.ts'),
      step,
      ...args,
    ],
    { stdio: 'inherit', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
  );
  const file = join(stepsDir, `${step}.json`);
  if (run.status !== 0 || !existsSync(file)) {
    console.error(`step ${step} failed (exit ${run.status})`);
    failed++;
    continue;
  }
  figures.push(...(JSON.parse(readFileSync(file, 'utf8')) as Figure[]));
}
figures.push(...costFigures(figures));

const cpu = cpus();
const results = buildResults(
  {
    date: new Date().toISOString(),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    mode: plan.mode,
    sizes: plan.sizes,
    corpus: corpusName,
  },
  figures,
);
const problems = shapeProblems(results);
if (problems.length > 0) throw new Error(`results file shape: ${problems.join('; ')}`);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${formatTable(figures)}`);
const missed = figures.filter((figure) => figure.met === false).length;
console.log(
  `\n${figures.length} figures, ${missed} targets not met; ${plan.mode} run in ${((Date.now() - started) / 1000).toFixed(0)} s; bench/results/latest.json written`,
);
process.exit(failed === 0 ? 0 : 1);
