// Profiling aid for the init target: where a function's module init goes, by package.
// `npx tsx bench/suite/profile-init.ts <function> [--runs=5] [--top=25]` bundles functions/<function>/handler.ts
// as the cold-start step does, imports it in `runs` fresh `node --cpu-prof` processes
// (the step's environment), and prints the mean milliseconds per package. A sample counts for the package of
// the nearest frame on its stack that the bundle's source map places in a file (Node built-ins it calls
// included); samples with no such frame are named by V8's or Node's own function (`compileSourceTextModule`
// is V8 compiling the bundle, `(garbage collector)`), and bundle frames
// the map does not cover are esbuild's wrappers, whose self time is mostly V8 compiling the module bodies they
// run lazily. The profiler itself slows the process: compare shares, not these milliseconds with the step's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../infra/stacks/config';
import { bundleFunction, functionEnv } from './cold-start-step';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  Number(args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const name = args.find((arg) => !arg.startsWith('--')) ?? 'ingest';
const runs = option('runs', 5);
const top = option('top', 25);

/** `zod`, `@aws-sdk/client-s3`, or `shared/store` for the project's own files. */
function owner(source: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (inPackage?.[1]) return inPackage[1];
  const inRepo = source.split(/\/(?=shared\/|functions\/)/).pop() ?? source;
  return inRepo.split('/').slice(0, 2).join('/');
}

/** Microseconds per owner in one profile of importing `bundle`. */
function attribute(profile: Profile, bundle: string, map: SourceMap): Map<string, number> {
  const bundleUrl = pathToFileURL(bundle).href;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerOf = new Map<number, string>();
  const resolve = (node: ProfileNode): string => {
    const known = ownerOf.get(node.id);
    if (known !== undefined) return known;
    let found = '';
    for (let at: ProfileNode | undefined = node; at && !found; at = byId.get(parent.get(at.id) ?? -1)) {
      if (at.callFrame.url !== bundleUrl) continue;
      const entry = map.findEntry(at.callFrame.lineNumber, at.callFrame.columnNumber);
      found =
        'originalSource' in entry ? owner(entry.originalSource) : '(esbuild wrappers: lazy module init)';
    }
    const result = found || `[${node.callFrame.functionName || node.callFrame.url || '(program)'}]`;
    ownerOf.set(node.id, result);
    return result;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    if (!node) return;
    const who = resolve(node);
    totals.set(who, (totals.get(who) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return totals;
}

const workDir = mkdtempSync(join(tmpdir(), 'profile-init-'));
try {
  const bundle = join(workDir, name, 'index.mjs');
  const { bytes } = await bundleFunction(join(repoRoot, 'functions', name, 'handler.ts'), bundle);
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
  const sums = new Map<string, number>();
  for (let run = 0; run < runs; run++) {
    const profileDir = join(workDir, `profile-${run}`);
    const script = `await import(${JSON.stringify(pathToFileURL(bundle).href)});`;
    const child = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profileDir],
      { input: script, env: { PATH: process.env.PATH, ...functionEnv }, encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`import of ${bundle} failed: ${child.stderr}`);
    const [file = ''] = readdirSync(profileDir);
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
    for (const [who, us] of attribute(profile, bundle, map)) sums.set(who, (sums.get(who) ?? 0) + us);
  }
  const total = [...sums.values()].reduce((sum, us) => sum + us, 0) / runs;
  console.log(
    `${name}: ${(bytes / 1024).toFixed(0)} KiB; ${(total / 1000).toFixed(1)} ms profiled (mean of ${runs})`,
  );
  for (const [who, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const ms = us / runs / 1000;
    console.log(
      `${ms.toFixed(1).padStart(8)} ms ${((100 * us) / runs / total).toFixed(0).padStart(4)} %  ${who}`,
    );
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
