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
  const [timing] = await timeInterleaved(count, [once] as const, limits, now);
  return timing;
}

/**
 * Several subjects timed in one round, call by call: each step calls every subject once, in an order that
 * rotates step by step, so that no subject always follows another. `count` and `limits` count steps. A route
 * and its floor timed in rounds of their own saw different seconds of this shared machine: in the `--full`
 * run of 2026-12-01 the cold on-this-day route's five rounds at 1M had a p50 of 4.13 ms and its floor's
 * 1.90 ms, 2.18x, where every other size and run gave 1.3-1.5x. Interleaved, both see the same moments.
 */
export async function timeInterleaved<Subjects extends ReadonlyArray<() => Promise<unknown>>>(
  count: number,
  subjects: Subjects,
  limits: RoundLimits = exactly(count),
  now: () => number = () => performance.now(),
): Promise<{ [Index in keyof Subjects]: Timing }> {
  const times = subjects.map((): number[] => []);
  const started = now();
  for (let made = 0; ; made++) {
    const elapsed = now() - started;
    if (made >= count && (elapsed >= limits.atLeastMs || made >= limits.maxRequests)) break;
    if (made >= limits.minimum && elapsed > limits.budgetMs) break;
    for (let offset = 0; offset < subjects.length; offset++) {
      const index = (made + offset) % subjects.length;
      const start = now();
      await (subjects[index] as () => Promise<unknown>)();
      times[index]?.push(now() - start);
    }
  }
  // One Timing per subject, in the subjects' order: the mapped tuple type says as much.
  return times.map((own) => {
    const busyMs = own.reduce((sum, time) => sum + time, 0);
    return {
      p50: percentile(own, 50),
      p99: percentile(own, 99),
      // Calls per second of the subject's own time: the round's wall time includes the other subjects'.
      perSecond: busyMs > 0 ? own.length / (busyMs / 1000) : Number.POSITIVE_INFINITY,
      requests: own.length,
    };
  }) as { [Index in keyof Subjects]: Timing };
}
