// The functions' bundles as the stack builds them (PROJECT_BUNDLING): the SDK's credential chain is replaced by
// the environment credentials Lambda sets, and nothing of the rest of the chain is left in a bundle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { bundleFunction } from '../../bench/suite/cold-start-step';
import { PROJECT_BUNDLE_ALIASES, PROJECT_BUNDLING } from '../../infra/constructs/project-function';
import { repoRoot } from '../../infra/stacks/config';
import { defaultProvider } from '../../shared/aws/lambda-credentials';

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
    expect(PROJECT_BUNDLING.esbuildArgs['--alias']).toEqual([
      '@aws-sdk/credential-provider-node=./shared/aws/lambda-credentials.ts',
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
});
