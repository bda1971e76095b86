// Runs the public API routes in-process against a store, with an injected clock and a fixed cursor key.
import { apiRoutes } from '../../shared/api/routes';
import { http } from '../../shared/http/handler';
import type { ReadStore } from '../../shared/store/events-table';
import { apiEvent } from '../http/support';

export const testBaseUrl = 'https://feeds.example.net';
export const testCursorKey = 'test-cursor-key-0123456789abcdef0123456789';

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface InProcessApi {
  get(pathAndQuery: string, headers?: Record<string, string>): Promise<ApiResponse>;
  getJson<T>(pathAndQuery: string): Promise<T>;
  /** Unexpected errors the routes logged (each one was a 500). */
  errors: unknown[];
}

export function inProcessApi(store: ReadStore, now: () => Date): InProcessApi {
  const errors: unknown[] = [];
  const handler = http(apiRoutes({ store, now, publicBaseUrl: testBaseUrl, cursorKey: testCursorKey }), {
    logError: (error) => errors.push(error),
  });
  const get = async (pathAndQuery: string, headers: Record<string, string> = {}) => {
    const [rawPath = '/', rawQueryString = ''] = pathAndQuery.split('?');
    const result = await handler(apiEvent({ rawPath, rawQueryString, headers }));
    return {
      status: result.statusCode ?? 200,
      headers: (result.headers ?? {}) as Record<string, string>,
      body: String(result.body ?? ''),
    };
  };
  return {
    get,
    errors,
    async getJson<T>(pathAndQuery: string): Promise<T> {
      const response = await get(pathAndQuery);
      if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status} ${response.body}`);
      return JSON.parse(response.body) as T;
    },
  };
}

/** The `cursor` query parameter of an absolute `next` URL, or the cursor itself. */
export function cursorOf(next: string): string {
  return next.startsWith('http') ? (new URL(next).searchParams.get('cursor') ?? '') : next;
}
