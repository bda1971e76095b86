import { describe, expect, it } from 'vitest';
import { exactly, latencyRoundLimits, type RoundLimits, timeSequential } from '../../bench/suite/rounds';

/** A clock that only moves when a call takes its time: each call of `once` advances it by `callMs`. */
function fakeRoute(callMs: number) {
  let clock = 0;
  let calls = 0;
  return {
    now: () => clock,
    once: async () => {
      calls++;
      clock += callMs;
    },
    calls: () => calls,
  };
}

const limits = (overrides: Partial<RoundLimits>): RoundLimits => ({
  budgetMs: 3_000,
  minimum: 15,
  atLeastMs: 0,
  maxRequests: 1_000,
  ...overrides,
});

describe('timeSequential', () => {
  it('makes exactly the count by default, however fast or slow the calls', async () => {
    // Prepare
    const fast = fakeRoute(1);
    const slow = fakeRoute(5_000);

    // Act
    const fastTiming = await timeSequential(60, fast.once, undefined, fast.now);
    const slowTiming = await timeSequential(7, slow.once, exactly(7), slow.now);

    // Assess
    expect(fastTiming.requests).toBe(60);
    expect(slowTiming.requests).toBe(7);
    expect(slowTiming.p50).toBe(5_000);
  });

  it('carries a fast round on past its count until it has lasted atLeastMs', async () => {
    // Prepare
    const route = fakeRoute(3);

    // Act
    const timing = await timeSequential(60, route.once, limits({ atLeastMs: 1_500 }), route.now);

    // Assess: 500 calls of 3 ms reach 1,500 ms.
    expect(timing.requests).toBe(500);
    expect(timing.p50).toBe(3);
    expect(timing.perSecond).toBeCloseTo(1000 / 3, 6);
  });

  it('stops a fast round at maxRequests even before atLeastMs', async () => {
    // Prepare
    const route = fakeRoute(1);

    // Act
    const timing = await timeSequential(
      60,
      route.once,
      limits({ atLeastMs: 1_500, maxRequests: 1_000 }),
      route.now,
    );

    // Assess
    expect(timing.requests).toBe(1_000);
  });

  it('never makes fewer than the count for atLeastMs: a slow route that passes it early still makes its count', async () => {
    // Prepare
    const route = fakeRoute(40);

    // Act
    const timing = await timeSequential(60, route.once, limits({ atLeastMs: 1_500 }), route.now);

    // Assess: 60 × 40 ms = 2.4 s, past atLeastMs and below the 3 s budget.
    expect(timing.requests).toBe(60);
  });

  it('stops a slow round after budgetMs once it has its minimum', async () => {
    // Prepare
    const route = fakeRoute(200);

    // Act
    const timing = await timeSequential(60, route.once, limits({ atLeastMs: 1_500 }), route.now);

    // Assess: the 16th call starts at 3,000 ms (not past the budget), the 17th at 3,200 ms.
    expect(timing.requests).toBe(16);
    expect(route.calls()).toBe(16);
  });
});

describe('latencyRoundLimits', () => {
  it('carries a default round on to 1.5 s and keeps a quick round of 20 at its count', async () => {
    // Prepare: a 3 ms route
    const full = fakeRoute(3);
    const quick = fakeRoute(3);

    // Act: the latency pass's and the growth rounds' limits, as the default and --quick plans set them
    const fullTiming = await timeSequential(
      60,
      full.once,
      latencyRoundLimits({ latencyRequests: 60, latencyRoundMinMs: 1_500 }),
      full.now,
    );
    const quickTiming = await timeSequential(
      20,
      quick.once,
      latencyRoundLimits({ latencyRequests: 20, latencyRoundMinMs: 0 }),
      quick.now,
    );

    // Assess
    expect(fullTiming.requests).toBe(500);
    expect(quickTiming.requests).toBe(20);
  });
});
