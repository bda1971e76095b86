import { parseOpml } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { type OpmlSpec, renderOpml } from '../../shared/feeds/opml';
import { base, hasXmllint, xmllint, xmlValidator } from './support';

function feedsOf(slug: string) {
  const topic = `${base}/topics/${encodeURIComponent(slug)}`;
  return { rss: `${topic}/feed.rss`, atom: `${topic}/feed.atom`, json: `${topic}/feed.json` };
}

function opmlSpec(overrides: Partial<OpmlSpec> = {}): OpmlSpec {
  return {
    title: 'the Context — topic feeds',
    ownerName: 'the Context',
    dateModified: new Date('2026-02-28T23:30:00Z'),
    topics: [
      {
        label: 'Islamabad',
        slug: 'islamabad',
        feeds: feedsOf('islamabad'),
        htmlUrl: `${base}/topics/islamabad`,
      },
      { label: 'Tom & Jerry <"Cartoons">', slug: 'tom-jerry', feeds: feedsOf('tom-jerry') },
      { label: '伊斯兰堡', slug: '伊斯兰堡', feeds: feedsOf('伊斯兰堡') },
    ],
    ...overrides,
  };
}

describe('renderOpml', () => {
  it('writes an OPML 2.0 subscription list an independent parser reads back', () => {
    // Prepare
    const spec = opmlSpec();

    // Act
    const body = renderOpml(spec);
    const opml = parseOpml(body);

    // Assess
    expect(body).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<opml version="2\.0">/);
    expect(opml.head).toEqual({
      title: 'the Context — topic feeds',
      dateModified: 'Sat, 28 Feb 2026 23:30:00 GMT',
      ownerName: 'the Context',
    });
    expect(opml.body?.outlines).toEqual([
      {
        text: 'Islamabad',
        title: 'Islamabad',
        type: 'rss',
        xmlUrl: `${base}/topics/islamabad/feed.rss`,
        htmlUrl: `${base}/topics/islamabad`,
      },
      {
        text: 'Tom & Jerry <"Cartoons">',
        title: 'Tom & Jerry <"Cartoons">',
        type: 'rss',
        xmlUrl: `${base}/topics/tom-jerry/feed.rss`,
      },
      {
        text: '伊斯兰堡',
        title: '伊斯兰堡',
        type: 'rss',
        xmlUrl: `${base}/topics/%E4%BC%8A%E6%96%AF%E5%85%B0%E5%A0%A1/feed.rss`,
      },
    ]);
  });

  it('is well-formed XML', () => {
    // Act
    const body = renderOpml(opmlSpec({ title: 'A\u0001 & <B>' }));

    // Assess
    expect(xmlValidator(body)).toBe('ok');
    if (hasXmllint) expect(xmllint(body)).toBe('ok');
  });

  it('subscribes to the chosen format and leaves out what it was not given', () => {
    // Prepare
    const { dateModified: _d, ownerName: _o, ...bare } = opmlSpec();

    // Act
    const opml = parseOpml(renderOpml({ ...bare, format: 'atom' }));

    // Assess
    expect(opml.head).toEqual({ title: 'the Context — topic feeds' });
    expect(opml.body?.outlines?.[0]?.xmlUrl).toBe(`${base}/topics/islamabad/feed.atom`);
  });

  it('never links a non-http(s) URL', () => {
    // Prepare
    const evil = opmlSpec({
      topics: [{ label: 'x', slug: 'x', feeds: feedsOf('x'), htmlUrl: 'javascript:alert(1)' }],
    });
    const evilFeed = opmlSpec({
      topics: [{ label: 'x', slug: 'x', feeds: { ...feedsOf('x'), rss: 'javascript:alert(1)' } }],
    });

    // Act
    const body = renderOpml(evil);

    // Assess
    expect(body).not.toContain('javascript:');
    expect(() => renderOpml(evilFeed)).toThrow(TypeError);
  });
});
