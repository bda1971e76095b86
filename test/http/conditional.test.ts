import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { conditionalResponse, json, noneMatchHits, strongEtag } from '../../shared/http/conditional';
import { formatHttpDate, parseHttpDate } from '../../shared/http/http-date';
import { request } from './support';

const body = '{"events":[]}';
const representation = {
  body,
  contentType: 'application/json; charset=utf-8',
  // Sub-second part on purpose: Last-Modified has second precision.
  lastModified: new Date('2026-02-28T23:30:00.750Z'),
  cacheControl: 'public, max-age=300',
};
const lastModifiedHeader = 'Sat, 28 Feb 2026 23:30:00 GMT';
const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;

describe('conditionalResponse', () => {
  it('answers 200 with a strong ETag, Last-Modified and Cache-Control', () => {
    // Act
    const res = conditionalResponse(request(), representation);

    // Assess
    expect(res).toEqual({
      statusCode: 200,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        etag,
        'cache-control': 'public, max-age=300',
        'last-modified': lastModifiedHeader,
      },
      body,
    });
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });

  it('round-trips: the ETag it sent brings a 304 with validators and no body', () => {
    // Prepare
    const first = conditionalResponse(request(), representation);

    // Act
    const again = conditionalResponse(
      request({ headers: { 'if-none-match': String(first.headers.etag) } }),
      representation,
    );

    // Assess
    expect(again).toEqual({
      statusCode: 304,
      headers: { etag, 'cache-control': 'public, max-age=300', 'last-modified': lastModifiedHeader },
    });
    expect(again).not.toHaveProperty('body');
  });

  it('round-trips Last-Modified through If-Modified-Since', () => {
    // Prepare
    const first = conditionalResponse(request(), representation);

    // Act
    const again = conditionalResponse(
      request({ headers: { 'if-modified-since': String(first.headers['last-modified']) } }),
      representation,
    );

    // Assess
    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
  });

  it.each([
    ['the weak form of its tag', `W/${etag}`, 304],
    ['a list holding its tag', `"other", W/"x,y", ${etag}`, 304],
    ['a list without its tag', '"other", W/"x,y"', 200],
    ['*', '*', 304],
    ['a tag of another body', strongEtag('{"events":[1]}'), 200],
    ['an unquoted tag', etag.slice(1, -1), 200],
    ['garbage', 'not an etag', 200],
  ])('If-None-Match with %s → %i', (_, ifNoneMatch, status) => {
    // Act
    const res = conditionalResponse(request({ headers: { 'if-none-match': ifNoneMatch } }), representation);

    // Assess
    expect(res.statusCode).toBe(status);
  });

  it.each([
    ['older than Last-Modified', 'Sat, 28 Feb 2026 23:29:59 GMT', 200],
    ['equal to Last-Modified', lastModifiedHeader, 304],
    ['newer than Last-Modified', 'Sun, 01 Mar 2026 00:00:00 GMT', 304],
    ['in the obsolete RFC 850 form', 'Sunday, 01-Mar-26 00:00:00 GMT', 304],
    ['in the asctime form', 'Sun Mar  1 00:00:00 2026', 304],
    ['garbage', 'yesterday', 200],
    ['a bare number Date.parse would accept', '2030', 200],
    ['an impossible day', 'Tue, 31 Feb 2026 00:00:00 GMT', 200],
  ])('If-Modified-Since %s → %i', (_, ifModifiedSince, status) => {
    // Act
    const res = conditionalResponse(
      request({ headers: { 'if-modified-since': ifModifiedSince } }),
      representation,
    );

    // Assess
    expect(res.statusCode).toBe(status);
  });

  it('ignores If-Modified-Since when If-None-Match is present', () => {
    // Prepare
    const headers = { 'if-none-match': '"stale"', 'if-modified-since': 'Sun, 01 Mar 2026 00:00:00 GMT' };

    // Act
    const res = conditionalResponse(request({ headers }), representation);

    // Assess
    expect(res.statusCode).toBe(200);
  });

  it('ignores If-Modified-Since when there is no Last-Modified', () => {
    // Prepare
    const { lastModified: _lm, ...undated } = representation;

    // Act
    const res = conditionalResponse(
      request({ headers: { 'if-modified-since': 'Sun, 01 Mar 2026 00:00:00 GMT' } }),
      undated,
    );

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers).not.toHaveProperty('last-modified');
  });

  it('evaluates preconditions for GET and HEAD only', () => {
    // Act
    const head = conditionalResponse(
      request({ method: 'HEAD', headers: { 'if-none-match': etag } }),
      representation,
    );
    const post = conditionalResponse(
      request({ method: 'POST', headers: { 'if-none-match': etag } }),
      representation,
    );

    // Assess
    expect(head.statusCode).toBe(304);
    expect(post.statusCode).toBe(200);
  });
});

describe('conditionalResponse with a precomputed validator', () => {
  it('renders only when the client needs the body', () => {
    // Prepare
    let renders = 0;
    const lazy = {
      ...representation,
      etag: '"digest-of-inputs"',
      body: () => {
        renders++;
        return body;
      },
    };

    // Act
    const notModified = conditionalResponse(
      request({ headers: { 'if-none-match': '"digest-of-inputs"' } }),
      lazy,
    );
    const full = conditionalResponse(request(), lazy);

    // Assess
    expect(notModified.statusCode).toBe(304);
    expect(full).toMatchObject({ statusCode: 200, body, headers: { etag: '"digest-of-inputs"' } });
    expect(renders).toBe(1);
  });
});

describe('noneMatchHits', () => {
  it('compares weakly: W/ on either side still matches', () => {
    // Act + Assess
    expect(noneMatchHits('W/"abc"', '"abc"')).toBe(true);
    expect(noneMatchHits('"abc"', 'W/"abc"')).toBe(true);
    expect(noneMatchHits('"abcd"', '"abc"')).toBe(false);
  });
});

describe('HTTP-date', () => {
  it('formats IMF-fixdate and parses it back at second precision', () => {
    // Prepare
    const date = new Date('2026-02-28T23:30:00.750Z');

    // Act
    const text = formatHttpDate(date);

    // Assess
    expect(text).toBe('Sat, 28 Feb 2026 23:30:00 GMT');
    expect(parseHttpDate(text)).toEqual(new Date('2026-02-28T23:30:00Z'));
    expect(parseHttpDate('Sat, 28 Feb 2026 24:00:00 GMT')).toBeUndefined();
  });
});

describe('json', () => {
  it('serialises a body with a JSON content type, status and extra headers', () => {
    // Act
    const res = json({ ok: true }, 201, { 'cache-control': 'no-store' });

    // Assess
    expect(res).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: '{"ok":true}',
    });
  });
});
