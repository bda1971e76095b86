// Reads a V8 .cpuprofile (node --cpu-prof) and prints the functions with the most self time, and the
// share of time under each module: `npx tsx bench/suite/hot-spots.ts file.cpuprofile [top]`.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file = '', top = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const self = new Map<number, number>();
profile.samples.forEach((id, index) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const total = [...self.values()].reduce((sum, us) => sum + us, 0);
const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?wt-\d+\//, '');
  const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const module = where.startsWith('@')
    ? where.split('/').slice(0, 2).join('/')
    : (where.split('/')[0] ?? '') || '(native)';
  byModule.set(module, (byModule.get(module) ?? 0) + us);
}
// Inclusive time: each sample counts once for every function on its stack.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
const inclusive = new Map<string, number>();
profile.samples.forEach((id, index) => {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = nodeById.get(at)?.callFrame.functionName;
    if (!name || seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
});
const show = (map: Map<string, number>, count: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n');
console.log(
  `self time by function (top ${top}):\n${show(byFunction, Number(top))}\n\nby module:\n${show(byModule, 15)}`,
);
console.log(`\ninclusive time by function name (top ${top}):\n${show(inclusive, Number(top))}`);
