// How many generated inputs a property test runs, and from which seed: a few thousand in `npm test`, 100k with
// `npm run fuzz` (FUZZ_RUNS); the seed is printed so that a failure replays with FUZZ_SEED=<seed>.
import type fc from 'fast-check';

const runs = Number(process.env.FUZZ_RUNS ?? 0);
const seed =
  process.env.FUZZ_SEED === undefined
    ? Date.now() ^ (Math.random() * 0x7fffffff)
    : Number(process.env.FUZZ_SEED);

/** fast-check parameters for one property: `defaultRuns` unless FUZZ_RUNS says otherwise, one seed per test file. */
export function fuzzParameters<T>(
  name: string,
  defaultRuns: number,
  { scales = true }: { scales?: boolean } = {},
): fc.Parameters<T> {
  const numRuns = runs > 0 && scales ? runs : defaultRuns;
  console.info(`[fuzz] ${name}: ${numRuns} runs, seed ${seed} (replay: FUZZ_SEED=${seed})`);
  return { numRuns, seed };
}

/** Per-test timeout: a minute for `npm test`; an hour when FUZZ_RUNS asks for a long run. */
export const fuzzTimeout = runs > 0 ? 3_600_000 : 60_000;
