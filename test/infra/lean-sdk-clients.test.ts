// The bundles use lean copies of the SDK clients whose schema modules write trait keys as literals, so that
// esbuild drops the schemas a function never uses (infra/constructs/lean-sdk-clients.ts). The copy must
// describe every shape exactly as the client does, and it must still save what it is there to save.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { inlineSchemaKeys, LEAN_SDK_CLIENTS, leanClientEntry } from '../../infra/constructs/lean-sdk-clients';
import { repoRoot } from '../../infra/stacks/config';

/** A module's exports as text: thunks (`() => Shape$`) by their source, so that cycles end there. */
function describeExports(module: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(module).filter(([, value]) => Array.isArray(value))),
    (_key, value: unknown) => (typeof value === 'function' ? `function ${value.toString()}` : value),
  );
}

describe('inlineSchemaKeys', () => {
  it('writes computed keys that name a string constant of the module as that string, and nothing else', () => {
    // Prepare
    const source = [
      'const _e = "error";',
      'const _hE = "httpError";',
      'const _q = "a \\"quoted\\" key";',
      'let other = "x";',
      'export var NoSuchKey$ = [-3, n0, _NSK, { [_e]: _c, [_hE]: 404, [_q]: 1 }, [], []];',
      'export var Kept$ = [3, n0, _K, { [other]: 1, [_missing]: 2 }, [() => NoSuchKey$]];',
      'const pick = flag ? [_e] : [_hE];',
    ].join('\n');

    // Act
    const inlined = inlineSchemaKeys(source);

    // Assess
    expect(inlined).toContain('{ "error": _c, "httpError": 404, "a \\"quoted\\" key": 1 }');
    expect(inlined).toContain('{ [other]: 1, [_missing]: 2 }');
    expect(inlined).toContain('const pick = flag ? [_e] : [_hE];');
  });
});

describe.each(LEAN_SDK_CLIENTS)('the lean copy of %s', (client) => {
  const entry = leanClientEntry(repoRoot, client);

  it('exports every schema exactly as the client does', async () => {
    // Prepare
    if (!entry) throw new Error(`${client} has packages of its own, so it has no lean copy`);
    const schemas = (root: string) => pathToFileURL(join(root, 'dist-es', 'schemas', 'schemas_0.js')).href;

    // Act
    const original = (await import(schemas(join(repoRoot, 'node_modules', client)))) as Record<
      string,
      unknown
    >;
    const lean = (await import(schemas(join(entry, '..', '..')))) as Record<string, unknown>;

    // Assess
    expect(Object.keys(lean).sort()).toEqual(Object.keys(original).sort());
    expect(describeExports(lean)).toBe(describeExports(original));
  });
});

describe('a bundle that sends one S3 command', () => {
  it('is at least 40 KiB smaller with the lean copy of the client', async () => {
    // Prepare
    const bundle = async (alias: Record<string, string>) => {
      const result = await build({
        stdin: {
          contents: "export { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';",
          resolveDir: repoRoot,
        },
        absWorkingDir: repoRoot,
        bundle: true,
        platform: 'node',
        format: 'esm',
        minify: true,
        mainFields: ['module', 'main'],
        alias,
        write: false,
        logLevel: 'error',
      });
      return result.outputFiles[0]?.contents.byteLength ?? 0;
    };
    const entry = leanClientEntry(repoRoot, '@aws-sdk/client-s3');
    if (!entry) throw new Error('@aws-sdk/client-s3 has packages of its own, so it has no lean copy');

    // Act
    const asPublished = await bundle({});
    const lean = await bundle({ '@aws-sdk/client-s3': entry });

    // Assess: when the SDK generates literal keys itself, this fails, and the copy can go.
    expect(asPublished - lean).toBeGreaterThan(40 * 1024);
  }, 30_000);
});
