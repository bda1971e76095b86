// Step 6: each function's bundle, built by esbuild with the CDK stack's options (PROJECT_BUNDLING), its
// size, and its module init time in a fresh Node process, against a bare handler bundled the same way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  DEFAULT_FUNCTION_MEMORY_MB,
  FUNCTION_MEMORY_MB,
  type FunctionName,
  lambdaHeapFlags,
} from '../../infra/constructs/function-memory';
import {
  PROJECT_BUNDLE_INJECT,
  PROJECT_BUNDLING,
  PROJECT_RUNTIME,
  projectBundleAliases,
} from '../../infra/constructs/project-function';
import { repoRoot } from '../../infra/stacks/config';
import { newSealingKeyPair } from '../../shared/subscriptions/secrets';
import { type Figure, pairedFigure } from './figures';
import { interleavedRuns } from './interleave';
import type { Plan } from './modes';
import { progress } from './progress';

const sealingKeys = newSealingKeyPair();

/**
 * What the handlers' config needs at init (as the stacks set it, webhook sealing keys included, so the
 * keys are parsed at init as in AWS); nothing here reaches AWS.
 */
export const functionEnv = {
  TABLE_NAME: 'bench-events',
  PUBLIC_BASE_URL: 'https://feeds.example.com',
  DELIVERY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-deliveries',
  WEBHOOK_SEALING_PRIVATE_KEY: sealingKeys.privateKeyPem,
  WEBHOOK_SEALING_PUBLIC_KEY: sealingKeys.publicKeyPem,
  MAX_RECEIVE_COUNT: '4',
  CURSOR_KEY: 'bench-cursor-key-not-a-secret-000000000',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:bench',
  EVENTS_BUCKET: 'bench-events',
  INGEST_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-ingest',
  RECONCILE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-reconcile',
  EVENT_PREFIXES: 'news/,zh/news/',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'BENCH',
  AWS_SECRET_ACCESS_KEY: 'BENCH',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const MB = 1024 * 1024;

/** Bundles `entry` as the stack does; its size in bytes, and esbuild's metafile (which input left what). */
export async function bundleFunction(
  entry: string,
  outfile: string,
): Promise<{ bytes: number; metafile: Metafile }> {
  const runtimeMajor = /nodejs(\d+)/.exec(PROJECT_RUNTIME.name)?.[1];
  const { metafile } = await build({
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    target: `node${runtimeMajor}`,
    format: PROJECT_BUNDLING.format,
    outfile,
    minify: PROJECT_BUNDLING.minify,
    sourcemap: PROJECT_BUNDLING.sourceMap,
    sourcesContent: PROJECT_BUNDLING.sourcesContent,
    mainFields: PROJECT_BUNDLING.mainFields,
    banner: { js: PROJECT_BUNDLING.banner },
    // projectBundling() passes these to the CDK's esbuild as `esbuildArgs`; relative to absWorkingDir here.
    alias: projectBundleAliases(),
    inject: PROJECT_BUNDLE_INJECT,
    metafile: true,
    logLevel: 'error',
  });
  return { bytes: statSync(outfile).size, metafile };
}

async function bundle(entry: string, outfile: string): Promise<number> {
  return (await bundleFunction(entry, outfile)).bytes;
}

/**
 * Milliseconds to import the bundle in a fresh `node` process started as Lambda's runtime starts it: with
 * the heap flags of the function's memory (function-memory.ts), and no NODE_OPTIONS (the stack sets none:
 * the bundle maps its stack traces itself, lazily).
 */
function initMs(file: string, heapFlags: readonly string[]): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const run = spawnSync(process.execPath, [...heapFlags, '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, ...functionEnv },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`init of ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

export async function coldStartStep(plan: Plan): Promise<Figure[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    const bareEntry = join(outDir, 'bare.ts');
    writeFileSync(bareEntry, 'export const handler = async () => ({ statusCode: 200, body: "" });\n');
    const bare = join(outDir, 'bare', 'index.mjs');
    const bareBytes = await bundle(bareEntry, bare);
    const functions = readdirSync(join(repoRoot, 'functions')).filter((name) =>
      existsSync(join(repoRoot, 'functions', name, 'handler.ts')),
    );
    // Each bundle's import runs under the heap flags of its function's memory; the bare handler's, the default's.
    const heapFlagsOf = new Map([[bare, lambdaHeapFlags(DEFAULT_FUNCTION_MEMORY_MB)]]);
    const bundles: { name: string; file: string; bytes: number }[] = [];
    for (const name of functions) {
      const file = join(outDir, name, 'index.mjs');
      bundles.push({
        name,
        file,
        bytes: await bundle(join(repoRoot, 'functions', name, 'handler.ts'), file),
      });
      heapFlagsOf.set(
        file,
        lambdaHeapFlags(FUNCTION_MEMORY_MB[name as FunctionName] ?? DEFAULT_FUNCTION_MEMORY_MB),
      );
    }
    const bar = progress(
      `cold start: bare handler and ${functions.length} functions × ${plan.coldStartRuns} fresh processes, interleaved`,
      plan.coldStartRuns,
    );
    let imports = 0;
    const [baseRuns = [], ...functionRuns] = interleavedRuns(
      [bare, ...bundles.map(({ file }) => file)],
      plan.coldStartRuns,
      (file) => {
        const ms = initMs(file, heapFlagsOf.get(file) ?? []);
        imports++;
        if (imports % (bundles.length + 1) === 0) bar.tick(imports / (bundles.length + 1));
        return ms;
      },
    );
    bar.done();
    const how = `esbuild with infra/constructs/project-function.ts's PROJECT_BUNDLING (minified ESM, AWS SDK bundled, target node${/nodejs(\d+)/.exec(PROJECT_RUNTIME.name)?.[1]})`;
    return bundles.flatMap(({ name, bytes }, index) => [
      pairedFigure(
        `cold start ${name}: bundle size`,
        'MB',
        [bytes / MB],
        { name: 'bare handler', runs: [bareBytes / MB] },
        { target: { op: '<=', value: 1 }, targetOn: 'value', how: `${how}; index.mjs without its .map` },
      ),
      pairedFigure(
        `cold start ${name}: init`,
        'ms',
        functionRuns[index] ?? [],
        { name: 'bare handler', runs: baseRuns },
        {
          target: { op: '<=', value: 150 },
          targetOn: 'value',
          how: `${how}; import of the bundle in a fresh \`node\` process (${process.version}) with the heap flags Lambda's runtime gives the function's memory (the bare handler: those of ${DEFAULT_FUNCTION_MEMORY_MB} MB) and no NODE_OPTIONS, as the stack sets none, timed inside it, ${plan.coldStartRuns} runs, interleaved with the bare handler's and the other functions' (one of each per round, the order rotated each round)`,
        },
      ),
    ]);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
