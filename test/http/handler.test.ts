import { describe, expect, it, vi } from 'vitest';
import { json } from '../../shared/http/conditional';
import { BadRequest } from '../../shared/http/errors';
import { http } from '../../shared/http/handler';
import type { HttpRequest } from '../../shared/http/request';
import { route, router } from '../../shared/http/router';
import { apiEvent, request } from './support';

const echo = async (req: HttpRequest) => json({ method: req.method, params: req.params, query: req.query });

const routes = router(
  route('GET', '/topics/{slug}/feed.{format}', echo),
  route('GET', '/events/{date}/{slug}.json', echo),
  route('POST', '/events/{date}/{slug}.json', echo),
  route('GET', '/', echo),
);

async function call(input: Parameters<typeof apiEvent>[0], logError = vi.fn()) {
  const res = await http(routes, { logError })(apiEvent(input));
  return { res, body: res.body === undefined ? undefined : JSON.parse(res.body), logError };
}

describe('toRequest', () => {
  it('lower-cases header names and decodes the query string', () => {
    // Act
    const req = request({
      headers: { 'If-None-Match': '"a"', Host: 'api.example.net' },
      rawQueryString: 'q=%E4%BC%8A%E6%96%AF+x&limit=5&tag=a&tag=b',
    });

    // Assess
    expect(req.headers).toEqual({ 'if-none-match': '"a"', host: 'api.example.net' });
    expect(req.header('IF-NONE-MATCH')).toBe('"a"');
    expect(req.query).toEqual({ q: '伊斯 x', limit: '5', tag: 'a' });
    expect(req.queryAll('tag')).toEqual(['a', 'b']);
    expect(req.requestId).toBe('req-1');
  });

  it('decodes a base64 body', () => {
    // Act
    const req = request({
      method: 'POST',
      body: Buffer.from('{"a":1}').toString('base64'),
      isBase64Encoded: true,
    });

    // Assess
    expect(req.body).toBe('{"a":1}');
  });
});

describe('http + router', () => {
  it('matches a feed path and captures both params', async () => {
    // Act
    const { res, body } = await call({ rawPath: '/topics/islamabad/feed.rss', rawQueryString: 'limit=2' });

    // Assess
    expect(res.statusCode).toBe(200);
    expect(body).toEqual({
      method: 'GET',
      params: { slug: 'islamabad', format: 'rss' },
      query: { limit: '2' },
    });
  });

  it('matches a percent-encoded Han slug and hands it over decoded', async () => {
    // Prepare
    const slug = '伊斯兰堡';

    // Act
    const { body } = await call({ rawPath: `/events/2010-05-01/${encodeURIComponent(slug)}.json` });

    // Assess
    expect(body.params).toEqual({ date: '2010-05-01', slug });
  });

  it('also matches a Han slug that arrives unencoded, and dots inside a slug', async () => {
    // Act
    const han = await call({ rawPath: '/topics/伊斯兰堡/feed.atom' });
    const dotted = await call({ rawPath: '/events/2007-07-09/u.s.-troops.json' });

    // Assess
    expect(han.body.params).toEqual({ slug: '伊斯兰堡', format: 'atom' });
    expect(dotted.body.params).toEqual({ date: '2007-07-09', slug: 'u.s.-troops' });
  });

  it('answers an unknown path with a 404 problem', async () => {
    // Act
    const { res, body } = await call({ rawPath: '/topics/islamabad/feed' });

    // Assess
    expect(res.statusCode).toBe(404);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 404, instance: '/topics/islamabad/feed' });
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    // Act
    const { res, body } = await call({ method: 'DELETE', rawPath: '/events/2007-07-09/x.json' });

    // Assess
    expect(res.statusCode).toBe(405);
    expect(res.headers?.allow).toBe('GET, HEAD, POST');
    expect(body).toMatchObject({ status: 405 });
  });

  it('answers HEAD from the GET route without a body', async () => {
    // Act
    const { res } = await call({ method: 'HEAD', rawPath: '/' });

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(res).not.toHaveProperty('body');
  });

  it('rejects malformed percent-encoding with a 400 naming the path', async () => {
    // Act
    const { res, body } = await call({ rawPath: '/topics/%E4%BC/feed.rss' });

    // Assess
    expect(res.statusCode).toBe(400);
    expect(body).toMatchObject({ status: 400, param: 'path' });
  });

  it('maps named errors thrown by a route to their problem', async () => {
    // Prepare
    const handler = http(
      router(
        route('GET', '/bad', async () => {
          throw new BadRequest('cursor is not valid', 'cursor');
        }),
      ),
    );

    // Act
    const res = await handler(apiEvent({ rawPath: '/bad' }));

    // Assess
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '')).toMatchObject({ param: 'cursor', detail: 'cursor is not valid' });
  });

  it('hides unexpected errors behind a generic 500 and hands them to logError', async () => {
    // Prepare
    const logError = vi.fn();
    const handler = http(
      async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'Items')");
      },
      { logError },
    );

    // Act
    const res = await handler(apiEvent({ rawPath: '/boom' }));

    // Assess
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/Items|TypeError|\.ts:\d/);
    expect(logError).toHaveBeenCalledOnce();
    expect(logError.mock.calls[0]?.[0]).toBeInstanceOf(TypeError);
  });

  it('refuses malformed patterns when the route is defined', () => {
    // Act + Assess
    expect(() => route('GET', 'topics/{slug}', echo)).toThrow(/must start with/);
    expect(() => route('GET', '/a/{x}/{x}', echo)).toThrow(/bad parameter/);
    expect(() => route('GET', '/a/{x-y}', echo)).toThrow(/bad parameter/);
  });
});
