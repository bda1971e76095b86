import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites start their own dynalite/s3rver on ephemeral ports, so files may run in parallel.
    pool: 'forks',
    // Node 20 is this project's floor; the SDK's end-of-support notice would repeat in every test file.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
