// The functions' bundles as the stack builds them (projectBundling()): the SDK's credential chain is replaced by
// the environment credentials Lambda sets, nothing of the rest of the chain is left in a bundle, and stack
// traces point at the TypeScript sources without `--enable-source-maps`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleFunction } from '../../bench/suite/cold-start-step';
import { LEAN_SDK_CLIENTS } from '../../infra/constructs/lean-sdk-clients';
import { PROJECT_BUNDLE_ALIASES, projectBundling } from '../../infra/constructs/project-function';
import { repoRoot } from '../../infra/stacks/config';
import { defaultProvider } from '../../shared/aws/lambda-credentials';
import { bundleStackFormatter } from '../../shared/aws/lambda-stack-traces';

describe('the Lambda credential provider', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('returns the execution role credentials Lambda puts in the environment', async () => {
    // Prepare
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    // Act
    const credentials = await defaultProvider({})();
    // Assess
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('says which credentials it reads when the environment has none', async () => {
    // Prepare
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    // Act
    const reading = defaultProvider({})();
    // Assess
    await expect(reading).rejects.toThrow(/AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN/);
  });
});

describe('a function bundle', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'bundling-test-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('gives the CDK one --alias argument per replaced module', () => {
    expect(projectBundling().esbuildArgs['--alias']).toEqual([
      '@aws-sdk/credential-provider-node=./shared/aws/lambda-credentials.ts',
      'xml-js=./shared/feeds/xml-js-writer.ts',
      ...LEAN_SDK_CLIENTS.map((client) =>
        expect.stringMatching(
          new RegExp(
            `^${client}=\\./node_modules/\\.cache/lean-sdk-clients/${client}@[\\d.]+-r\\d+/dist-es/index\\.js$`,
          ),
        ),
      ),
    ]);
  });

  it('holds the Lambda credential provider and none of the SDK chain it replaces', async () => {
    // Act
    const { bytes, metafile } = await bundleFunction(
      join(repoRoot, 'functions', 'deliver', 'handler.ts'),
      join(outDir, 'deliver', 'index.mjs'),
    );
    // Assess
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain(PROJECT_BUNDLE_ALIASES['@aws-sdk/credential-provider-node'].slice(2));
    expect(
      inputs.filter((input) => /credential-provider-(?!env)|nested-clients|token-providers/.test(input)),
    ).toEqual([]);
    expect(bytes).toBeLessThan(1024 * 1024);
  });

  it('writes feeds with xml-js’s writer alone, exactly as the unbundled code does', async () => {
    // Prepare
    const bundle = join(outDir, 'feeds', 'index.mjs');
    const { metafile } = await bundleFunction(
      join(repoRoot, 'test', 'infra', 'fixtures', 'feed-entry.ts'),
      bundle,
    );
    const { feeds } = await import('./fixtures/feed-entry');
    // Act
    const bundled = (await import(pathToFileURL(bundle).href)) as typeof import('./fixtures/feed-entry');
    // Assess
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('node_modules/xml-js/lib/js2xml.js');
    expect(
      inputs.filter((input) => /xml-js\/lib\/(?!js2xml|options-helper|array-helper)|\/sax\//.test(input)),
    ).toEqual([]);
    expect(bundled.feeds()).toEqual(feeds());
  });

  describe('stack traces', () => {
    const bundle = join(outDir, 'throwing', 'index.mjs');
    /** Imports the bundle in a fresh node, runs `before` (a statement), then prints the stack of a failure. */
    const stackFrom = (flags: string[], before = '') => {
      const script = `import { rmSync } from 'node:fs'; const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); ${before} process.stdout.write(m.stackOfFailure());`;
      const run = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    beforeAll(async () => {
      await bundleFunction(join(repoRoot, 'test', 'infra', 'fixtures', 'throwing-entry.ts'), bundle);
    });

    it('point at the TypeScript sources, exactly as with --enable-source-maps', () => {
      // Act
      const lazy = stackFrom([]);
      // Assess
      expect(lazy).toMatch(
        /^MalformedNotificationError: message body is not JSON\n {4}at parseNotificationBody \(.*\/shared\/ingest\/notifications\.ts:\d+:\d+\)/,
      );
      expect(lazy).toBe(stackFrom(['--enable-source-maps']));
    });

    it('read the source map when a stack is first formatted, not at import', () => {
      // Act: the map is gone before the first stack is formatted
      const stack = stackFrom([], `rmSync(${JSON.stringify(`${bundle}.map`)});`);
      // Assess: frames as V8 wrote them, in the bundle
      expect(stack).toMatch(
        /^MalformedNotificationError: message body is not JSON\n {4}at \S+ \(file:.*index\.mjs:\d+:\d+\)/,
      );
    });
  });
});

describe('the bundle stack formatter', () => {
  it('leaves frames as V8 wrote them when the bundle has no source map', () => {
    // Prepare
    const format = bundleStackFormatter('file:///var/task/index.mjs', () => {
      throw new Error('ENOENT');
    });
    const site = {
      getFileName: () => 'file:///var/task/index.mjs',
      getLineNumber: () => 1,
      getColumnNumber: () => 42,
      isAsync: () => false,
      toString: () => 'h (file:///var/task/index.mjs:1:42)',
    } as unknown as NodeJS.CallSite;
    // Act
    const stack = format(new RangeError('out of range'), [site]);
    // Assess
    expect(stack).toBe('RangeError: out of range\n    at h (file:///var/task/index.mjs:1:42)');
  });
});
