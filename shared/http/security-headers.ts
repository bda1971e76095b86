// Headers every response carries, and the request size bounds checked before any route runs.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequest } from './errors';
import type { HttpResponse } from './request';

/** Far above any real path (an event id is ≤ 512 bytes) or query; API Gateway's own limit is 10 KB for both. */
export const REQUEST_LIMITS = { pathBytes: 2_048, queryBytes: 4_096 } as const;

/** A problem document is JSON, never a page: nothing in it may load, run or be framed. */
export const ERROR_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Throws BadRequest when the path or the query string is over its bound. */
export function assertRequestSize(event: Pick<APIGatewayProxyEventV2, 'rawPath' | 'rawQueryString'>): void {
  if (Buffer.byteLength(event.rawPath ?? '') > REQUEST_LIMITS.pathBytes) {
    throw new BadRequest(`The path is longer than ${REQUEST_LIMITS.pathBytes} bytes.`);
  }
  if (Buffer.byteLength(event.rawQueryString ?? '') > REQUEST_LIMITS.queryBytes) {
    throw new BadRequest(`The query string is longer than ${REQUEST_LIMITS.queryBytes} bytes.`);
  }
}

/** `nosniff` on every response; on errors a CSP that forbids everything, unless the route set its own. */
export function withSecurityHeaders(res: HttpResponse): HttpResponse {
  const headers: Record<string, string> = {
    ...res.headers,
    'x-content-type-options': 'nosniff',
  };
  if ((res.statusCode ?? 200) >= 400 && headers['content-security-policy'] === undefined) {
    headers['content-security-policy'] = ERROR_CSP;
  }
  return { ...res, headers };
}
