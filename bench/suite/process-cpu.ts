// CPU time of another process (the stand-ins: dynalite, s3rver), for the profiling aids.
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system, all threads) of a process, from /proc; NaN where there is no /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
