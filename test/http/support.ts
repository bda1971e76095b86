// Builds API Gateway HTTP API (payload 2.0) events and requests the way API Gateway delivers them.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpRequest, toRequest } from '../../shared/http/request';

export interface EventInput {
  method?: string;
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export function apiEvent(input: EventInput = {}): APIGatewayProxyEventV2 {
  const method = input.method ?? 'GET';
  const rawPath = input.rawPath ?? '/';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: input.rawQueryString ?? '',
    headers: input.headers ?? {},
    isBase64Encoded: input.isBase64Encoded ?? false,
    ...(input.body === undefined ? {} : { body: input.body }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.net',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '28/Feb/2026:23:30:00 +0000',
      timeEpoch: Date.UTC(2026, 1, 28, 23, 30),
    },
  };
}

export function request(input: EventInput = {}): HttpRequest {
  return toRequest(apiEvent(input));
}
