// Every response is nosniff, every error carries a CSP that forbids everything, and oversized requests are 400s.
import { describe, expect, it } from 'vitest';
import { json } from '../../shared/http/conditional';
import { http } from '../../shared/http/handler';
import { route, router } from '../../shared/http/router';
import { ERROR_CSP, REQUEST_LIMITS } from '../../shared/http/security-headers';
import { apiEvent } from './support';

const handler = http(
  router(
    route('GET', '/ok', async () => json({ ok: true })),
    route('GET', '/boom', async () => {
      throw new Error('secret detail');
    }),
  ),
  { logError: () => undefined },
);

describe('security headers', () => {
  it.each([
    ['/ok', 200],
    ['/missing', 404],
    ['/boom', 500],
  ])('%s (%i) is nosniff', async (rawPath, status) => {
    const res = await handler(apiEvent({ rawPath }));
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['x-content-type-options']).toBe('nosniff');
  });

  it('puts a CSP on error responses only, and no detail of an unexpected error', async () => {
    const ok = await handler(apiEvent({ rawPath: '/ok' }));
    const boom = await handler(apiEvent({ rawPath: '/boom' }));
    expect(ok.headers?.['content-security-policy']).toBeUndefined();
    expect(boom.headers?.['content-security-policy']).toBe(ERROR_CSP);
    expect(String(boom.body)).not.toContain('secret detail');
  });

  it('answers 400 for a path or a query string over its bound, before any route runs', async () => {
    const longPath = await handler(apiEvent({ rawPath: `/ok/${'a'.repeat(REQUEST_LIMITS.pathBytes)}` }));
    const longQuery = await handler(
      apiEvent({ rawPath: '/ok', rawQueryString: `q=${'a'.repeat(REQUEST_LIMITS.queryBytes)}` }),
    );
    expect(longPath.statusCode).toBe(400);
    expect(longQuery.statusCode).toBe(400);
    expect(longQuery.headers?.['content-security-policy']).toBe(ERROR_CSP);
  });
});
