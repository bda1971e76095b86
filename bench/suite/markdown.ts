// Renders a results file as the Markdown tables docs/benchmarks.md shows:
// `npx tsx bench/suite/markdown.ts [bench/results/latest.json]`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure, Results } from './figures';

const cell = (text: string) => text.replace(/\|/g, '\\|');
const number = (value: number) =>
  Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);

/** Targets and measured figures, one row each; cost figures go to their own table. */
export function resultsMarkdown(results: Results): string {
  const { machine } = results;
  const head = `${machine.date.slice(0, 10)}, \`${machine.mode}\` run, sizes ${machine.sizes.join(', ')}; ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; corpus: ${machine.corpus}.`;
  const measured = results.figures.filter((figure) => !figure.name.startsWith('cost @'));
  const rows = measured.map(
    (f: Figure) =>
      `| ${cell(f.name)} | **${number(f.value)} ${f.unit}** (${number(f.min)} … ${number(f.max)}, ${f.runs} runs) | ${f.baseline ? `${number(f.baseline.value)} ${f.baseline.unit} (${cell(f.baseline.name)})` : ''} | ${f.ratio === undefined ? '' : `${f.ratio}×`} | ${f.target ? `${cell(f.target)}: ${f.met ? 'met' : '**not met**'}` : ''} |`,
  );
  const cost = results.figures.filter((figure) => figure.name.startsWith('cost @'));
  const sizes = [...new Set(cost.map((f) => f.name.slice(0, f.name.indexOf(':'))))];
  const services = [...new Set(cost.map((f) => f.name.slice(f.name.indexOf(':') + 2)))];
  const costRows = services.map(
    (service) =>
      `| ${service} | ${sizes.map((size) => `$${(cost.find((f) => f.name === `${size}: ${service}`)?.value ?? 0).toFixed(2)}`).join(' | ')} |`,
  );
  return [
    head,
    '',
    '| Figure | Median (min … max) | Floor / peer | Ratio | Target |',
    '|---|---|---|---|---|',
    ...rows,
    ...(cost.length > 0
      ? [
          '',
          `| USD / month | ${sizes.map((size) => size.replace('cost @', '')).join(' | ')} |`,
          `|---|${sizes.map(() => '---:').join('|')}|`,
          ...costRows,
        ]
      : []),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? join(import.meta.dirname, '..', 'results', 'latest.json');
  console.log(resultsMarkdown(JSON.parse(readFileSync(file, 'utf8')) as Results));
}
