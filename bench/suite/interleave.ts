// Repeated measurements of several subjects, taken in rotating rounds so that all see the same machine.

/**
 * Runs every subject once per round, `rounds` times, the order rotated each round, and returns each
 * subject's times. Run in blocks (all of one function's runs, then the next's), a slow minute of this shared
 * machine landed on whichever function was measuring then: in the `--full` run of 2026-12-01 10:47, 3 of 6
 * functions missed init by 10-55 ms while the others did not. Interleaved, each subject and the bare
 * handler see the same phases of the machine.
 */
export function interleavedRuns<T>(subjects: T[], rounds: number, run: (subject: T) => number): number[][] {
  const times = subjects.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < subjects.length; offset++) {
      const index = (round + offset) % subjects.length;
      times[index]?.push(run(subjects[index] as T));
    }
  }
  return times;
}
