// Step 1: parse every corpus file, against the floor of reading the same files and splitting their lines.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseEventObject } from '../../shared/parse';
import { type Figure, pairedFigure } from './figures';
import { inputFiles } from './inputs';
import type { Plan } from './modes';
import { progress } from './progress';

export async function parseStep(plan: Plan): Promise<Figure[]> {
  const files = inputFiles(plan.seed);
  const bytes = files.reduce((sum, file) => sum + file.body.byteLength, 0);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Both read every file (from the page cache: the files were just read); generated files have no path.
  const read = (file: (typeof files)[number]) => (file.path ? readFileSync(file.path) : file.body);
  // The least any parser must do: read, decode strictly as UTF-8, split into lines.
  const floor = () => {
    for (const file of files) decoder.decode(read(file)).split('\n');
  };
  const parse = () => {
    for (const file of files) parseEventObject(file.key, read(file));
  };
  floor();
  parse();
  const floorMs: number[] = [];
  const parseMs: number[] = [];
  const bar = progress(`parse ${files.length.toLocaleString('en-US')} files`, plan.parseRounds);
  for (let round = 0; round < plan.parseRounds; round++) {
    for (const [run, out] of [
      [floor, floorMs],
      [parse, parseMs],
    ] as const) {
      const start = performance.now();
      run();
      out.push(performance.now() - start);
    }
    bar.tick(round + 1);
  }
  bar.done();
  const rate = (per: number) => (ms: number) => per / (ms / 1000);
  const filesPerSecond = rate(files.length);
  const megabytesPerSecond = rate(bytes / 1_048_576);
  const how = `${files.length} files (${(bytes / 1_048_576).toFixed(1)} MB) read from disk (page cache) in both, ${plan.parseRounds} rounds, floor and parse alternating`;
  return [
    pairedFigure(
      'parse: files/s vs read floor',
      'files/s',
      parseMs.map(filesPerSecond),
      { name: 'decode + split lines', runs: floorMs.map(filesPerSecond) },
      { target: { op: '>=', value: 0.25 }, how },
    ),
    pairedFigure(
      'parse: MB/s vs read floor',
      'MB/s',
      parseMs.map(megabytesPerSecond),
      { name: 'decode + split lines', runs: floorMs.map(megabytesPerSecond) },
      { how },
    ),
  ];
}
