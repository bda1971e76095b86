import { decodeHTML } from 'entities';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { topicSlug } from '../../shared/domain/topics';
import {
  entryFor,
  type FeedFormat,
  type FeedSpec,
  feedFingerprint,
  renderFeed,
} from '../../shared/feeds/render';
import { base, feedSpec, forbiddenXmlChars, hasXmllint, storedEvent, xmllint, xmlValidator } from './support';

const formats: FeedFormat[] = ['rss', 'atom', 'json'];
const siegeGuid = 'tag:thecontext.net,2018:event/2007-07-09/lal-masjid-siege';
const clashesGuid = 'tag:thecontext.net,2018:event/2007-07-03/clashes-at-red-mosque';

function hostileSpec(): FeedSpec {
  return feedSpec({
    events: [
      storedEvent({
        title: 'Bad\u0001 title\uFFFE with \uD800 ]]> twice ]]> & <b>tags</b>',
        description: 'Look: <script>alert("x")</script> \u0008done',
        sources: [
          { name: 'Evil', url: 'javascript:alert(1)' },
          { name: 'Data', url: 'data:text/html,<script>alert(1)</script>' },
          { name: 'Relative', url: '/news/2007/07/9/x.md' },
          { name: 'Good <one> & "quoted"', url: 'https://example.org/a b?q=<x>&r="y"' },
        ],
        topics: ['A<B & "C"', '\u0002'],
      }),
    ],
  });
}

describe('renderFeed rss', () => {
  it('renders an RSS 2.0 channel an independent parser reads back', () => {
    // Prepare
    const spec = feedSpec();

    // Act
    const { body, contentType } = renderFeed('rss', spec);
    const rss = parseRssFeed(body);

    // Assess
    expect(contentType).toBe('application/rss+xml; charset=utf-8');
    expect(rss.title).toBe('Islamabad — the Context events');
    expect(rss.description).toBe('News events about Islamabad, newest first.');
    expect(rss.link).toBe(`${base}/topics/islamabad`);
    expect(rss.language).toBe('en');
    expect(rss.lastBuildDate).toBe('Wed, 25 Feb 2026 12:00:00 GMT');
    expect(rss.atom?.links).toEqual([
      { href: `${base}/topics/islamabad/feed.rss`, rel: 'self', type: 'application/rss+xml' },
      {
        href: `${base}/topics/islamabad/feed.rss?cursor=eyJwIjoxfQ&limit=2`,
        rel: 'next',
        type: 'application/rss+xml',
      },
    ]);
    expect(rss.items?.map((item) => item.guid)).toEqual([
      { value: siegeGuid, isPermaLink: false },
      { value: clashesGuid, isPermaLink: false },
    ]);
    const [first] = rss.items ?? [];
    expect(first?.title).toBe('Pakistani troops lay siege to the Red Mosque');
    expect(first?.link).toBe(`${base}/events/2007-07-09/lal-masjid-siege.json`);
    expect(first?.pubDate).toBe('Mon, 09 Jul 2007 00:00:00 GMT');
    expect(first?.categories).toEqual([{ name: 'Islamabad' }, { name: 'Red Mosque' }]);
    expect(first?.description).toBe(
      '<p>Security forces surround the Lal Masjid in Islamabad.</p>' +
        '<p>Sources:</p><ul>' +
        '<li><a href="https://www.reuters.com/article/idUS?x=1&amp;y=2">Reuters</a></li>' +
        '<li><a href="http://news.bbc.co.uk/2/hi/south_asia/6286500.stm">BBC</a></li></ul>' +
        '<p>Related events:</p><ul>' +
        `<li><a href="${base}/events/2007-07-03/clashes-at-red-mosque.json">Clashes at the Red Mosque</a> (2007-07-03)</li></ul>` +
        '<p>Topics: Islamabad, Red Mosque</p>',
    );
  });

  it('omits the next link on the last page', () => {
    // Prepare
    const { nextUrl: _next, ...lastPage } = feedSpec();

    // Act
    const rss = parseRssFeed(renderFeed('rss', lastPage).body);

    // Assess
    expect(rss.atom?.links?.map((l) => l.rel)).toEqual(['self']);
  });
});

describe('renderFeed atom', () => {
  it('renders an Atom 1.0 feed with tag ids, xml:lang, author, related links and categories', () => {
    // Prepare
    const spec = feedSpec({ selfUrl: `${base}/topics/islamabad/feed.atom` });

    // Act
    const { body, contentType } = renderFeed('atom', spec);
    const atom = parseAtomFeed(body);

    // Assess
    expect(contentType).toBe('application/atom+xml; charset=utf-8');
    expect(body).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    expect(atom.xml?.lang).toBe('en');
    expect(atom.id).toBe('tag:thecontext.net,2018:feed/topics/islamabad');
    expect(atom.title?.value).toBe('Islamabad — the Context events');
    expect(atom.subtitle?.value).toBe('News events about Islamabad, newest first.');
    expect(atom.updated).toBe('2026-02-25T12:00:00.000Z');
    expect(atom.authors).toEqual([{ name: 'the Context' }]);
    expect(atom.links).toEqual([
      { href: `${base}/topics/islamabad`, rel: 'alternate' },
      { href: `${base}/topics/islamabad/feed.atom`, rel: 'self' },
      {
        href: `${base}/topics/islamabad/feed.rss?cursor=eyJwIjoxfQ&limit=2`,
        rel: 'next',
        type: 'application/atom+xml',
      },
    ]);
    expect(atom.entries?.map((entry) => entry.id)).toEqual([siegeGuid, clashesGuid]);
    const [first, second] = atom.entries ?? [];
    expect(decodeHTML(first?.title?.value ?? '')).toBe('Pakistani troops lay siege to the Red Mosque');
    expect(first?.published).toBe('2007-07-09T00:00:00.000Z');
    expect(first?.updated).toBe('2026-02-20T08:15:30.250Z');
    expect(first?.links).toEqual([
      { href: 'https://www.reuters.com/article/idUS?x=1&y=2', rel: 'related', title: 'Reuters' },
      { href: 'http://news.bbc.co.uk/2/hi/south_asia/6286500.stm', rel: 'related', title: 'BBC' },
      { href: `${base}/events/2007-07-09/lal-masjid-siege.json` },
    ]);
    expect(first?.categories).toEqual([{ term: 'Islamabad' }, { term: 'Red Mosque' }]);
    expect(first?.content?.type).toBe('html');
    expect(first?.content?.value).toContain(
      `<a href="${base}/events/2007-07-03/clashes-at-red-mosque.json">Clashes at the Red Mosque</a>`,
    );
    expect(second?.links).toEqual([{ href: `${base}/events/2007-07-03/clashes-at-red-mosque.json` }]);
  });
});

describe('renderFeed json', () => {
  it('renders JSON Feed 1.1 with language, authors, next_url and items', () => {
    // Prepare
    const spec = feedSpec({ selfUrl: `${base}/topics/islamabad/feed.json` });

    // Act
    const { body, contentType } = renderFeed('json', spec);
    const raw = JSON.parse(body) as Record<string, unknown>;
    const feed = parseJsonFeed(raw);

    // Assess
    expect(contentType).toBe('application/feed+json; charset=utf-8');
    expect(raw.version).toBe('https://jsonfeed.org/version/1.1');
    expect(raw).not.toHaveProperty('author');
    expect(feed.title).toBe('Islamabad — the Context events');
    expect(feed.home_page_url).toBe(`${base}/topics/islamabad`);
    expect(feed.feed_url).toBe(`${base}/topics/islamabad/feed.json`);
    expect(feed.next_url).toBe(`${base}/topics/islamabad/feed.rss?cursor=eyJwIjoxfQ&limit=2`);
    expect(feed.language).toBe('en');
    expect(feed.authors).toEqual([{ name: 'the Context' }]);
    expect((feed.items ?? []).map((item) => item.id)).toEqual([siegeGuid, clashesGuid]);
    const [first, second] = feed.items ?? [];
    expect(first).toMatchObject({
      url: `${base}/events/2007-07-09/lal-masjid-siege.json`,
      title: 'Pakistani troops lay siege to the Red Mosque',
      summary: 'Security forces surround the Lal Masjid in Islamabad.',
      date_published: '2007-07-09T00:00:00.000Z',
      date_modified: '2026-02-20T08:15:30.250Z',
      tags: ['Islamabad', 'Red Mosque'],
    });
    expect(first?.content_html).toContain(
      '<a href="https://www.reuters.com/article/idUS?x=1&amp;y=2">Reuters</a>',
    );
    expect(second?.summary).toBeUndefined();
    expect(second?.content_html).toBe('<p>Topics: Islamabad</p>');
  });
});

describe('renderFeed, all formats', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(formats)('%s: identical input gives byte-identical output whatever the clock says', (format) => {
    // Prepare
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const first = renderFeed(format, feedSpec()).body;
    vi.setSystemTime(new Date('2031-06-15T12:34:56Z'));

    // Act
    const second = renderFeed(format, feedSpec()).body;

    // Assess
    expect(second).toBe(first);
    expect(second).not.toMatch(/2030|2031/);
  });

  it.each(['rss', 'atom'] as const)('%s is well-formed XML (fast-xml-parser)', (format) => {
    // Act
    const { body } = renderFeed(format, feedSpec());

    // Assess
    expect(xmlValidator(body)).toBe('ok');
  });

  it.skipIf(!hasXmllint).each(['rss', 'atom'] as const)('%s is well-formed XML (xmllint)', (format) => {
    // Act
    const { body } = renderFeed(format, feedSpec());

    // Assess
    expect(xmllint(body)).toBe('ok');
  });

  it.each(formats)('%s: GUIDs do not depend on where the service runs', (format) => {
    // Prepare
    const elsewhere = 'http://localhost:3000/prod';
    const moved = feedSpec({
      selfUrl: `${elsewhere}/topics/islamabad/feed.${format}`,
      homeUrl: `${elsewhere}/topics/islamabad`,
      eventUrl: (id) => `${elsewhere}/events/${id}.json`,
      feedKey: 'topics/islamabad',
    });

    // Act
    const here = renderFeed(format, feedSpec()).body;
    const there = renderFeed(format, moved).body;

    // Assess
    for (const guid of [siegeGuid, clashesGuid]) {
      expect(here).toContain(guid);
      expect(there).toContain(guid);
    }
    if (format === 'atom') {
      // JSON Feed has no feed id; RSS has no channel GUID.
      expect(there).toContain('<id>tag:thecontext.net,2018:feed/topics/islamabad</id>');
    }
  });

  it.each(formats)('%s: hostile text and links render safe', (format) => {
    // Prepare
    const spec = hostileSpec();

    // Act
    const { body } = renderFeed(format, spec);

    // Assess
    expect(body).not.toMatch(/javascript:|data:text/i);
    expect(forbiddenXmlChars(body)).toEqual([]);
    expect(body).not.toContain('/news/2007/07/9/x.md');
    if (format === 'json') {
      // summary is plain text by definition; only content_html is HTML.
      const [item] = parseJsonFeed(JSON.parse(body)).items ?? [];
      expect(item?.content_html).not.toContain('<script>');
      expect(item?.summary).toBe('Look: <script>alert("x")</script> done');
    } else {
      expect(body).not.toContain('<script>');
      expect(xmlValidator(body)).toBe('ok');
      if (hasXmllint) expect(xmllint(body)).toBe('ok');
    }
  });

  it('hostile text survives the round trip as the cleaned text', () => {
    // Prepare
    const spec = hostileSpec();
    const cleanTitle = 'Bad title with  ]]> twice ]]> & <b>tags</b>';

    // Act
    const rss = parseRssFeed(renderFeed('rss', spec).body);
    const atom = parseAtomFeed(renderFeed('atom', spec).body);
    const json = parseJsonFeed(JSON.parse(renderFeed('json', spec).body));

    // Assess
    expect(rss.items?.[0]?.title).toBe(cleanTitle);
    expect(decodeHTML(atom.entries?.[0]?.title?.value ?? '')).toBe(cleanTitle);
    expect(json.items?.[0]?.title).toBe(cleanTitle);
    expect(rss.items?.[0]?.categories).toEqual([{ name: 'A<B & "C"' }]);
    expect(atom.entries?.[0]?.categories).toEqual([{ term: 'A<B & "C"' }]);
    expect(atom.entries?.[0]?.links?.filter((l) => l.rel === 'related')).toEqual([
      {
        href: 'https://example.org/a%20b?q=%3Cx%3E&r=%22y%22',
        rel: 'related',
        title: 'Good <one> & "quoted"',
      },
    ]);
    expect(json.items?.[0]?.content_html).toContain(
      '<a href="https://example.org/a%20b?q=%3Cx%3E&amp;r=%22y%22">Good &lt;one&gt; &amp; &quot;quoted&quot;</a>',
    );
    expect(json.items?.[0]?.content_html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; done');
  });

  it('keeps a literal "&amp;" in text as written', () => {
    // Prepare
    const spec = feedSpec({ title: 'Tom &amp; Jerry & co' });

    // Act
    const rss = parseRssFeed(renderFeed('rss', spec).body);
    const atom = parseAtomFeed(renderFeed('atom', spec).body);

    // Assess
    expect(rss.title).toBe('Tom &amp; Jerry & co');
    expect(atom.title?.value).toBe('Tom &amp; Jerry & co');
  });

  it('refuses service URLs that are not absolute http(s)', () => {
    // Prepare
    const spec = feedSpec({ eventUrl: (id) => `javascript:open('${id}')` });

    // Act
    const render = () => renderFeed('rss', spec);

    // Assess
    expect(render).toThrow(TypeError);
  });

  it.each(formats)('%s: Chinese events give a zh feed, a minority language is marked per entry', (format) => {
    // Prepare
    const zh = (slug: string) =>
      storedEvent({ lang: 'zh', slug, title: '红色清真寺围困', topics: ['伊斯兰堡'], related: [] });
    const spec = feedSpec({ events: [zh('红色清真寺'), zh('伊斯兰堡'), storedEvent()] });

    // Act
    const { body } = renderFeed(format, spec);

    // Assess
    if (format === 'rss') expect(parseRssFeed(body).language).toBe('zh');
    if (format === 'atom') {
      expect(parseAtomFeed(body).xml?.lang).toBe('zh');
      expect(body.match(/<entry xml:lang="en">/g)).toHaveLength(1);
    }
    if (format === 'json') {
      const json = parseJsonFeed(JSON.parse(body));
      expect(json.language).toBe('zh');
      expect((json.items ?? []).map((item) => item.language)).toEqual([undefined, undefined, 'en']);
    }
    expect(body).toContain(
      'tag:thecontext.net,2018:event/2007-07-09/%E7%BA%A2%E8%89%B2%E6%B8%85%E7%9C%9F%E5%AF%BA',
    );
    expect(body).toContain('信息来源');
  });

  it.each(formats)('%s: an empty page is still a valid feed, dated from nothing but its input', (format) => {
    // Prepare
    const spec = feedSpec({ events: [], nextUrl: undefined, language: 'zh' });

    // Act
    const { body } = renderFeed(format, spec);

    // Assess
    if (format === 'rss')
      expect(parseRssFeed(body)).toMatchObject({
        language: 'zh',
        lastBuildDate: 'Thu, 01 Jan 1970 00:00:00 GMT',
      });
    if (format === 'atom') expect(parseAtomFeed(body)).toMatchObject({ updated: '1970-01-01T00:00:00.000Z' });
    if (format === 'json') expect(JSON.parse(body)).toMatchObject({ language: 'zh', items: [] });
    if (format !== 'json') expect(xmlValidator(body)).toBe('ok');
  });

  it('links topics by their shared slug when topicUrl is given', () => {
    // Prepare
    const topicFeed = (slug: string) => `${base}/topics/${encodeURIComponent(slug)}/feed.json`;
    const spec = feedSpec({ topicUrl: topicFeed });

    // Act
    const json = parseJsonFeed(JSON.parse(renderFeed('json', spec).body));

    // Assess
    expect(json.items?.[0]?.content_html).toContain(
      `<p>Topics: <a href="${topicFeed(topicSlug('Islamabad'))}">Islamabad</a>, ` +
        `<a href="${topicFeed(topicSlug('Red Mosque'))}">Red Mosque</a></p>`,
    );
    expect(topicSlug('Red Mosque')).not.toContain(' ');
  });

  it('renders each event once when the page repeats one', () => {
    // Prepare
    const spec = feedSpec({ events: [storedEvent(), storedEvent()] });

    // Act
    const atom = parseAtomFeed(renderFeed('atom', spec).body);

    // Assess
    expect(atom.entries?.map((entry) => entry.id)).toEqual([siegeGuid]);
  });
});

describe('feedFingerprint', () => {
  it('is stable for the same input and changes with anything the output depends on', () => {
    // Prepare
    const spec = feedSpec();
    const [first, ...rest] = spec.events;
    const touched = {
      ...spec,
      events: [{ ...first, updatedAt: '2030-01-01T00:00:00.000Z' }, ...rest],
    } as FeedSpec;
    const moved = feedSpec({
      homeUrl: 'https://elsewhere.example/topics/islamabad',
      eventUrl: (id) => `https://elsewhere.example/events/${id}.json`,
    });

    // Act
    const fingerprint = feedFingerprint('atom', spec);

    // Assess
    expect(feedFingerprint('atom', feedSpec())).toBe(fingerprint);
    expect(feedFingerprint('rss', spec)).not.toBe(fingerprint);
    expect(feedFingerprint('atom', touched)).not.toBe(fingerprint);
    expect(feedFingerprint('atom', moved)).not.toBe(fingerprint);
    expect(renderFeed('atom', feedSpec()).body).toBe(renderFeed('atom', spec).body);
  });
});

describe('entries of frozen events', () => {
  it('are rendered once per set of links and are the same as those of an unfrozen copy', () => {
    // Prepare
    const event = Object.freeze(storedEvent());
    const spec = feedSpec({ events: [event] });
    const elsewhere = feedSpec({
      events: [event],
      eventUrl: (id) => `https://other.example/events/${id}`,
    });

    // Act
    const first = entryFor(event, spec);
    const again = entryFor(event, spec);
    const other = entryFor(event, elsewhere);

    // Assess
    expect(again).toBe(first);
    expect(first).toEqual(entryFor(storedEvent(), spec));
    expect(other.link).toBe('https://other.example/events/2007-07-09/lal-masjid-siege');
    expect(renderFeed('atom', spec).body).toBe(
      renderFeed('atom', feedSpec({ events: [storedEvent()] })).body,
    );
  });
});

describe('rendered documents kept per container', () => {
  it('serve an unchanged feed again, and never a changed one', () => {
    // Prepare
    const spec = feedSpec({ events: [storedEvent()] });
    const first = renderFeed('rss', spec).body;

    // Act
    const again = renderFeed('rss', feedSpec({ events: [storedEvent()] })).body;
    const retitled = renderFeed(
      'rss',
      feedSpec({ events: [{ ...storedEvent(), title: 'Talks resume' }] }),
    ).body;
    const moved = renderFeed('rss', { ...spec, nextUrl: `${base}/feed.rss?cursor=abc` }).body;

    // Assess
    expect(again).toBe(first);
    expect(retitled).toContain('Talks resume');
    expect(retitled).not.toBe(first);
    expect(moved).toContain('cursor=abc');
  });
});
