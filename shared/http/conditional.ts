// Validators and conditional GET (RFC 9110 §13): strong ETag from the body, Last-Modified, 304 without a body.
import { createHash } from 'node:crypto';
import { formatHttpDate, parseHttpDate } from './http-date';
import type { HttpRequest, HttpResponse } from './request';

export interface Representation {
  /** The body, or a function that renders it: called only when the client's copy is not current. */
  body: string | (() => string);
  /**
   * A strong validator computed without rendering (e.g. a digest of the inputs of a deterministic
   * renderer); when absent, the ETag is the hash of the body.
   */
  etag?: string;
  contentType: string;
  lastModified?: Date | undefined;
  cacheControl: string;
}

/** A strong entity tag: the quoted base64url SHA-256 of the body's UTF-8 bytes. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (commas may appear inside).
const entityTag = /(?:W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"/g;

/** RFC 9110 §13.1.2: weak comparison of `etag` against an If-None-Match value (`*` or a list). */
export function noneMatchHits(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  for (const found of ifNoneMatch.matchAll(entityTag)) {
    if (`"${found[1]}"` === opaque) return true;
  }
  return false;
}

function notModified(
  req: Pick<HttpRequest, 'method' | 'headers'>,
  etag: string,
  lastModified?: Date,
): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return noneMatchHits(ifNoneMatch, etag);
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined || lastModified === undefined) return false;
  const since = parseHttpDate(ifModifiedSince);
  // Last-Modified is sent with second precision, so compare at that precision.
  return since !== undefined && Math.floor(lastModified.getTime() / 1000) * 1000 <= since.getTime();
}

/**
 * 200 with validators, or 304 with the same validators and no body when the client's copy is current.
 * If-None-Match decides when present; If-Modified-Since is consulted only without it (RFC 9110 §13.2.2).
 */
export function conditionalResponse(
  req: Pick<HttpRequest, 'method' | 'headers'>,
  representation: Representation,
): HttpResponse {
  const { contentType, cacheControl } = representation;
  const lastModified = validDate(representation.lastModified);
  let body = typeof representation.body === 'string' ? representation.body : undefined;
  if (representation.etag === undefined && body === undefined) body = (representation.body as () => string)();
  const etag = representation.etag ?? strongEtag(body as string);
  const validators: Record<string, string> = { etag, 'cache-control': cacheControl };
  if (lastModified !== undefined) validators['last-modified'] = formatHttpDate(lastModified);
  if (notModified(req, etag, lastModified)) return { statusCode: 304, headers: validators };
  body ??= (representation.body as () => string)();
  return { statusCode: 200, headers: { 'content-type': contentType, ...validators }, body };
}

function validDate(date: Date | undefined): Date | undefined {
  return date !== undefined && Number.isFinite(date.getTime()) ? date : undefined;
}

/**
 * `changedAt` as a Last-Modified to send at `now`, or none while it is less than a second old.
 * Last-Modified has second precision, so a copy served in the same second as a change could carry the
 * same date as one served after a second change in that second, and an If-Modified-Since revalidation of
 * it would be a 304 for a changed representation. RFC 9110 §8.8.2.2 calls a Last-Modified strong only when
 * it is at least a second older than the response; the ETag still validates in between.
 */
export function settledLastModified(changedAt: Date, now: Date): Date | undefined {
  const at = changedAt.getTime();
  return Number.isFinite(at) && now.getTime() - at >= 1_000 ? changedAt : undefined;
}

/** A JSON response; `headers` may override the content type. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
