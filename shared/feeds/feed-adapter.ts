// The three feed formats written directly from a sanitised document: RSS 2.0, Atom 1.0 and JSON Feed 1.1.
//
// These writers replaced an adapter around the `feed` library (kept as test/feeds/reference-adapter.ts): the
// library builds an object tree that xml-js walks, and the adapter then patched its gaps into the text (xml:lang,
// rel="next" and rel="related" links, escaped Atom categories, JSON Feed 1.1). That took most of a large
// feed's response time. The output is byte for byte the adapter's, layout included (xml-js's four-space
// indentation, attribute and element order); test/properties/feeds.property.test.ts compares the two on
// arbitrary documents, so every escaping rule below is the one the adapter applied.
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

// --------------------------------------------------------------------------- escaping, as xml-js wrote it

/** Element text: `&`, `<` and `>` escaped (what the adapter's pre-escaping and xml-js amounted to). */
function text(value: string): string {
  return value.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Text the library passed to xml-js as it was: xml-js first turned each `&amp;` back into `&`. */
function libraryText(value: string): string {
  return text(value.replaceAll('&amp;', '&'));
}

/** A CDATA section; each `]]>` in it is split across two sections. */
function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/**
 * A URL in an element or attribute as the library wrote it (its `sanitizeUrl`): re-serialised by `URL`, `&`
 * escaped. Links here are `URL` serialisations already (render.ts), which serialise to themselves again, so
 * the escaping is all that is left.
 */
function urlAttribute(url: string): string {
  return url.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
}

/** An empty element with attributes escaped for XML (the links and categories the adapter patched in). */
function element(name: string, attributes: Record<string, string>): string {
  let out = `<${name}`;
  for (const key in attributes) out += ` ${key}="${escapeXml(attributes[key] as string)}"`;
  return `${out}/>`;
}

/** An Atom element holding text; xml-js wrote an empty string as an empty element. */
function atomText(name: string, escaped: string): string {
  return escaped === '' ? `<${name}/>` : `<${name}>${escaped}</${name}>`;
}

const declaration = '<?xml version="1.0" encoding="utf-8"?>';
const indent = (depth: number) => `\n${'    '.repeat(depth)}`;
const I1 = indent(1);
const I2 = indent(2);
const I3 = indent(3);

// --------------------------------------------------------------------------- Atom 1.0

export function renderAtom(doc: FeedDocument): string {
  let xml = `${declaration}\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${doc.language}">`;
  xml += I1 + atomText('id', libraryText(doc.id));
  xml += I1 + atomText('title', text(doc.title));
  xml += `${I1}<updated>${doc.updated.toISOString()}</updated>`;
  if (doc.generator !== undefined) xml += I1 + atomText('generator', text(doc.generator));
  xml += `${I1}<author>${I2}${atomText('name', text(doc.author.name))}`;
  if (doc.author.url) xml += `${I2}<uri>${text(doc.author.url)}</uri>`;
  xml += `${I1}</author>`;
  xml += `${I1}<link rel="alternate" href="${urlAttribute(doc.homeUrl)}"/>`;
  xml += `${I1}<link rel="self" href="${urlAttribute(doc.selfUrl)}"/>`;
  // Each was inserted right after the self link, the related one first: `next` ends up above it.
  if (doc.nextUrl !== undefined) {
    xml += I1 + element('link', { rel: 'next', type: 'application/atom+xml', href: doc.nextUrl });
  }
  if (doc.relatedUrl !== undefined) {
    xml += I1 + element('link', { rel: 'related', type: 'application/atom+xml', href: doc.relatedUrl });
  }
  if (doc.description) xml += `${I1}<subtitle>${text(doc.description)}</subtitle>`;
  for (const entry of doc.entries) xml += atomEntry(entry, doc.language);
  return `${xml}\n</feed>`;
}

function atomEntry(entry: FeedEntry, language: Lang): string {
  const lang = entry.lang === language ? '' : ` xml:lang="${entry.lang}"`;
  let xml = `${I1}<entry${lang}>`;
  xml += `${I2}<title type="html">${cdata(escapeHtml(entry.title))}</title>`;
  xml += I2 + atomText('id', text(entry.id));
  for (const link of entry.related) {
    xml += I2 + element('link', { rel: 'related', href: link.href, title: link.title });
  }
  for (const term of entry.categories) xml += I2 + element('category', { term });
  xml += `${I2}<link href="${urlAttribute(entry.link)}"/>`;
  xml += `${I2}<updated>${entry.updated.toISOString()}</updated>`;
  if (entry.contentHtml) xml += `${I2}<content type="html">${cdata(entry.contentHtml)}</content>`;
  xml += `${I2}<published>${entry.published.toISOString()}</published>`;
  return `${xml}${I1}</entry>`;
}

// --------------------------------------------------------------------------- RSS 2.0

export function renderRss(doc: FeedDocument): string {
  let xml = `${declaration}\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">${I1}<channel>`;
  xml += `${I2}<title>${text(doc.title)}</title>`;
  xml += `${I2}<link>${text(doc.homeUrl)}</link>`;
  xml += `${I2}<description>${text(doc.description)}</description>`;
  xml += `${I2}<lastBuildDate>${doc.updated.toUTCString()}</lastBuildDate>`;
  xml += `${I2}<docs>https://validator.w3.org/feed/docs/rss2.html</docs>`;
  if (doc.generator !== undefined) xml += `${I2}<generator>${libraryText(doc.generator)}</generator>`;
  xml += `${I2}<language>${doc.language}</language>`;
  xml += `${I2}<atom:link href="${urlAttribute(doc.selfUrl)}" rel="self" type="application/rss+xml"/>`;
  if (doc.nextUrl !== undefined) {
    xml += I2 + element('atom:link', { href: doc.nextUrl, rel: 'next', type: 'application/rss+xml' });
  }
  if (doc.relatedUrl !== undefined) {
    xml += I2 + element('atom:link', { href: doc.relatedUrl, rel: 'related', type: 'application/rss+xml' });
  }
  for (const entry of doc.entries) xml += rssItem(entry);
  return `${xml}${I1}</channel>\n</rss>`;
}

function rssItem(entry: FeedEntry): string {
  let xml = `${I2}<item>`;
  if (entry.title) xml += `${I3}<title>${cdata(entry.title)}</title>`;
  xml += `${I3}<link>${text(entry.link)}</link>`;
  xml += `${I3}<guid isPermaLink="false">${libraryText(entry.id)}</guid>`;
  xml += `${I3}<pubDate>${entry.published.toUTCString()}</pubDate>`;
  if (entry.contentHtml) xml += `${I3}<description>${cdata(entry.contentHtml)}</description>`;
  for (const name of entry.categories) xml += `${I3}<category>${text(name)}</category>`;
  return `${xml}${I2}</item>`;
}

// --------------------------------------------------------------------------- JSON Feed 1.1

export function renderJsonFeed(doc: FeedDocument): string {
  const feed = {
    version: jsonFeedVersion,
    title: doc.title,
    home_page_url: doc.homeUrl,
    feed_url: doc.selfUrl,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.nextUrl === undefined ? {} : { next_url: doc.nextUrl }),
    // JSON Feed extensions start with "_"; readers that do not know this one ignore it.
    ...(doc.relatedUrl === undefined ? {} : { _context: { anniversaries_feed: doc.relatedUrl } }),
    language: doc.language,
    authors: [{ name: doc.author.name, ...(doc.author.url === undefined ? {} : { url: doc.author.url }) }],
    items: doc.entries.map((entry) => ({
      id: entry.id,
      content_html: entry.contentHtml,
      url: entry.link,
      ...(entry.title ? { title: entry.title } : {}),
      ...(entry.summary && entry.contentHtml ? { summary: entry.summary } : {}),
      date_modified: entry.updated.toISOString(),
      date_published: entry.published.toISOString(),
      tags: entry.categories.filter((name) => name !== ''),
      ...(entry.lang === doc.language ? {} : { language: entry.lang }),
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
