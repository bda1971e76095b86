// The heap flags of Lambda's Node.js runtime, and the local stack's process started with them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FUNCTION_MEMORY_MB,
  LOCAL_STACK_HEAP_FLAGS,
  lambdaHeapFlags,
} from '../../infra/constructs/function-memory';
import { repoRoot } from '../../infra/stacks/config';

const scratch = mkdtempSync(join(tmpdir(), 'function-memory-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('lambdaHeapFlags', () => {
  it("sizes the heap as the runtime's bootstrap does: a tenth young, half of it per semi-space, the rest old", () => {
    // Assess: the bootstrap's shell arithmetic (`expr`) divides in integers.
    expect(lambdaHeapFlags(1024)).toEqual(['--max-semi-space-size=51', '--max-old-space-size=922']);
    expect(lambdaHeapFlags(512)).toEqual(['--max-semi-space-size=25', '--max-old-space-size=461']);
    expect(lambdaHeapFlags(128)).toEqual(['--max-semi-space-size=6', '--max-old-space-size=116']);
    expect(lambdaHeapFlags(1769)).toEqual(['--max-semi-space-size=88', '--max-old-space-size=1593']);
  });
});

describe('npm start', () => {
  it("runs its one process (every handler) with the ingest function's heap flags", () => {
    // Prepare: the start script, with a probe in place of the local stack's entry.
    const start = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.start as string;
    const [command, ...args] = start.split(/\s+/);
    const probe = join(scratch, 'probe.mjs');
    writeFileSync(
      probe,
      "import v8 from 'node:v8';\nprocess.stdout.write(JSON.stringify({ execArgv: process.execArgv, limitMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20 }));\n",
    );
    expect(args.at(-1)).toBe('infra/local/main.ts');

    // Act
    const run = spawnSync(
      join(repoRoot, 'node_modules', '.bin', command as string),
      [...args.slice(0, -1), probe],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );

    // Assess: tsx hands the flags to node, and V8 took them.
    expect(run.status, run.stderr).toBe(0);
    const { execArgv, limitMb } = JSON.parse(run.stdout) as { execArgv: string[]; limitMb: number };
    expect(execArgv).toEqual(expect.arrayContaining(LOCAL_STACK_HEAP_FLAGS));
    expect(LOCAL_STACK_HEAP_FLAGS).toEqual(lambdaHeapFlags(FUNCTION_MEMORY_MB.ingest));
    // The old space's 1,593 MB and the young generation's few hundred; a plain node here allows about 4 GB.
    expect(limitMb).toBeGreaterThan(1593);
    expect(limitMb).toBeLessThan(1593 + 512);
  });
});
