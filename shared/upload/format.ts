// Human-readable numbers for the upload script's progress bar and summary.

/** `512 B`, `1.5 KB`, `2.3 MB` (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Always in KB, as the summary line promises: `uploaded 16 files (24.3 KB) in 1.2s`. */
export function formatSummary(files: number, bytes: number, elapsedMs: number): string {
  const noun = files === 1 ? 'file' : 'files';
  return `uploaded ${files} ${noun} (${(bytes / 1024).toFixed(1)} KB) in ${(elapsedMs / 1000).toFixed(1)}s`;
}

/** Items per second over the elapsed time, one decimal; `0.0` before any time has passed. */
export function formatRate(done: number, elapsedMs: number): string {
  return elapsedMs <= 0 ? '0.0' : (done / (elapsedMs / 1000)).toFixed(1);
}
