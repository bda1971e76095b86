// Progress of a long step on stderr: one rewritten line on a terminal; otherwise a line every 10 %, and
// at least every 30 s, so a step of many minutes (the 1M store) still shows it is moving. Each line has
// the rate and, once a few percent are done, the time left at that rate.
import { performance } from 'node:perf_hooks';

export interface Progress {
  tick(done: number): void;
  done(note?: string): void;
}

/** Seconds between lines when stderr is not a terminal, at the longest. */
const QUIET_SECONDS = 30;

export function progress(label: string, total: number): Progress {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  let lastLine = started;
  const line = (done: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = done / total >= 0.02 && rate > 0 ? `, ${((total - done) / rate).toFixed(0)} s left` : '';
    const pace = total > 100 && rate > 0 ? `, ${rate.toFixed(0)}/s${left}` : '';
    return `  ${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${seconds.toFixed(0)} s${pace})`;
  };
  return {
    tick(done) {
      if (tty) {
        process.stderr.write(`\r${line(done)}\u001b[K`);
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      const now = performance.now();
      if (tenth > lastTenth || now - lastLine >= QUIET_SECONDS * 1000) {
        lastTenth = tenth;
        lastLine = now;
        process.stderr.write(`${line(done)}\n`);
      }
    },
    done(note) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(
        `${tty ? '\r' : ''}  ${label}: done in ${seconds} s${note ? `, ${note}` : ''}${tty ? '\u001b[K' : ''}\n`,
      );
    },
  };
}
