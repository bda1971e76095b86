// The local stand-in for Lambda's execution environments: each runs one invocation at a time, keeps its
// own module state and environment, starts on demand up to the pool's size, and a crash fails only its
// own invocation.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvocationError, type LambdaPool, startLambdaPool } from '../../infra/local/lambda-pool';

interface ProbeEvent {
  action: 'probe' | 'fail' | 'crash';
  holdMs?: number;
}
interface ProbeResult {
  environment: number;
  invocations: number;
  runningHere: number;
  tableName?: string;
}

const modulePath = join(import.meta.dirname, '..', 'fixtures', 'lambda', 'probe-handler.ts');
let pool: LambdaPool<ProbeEvent, ProbeResult> | undefined;

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('startLambdaPool', () => {
  it('runs each invocation alone in its environment, with at most `size` environments', async () => {
    // Prepare
    pool = startLambdaPool({ modulePath, size: 2, env: { TABLE_NAME: 'events-under-test' } });

    // Act: six invocations at once, each holding its environment for a while.
    const results = await Promise.all(
      Array.from({ length: 6 }, () => pool?.invoke({ action: 'probe', holdMs: 50 })),
    );

    // Assess
    const environments = new Set(results.map((result) => result?.environment));
    expect(environments.size).toBe(2);
    expect(results.every((result) => result?.runningHere === 1)).toBe(true);
    expect(results.every((result) => result?.tableName === 'events-under-test')).toBe(true);
    // Module state is per environment: each counted only the invocations it ran.
    for (const environment of environments) {
      const counts = results
        .filter((result) => result?.environment === environment)
        .map((result) => result?.invocations)
        .sort();
      expect(counts).toEqual(counts.map((_, index) => index + 1));
    }
  });

  it("rejects with the handler's error, and the environment serves the next invocation", async () => {
    // Prepare
    pool = startLambdaPool({ modulePath, size: 1, env: {} });

    // Act
    const failure = await pool.invoke({ action: 'fail' }).catch((error: unknown) => error);
    const next = await pool.invoke({ action: 'probe' });

    // Assess
    expect(failure).toBeInstanceOf(InvocationError);
    expect(failure).toMatchObject({ name: 'RangeError', message: 'the handler failed on purpose' });
    expect(next.invocations).toBe(2);
  });

  it('fails only the invocation whose environment died, and starts a fresh one for the next', async () => {
    // Prepare
    pool = startLambdaPool({ modulePath, size: 1, env: {} });
    const before = await pool.invoke({ action: 'probe' });

    // Act
    const crash = await pool.invoke({ action: 'crash' }).catch((error: unknown) => error);
    const after = await pool.invoke({ action: 'probe' });

    // Assess
    expect(String(crash)).toMatch(/exited with code 3/);
    expect(after.environment).not.toBe(before.environment);
    expect(after.invocations).toBe(1);
  });

  it('rejects invocations after close', async () => {
    // Prepare
    pool = startLambdaPool({ modulePath, size: 1, env: {} });
    await pool.close();

    // Act
    const late = await pool.invoke({ action: 'probe' }).catch((error: unknown) => error);

    // Assess
    expect(String(late)).toMatch(/closed/);
  });
});
