// The request and response shapes every route sees, built once from an API Gateway HTTP API (payload 2.0) event.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface HttpRequest<Params extends Record<string, string> = Record<string, string>> {
  /** Upper-case method, e.g. `GET`. */
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  /** Path parameters captured by the router, percent-decoded. Empty before routing. */
  params: Params;
  /** Header names lower-cased; repeated headers are comma-joined as API Gateway delivers them. */
  headers: Record<string, string>;
  /** Query parameters, decoded; the first value wins when a name repeats (see `queryAll`). */
  query: Record<string, string>;
  /** The request body, base64-decoded when API Gateway encoded it. */
  body: string | undefined;
  requestId: string | undefined;
  /** A header by case-insensitive name. */
  header(name: string): string | undefined;
  /** Every value of a repeated query parameter, in order. */
  queryAll(name: string): string[];
}

/** What a route returns: a strict subset of `APIGatewayProxyStructuredResultV2`. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
}

export function toRequest(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const search = queryOf(event);
  const query: Record<string, string> = {};
  for (const [name, value] of search) {
    if (!Object.hasOwn(query, name)) query[name] = value;
  }
  const body =
    event.body === undefined || !event.isBase64Encoded
      ? event.body
      : Buffer.from(event.body, 'base64').toString('utf8');
  return {
    method: (event.requestContext?.http?.method ?? 'GET').toUpperCase(),
    rawPath: event.rawPath || '/',
    params: {},
    headers,
    query,
    body,
    requestId: event.requestContext?.requestId,
    header: (name) => headers[name.toLowerCase()],
    queryAll: (name) => search.getAll(name),
  };
}

// rawQueryString is exactly what the client sent; queryStringParameters is only a fallback for hand-built events.
function queryOf(event: APIGatewayProxyEventV2): URLSearchParams {
  if (event.rawQueryString) return new URLSearchParams(event.rawQueryString);
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) search.append(name, value);
  }
  return search;
}
