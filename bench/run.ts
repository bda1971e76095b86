// `npm run bench`: every benchmark in turn, each in its own process so handler config stays per run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches = ['parse.ts', 'feeds.ts', 'ingest.ts'];
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== bench/${bench}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, bench)], {
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
