// How long a benchmark store takes to load on this machine, and where the CPU goes, before committing to
// `npm run bench -- --full`: `npx tsx bench/suite/profile-store-load.ts [events] [step]` (default 1,000,000
// in steps of 100,000) grows one store on dynalite on disk, as the stores step does, and prints per step
// the rate, this process's and dynalite's CPU seconds, and the LevelDB size. The data dir is removed after,
// also on Ctrl-C.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable, localDynamoClients, startDynalite } from '../../infra/local/services';
import { eventGenerator } from './generate';
import { eventPool, inputFiles } from './inputs';
import { planFor } from './modes';
import { cpuSeconds } from './process-cpu';
import { growStore } from './store-load';

const [events = 1_000_000, step = 100_000] = process.argv.slice(2).map(Number);
const TABLE = 'events';
const LOADED_AT = '2026-11-30T00:00:00.000Z';

function directoryMb(path: string): number {
  const bytes = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
  return bytes / 2 ** 20;
}

const plan = planFor([]);
const dataDir = await mkdtemp(join(tmpdir(), 'bench-store-load-'));
const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
const dynalite = await startDynalite({ dataDir });
// dynalite writes (compacts) until it stops: stop it before removing its files.
process.once('SIGINT', () => {
  void dynalite.close().finally(() => {
    cleanUp();
    process.exit(130);
  });
});
const { client: raw, doc: client } = localDynamoClients(dynalite.endpoint);
try {
  await ensureTable(raw, TABLE);
  const generator = eventGenerator(eventPool(inputFiles(plan.seed)), plan.seed);
  console.log('events\tstep s\tevents/s\tthis CPU s\tdynalite CPU s\tLevelDB MB\tRSS MB');
  let totalSeconds = 0;
  for (let from = 0; from < events; from += step) {
    const to = Math.min(events, from + step);
    const { seconds } = await growStore(client, TABLE, generator, { from, to }, LOADED_AT);
    totalSeconds += seconds;
    const own = process.cpuUsage();
    console.log(
      [
        to,
        seconds.toFixed(0),
        ((to - from) / seconds).toFixed(0),
        ((own.user + own.system) / 1e6).toFixed(0),
        cpuSeconds(dynalite.pid).toFixed(0),
        directoryMb(join(dataDir, 'dynamodb')).toFixed(0),
        (process.memoryUsage().rss / 2 ** 20).toFixed(0),
      ].join('\t'),
    );
  }
  console.log(`${events.toLocaleString('en-US')} events in ${totalSeconds.toFixed(0)} s`);
} finally {
  await dynalite.close();
  raw.destroy();
  cleanUp();
}
