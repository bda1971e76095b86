// The one place where errors become HTTP: named errors → RFC 9457 problem details, anything else → a generic 500.
import { InvalidMonthDay } from '../domain/calendar';
import {
  BadRequest,
  ContentTooLarge,
  MethodNotAllowed,
  NotFound,
  NotImplemented,
  TooManyRequests,
  Unauthorized,
} from './errors';
import type { HttpResponse } from './request';

export const problemContentType = 'application/problem+json';

/** RFC 9457 problem details, plus the extension members this service defines. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Extension for `invalid-parameter`: the path or query parameter at fault. */
  param?: string;
}

/** Problem type for a bad parameter; `about:blank` (status semantics only) is used for everything else. */
export const invalidParameterType = 'tag:thecontext.net,2018:problem/invalid-parameter';

const internalError = {
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
  detail: 'An unexpected error occurred.',
} as const;

/** The problem for a named error, or `undefined` when the error is unexpected. */
function describe(error: unknown): { problem: ProblemDetails; headers?: Record<string, string> } | undefined {
  if (error instanceof BadRequest) {
    return error.param === undefined
      ? { problem: { type: 'about:blank', title: 'Bad Request', status: 400, detail: error.message } }
      : {
          problem: {
            type: invalidParameterType,
            title: 'Invalid parameter',
            status: 400,
            detail: error.message,
            param: error.param,
          },
        };
  }
  // Domain errors: the only month-day the API takes is the `/on-this-day/{monthDay}` path parameter.
  if (error instanceof InvalidMonthDay) {
    return {
      problem: {
        type: invalidParameterType,
        title: 'Invalid parameter',
        status: 400,
        detail: error.message,
        param: 'monthDay',
      },
    };
  }
  if (error instanceof NotFound) {
    return { problem: { type: 'about:blank', title: 'Not Found', status: 404, detail: error.message } };
  }
  if (error instanceof Unauthorized) {
    return {
      problem: { type: 'about:blank', title: 'Unauthorized', status: 401, detail: error.message },
      headers: { 'www-authenticate': 'Bearer' },
    };
  }
  if (error instanceof ContentTooLarge) {
    return {
      problem: { type: 'about:blank', title: 'Content Too Large', status: 413, detail: error.message },
    };
  }
  if (error instanceof TooManyRequests) {
    return {
      problem: { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: error.message },
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof NotImplemented) {
    return { problem: { type: 'about:blank', title: 'Not Implemented', status: 501, detail: error.message } };
  }
  if (error instanceof MethodNotAllowed) {
    return {
      problem: { type: 'about:blank', title: 'Method Not Allowed', status: 405, detail: error.message },
      headers: { allow: error.allow.join(', ') },
    };
  }
  return undefined;
}

export interface ProblemOptions {
  /** URI reference of this occurrence, usually the request path. */
  instance?: string;
  /** Receives every unexpected error; named errors are the client's fault and are not logged. */
  log: (error: unknown) => void;
}

export function problemResponse(error: unknown, options: ProblemOptions): HttpResponse {
  const known = describe(error);
  if (known === undefined) {
    try {
      options.log(error);
    } catch {
      // A failing logger must not turn a 500 into an unhandled rejection.
    }
  }
  const { problem, headers } = known ?? { problem: { ...internalError } };
  if (problem.detail === '') delete problem.detail;
  if (options.instance !== undefined) problem.instance = options.instance;
  return {
    statusCode: problem.status,
    headers: { 'content-type': problemContentType, 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(problem),
  };
}
