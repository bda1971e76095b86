// The one adapter around the `feed` library (v6): it writes the three formats, and this module patches its gaps.
//
// Gaps patched here, each in one function below:
// - RSS/Atom text nodes: xml-js turns "&amp;" back into "&" before escaping, so raw text is pre-escaped (`libText`).
// - CDATA: xml-js splits only the first "]]>" of a section; the others are split here first (`libCdata`).
// - Atom: no xml:lang (added on <feed>, and on entries in another language), no rel="next" link, no
//   rel="related" links; <category> attributes are not escaped for "<", so Atom categories are written here.
// - RSS: no atom:link rel="next".
// - JSON: JSON Feed 1.0 only → version 1.1 with language, authors, next_url and item language.
// Every XML patch anchors on an element the library is known to write and throws if it is not there exactly as
// expected, so a library upgrade that changes its output fails loudly in tests instead of emitting broken feeds.
import { Feed, type Item } from 'feed';
import type { Lang } from '../domain/event';
import { escapeHtml, escapeXml } from './text';

/** One feed entry, already sanitised: plain text without forbidden characters, http(s) URLs only. */
export interface FeedEntry {
  /** `tag:` URI: the GUID in every format. */
  id: string;
  title: string;
  link: string;
  /** The event's own date. */
  published: Date;
  /** The last change to the stored event. */
  updated: Date;
  /** Plain-text description, if the event has one. */
  summary: string | undefined;
  /** Everything about the event as an HTML fragment (escaped by the caller). */
  contentHtml: string;
  categories: string[];
  /** Atom rel="related" links (the sources). */
  related: { href: string; title: string }[];
  lang: Lang;
}

export interface FeedDocument {
  /** `tag:` URI of the feed. */
  id: string;
  title: string;
  description: string;
  selfUrl: string;
  homeUrl: string;
  nextUrl: string | undefined;
  /** A related feed (a topic's anniversary feed), linked with rel="related" (JSON Feed: `_context`). */
  relatedUrl?: string | undefined;
  /** Newest change among the entries; never the build time. */
  updated: Date;
  language: Lang;
  author: { name: string; url?: string | undefined };
  generator: string | undefined;
  entries: FeedEntry[];
}

export const jsonFeedVersion = 'https://jsonfeed.org/version/1.1';

/** Pre-escapes "&" for text nodes: xml-js un-escapes "&amp;" and then escapes "&", so this round-trips exactly. */
function libText(text: string): string {
  return text.replaceAll('&', '&amp;');
}

/** xml-js replaces only the first "]]>" in CDATA; split every later one so each is escaped once. */
function libCdata(text: string): string {
  let first = true;
  return text.replace(/]]>/g, (match) => {
    if (first) {
      first = false;
      return match;
    }
    return ']]]]><![CDATA[>';
  });
}

type Format = 'rss' | 'atom' | 'json';

function makeFeed(doc: FeedDocument, format: Format): Feed {
  const text = format === 'json' ? (t: string) => t : libText;
  const feed = new Feed({
    id: doc.id,
    title: text(doc.title),
    description: text(doc.description),
    link: doc.homeUrl,
    // `feed` wins over feedLinks for the self link in RSS and Atom; it is this document's own URL.
    feed: doc.selfUrl,
    feedLinks: { [format]: doc.selfUrl },
    language: doc.language,
    updated: doc.updated,
    generator: doc.generator === undefined ? false : doc.generator,
    author: {
      name: text(doc.author.name),
      ...(doc.author.url === undefined ? {} : { link: doc.author.url }),
    },
  });
  for (const entry of doc.entries) feed.addItem(itemFor(entry, format));
  return feed;
}

function itemFor(entry: FeedEntry, format: Format): Item {
  const common = {
    id: entry.id,
    guid: entry.id,
    link: entry.link,
    date: entry.updated,
    published: entry.published,
  };
  switch (format) {
    case 'rss':
      return {
        ...common,
        title: libCdata(entry.title),
        description: libCdata(entry.contentHtml),
        category: entry.categories.map((name) => ({ name: libText(name) })),
      };
    case 'atom':
      // Atom titles are written as type="html": the plain title goes in HTML-escaped. Categories: see patchAtom.
      return { ...common, title: libCdata(escapeHtml(entry.title)), content: libCdata(entry.contentHtml) };
    case 'json':
      return {
        ...common,
        title: entry.title,
        content: entry.contentHtml,
        ...(entry.summary === undefined ? {} : { description: entry.summary }),
        category: entry.categories.map((name) => ({ name })),
      };
  }
}

/** Replaces the single occurrence of `anchor` by `replace(found, indent)`; throws if it is absent or repeated. */
function patchOnce(xml: string, anchor: RegExp, replace: (found: string, indent: string) => string): string {
  const global = new RegExp(anchor.source, `${anchor.flags.replace('g', '')}g`);
  const hits = [...xml.matchAll(global)];
  const hit = hits[0];
  if (hits.length !== 1 || hit === undefined) {
    throw new Error(`feed library output changed: expected one ${anchor} (found ${hits.length})`);
  }
  const lineStart = xml.lastIndexOf('\n', hit.index) + 1;
  const indent = /^[ \t]*/.exec(xml.slice(lineStart, hit.index))?.[0] ?? '';
  return xml.slice(0, hit.index) + replace(hit[0], indent) + xml.slice(hit.index + hit[0].length);
}

function element(name: string, attributes: Record<string, string>): string {
  const attrs = Object.entries(attributes).map(([key, value]) => ` ${key}="${escapeXml(value)}"`);
  return `<${name}${attrs.join('')}/>`;
}

function after(found: string, indent: string, lines: string[]): string {
  return found + lines.map((line) => `\n${indent}${line}`).join('');
}

export function renderRss(doc: FeedDocument): string {
  let xml = makeFeed(doc, 'rss').rss2();
  const { nextUrl, relatedUrl } = doc;
  if (relatedUrl !== undefined) {
    xml = patchOnce(xml, /<atom:link [^>]*rel="self"[^>]*\/>/, (found, indent) =>
      after(found, indent, [
        element('atom:link', { href: relatedUrl, rel: 'related', type: 'application/rss+xml' }),
      ]),
    );
  }
  if (nextUrl !== undefined) {
    xml = patchOnce(xml, /<atom:link [^>]*rel="self"[^>]*\/>/, (found, indent) =>
      after(found, indent, [
        element('atom:link', { href: nextUrl, rel: 'next', type: 'application/rss+xml' }),
      ]),
    );
  }
  return xml;
}

export function renderAtom(doc: FeedDocument): string {
  let xml = makeFeed(doc, 'atom').atom1();
  xml = patchOnce(xml, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/, (found) =>
    found.replace('>', ` xml:lang="${doc.language}">`),
  );
  const { nextUrl, relatedUrl } = doc;
  if (relatedUrl !== undefined) {
    xml = patchOnce(xml, /<link rel="self"[^>]*\/>/, (found, indent) =>
      after(found, indent, [
        element('link', { rel: 'related', type: 'application/atom+xml', href: relatedUrl }),
      ]),
    );
  }
  if (nextUrl !== undefined) {
    xml = patchOnce(xml, /<link rel="self"[^>]*\/>/, (found, indent) =>
      after(found, indent, [element('link', { rel: 'next', type: 'application/atom+xml', href: nextUrl })]),
    );
  }
  // One pass over the entries (patching per entry would rescan the document each time). An entry's start tag
  // is followed by its HTML-escaped title, then its <id>: tag: URIs of URI characters only, written verbatim.
  const entries = new Map(doc.entries.map((entry) => [entry.id, entry]));
  const patched = new Set<string>();
  xml = xml.replace(
    /<entry>([\s\S]*?\n([ \t]*)<id>([^<]*)<\/id>)/g,
    (found, body: string, indent: string, id: string) => {
      const entry = entries.get(id);
      if (entry === undefined || patched.has(id)) return found;
      patched.add(id);
      const lang = entry.lang === doc.language ? '' : ` xml:lang="${entry.lang}"`;
      return after(`<entry${lang}>${body}`, indent, [
        ...entry.related.map((link) =>
          element('link', { rel: 'related', href: link.href, title: link.title }),
        ),
        ...entry.categories.map((term) => element('category', { term })),
      ]);
    },
  );
  if (patched.size !== entries.size) {
    throw new Error(`feed library output changed: patched ${patched.size} of ${entries.size} Atom entries`);
  }
  return xml;
}

export function renderJsonFeed(doc: FeedDocument): string {
  const {
    version: _v1,
    author: _author,
    items,
    ...rest
  } = JSON.parse(makeFeed(doc, 'json').json1()) as {
    version: string;
    author?: unknown;
    items: Record<string, unknown>[];
  } & Record<string, unknown>;
  if (items.length !== doc.entries.length) throw new Error('feed library output changed: item count differs');
  const feed = {
    version: jsonFeedVersion,
    ...rest,
    ...(doc.nextUrl === undefined ? {} : { next_url: doc.nextUrl }),
    // JSON Feed extensions start with "_"; readers that do not know this one ignore it.
    ...(doc.relatedUrl === undefined ? {} : { _context: { anniversaries_feed: doc.relatedUrl } }),
    language: doc.language,
    authors: [{ name: doc.author.name, ...(doc.author.url === undefined ? {} : { url: doc.author.url }) }],
    items: items.map((item, i) => {
      const lang = doc.entries[i]?.lang;
      return lang === undefined || lang === doc.language ? item : { ...item, language: lang };
    }),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
