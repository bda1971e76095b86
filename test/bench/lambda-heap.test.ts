// A script run on its own reruns itself under the ingest function's heap flags.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/stacks/config';

describe('rerunWithHeapFlags', () => {
  it('runs the script again under the flags, with its arguments, and exits with its status', () => {
    // Act: as `npx tsx <script> a b` runs it.
    const run = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [join(import.meta.dirname, 'fixtures', 'heap-probe.ts'), 'a', 'b'],
      { cwd: repoRoot, encoding: 'utf8' },
    );

    // Assess: one report only (the first process printed nothing), from a node that has the flag.
    expect(run.status, run.stderr).toBe(3);
    const report = JSON.parse(run.stdout) as { execArgv: string[]; args: string[] };
    expect(report.execArgv).toContain('--max-semi-space-size=33');
    expect(report.args).toEqual(['a', 'b']);
  });

  it('leaves a node that was given those options, with other values, as it is', () => {
    // Act: as `node --max-semi-space-size=20 --import tsx <script>` runs it.
    const run = spawnSync(
      process.execPath,
      ['--max-semi-space-size=20', '--import', 'tsx', join(import.meta.dirname, 'fixtures', 'heap-probe.ts')],
      { cwd: repoRoot, encoding: 'utf8' },
    );

    // Assess
    expect(run.status, run.stderr).toBe(3);
    const report = JSON.parse(run.stdout) as { execArgv: string[] };
    expect(report.execArgv).toContain('--max-semi-space-size=20');
    expect(report.execArgv).not.toContain('--max-semi-space-size=33');
  });
});
