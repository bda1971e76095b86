// Progress of a long step on stderr: one rewritten line on a terminal, a line every 10 % otherwise.
import { performance } from 'node:perf_hooks';

export interface Progress {
  tick(done: number): void;
  done(note?: string): void;
}

export function progress(label: string, total: number): Progress {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  const line = (done: number) => {
    const seconds = (performance.now() - started) / 1000;
    return `  ${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${seconds.toFixed(0)} s)`;
  };
  return {
    tick(done) {
      if (tty) {
        process.stderr.write(`\r${line(done)}`);
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${line(done)}\n`);
      }
    },
    done(note) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(`${tty ? '\r' : ''}  ${label}: done in ${seconds} s${note ? `, ${note}` : ''}\n`);
    },
  };
}
