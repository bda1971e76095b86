// How much each mode of `npm run bench` measures: `--quick` is a smoke run under 3 minutes at 10k events,
// the default adds the 100k store, `--full` the 1M store.

export type Mode = 'quick' | 'default' | 'full';

export interface Plan {
  mode: Mode;
  seed: number;
  /** Store sizes, grown in this order in one table. */
  sizes: number[];
  parseRounds: number;
  ingestFiles: number;
  ingestRepeats: number;
  /** Sequential requests per route per round (after `warmupRequests` unmeasured ones), and rounds. */
  warmupRequests: number;
  latencyRequests: number;
  latencyRounds: number;
  /**
   * A round of a fast route goes on past `latencyRequests` until it has lasted this long (up to
   * `LATENCY_ROUND_MAX_REQUESTS`): 60 requests of a 3 ms route last 0.2 s, so one burst of another
   * tenant's work on this shared machine covered a whole round and moved its p50 (see rounds.ts).
   */
  latencyRoundMinMs: number;
  /** Scans of the naive peer per size. */
  naiveRepeats: number;
  freshnessUploads: number;
  coldStartRuns: number;
  /** Seconds of autocannon per load scenario. */
  loadSeconds: number;
}

const SEED = 20_261_130;

export function planFor(args: readonly string[]): Plan {
  const mode: Mode = args.includes('--quick') ? 'quick' : args.includes('--full') ? 'full' : 'default';
  const common = { mode, seed: SEED, ingestRepeats: 3, freshnessUploads: 50, coldStartRuns: 20 };
  if (mode === 'quick') {
    return {
      ...common,
      sizes: [10_000],
      parseRounds: 3,
      // 3 slices of 400: four batches of INGEST_BATCH_SIZE each, one per concurrent invocation, as the
      // stack delivers them (slices of 200 ran two invocations, not four, and each slice's figure swung 2×).
      ingestFiles: 1_200,
      // 12 routes, each with its floor: 3 × 20 sequential requests keep the latency pass near 30 s.
      warmupRequests: 10,
      latencyRequests: 20,
      latencyRounds: 3,
      // A smoke run: its rounds stay short, so it keeps within 3 minutes.
      latencyRoundMinMs: 0,
      naiveRepeats: 2,
      // 6 bundles × 10 fresh processes; the default's 20 took 25-40 s of a loaded machine's 3 minutes.
      coldStartRuns: 10,
      loadSeconds: 3,
    };
  }
  return {
    ...common,
    sizes: mode === 'full' ? [10_000, 100_000, 1_000_000] : [10_000, 100_000],
    parseRounds: 7,
    // 5 slices of 800: two rounds of the four concurrent batches each (ROUND_FILES). Within one run the
    // slices' rates spread by up to 25 % on this shared machine, so a median of 3 moved with one slow slice
    // (docs/benchmarks.md, 2026-12-02 from 14:08); 5 cost about 12 s more. 5,600 files with the warm-up.
    ingestFiles: 4_000,
    ingestRepeats: 5,
    warmupRequests: 20,
    latencyRequests: 60,
    latencyRounds: 5,
    latencyRoundMinMs: 1_500,
    naiveRepeats: 3,
    loadSeconds: 10,
  };
}

/** `10k`, `100k`, `1M`: how figure names spell a store size. */
export function sizeLabel(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}M` : size >= 1000 ? `${size / 1000}k` : String(size);
}
