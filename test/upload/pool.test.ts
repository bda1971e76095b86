// The upload script's machinery: bounded concurrency, retries with backoff, error classes and the summary line.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatRate, formatSummary } from '../../shared/upload/format';
import { isFatalUploadError, isRetryableUploadError, runPool, withRetry } from '../../shared/upload/pool';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
const noSleep = async () => {};

function s3Error(name: string, status?: number): Error {
  const error = new Error(name);
  error.name = name;
  return Object.assign(error, status === undefined ? {} : { $metadata: { httpStatusCode: status } });
}

describe('runPool', () => {
  it('never runs more than the limit at once and processes every item once', async () => {
    // Prepare
    const items = Array.from({ length: 25 }, (_, i) => i);
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];

    // Act
    const started = await runPool(items, 4, async (item) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await tick();
      seen.push(item);
      inFlight -= 1;
    });

    // Assess
    expect(started).toBe(25);
    expect(peak).toBe(4);
    expect([...seen].sort((a, b) => a - b)).toEqual(items);
  });

  it('stops taking new items once shouldStop is true', async () => {
    // Prepare
    const items = Array.from({ length: 20 }, (_, i) => i);
    const seen: number[] = [];

    // Act
    const started = await runPool(
      items,
      2,
      async (item) => {
        seen.push(item);
        await tick();
      },
      () => seen.length >= 5,
    );

    // Assess
    expect(started).toBe(5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('rethrows a worker error and starts no further items', async () => {
    // Prepare
    const items = [1, 2, 3, 4, 5, 6];
    const seen: number[] = [];

    // Act
    const run = runPool(items, 1, async (item) => {
      seen.push(item);
      if (item === 2) throw new Error('boom');
    });

    // Assess
    await expect(run).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2]);
  });

  it('rejects a concurrency below 1', async () => {
    // Prepare
    const worker = async () => {};

    // Act
    const run = runPool([1], 0, worker);

    // Assess
    await expect(run).rejects.toThrow(RangeError);
  });
});

describe('withRetry', () => {
  it('retries until the action succeeds, backing off exponentially', async () => {
    // Prepare
    const delays: number[] = [];
    let calls = 0;

    // Act
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw s3Error('SlowDown', 503);
        return 'ok';
      },
      { attempts: 4, baseDelayMs: 100, sleep: async (ms) => void delays.push(ms) },
    );

    // Assess
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(100);
    expect(delays[0]).toBeLessThan(150);
    expect(delays[1]).toBeGreaterThanOrEqual(200);
    expect(delays[1]).toBeLessThan(300);
  });

  it('gives up after the last attempt with the last error', async () => {
    // Prepare
    let calls = 0;

    // Act
    const run = withRetry(
      async (attempt) => {
        calls += 1;
        throw new Error(`attempt ${attempt}`);
      },
      { attempts: 3, baseDelayMs: 1, sleep: noSleep },
    );

    // Assess
    await expect(run).rejects.toThrow('attempt 3');
    expect(calls).toBe(3);
  });

  it('does not retry an error that is not retryable', async () => {
    // Prepare
    let calls = 0;

    // Act
    const run = withRetry(
      async () => {
        calls += 1;
        throw s3Error('AccessDenied', 403);
      },
      { attempts: 5, baseDelayMs: 1, sleep: noSleep, isRetryable: isRetryableUploadError },
    );

    // Assess
    await expect(run).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
  });
});

describe('upload error classes', () => {
  it.each([
    { error: s3Error('InternalError', 500), retryable: true, fatal: false },
    { error: s3Error('SlowDown', 503), retryable: true, fatal: false },
    { error: s3Error('RequestTimeout', 408), retryable: true, fatal: false },
    { error: s3Error('TooManyRequests', 429), retryable: true, fatal: false },
    {
      error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      retryable: true,
      fatal: false,
    },
    { error: s3Error('InvalidArgument', 400), retryable: false, fatal: false },
    { error: s3Error('NoSuchBucket', 404), retryable: false, fatal: true },
    { error: s3Error('AccessDenied', 403), retryable: false, fatal: true },
    { error: s3Error('InvalidAccessKeyId'), retryable: false, fatal: true },
  ])('$error.name: retryable=$retryable fatal=$fatal', ({ error, retryable, fatal }) => {
    // Prepare
    const subject = error;

    // Act
    const classified = { retryable: isRetryableUploadError(subject), fatal: isFatalUploadError(subject) };

    // Assess
    expect(classified).toEqual({ retryable, fatal });
  });
});

describe('formatting', () => {
  it('prints the summary line in KB and seconds', () => {
    // Prepare
    const bytes = 24_883;

    // Act
    const line = formatSummary(16, bytes, 1234);

    // Assess
    expect(line).toBe('uploaded 16 files (24.3 KB) in 1.2s');
  });

  it('uses the singular for one file', () => {
    // Prepare
    const bytes = 512;

    // Act
    const line = formatSummary(1, bytes, 40);

    // Assess
    expect(line).toBe('uploaded 1 file (0.5 KB) in 0.0s');
  });

  it('formats byte counts and rates', () => {
    // Prepare
    const sizes = [512, 1536, 5 * 1024 * 1024];

    // Act
    const formatted = sizes.map(formatBytes);
    const rates = [formatRate(10, 2000), formatRate(3, 0)];

    // Assess
    expect(formatted).toEqual(['512 B', '1.5 KB', '5.0 MB']);
    expect(rates).toEqual(['5.0', '0.0']);
  });
});
