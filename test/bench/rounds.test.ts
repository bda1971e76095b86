import { describe, expect, it } from 'vitest';
import {
  exactly,
  latencyRoundLimits,
  type RoundLimits,
  timeInterleaved,
  timeSequential,
} from '../../bench/suite/rounds';

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

describe('timeInterleaved', () => {
  it('times each subject call by call, rotating which goes first, so a slow moment lands on both', async () => {
    // Prepare: a route of 4 ms and a floor of 2 ms on one clock; for calls 10-19 of the round the machine
    // is slow and every call takes 10x as long, whichever subject makes it.
    let clock = 0;
    let calls = 0;
    const order: string[] = [];
    const subject = (name: string, ms: number) => async () => {
      order.push(name);
      clock += calls >= 10 && calls < 20 ? ms * 10 : ms;
      calls++;
    };

    // Act
    const [route, floor] = await timeInterleaved(
      20,
      [subject('route', 4), subject('floor', 2)] as const,
      exactly(20),
      () => clock,
    );

    // Assess: 20 calls each, the slow moment shared (5 slow calls each), and the order rotating per step.
    expect(route.requests).toBe(20);
    expect(floor.requests).toBe(20);
    expect(order.slice(0, 6)).toEqual(['route', 'floor', 'floor', 'route', 'route', 'floor']);
    expect(route.p50).toBe(4);
    expect(floor.p50).toBe(2);
    expect(route.p99).toBe(40);
    expect(floor.p99).toBe(20);
    expect(route.perSecond).toBeCloseTo(20 / ((15 * 4 + 5 * 40) / 1000), 6);
  });

  it('counts steps against the limits: a round of atLeastMs lasts that long across both subjects', async () => {
    // Prepare: 3 ms and 2 ms, 5 ms a step
    let clock = 0;
    const subject = (ms: number) => async () => {
      clock += ms;
    };

    // Act
    const [route, floor] = await timeInterleaved(
      60,
      [subject(3), subject(2)] as const,
      limits({ atLeastMs: 1_500 }),
      () => clock,
    );

    // Assess: 300 steps of 5 ms reach 1,500 ms; both subjects made as many calls.
    expect(route.requests).toBe(300);
    expect(floor.requests).toBe(300);
  });
});
