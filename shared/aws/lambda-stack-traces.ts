// Stack traces that point at the TypeScript sources, for the Lambda bundles only: esbuild injects this module
// into each bundle (PROJECT_BUNDLING's `inject` in infra/constructs/project-function.ts). Node's
// `--enable-source-maps` reads and parses the bundle's source map at import, 20-30 ms of every cold start
// (docs/benchmarks.md, "Module init"), although most invocations never format a stack. Here the map is read
// when a stack is first formatted, with Node's own source map parser (node:module's SourceMap), so the cost
// falls on the invocations that throw, not on every container.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** V8's call site, with the enclosing-function position V8 has and @types/node does not declare. */
type CallSite = NodeJS.CallSite & {
  getEnclosingLineNumber?: () => number | null;
  getEnclosingColumnNumber?: () => number | null;
};

/** What findEntry returns for a mapped position; Node adds the symbol name the map holds there. */
interface Mapped {
  originalSource: string;
  originalLine: number;
  originalColumn: number;
  name?: string;
}

/**
 * Formats stacks whose frames are in the bundle at `bundleUrl` through the source map beside it, read on first
 * use, the way Node's own `--enable-source-maps` formats them (lib/internal/source_map/prepare_stack_trace.js):
 * same header, same frame text, original symbol names from the map.
 */
export function bundleStackFormatter(
  bundleUrl: string,
  readMap = (path: string) => readFileSync(path, 'utf8'),
) {
  let map: SourceMap | null | undefined;
  const lookup = (line: number | null | undefined, column: number | null | undefined): Partial<Mapped> => {
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readMap(`${fileURLToPath(bundleUrl)}.map`)));
      } catch {
        // No map beside the bundle, or an unreadable one: frames stay as V8 wrote them.
        map = null;
      }
    }
    if (!map || typeof line !== 'number' || typeof column !== 'number') return {};
    return map.findEntry(line - 1, column - 1) as Partial<Mapped>;
  };

  const frame = (site: CallSite, caller: CallSite | undefined): string => {
    if (site.getFileName() !== bundleUrl) return `${site}`;
    const { originalSource, originalLine, originalColumn } = lookup(
      site.getLineNumber(),
      site.getColumnNumber(),
    );
    if (originalSource === undefined || originalLine === undefined || originalColumn === undefined) {
      return `${site}`;
    }
    // The minified name means nothing: the map names the enclosing function, or the caller's call names it.
    const name =
      lookup(site.getEnclosingLineNumber?.(), site.getEnclosingColumnNumber?.()).name ??
      (caller?.getFileName() === bundleUrl
        ? lookup(caller.getLineNumber(), caller.getColumnNumber()).name
        : undefined);
    const typeName = site.getTypeName();
    const v8Name = `${typeName !== null && typeName !== 'global' ? `${typeName}.` : ''}${site.getFunctionName() ?? site.getMethodName() ?? '<anonymous>'}`;
    const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
    const source = fileURLToPath(new URL(originalSource, bundleUrl));
    return `${prefix}${name || v8Name} (${source}:${originalLine + 1}:${originalColumn + 1})`;
  };

  return (error: Error, sites: NodeJS.CallSite[]): string => {
    const code = (error as { code?: unknown }).code;
    const head =
      typeof code === 'string' && code.startsWith('ERR_')
        ? `${error.name} [${code}]: ${error.message}`
        : Error.prototype.toString.call(error);
    const frames = sites.map((site, index) => `\n    at ${frame(site, sites[index + 1])}`);
    return `${head}${frames.join('')}`;
  };
}

// When Node maps stacks itself (`--enable-source-maps`), it stays in charge.
if (!process.sourceMapsEnabled) Error.prepareStackTrace = bundleStackFormatter(import.meta.url);
