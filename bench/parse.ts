// Parser throughput on the real corpus (npx tsx bench/parse.ts [rounds]), against a decode-and-split baseline.
import { performance } from 'node:perf_hooks';
import { parseEventObject } from '../shared/parse';
import { corpusFiles, hasCorpus, readCorpusFile } from '../test/support/corpus';

interface Input {
  key: string;
  body: Uint8Array;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Baseline: the least any parser must do, strict UTF-8 decoding and splitting into lines. */
function baseline(inputs: Input[]): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lines = 0;
  for (const input of inputs) lines += decoder.decode(input.body).split('\n').length;
  return lines;
}

function parseAll(inputs: Input[]): number {
  let rejected = 0;
  for (const input of inputs) if (parseEventObject(input.key, input.body).kind === 'rejected') rejected += 1;
  return rejected;
}

function timed(run: () => number): { ms: number; result: number } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

function main(): void {
  if (!hasCorpus) {
    console.log('[bench] skipped: no corpus to parse');
    return;
  }
  const rounds = Math.max(1, Number(process.argv[2] ?? process.env.ROUNDS ?? 7) || 7);
  const inputs: Input[] = (['en', 'zh', 'seed'] as const).flatMap((edition) =>
    corpusFiles(edition).map((file) => ({ key: file.key, body: new Uint8Array(readCorpusFile(file)) })),
  );
  const bytes = inputs.reduce((sum, input) => sum + input.body.byteLength, 0);

  // Warm-up: JIT and regex compilation out of the measured rounds.
  baseline(inputs);
  const rejected = parseAll(inputs);

  const baseMs: number[] = [];
  const parseMs: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    baseMs.push(timed(() => baseline(inputs)).ms);
    parseMs.push(timed(() => parseAll(inputs)).ms);
  }

  const row = (name: string, ms: number) => ({
    step: name,
    'median ms': Number(ms.toFixed(1)),
    'files/s': Math.round(inputs.length / (ms / 1000)),
    'MB/s': Number((bytes / 1_048_576 / (ms / 1000)).toFixed(1)),
  });
  const base = median(baseMs);
  const parse = median(parseMs);
  console.log(
    `[bench] ${inputs.length} files, ${(bytes / 1_048_576).toFixed(1)} MB, ${rounds} rounds, ${rejected} rejected`,
  );
  console.table([row('baseline (decode + split)', base), row('parseEventObject', parse)]);
  console.log(`[bench] parse / baseline time: ${(parse / base).toFixed(1)}x`);
}

main();
