// Headers every response carries, and the request size bounds checked before any route runs.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequest, ContentTooLarge } from './errors';
import type { HttpResponse } from './request';

/**
 * Far above any real path (an event id is ≤ 512 bytes) or query; API Gateway's own limit is 10 KB for both.
 * A body is only ever a subscription (an endpoint of ≤ 2 KB and ≤ 100 topic slugs): 16 KB, where API Gateway
 * would take 10 MB.
 */
export const REQUEST_LIMITS = { pathBytes: 2_048, queryBytes: 4_096, bodyBytes: 16_384 } as const;

/** A problem document is JSON, never a page: nothing in it may load, run or be framed. */
export const ERROR_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Throws BadRequest when the path or the query string is over its bound, ContentTooLarge for the body. */
export function assertRequestSize(
  event: Pick<APIGatewayProxyEventV2, 'rawPath' | 'rawQueryString' | 'body' | 'isBase64Encoded'>,
): void {
  if (Buffer.byteLength(event.rawPath ?? '') > REQUEST_LIMITS.pathBytes) {
    throw new BadRequest(`The path is longer than ${REQUEST_LIMITS.pathBytes} bytes.`);
  }
  if (Buffer.byteLength(event.rawQueryString ?? '') > REQUEST_LIMITS.queryBytes) {
    throw new BadRequest(`The query string is longer than ${REQUEST_LIMITS.queryBytes} bytes.`);
  }
  const body = event.body ?? '';
  // Measured as it will be decoded, without decoding it.
  const bodyBytes = event.isBase64Encoded ? Buffer.byteLength(body, 'base64') : Buffer.byteLength(body);
  if (bodyBytes > REQUEST_LIMITS.bodyBytes) {
    throw new ContentTooLarge(`The request body is larger than ${REQUEST_LIMITS.bodyBytes} bytes.`);
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
