// For the scripts run on their own (`npx tsx bench/ingest.ts`, `bench/suite/profile-ingest.ts`): they run the
// ingest handler in their own process, so that process needs the heap Lambda gives the ingest function, as
// `npm run bench` gives its steps (bench/run.ts).
import { spawnSync } from 'node:child_process';
import { INGEST_HEAP_FLAGS } from '../../infra/constructs/function-memory';

/**
 * Runs this script again in a node started with `flags` (and this process's own node options, tsx's loader
 * among them), and exits with its status, unless this node was given those options already, with any value
 * (`node --max-semi-space-size=16 --import tsx <script>` measures another heap). Call it before any work.
 */
export function rerunWithHeapFlags(flags: readonly string[] = INGEST_HEAP_FLAGS): void {
  const given = (flag: string) => {
    const name = flag.split('=')[0] as string;
    return process.execArgv.some((option) => option === name || option.startsWith(`${name}=`));
  };
  if (flags.every(given)) return;
  const run = spawnSync(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}
