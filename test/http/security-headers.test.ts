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

  it('answers 413 problem details for a body over its bound, plain or base64-encoded, before any route runs', async () => {
    // Prepare: a route that would fail the test if it ran.
    let ran = 0;
    const posting = http(
      router(
        route('POST', '/in', async () => {
          ran++;
          return json({ ok: true }, 201);
        }),
      ),
      { logError: () => undefined },
    );
    const atLimit = 'a'.repeat(REQUEST_LIMITS.bodyBytes);
    const overLimit = `${atLimit}a`;

    // Act
    const plain = await posting(apiEvent({ method: 'POST', rawPath: '/in', body: overLimit }));
    const encoded = await posting(
      apiEvent({
        method: 'POST',
        rawPath: '/in',
        body: Buffer.from(overLimit).toString('base64'),
        isBase64Encoded: true,
      }),
    );
    const multiByte = await posting(
      apiEvent({
        method: 'POST',
        rawPath: '/in',
        body: '€'.repeat(Math.ceil(REQUEST_LIMITS.bodyBytes / 3) + 1),
      }),
    );
    const fits = await posting(
      apiEvent({
        method: 'POST',
        rawPath: '/in',
        body: Buffer.from(atLimit).toString('base64'),
        isBase64Encoded: true,
      }),
    );

    // Assess
    for (const response of [plain, encoded, multiByte]) {
      expect(response.statusCode).toBe(413);
      expect(response.headers?.['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers?.['content-security-policy']).toBe(ERROR_CSP);
    }
    expect(fits.statusCode).toBe(201);
    expect(ran).toBe(1);
  });
});
