// What each function's bundle is made of: `npx tsx bench/suite/bundle-report.ts [function...] [--top=N]`
// bundles each functions/<name>/handler.ts as the cold-start step does (the stack's PROJECT_BUNDLING) and
// prints its bytes by package (node_modules) or source folder, largest first, from esbuild's metafile.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../infra/stacks/config';
import { bundleFunction } from './cold-start-step';

const args = process.argv.slice(2);
const top = Number(args.find((arg) => arg.startsWith('--top='))?.slice('--top='.length) ?? 20);
const named = args.filter((arg) => !arg.startsWith('--'));
const functions =
  named.length > 0
    ? named
    : readdirSync(join(repoRoot, 'functions')).filter((name) =>
        existsSync(join(repoRoot, 'functions', name, 'handler.ts')),
      );

/** `zod`, `@aws-sdk/client-s3`, or `shared/store` for the project's own files. */
function owner(input: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return inPackage?.[1] ?? input.split('/').slice(0, 2).join('/');
}

const outDir = mkdtempSync(join(tmpdir(), 'bundle-report-'));
try {
  for (const name of functions) {
    const outfile = join(outDir, name, 'index.mjs');
    const { bytes, metafile } = await bundleFunction(
      join(repoRoot, 'functions', name, 'handler.ts'),
      outfile,
    );
    const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
    const byOwner = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      byOwner.set(owner(input), (byOwner.get(owner(input)) ?? 0) + bytesInOutput);
    }
    console.log(`\n${name}: ${(bytes / 1024).toFixed(0)} KiB`);
    for (const [who, size] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${(size / 1024).toFixed(1).padStart(8)} KiB  ${who}`);
    }
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
