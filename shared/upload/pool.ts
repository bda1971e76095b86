// Bounded-concurrency work queue and retry with exponential backoff, for the upload script.

/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight, in order of `items`. `shouldStop()` stops
 * taking new items. A worker that throws stops the run too: the in-flight calls settle, then the error is rethrown.
 * Returns how many items were started.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<number> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be >= 1');
  let next = 0;
  let crashed = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !crashed && !shouldStop()) {
      const index = next;
      next += 1;
      try {
        await worker(items[index] as T, index);
      } catch (error) {
        crashed = true;
        throw error;
      }
    }
  };
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, lane);
  const results = await Promise.allSettled(lanes);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return next;
}

export interface RetryOptions {
  /** Total attempts, including the first. */
  attempts: number;
  baseDelayMs: number;
  isRetryable?: (error: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (error: unknown, attempt: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `action` until it succeeds, `attempts` run out or an error is not retryable; rethrows the last error. */
export async function withRetry<T>(
  action: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { attempts, baseDelayMs, isRetryable = () => true, sleep = defaultSleep } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      options.onRetry?.(error, attempt);
      // Exponential backoff with up to 50 % jitter so parallel lanes do not retry in lockstep.
      const delay = baseDelayMs * 2 ** (attempt - 1);
      await sleep(delay + Math.floor(Math.random() * delay * 0.5));
    }
  }
}

interface ErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Errors that no retry will fix: wrong bucket, credentials or permissions. The script stops early on these. */
const FATAL_NAMES = new Set([
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'CredentialsProviderError',
  'PermanentRedirect',
]);

export function isFatalUploadError(error: unknown): boolean {
  const name = (error as ErrorShape | null)?.name;
  return typeof name === 'string' && FATAL_NAMES.has(name);
}

/** Network errors, throttling, timeouts and 5xx are retried; other 4xx and fatal errors are not. */
export function isRetryableUploadError(error: unknown): boolean {
  if (isFatalUploadError(error)) return false;
  const status = (error as ErrorShape | null)?.$metadata?.httpStatusCode;
  if (typeof status !== 'number') return true;
  return status === 408 || status === 429 || status >= 500;
}
