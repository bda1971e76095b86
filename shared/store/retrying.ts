// Retries one idempotent write through transient faults, for the writes that commit work already applied.
import { backoffDelay, type RetryPolicy } from './batch-write';

/**
 * Runs `write` until it succeeds or `policy.maxAttempts` is spent, with full-jitter backoff. Only for writes that
 * must not be left undone once the ones before them went through (clearing a merge marker after its `ADD`s: a
 * marker left behind has its counters applied again by the next writer). The SDK's own retries come first; this
 * covers an error that outlived them, such as a throttle burst or a timeout.
 */
export async function retrying<T>(policy: RetryPolicy, write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt + 1 >= policy.maxAttempts) throw error;
      await policy.sleep(backoffDelay(attempt + 1, policy));
    }
  }
}
