// The AWS SDK clients as the bundles use them: a copy of each client whose generated schema modules write their
// trait keys as the string literals they are.
//
// The SDK generates `{ [_hE]: 400 }` with `const _hE = "httpError"`. esbuild must assume that a computed key may
// run code (it can call `toString`), so it keeps every statement that has one, and with them every schema of
// the client: a bundle that sends S3's GetObject carried all 484 S3 schemas (66 KiB minified), built at every
// cold start. This is aws/aws-sdk-js-v3#7607; the generator's fix is smithy-lang/smithy-typescript#1889, open
// as of 2026-12 (3.1175.0 still has it). With the keys written as literals, esbuild drops the unused schemas:
// the ingest bundle went from 595 to 536 KiB and its init from 144 to 125 ms (medians of 60 fresh imports each,
// interleaved, 2026-12-01; docs/benchmarks.md). Nothing else in the copy changes, and
// test/infra/lean-sdk-clients.test.ts checks that every schema the copy exports equals the original's. Remove
// this module once a release generates literal keys: that test then fails on the size it no longer saves.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';

/** The clients the functions bundle. */
export const LEAN_SDK_CLIENTS = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-sqs',
] as const;

/** Bumped whenever the rewrite changes, so that copies made by an older one are not reused. */
const REWRITE_VERSION = 1;

/** `const _hE = "httpError";` at the start of a line: the string table the generated modules declare. */
const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;
/** A computed key naming one identifier: `[_hE]:`. */
const COMPUTED_KEY = /\[(_\w+)\]:/g;

/**
 * Writes each computed key `[_x]:` whose `_x` is one of the module's string constants as that string.
 * Anything else (an identifier the module does not declare as a string) is left as it is.
 */
export function inlineSchemaKeys(source: string): string {
  const strings = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT))
    strings.set(name as string, literal as string);
  return source.replace(COMPUTED_KEY, (key, name: string) => {
    const literal = strings.get(name);
    return literal === undefined ? key : `${literal}:`;
  });
}

/** The folder of a client's lean copy (one per client version and rewrite). */
function copyDir(root: string, client: string): string {
  const { version } = JSON.parse(
    readFileSync(join(root, 'node_modules', client, 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return join(root, 'node_modules', '.cache', 'lean-sdk-clients', `${client}@${version}-r${REWRITE_VERSION}`);
}

/**
 * Makes the client's lean copy under node_modules/.cache (once per version) and returns the path of its ES
 * module entry. The copy's own imports of other packages resolve to the project's node_modules as the
 * client's would. A copy is built in a temporary folder and renamed into place, so that builds running at once
 * never see half of one.
 */
export function leanClientEntry(root: string, client: string): string | undefined {
  // A client with packages of its own (versions other than the project's) would resolve the project's from
  // the copy: such a client is bundled as it is.
  if (existsSync(join(root, 'node_modules', client, 'node_modules'))) return undefined;
  const target = copyDir(root, client);
  const entry = join(target, 'dist-es', 'index.js');
  if (existsSync(entry)) return entry;
  const source = join(root, 'node_modules', client);
  const parent = join(target, '..');
  mkdirSync(parent, { recursive: true });
  const building = mkdtempSync(join(parent, '.building-'));
  cpSync(join(source, 'package.json'), join(building, 'package.json'));
  cpSync(join(source, 'dist-es'), join(building, 'dist-es'), { recursive: true });
  const schemas = join(building, 'dist-es', 'schemas');
  for (const name of existsSync(schemas) ? readdirSync(schemas) : []) {
    if (!name.endsWith('.js')) continue;
    const path = join(schemas, name);
    writeFileSync(path, inlineSchemaKeys(readFileSync(path, 'utf8')));
  }
  try {
    renameSync(building, target);
  } catch (error) {
    // Another build made the same copy first: use it.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(entry)) throw error;
  }
  return entry;
}

/** esbuild aliases from each client to its lean copy, relative to `root` (where the CDK runs esbuild). */
export function leanSdkAliases(root: string): Record<string, string> {
  return Object.fromEntries(
    LEAN_SDK_CLIENTS.flatMap((client) => {
      const entry = leanClientEntry(root, client);
      return entry ? [[client, `./${relative(root, entry)}`]] : [];
    }),
  );
}
