// Pure helpers of the bench suite: summaries of repeated runs, figures with their targets, the results file
// (bench/results/latest.json) and the printed table. No I/O, no clock, so `npm test` checks them.

/** A median over repeated runs, with the spread a noisy shared machine gives it. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** How a figure is judged: `≤`/`≥` a bound, in the figure's own unit. */
export interface Target {
  op: '<=' | '>=';
  value: number;
}

/** One line of the results file: a measured value, its pairing (floor or peer) when it has one, its target. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  min: number;
  max: number;
  runs: number;
  /** The floor or peer measured in the same run (paired figures only). */
  baseline?: { name: string; value: number; unit: string };
  /** value / baseline.value (paired figures only). */
  ratio?: number;
  /** The target as text, e.g. "ratio <= 2"; null when the figure is informational. */
  target: string | null;
  met: boolean | null;
  /** How the figure was obtained, in a sentence. */
  how?: string;
}

export interface Machine {
  date: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  mode: 'quick' | 'default' | 'full';
  sizes: number[];
  corpus: string;
}

export interface Results {
  machine: Machine;
  figures: Figure[];
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p % of the values at or below it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no runs');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

export function isMet(value: number, target: Target): boolean {
  return target.op === '<=' ? value <= target.value : value >= target.value;
}

const describeTarget = (subject: string, target: Target) => `${subject} ${target.op} ${target.value}`;

/** A figure judged on its own value. */
export function plainFigure(
  name: string,
  unit: string,
  runs: readonly number[],
  options: { target?: Target; how?: string } = {},
): Figure {
  const summary = summarize(runs);
  return figureOf(name, unit, summary, 'value', summary.median, options);
}

/**
 * A figure paired with a floor or peer measured in the same run: the ratio of the medians is what travels
 * between machines, so the target (when there is one) judges the ratio, unless the issue sets it on the
 * value itself (`targetOn: 'value'`, e.g. init time ≤ 150 ms beside a bare handler's).
 */
export function pairedFigure(
  name: string,
  unit: string,
  runs: readonly number[],
  baseline: { name: string; runs: readonly number[] },
  options: { target?: Target; how?: string; targetOn?: 'ratio' | 'value' } = {},
): Figure {
  const summary = summarize(runs);
  const base = summarize(baseline.runs);
  const ratio = summary.median / base.median;
  const targetOn = options.targetOn ?? 'ratio';
  const judged = targetOn === 'value' ? summary.median : ratio;
  const { target, met, how, ...measured } = figureOf(name, unit, summary, targetOn, judged, options);
  return {
    ...measured,
    baseline: { name: baseline.name, value: round(base.median), unit },
    ratio: round(ratio),
    target,
    met,
    ...(how ? { how } : {}),
  };
}

function figureOf(
  name: string,
  unit: string,
  summary: Summary,
  subject: 'value' | 'ratio',
  judged: number,
  options: { target?: Target; how?: string },
): Figure {
  return {
    name,
    value: round(summary.median),
    unit,
    min: round(summary.min),
    max: round(summary.max),
    runs: summary.runs,
    target: options.target ? describeTarget(subject, options.target) : null,
    met: options.target ? isMet(judged, options.target) : null,
    ...(options.how ? { how: options.how } : {}),
  };
}

/** Three significant digits at most: enough for a noisy machine, short in the table. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}

export function buildResults(machine: Machine, figures: readonly Figure[]): Results {
  const names = new Set<string>();
  for (const figure of figures) {
    if (names.has(figure.name)) throw new Error(`two figures named "${figure.name}"`);
    names.add(figure.name);
  }
  return { machine, figures: [...figures] };
}

/** Checks the results-file shape the issue fixes; returns the problems found (empty when valid). */
export function shapeProblems(results: unknown): string[] {
  const problems: string[] = [];
  const record = results as { machine?: unknown; figures?: unknown };
  if (typeof record !== 'object' || record === null) return ['not an object'];
  if (typeof record.machine !== 'object' || record.machine === null) problems.push('machine missing');
  if (!Array.isArray(record.figures)) return [...problems, 'figures is not an array'];
  record.figures.forEach((raw: Record<string, unknown>, index) => {
    const at = `figures[${index}]`;
    for (const key of ['name', 'value', 'unit', 'target', 'met']) {
      if (!(key in raw)) problems.push(`${at}: ${key} missing`);
    }
    if (typeof raw.value !== 'number') problems.push(`${at}: value is not a number`);
    if (typeof raw.min !== 'number' || typeof raw.max !== 'number') problems.push(`${at}: min/max missing`);
    if ('baseline' in raw !== 'ratio' in raw) problems.push(`${at}: baseline and ratio go together`);
    const judged = typeof raw.target === 'string' ? typeof raw.met === 'boolean' : raw.met === null;
    if (!judged) problems.push(`${at}: target and met go together`);
  });
  return problems;
}

const formatNumber = (value: number) =>
  Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);

/** The table `npm run bench` prints: one line per figure. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => [
    figure.name,
    `${formatNumber(figure.value)} ${figure.unit}`,
    `${formatNumber(figure.min)} … ${formatNumber(figure.max)} (${figure.runs})`,
    figure.baseline
      ? `${formatNumber(figure.baseline.value)} ${figure.baseline.unit} (${figure.baseline.name})`
      : '',
    figure.ratio === undefined ? '' : `${figure.ratio}×`,
    figure.target ?? '',
    figure.met === null ? '' : figure.met ? 'met' : 'NOT MET',
  ]);
  const header = ['figure', 'median', 'min … max (runs)', 'floor / peer', 'ratio', 'target', ''];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] as number))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}
