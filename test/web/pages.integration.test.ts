// The HTML pages through the real routes over the local stack's table: negotiation, head, escaping, headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/web/routes';
import { type InProcessApi, inProcessApi, testBaseUrl } from '../api/support';
import { startTestStack, type TestStack } from '../support/local-stack';
import { alternateLinks, browserAccept, hostileId, hostileTitle, uploadHostileFiles } from './support';

let stack: TestStack;
let api: InProcessApi;
const html = { accept: browserAccept };

beforeAll(async () => {
  stack = await startTestStack({ samples: true });
  await uploadHostileFiles(stack.stack);
  // "Today" is 9 July 2026: the samples hold 9 July events of 2021-2024.
  api = inProcessApi(stack.stack.store, () => new Date('2026-07-09T10:00:00Z'));
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const sharedPaths = ['/', '/topics', '/topics?q=Riv', '/on-this-day', '/on-this-day/07-09'];

describe('content negotiation', () => {
  it('answers API clients (JSON, a wildcard, no Accept) on shared paths with the JSON API, varying on Accept', async () => {
    for (const path of sharedPaths) {
      // Act
      const plain = await api.get(path);
      const wildcard = await api.get(path, { accept: '*/*' });
      const explicit = await api.get(path, { accept: 'application/json' });

      // Assess
      for (const response of [plain, wildcard, explicit]) {
        expect(response.status, path).toBe(200);
        expect(response.headers['content-type'], path).toBe('application/json; charset=utf-8');
        expect(response.headers.vary, path).toBe('Accept');
        expect(response.body, path).toBe(plain.body);
      }
      expect(() => JSON.parse(plain.body)).not.toThrow();
    }
    expect(JSON.parse((await api.get('/on-this-day/07-09')).body)).toMatchObject({
      date: '07-09',
      events: expect.arrayContaining([
        expect.objectContaining({
          url: expect.stringMatching(/^https:\/\/feeds\.example\.net\/events\/.*\.json$/),
        }),
      ]),
    });
  });

  it('answers browsers on the same paths with pages carrying CSP, nosniff, Referrer-Policy and Vary', async () => {
    for (const path of sharedPaths) {
      // Act
      const response = await api.get(path, html);

      // Assess
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(response.headers.vary, path).toBe('Accept');
      expect(response.headers['content-security-policy'], path).toBe(contentSecurityPolicy);
      expect(response.headers['x-content-type-options'], path).toBe('nosniff');
      expect(response.headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
      expect(response.body, path).toMatch(/^<!doctype html>\n<html lang="(en|zh)">/);
    }
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toContain('unsafe-inline');
  });

  it('leaves the JSON documents, feeds and problems to the API, whatever the Accept', async () => {
    // Act
    const eventJson = await api.get(`/events/${hostileId}.json`, html);
    const feed = await api.get('/feed.rss', html);
    const badDay = await api.get('/on-this-day/feed.rss', { accept: 'application/json' });

    // Assess
    expect(eventJson.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(eventJson.body).title).toBe(hostileTitle);
    expect(feed.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(badDay.headers['content-type']).not.toMatch(/html/);
  });
});

describe('pages', () => {
  it('home: topic search form, most active topics, today’s anniversaries, every feed discoverable', async () => {
    // Act
    const { body } = await api.get('/', html);

    // Assess
    expect(body).toContain(`<form class="search" action="${testBaseUrl}/topics" method="get"`);
    expect(body).toContain(`<a href="${testBaseUrl}/topics/riverton">Riverton <span class="count">(`);
    expect(body).toContain('On this day, 9 July');
    expect(body).toMatch(/3 years ago/);
    expect(body).toContain(`<link rel="canonical" href="${testBaseUrl}/"/>`);
    expect(body).toMatch(/<meta name="description" content="[^"]+"\/>/);
    expect(alternateLinks(body)).toEqual([
      { type: 'application/rss+xml', href: `${testBaseUrl}/feed.rss` },
      { type: 'application/atom+xml', href: `${testBaseUrl}/feed.atom` },
      { type: 'application/feed+json', href: `${testBaseUrl}/feed.json` },
      { type: 'application/rss+xml', href: `${testBaseUrl}/on-this-day/feed.rss` },
      { type: 'application/atom+xml', href: `${testBaseUrl}/on-this-day/feed.atom` },
      { type: 'application/feed+json', href: `${testBaseUrl}/on-this-day/feed.json` },
    ]);
    expect(body).toContain(`href="${testBaseUrl}/opml"`);
  });

  it('home ?lang=zh: Chinese topics (marked lang=zh) and feeds; a bad lang is a 400 page', async () => {
    // Act
    const zh = await api.get('/?lang=zh', html);
    const bad = await api.get('/?lang=fr', html);

    // Assess
    expect(zh.body).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(zh.body).toContain(`href="${testBaseUrl}/feed.rss?lang=zh"`);
    expect(zh.body).toContain('lang="zh">茶隼运载火箭');
    expect(zh.body).not.toContain('>Riverton <span');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('topic: label, count, subscribe links with their URLs, newest events linked to pages, anniversary feed', async () => {
    // Act
    const { status, body } = await api.get('/topics/riverton-light-rail');

    // Assess: a page-only path answers HTML even without Accept
    expect(status).toBe(200);
    expect(body).toContain('<h1>Riverton light rail</h1>');
    expect(body).toContain('3 events');
    for (const format of ['rss', 'atom', 'json']) {
      const url = `${testBaseUrl}/topics/riverton-light-rail/feed.${format}`;
      expect(body).toContain(`href="${url}"`);
      expect(body).toContain(`readonly value="${url}"`);
    }
    expect(body).toContain(`${testBaseUrl}/on-this-day/feed.atom?topic=riverton-light-rail`);
    expect(body).toContain(
      `href="${testBaseUrl}/events/2022-07-09/the-first-riverton-light-rail-trains-begin-carrying-passengers-between-the-harbor-district-and-the-airport"`,
    );
    expect(alternateLinks(body).map((link) => link.type)).toEqual([
      'application/rss+xml',
      'application/atom+xml',
      'application/feed+json',
      'application/rss+xml',
      'application/atom+xml',
      'application/feed+json',
    ]);
  });

  it('topic pages page through events with signed cursors', async () => {
    // Prepare
    // The event links of the paged list (the anniversaries below it are another list).
    const eventLinks = (body: string) =>
      [
        ...body
          .slice(0, body.indexOf('id="anniversaries-heading"'))
          .matchAll(/<div class="headline" lang="\w+"><a href="([^"]+)"/g),
      ].map((m) => m[1]);
    const first = await api.get('/topics/riverton?limit=3', html);
    const older =
      /<a href="([^"]+)" rel="next">Older events<\/a>/.exec(first.body)?.[1]?.replace(/&amp;/g, '&') ?? '';

    // Act
    const second = await api.get(older.slice(testBaseUrl.length), html);
    const forged = await api.get('/topics/riverton?cursor=forged', html);
    const elsewhere = await api.get(`/topics/valmora?${new URL(older).search.slice(1)}`, html);

    // Assess
    expect(eventLinks(first.body)).toHaveLength(3);
    expect(eventLinks(second.body)).toHaveLength(3);
    expect(eventLinks(second.body).filter((link) => eventLinks(first.body).includes(link))).toEqual([]);
    expect(second.body).toContain(`<a href="${testBaseUrl}/topics/riverton?limit=3">Newest events</a>`);
    expect([forged.status, elsewhere.status]).toEqual([400, 400]);
  });

  it('event: date, headline, description, sources with rel=noopener noreferrer, related pages, topic pages', async () => {
    // Act
    const { body } = await api.get(
      '/events/2024-12-25/riverton-opens-six-emergency-warming-centres-as-overnight-temperatures-fall-to-minus-25-degrees-celsius',
      html,
    );

    // Assess
    expect(body).toContain(
      '<time dateTime="2024-12-25">25 December 2024</time>'.replace('dateTime', 'datetime'),
    );
    expect(body).toMatch(/<a href="https:\/\/[^"]+" rel="noopener noreferrer">/);
    expect(body).toContain(
      `<a href="${testBaseUrl}/events/2022-02-28/a-winter-storm-cuts-power-to-40-000-homes-in-riverton-and-the-surrounding-county">`,
    );
    expect(body).toContain(
      `<a href="${testBaseUrl}/topics/riverton-winter-storms">Riverton winter storms</a>`,
    );
    expect(alternateLinks(body)[0]).toEqual({
      type: 'application/json',
      href: `${testBaseUrl}/events/2024-12-25/riverton-opens-six-emergency-warming-centres-as-overnight-temperatures-fall-to-minus-25-degrees-celsius.json`,
    });
  });

  it('event: a Chinese event sets the page language; the English chrome keeps its own', async () => {
    // Prepare
    const feed = JSON.parse((await api.get('/feed.json?lang=zh&limit=1')).body) as {
      items: { url: string }[];
    };
    const url = feed.items[0]?.url ?? '';

    // Act
    const { body } = await api.get(url.slice(testBaseUrl.length), html);

    // Assess
    expect(body).toMatch(/^<!doctype html>\n<html lang="zh">/);
    expect(body).toContain('<header class="site" lang="en">');
    expect(body).toContain('<h2 id="sources-heading" lang="en">');
  });

  it('on this day: that day’s anniversaries with links to the previous and next day', async () => {
    // Act
    const { body } = await api.get('/on-this-day/03-01', html);
    const newYear = await api.get('/on-this-day/01-01', html);

    // Assess
    expect(body).toContain(`href="${testBaseUrl}/on-this-day/02-29" rel="prev"`);
    expect(body).toContain(`href="${testBaseUrl}/on-this-day/03-02" rel="next"`);
    expect(newYear.body).toContain(`href="${testBaseUrl}/on-this-day/12-31" rel="prev"`);
  });

  it('escapes hostile headlines, topics, sources and descriptions everywhere they appear', async () => {
    for (const path of [`/events/${hostileId}`, '/topics/riverton', '/on-this-day/07-09', '/']) {
      // Act
      const { body } = await api.get(path, html);

      // Assess: the only script element is the site's own external one
      expect(body.match(/<script/g), path).toHaveLength(1);
      expect(body, path).not.toMatch(/<img|<b |<style|<\/textarea>|<\/a><script/);
    }
    const { body } = await api.get(`/events/${hostileId}`, html);
    expect(body).toContain(
      '<h1>&lt;script>alert(&quot;title&quot;)&lt;/script> &quot;>&lt;img src=x onerror=alert(1)// &amp; more</h1>',
    );
    expect(body).toContain(
      `href="https://example.org/?q='onmouseover=alert(4)&amp;x=1" rel="noopener noreferrer">&lt;/a>&lt;script>`,
    );
  });

  it('unknown topics and events are 404 pages for browsers, and problems for API clients', async () => {
    // Act
    const topic = await api.get('/topics/no-such-topic', html);
    const event = await api.get('/events/2001-01-01/nothing', html);
    const day = await api.get('/on-this-day/02-30', html);
    const problems = await Promise.all(
      ['/topics/no-such-topic', '/events/2001-01-01/nothing', '/on-this-day/02-30'].map((path) =>
        api.get(path),
      ),
    );

    // Assess
    expect([topic.status, event.status, day.status]).toEqual([404, 404, 400]);
    expect(topic.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(topic.headers['cache-control']).toBe('no-store');
    expect(problems.map((problem) => [problem.status, problem.headers['content-type']])).toEqual([
      [404, 'application/problem+json'],
      [404, 'application/problem+json'],
      [400, 'application/problem+json'],
    ]);
  });
});

describe('validators and caching', () => {
  it('pages carry a strong ETag and answer If-None-Match with 304; events also Last-Modified', async () => {
    const path =
      '/events/2023-07-09/the-riverton-harbor-bridge-reopens-to-traffic-after-an-eighteen-month-restoration';
    // Prepare: clocks in the second of the event's last change, and a minute after it.
    const changedAt = Date.parse(
      (await stack.stack.store.getEvent(path.slice('/events/'.length)))?.updatedAt ?? 'missing',
    );
    const sameSecond = inProcessApi(stack.stack.store, () => new Date(changedAt + 500));
    const later = inProcessApi(stack.stack.store, () => new Date(changedAt + 60_000));

    // Act
    const first = await later.get(path, html);
    const again = await later.get(path, { ...html, 'if-none-match': first.headers.etag ?? '' });
    const since = await later.get(path, {
      ...html,
      'if-modified-since': first.headers['last-modified'] ?? '',
    });
    const tooFresh = await sameSecond.get(path, html);

    // Assess
    expect(first.headers.etag).toMatch(/^"[\w-]{43}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=600');
    expect(first.headers['last-modified']).toBe(new Date(Math.floor(changedAt / 1000) * 1000).toUTCString());
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(since.status).toBe(304);
    // Within the second of a change, a Last-Modified could stand for two versions: only the ETag is sent.
    expect(tooFresh.headers['last-modified']).toBeUndefined();
    expect(tooFresh.headers.etag).toBe(first.headers.etag);
  });

  it('the page and the JSON of one path have different ETags', async () => {
    const page = await api.get('/on-this-day/07-09', html);
    const json = await api.get('/on-this-day/07-09');
    const cross = await api.get('/on-this-day/07-09', { 'if-none-match': page.headers.etag ?? '' });

    expect(page.headers.etag).not.toBe(json.headers.etag);
    expect(cross.status).toBe(200);
  });

  it('serves the stylesheet and script under hashed names for a year, and nothing else there', async () => {
    // Prepare
    const { body } = await api.get('/', html);
    const assetPaths = [
      ...body.matchAll(/(?:href|src)="https:\/\/feeds\.example\.net(\/assets\/[^"]+)"/g),
    ].map((m) => m[1] ?? '');

    // Act
    const responses = await Promise.all(assetPaths.map((path) => api.get(path)));
    const missing = await api.get('/assets/site.0000.css');

    // Assess
    expect(assetPaths).toHaveLength(3);
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(missing.status).toBe(404);
  });
});

describe('feeds link to pages', () => {
  it('feed items link to event pages, and the JSON stays at .json', async () => {
    // Act
    const feed = JSON.parse((await api.get('/topics/riverton/feed.json')).body) as {
      items: { url: string }[];
    };
    const rss = (await api.get('/topics/riverton/feed.rss')).body;

    // Assess
    expect(feed.items.length).toBeGreaterThan(0);
    for (const item of feed.items) {
      expect(item.url).toMatch(/^https:\/\/feeds\.example\.net\/events\/\d{4}-\d{2}-\d{2}\/[^/]+$/);
      expect(item.url).not.toMatch(/\.json$/);
      const page = await api.get(item.url.slice(testBaseUrl.length), html);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      const json = await api.get(`${item.url.slice(testBaseUrl.length)}.json`);
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    expect(rss).toMatch(/<link>https:\/\/feeds\.example\.net\/events\/[^<]+[^n]<\/link>/);
  });

  it('the all-events feeds take ?lang=en|zh, each edition a feed of its own', async () => {
    // Act
    const zh = JSON.parse((await api.get('/feed.json?lang=zh')).body);
    const en = JSON.parse((await api.get('/feed.json?lang=en')).body);
    const all = JSON.parse((await api.get('/feed.json')).body);
    const bad = await api.get('/feed.json?lang=fr');

    // Assess
    expect(zh.items.length).toBeGreaterThan(0);
    expect(en.items.length).toBeGreaterThan(0);
    expect(zh.items.length + en.items.length).toBe(all.items.length);
    expect(zh.feed_url).toBe(`${testBaseUrl}/feed.json?lang=zh`);
    expect(
      zh.items.every((item: { language?: string }) => item.language === undefined || item.language === 'zh'),
    ).toBe(true);
    expect(bad.status).toBe(400);
  });
});
