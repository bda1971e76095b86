// A small path router so one Lambda can serve several routes: `/topics/{slug}/feed.{format}` against rawPath.
import { BadRequest, MethodNotAllowed, NotFound } from './errors';
import type { HttpRequest, HttpResponse } from './request';

type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

/** The params a pattern captures: `PathParams<'/events/{date}/{slug}.json'>` is `{ date: string; slug: string }`. */
export type PathParams<P extends string> = { [K in ParamNames<P>]: string };

export interface RouteDefinition {
  method: string;
  pattern: string;
  /** The decoded params when `segments` fit the pattern. */
  match(segments: readonly string[]): Record<string, string> | undefined;
  handle(req: HttpRequest): Promise<HttpResponse>;
}

type SegmentMatcher = { literal: string } | { regex: RegExp; names: string[] };

const paramName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function compileSegment(segment: string, pattern: string, seen: Set<string>): SegmentMatcher {
  if (!segment.includes('{')) return { literal: segment };
  const names: string[] = [];
  let source = '';
  for (const part of segment.split(/(\{[^}]*\})/)) {
    if (part.startsWith('{')) {
      const name = part.slice(1, -1);
      if (!paramName.test(name) || seen.has(name)) throw new Error(`bad parameter "${part}" in ${pattern}`);
      seen.add(name);
      names.push(name);
      source += '(.+?)';
    } else {
      if (part.includes('}')) throw new Error(`unbalanced "}" in ${pattern}`);
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return { regex: new RegExp(`^${source}$`, 's'), names };
}

/**
 * One route: `method` is matched case-insensitively (GET routes also answer HEAD); each `{name}` in `pattern`
 * captures a non-empty, percent-decoded part of one path segment (`feed.{format}`, `{slug}.json`).
 */
export function route<const P extends string>(
  method: string,
  pattern: P,
  handle: (req: HttpRequest<PathParams<P>>) => Promise<HttpResponse>,
): RouteDefinition {
  if (!pattern.startsWith('/')) throw new Error(`route pattern must start with "/": ${pattern}`);
  const seen = new Set<string>();
  const matchers = pattern.split('/').map((segment) => compileSegment(segment, pattern, seen));
  return {
    method: method.toUpperCase(),
    pattern,
    match(segments) {
      if (segments.length !== matchers.length) return undefined;
      const params: Record<string, string> = {};
      for (const [i, matcher] of matchers.entries()) {
        const segment = segments[i] ?? '';
        if ('literal' in matcher) {
          if (segment !== matcher.literal) return undefined;
          continue;
        }
        const found = matcher.regex.exec(segment);
        if (found === null) return undefined;
        for (const [j, name] of matcher.names.entries()) params[name] = found[j + 1] ?? '';
      }
      return params;
    },
    // The router only calls this after `match` succeeded, so the params have exactly the pattern's names.
    handle: (req) => handle(req as HttpRequest<PathParams<P>>),
  };
}

function decodeSegments(rawPath: string): string[] {
  try {
    return rawPath.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    throw new BadRequest('The path contains malformed percent-encoding.', 'path');
  }
}

/** Dispatches to the first route whose pattern and method fit; unknown path → NotFound, wrong method → MethodNotAllowed. */
export function router(...routes: RouteDefinition[]): (req: HttpRequest) => Promise<HttpResponse> {
  return async (req) => {
    const segments = decodeSegments(req.rawPath);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const allowed = new Set<string>();
    for (const candidate of routes) {
      const params = candidate.match(segments);
      if (params === undefined) continue;
      if (candidate.method === req.method || candidate.method === method) {
        return candidate.handle({ ...req, params });
      }
      allowed.add(candidate.method);
      if (candidate.method === 'GET') allowed.add('HEAD');
    }
    if (allowed.size > 0) throw new MethodNotAllowed([...allowed]);
    throw new NotFound('There is no resource at this path.');
  };
}
