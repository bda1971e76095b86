// parseEventObject for a cold start. The front matter parser (gray-matter, js-yaml and the schema) costs the
// ingest ~8 ms of module init and is needed only by hand-written files, so the ingest loads it on the
// first object that opens with front matter. Bundled, the dynamic import stays in the one file: esbuild
// defers the module's evaluation to that first call (docs/benchmarks.md, "the ingest's rare paths out of
// its cold start").
import type { ParseResult } from '../domain/event';
import { type FrontMatterParser, type ParseOptions, parseWith } from './parse-with';

/** Set once an object has needed it; concurrent first callers share the module system's one load. */
let frontMatter: FrontMatterParser | undefined;

/** The same result as parseEventObject (./index.ts) for every object. */
export async function parseEventObjectOnDemand(
  key: string,
  body: Uint8Array | string,
  options: ParseOptions = {},
): Promise<ParseResult> {
  if (frontMatter) return parseWith(frontMatter, key, body, options);
  let needed = false;
  const notLoaded: FrontMatterParser = () => {
    needed = true;
    return { kind: 'rejected', reason: 'unknown-format', detail: 'front matter parser not loaded' };
  };
  const result = parseWith(notLoaded, key, body, options);
  if (!needed) return result;
  frontMatter = (await import('./front-matter')).parseFrontMatterObject;
  return parseWith(frontMatter, key, body, options);
}
