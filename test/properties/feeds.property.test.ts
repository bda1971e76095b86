// Properties of the feed writers over arbitrary events: RSS, Atom and OPML are always well-formed XML with no
// character XML forbids, JSON Feed always parses, and no field's markup survives unescaped.
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/domain/event';
import { topicSlug } from '../../shared/domain/topics';
import { renderOpml } from '../../shared/feeds/opml';
import { renderFeed } from '../../shared/feeds/render';
import { feedSpec, forbiddenXmlChars, hasXmllint, xmllint, xmlValidator } from '../feeds/support';
import { fuzzParameters, fuzzTimeout } from './runs';

/** Any code points (controls, lone surrogates, U+FFFE) mixed with the markup that breaks naive writers. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 10 }),
      fc.constantFrom(
        ']]>',
        '<script>alert(1)</script>',
        '&amp;',
        '&',
        '<![CDATA[',
        '"',
        "'",
        '\u0000',
        '\uD800',
        '\uFFFE',
      ),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

const anyUrl = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('javascript:alert(1)', 'data:text/html,<b>', 'https://x.example/a?b=<c>&d="e"', ''),
  hostileText,
);

const isoDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

/** Ids come from UTF-8 keys and links: any well-formed text, markup included, never a lone surrogate. */
const wellFormedId = fc
  .tuple(
    isoDate,
    fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constant('<script>alert(1)</script>')),
  )
  .map(([date, slug]) => `${date}/${slug}`);

const storedEvent: fc.Arbitrary<StoredEvent> = fc
  .record({
    date: isoDate,
    // Ids come from UTF-8 keys and parsed titles: well-formed text, never a lone surrogate.
    slug: fc.string({ unit: 'grapheme', maxLength: 20 }),
    title: hostileText,
    description: fc.option(hostileText, { nil: undefined }),
    sources: fc.array(fc.record({ name: hostileText, url: anyUrl }), { maxLength: 3 }),
    images: fc.array(fc.record({ url: anyUrl }), { maxLength: 2 }),
    related: fc.array(
      fc.record({
        id: wellFormedId,
        title: hostileText,
        date: isoDate,
        topics: fc.array(hostileText, { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
    topics: fc.array(hostileText, { maxLength: 3 }),
    lang: fc.constantFrom('en' as const, 'zh' as const),
    updatedAt: fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2030-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString()),
  })
  .map(({ description, ...event }) => ({
    id: `${event.date}/${event.slug}`,
    ...event,
    ...(description === undefined ? {} : { description }),
  }));

const xmlParser = new XMLParser({ ignoreAttributes: false });
const HTML_FIELDS = new Set(['description', 'content', 'summary', 'content:encoded']);

/** The decoded text of every element that carries HTML (item descriptions, Atom content). */
function htmlFields(node: unknown, name = ''): string[] {
  if (typeof node === 'string') return HTML_FIELDS.has(name) ? [node] : [];
  if (Array.isArray(node)) return node.flatMap((child) => htmlFields(child, name));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, child]) =>
    key === '#text' ? htmlFields(child, name) : htmlFields(child, key),
  );
}

function assertWellFormed(xml: string): void {
  expect(forbiddenXmlChars(xml)).toEqual([]);
  expect(xmlValidator(xml)).toBe('ok');
  // Decoded once by the XML parser, the HTML a reader renders holds every field escaped: no live tag from data.
  const parsed = xmlParser.parse(xml);
  const entries = [parsed?.rss?.channel?.item, parsed?.feed?.entry].flat().filter(Boolean);
  for (const html of htmlFields(entries)) expect(html).not.toMatch(/<script/i);
}

describe('feeds of arbitrary events', () => {
  it(
    'RSS and Atom are well-formed, JSON Feed parses',
    () => {
      fc.assert(
        fc.property(fc.array(storedEvent, { maxLength: 4 }), hostileText, (events, title) => {
          const spec = feedSpec({
            events,
            title,
            description: title,
            topicUrl: (slug) => `https://x.example/t/${encodeURIComponent(slug)}`,
          });
          assertWellFormed(renderFeed('rss', spec).body);
          assertWellFormed(renderFeed('atom', spec).body);
          expect(() => JSON.parse(renderFeed('json', spec).body)).not.toThrow();
        }),
        fuzzParameters('feeds', 1_000),
      );
    },
    fuzzTimeout,
  );

  it(
    'OPML is well-formed for any topic labels',
    () => {
      fc.assert(
        fc.property(fc.array(hostileText, { maxLength: 6 }), (labels) => {
          const topics = labels.map((label) => {
            const slug = topicSlug(label);
            const url = `https://x.example/topics/${encodeURIComponent(slug)}/feed`;
            return { label, slug, feeds: { rss: `${url}.rss`, atom: `${url}.atom`, json: `${url}.json` } };
          });
          assertWellFormed(renderOpml({ title: labels.join(' '), topics }));
        }),
        fuzzParameters('opml', 1_000),
      );
    },
    fuzzTimeout,
  );

  it.skipIf(!hasXmllint)(
    'xmllint agrees on a sample of generated feeds',
    () => {
      // One xmllint process per document: a sample, not every run.
      fc.assert(
        fc.property(fc.array(storedEvent, { minLength: 1, maxLength: 4 }), (events) => {
          expect(xmllint(renderFeed('rss', feedSpec({ events })).body)).toBe('ok');
          expect(xmllint(renderFeed('atom', feedSpec({ events })).body)).toBe('ok');
        }),
        fuzzParameters('feeds under xmllint', 40, { scales: false }),
      );
    },
    fuzzTimeout,
  );
});
