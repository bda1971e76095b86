import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites start their own dynalite/s3rver on ephemeral ports, so files may run in parallel.
    pool: 'forks',
  },
});
