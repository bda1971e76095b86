// Wraps a route into a Lambda handler for API Gateway HTTP API (payload 2.0): builds the request, maps errors once.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { problemResponse } from './problems';
import { type HttpRequest, type HttpResponse, toRequest } from './request';
import { assertRequestSize, withSecurityHeaders } from './security-headers';

export type { HttpRequest, HttpResponse } from './request';

export type Route = (req: HttpRequest) => Promise<HttpResponse>;

export interface HttpOptions {
  /** Where unexpected errors go (e.g. a Powertools logger); the client only ever sees a generic 500. */
  logError?: (error: unknown) => void;
}

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const logToConsole = (error: unknown): void => console.error('unhandled error', error);

export function http(route: Route, options: HttpOptions = {}): LambdaHttpHandler {
  const log = options.logError ?? logToConsole;
  return async (event) => {
    const req = toRequest(event);
    let res: HttpResponse;
    try {
      assertRequestSize(event);
      res = await route(req);
    } catch (error) {
      res = problemResponse(error, { instance: req.rawPath, log });
    }
    res = withSecurityHeaders(res);
    // HEAD is answered by the GET route; the body goes, the headers stay.
    if (req.method === 'HEAD') {
      const { body: _body, ...headOnly } = res;
      return headOnly;
    }
    return res;
  };
}
