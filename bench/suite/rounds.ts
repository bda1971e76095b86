// One round of a latency measurement: sequential calls, each timed, for as many calls and as long as the
// round's limits say. The clock is injected so that test/bench/rounds.test.ts checks the limits exactly.
import { performance } from 'node:perf_hooks';
import { percentile } from './figures';

export interface Timing {
  p50: number;
  p99: number;
  perSecond: number;
  requests: number;
}

/**
 * A route's round stops early once it has taken this long and made at least `MIN_ROUND_REQUESTS`: the
 * slow routes (the anniversary feed of all topics at 0.5-0.7 s, the home page at 0.2 s) otherwise took
 * most of the latency pass (200 of its 400 s at 100k on a loaded machine), while 15 requests already give
 * their p50. The targeted routes answer in 2-30 ms, so their 60 requests fit well inside it.
 */
export const ROUND_BUDGET_MS = 3_000;
export const MIN_ROUND_REQUESTS = 15;
/**
 * A fast route's round goes on past its requests until it has lasted the plan's `latencyRoundMinMs`, but
 * not past this many. In the `--full` run of 2026-12-01 the hot topic feed (3-5 ms) made the 60 requests
 * of a round in 0.2-0.4 s, and its five round p50s at 1M spread 2.73-6.89 ms for a request whose work
 * does not grow with the store: a short burst of other work on this shared machine covered a whole round.
 */
export const LATENCY_ROUND_MAX_REQUESTS = 1_000;

export interface RoundLimits {
  /** Stop once this long has passed with `minimum` calls made (slow routes). */
  budgetMs: number;
  minimum: number;
  /** Go on past `count` calls until this long has passed (fast routes), up to `maxRequests` calls. */
  atLeastMs: number;
  maxRequests: number;
}

/** The limits of a route's round in the latency pass (and the growth rounds), from the plan. */
export function latencyRoundLimits(plan: {
  latencyRequests: number;
  latencyRoundMinMs: number;
}): RoundLimits {
  return {
    budgetMs: ROUND_BUDGET_MS,
    minimum: Math.min(MIN_ROUND_REQUESTS, plan.latencyRequests),
    atLeastMs: plan.latencyRoundMinMs,
    maxRequests: LATENCY_ROUND_MAX_REQUESTS,
  };
}

/** Exactly `count` calls: what a floor makes, as many as its route did. */
export const exactly = (count: number): RoundLimits => ({
  budgetMs: Number.POSITIVE_INFINITY,
  minimum: count,
  atLeastMs: 0,
  maxRequests: count,
});

/** Sequential calls of `once`, `count` of them unless `limits` stop the round earlier or carry it on. */
export async function timeSequential(
  count: number,
  once: () => Promise<unknown>,
  limits: RoundLimits = exactly(count),
  now: () => number = () => performance.now(),
): Promise<Timing> {
  const times: number[] = [];
  const started = now();
  for (let made = 0; ; made++) {
    const elapsed = now() - started;
    if (made >= count && (elapsed >= limits.atLeastMs || made >= limits.maxRequests)) break;
    if (made >= limits.minimum && elapsed > limits.budgetMs) break;
    const start = now();
    await once();
    times.push(now() - start);
  }
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    perSecond: times.length / ((now() - started) / 1000),
    requests: times.length,
  };
}
