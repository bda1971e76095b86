// dynalite in a process of its own, as DynamoDB is a service of its own: it gets its own core, and the
// handlers' process no longer shares its event loop with the database. Started by startDynalite (fork);
// reports its port over IPC and exits when its parent goes, even if the parent was killed.
import { createRequire } from 'node:module';

// dynalite keeps a table on disk in LevelDB (`level`'s ClassicLevel) and exposes neither the database nor
// its compaction. The class is swapped, before dynalite reads it, for one that remembers its instances, so
// that the message 'compact' can compact them: after a bulk load LevelDB compacts in a background thread for
// minutes and its reads cross more files, which DynamoDB's reads never do (bench/suite/stores-step.ts).
const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const level = requireFromDynalite('level');
const databases = new Set();
level.Level = class RememberedLevel extends level.Level {
  constructor(...args) {
    super(...args);
    databases.add(this);
  }
};
const { default: dynalite } = await import('dynalite');

const [port = '0', path] = process.argv.slice(2);
const server = dynalite({
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
  ...(path ? { path } : {}),
});

server.once('error', (error) => {
  process.send?.({ error: String(error) });
  process.exit(1);
});
server.listen(Number(port), '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});

/** Compacts every key of every LevelDB (none in memory): all of dynalite's keys are ASCII-led strings. */
async function compact() {
  for (const database of databases) await database.compactRange('', '\uffff');
}

const stop = () => server.close(() => process.exit(0));
process.on('message', (message) => {
  if (message === 'close') stop();
  if (message === 'compact') {
    compact().then(
      () => process.send?.({ compacted: true }),
      (error) => process.send?.({ compacted: false, error: String(error) }),
    );
  }
});
process.on('disconnect', stop);

// Ctrl-C in a terminal signals the whole process group, this child too. The parent then drains its queue,
// which still needs this service, and sends 'close' when it is done; so the signal is the parent's to act
// on. A parent that dies (even by SIGKILL) disconnects, and that stops this process.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
