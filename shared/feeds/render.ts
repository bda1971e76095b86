// Pure rendering of stored events into RSS 2.0, Atom 1.0 and JSON Feed 1.1: same input, byte-identical output.
import { createHash } from 'node:crypto';
import type { Lang, NewsEvent, StoredEvent } from '../domain/event';
import { topicSlug } from '../domain/topics';
import { type FeedDocument, type FeedEntry, renderAtom, renderJsonFeed, renderRss } from './feed-adapter';
import { escapeHtml, httpUrl, requireHttpUrl, xmlChars } from './text';

export type FeedFormat = 'rss' | 'atom' | 'json';

export type { StoredEvent };

export interface FeedSpec {
  /** Names the topic, e.g. "Islamabad — the Context events". */
  title: string;
  description: string;
  /** Absolute URL of this feed document, in this format. */
  selfUrl: string;
  /** Absolute site or topic URL. */
  homeUrl: string;
  /** Absolute URL of the next (older) page: RFC 5005 rel="next", JSON Feed next_url. */
  nextUrl?: string;
  /** Newest first. */
  events: StoredEvent[];
  /** Absolute URL of an event's JSON in this service. */
  eventUrl: (id: string) => string;
  /** Absolute URL of a topic, from its slug (`topicSlug` of the label); when given, item HTML links each topic. */
  topicUrl?: (slug: string) => string;
  generator?: string;
  /**
   * Stable key of the feed's `tag:` id, e.g. `topic/islamabad`. Defaults to the path of `homeUrl`; pass it
   * explicitly so that the id survives a change of site layout.
   */
  feedKey?: string;
  /** The feed's language when there are no events to take it from; `en` unless told. */
  language?: Lang;
  /** Atom/JSON Feed author; `the Context` unless told. */
  author?: { name: string; url?: string };
  /** A related feed (a topic's anniversary feed): Atom and RSS `rel="related"`, JSON Feed `_context`. */
  relatedUrl?: string;
}

export interface RenderedFeed {
  body: string;
  contentType: string;
}

export const feedContentTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

const tagAuthority = 'tag:thecontext.net,2018:';

function tagPath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(xmlChars(segment)))
    .join('/');
}

/** The GUID of an event in every format; depends on its id only, never on where the service runs. */
export function eventTagUri(id: string): string {
  return `${tagAuthority}event/${tagPath(id)}`;
}

/** The GUID of an event's anniversary in one delivery year: the same anniversary returns each year. */
export function anniversaryTagUri(id: string, deliveryYear: number): string {
  return `${tagAuthority}anniversary/${tagPath(id)}/${deliveryYear}`;
}

/** The id of a feed, from its stable key (e.g. `topic/islamabad`). */
export function feedTagUri(key: string): string {
  return `${tagAuthority}feed/${tagPath(key)}`;
}

function feedKeyOf(spec: FeedSpec, homeUrl: string): string {
  if (spec.feedKey !== undefined) return spec.feedKey;
  const path = decodeURIComponent(new URL(homeUrl).pathname).replace(/^\/+|\/+$/g, '');
  return path === '' ? 'all' : path;
}

/** Most common language among the events; ties go to English. */
function languageOf(events: readonly NewsEvent[], fallback: Lang): Lang {
  if (events.length === 0) return fallback;
  const zh = events.filter((event) => event.lang === 'zh').length;
  return zh > events.length - zh ? 'zh' : 'en';
}

function eventDate(event: NewsEvent): Date {
  const date = new Date(`${event.date}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(event.date) || Number.isNaN(date.getTime())) {
    throw new TypeError(`event ${event.id} has an invalid date ${JSON.stringify(event.date)}`);
  }
  return date;
}

/** The stored change time; an unreadable one falls back to the event date rather than failing the feed. */
function updatedOf(event: StoredEvent): Date {
  const updated = new Date(event.updatedAt);
  return Number.isNaN(updated.getTime()) ? eventDate(event) : updated;
}

const labels: Record<Lang, { sources: string; related: string; topics: string }> = {
  en: { sources: 'Sources', related: 'Related events', topics: 'Topics' },
  zh: { sources: '信息来源', related: '有关', topics: '消息' },
};

function link(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}

function list(heading: string, items: string[]): string {
  if (items.length === 0) return '';
  return `<p>${escapeHtml(heading)}:</p><ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
}

function contentHtml(
  event: NewsEvent,
  sources: { href: string; title: string }[],
  spec: FeedSpec,
  summary: string | undefined,
): string {
  const text = labels[event.lang];
  const related = event.related.map((ref) => {
    const url = requireHttpUrl(spec.eventUrl(ref.id), 'eventUrl(related id)');
    return `${link(url, xmlChars(ref.title))} (${escapeHtml(xmlChars(ref.date))})`;
  });
  const topicUrl = spec.topicUrl;
  const topics = event.topics.flatMap((label) => {
    const clean = xmlChars(label).trim();
    if (clean === '') return [];
    return [
      topicUrl === undefined
        ? escapeHtml(clean)
        : link(requireHttpUrl(topicUrl(topicSlug(label)), 'topicUrl'), clean),
    ];
  });
  const html = [
    summary === undefined ? '' : `<p>${escapeHtml(summary)}</p>`,
    list(
      text.sources,
      sources.map((source) => link(source.href, source.title)),
    ),
    list(text.related, related),
    topics.length === 0 ? '' : `<p>${escapeHtml(text.topics)}: ${topics.join(', ')}</p>`,
  ].join('');
  return html === '' ? `<p>${escapeHtml(xmlChars(event.title))}</p>` : html;
}

/**
 * Entries already rendered, by event and links. Only frozen events are kept (the store hands out each
 * decoded entry frozen and shares it, shared/store/entry-cache.ts): they cannot change under the cache, and
 * while one lives its entries are the same work each time it is shown. The links are told apart as
 * `feedFingerprint` tells them: `eventUrl` and `topicUrl` build on one base, so the event's own URL and a
 * probe topic's name them.
 */
const renderedEntries = new WeakMap<StoredEvent, Map<string, FeedEntry>>();

/** One event as a feed entry (the anniversary feed reuses it and re-dates it). */
export function entryFor(event: StoredEvent, spec: FeedSpec): FeedEntry {
  if (!Object.isFrozen(event)) return buildEntry(event, spec);
  const links = `${spec.eventUrl(event.id)}\n${spec.topicUrl?.('probe') ?? ''}`;
  let byLinks = renderedEntries.get(event);
  const known = byLinks?.get(links);
  if (known !== undefined) return known;
  const entry = Object.freeze(buildEntry(event, spec));
  if (byLinks === undefined) {
    byLinks = new Map();
    renderedEntries.set(event, byLinks);
  }
  byLinks.set(links, entry);
  return entry;
}

function buildEntry(event: StoredEvent, spec: FeedSpec): FeedEntry {
  const sources = event.sources.flatMap((source) => {
    const href = httpUrl(source.url);
    if (href === undefined) return [];
    const name = xmlChars(source.name).trim();
    return [{ href, title: name === '' ? new URL(href).host : name }];
  });
  const description = event.description === undefined ? '' : xmlChars(event.description).trim();
  const summary = description === '' ? undefined : description;
  return {
    id: eventTagUri(event.id),
    title: xmlChars(event.title),
    link: requireHttpUrl(spec.eventUrl(event.id), 'eventUrl'),
    published: eventDate(event),
    updated: updatedOf(event),
    summary,
    contentHtml: contentHtml(event, sources, spec, summary),
    categories: event.topics.map((topic) => xmlChars(topic).trim()).filter((topic) => topic !== ''),
    related: sources,
    lang: event.lang,
  };
}

/** The sanitised document the writers write (exported for the tests that compare writers). */
export function feedDocument(spec: FeedSpec): FeedDocument {
  // One entry per id: a repeated GUID would confuse readers (and the Atom patches anchor on unique ids).
  const byId = new Map<string, StoredEvent>();
  for (const event of spec.events) if (!byId.has(event.id)) byId.set(event.id, event);
  const events = [...byId.values()];
  const homeUrl = requireHttpUrl(spec.homeUrl, 'homeUrl');
  const entries = events.map((event) => entryFor(event, spec));
  const newest = Math.max(...entries.map((entry) => entry.updated.getTime()));
  return {
    id: feedTagUri(feedKeyOf(spec, homeUrl)),
    title: xmlChars(spec.title),
    description: xmlChars(spec.description),
    selfUrl: requireHttpUrl(spec.selfUrl, 'selfUrl'),
    homeUrl,
    nextUrl: spec.nextUrl === undefined ? undefined : requireHttpUrl(spec.nextUrl, 'nextUrl'),
    relatedUrl: spec.relatedUrl === undefined ? undefined : requireHttpUrl(spec.relatedUrl, 'relatedUrl'),
    // An empty feed has changed never: the epoch, so that no build time ever reaches the output.
    updated: new Date(entries.length === 0 ? 0 : newest),
    language: languageOf(events, spec.language ?? 'en'),
    author: {
      name: xmlChars(spec.author?.name ?? 'the Context'),
      url: spec.author?.url === undefined ? undefined : requireHttpUrl(spec.author.url, 'author.url'),
    },
    generator: spec.generator === undefined ? undefined : xmlChars(spec.generator),
    entries,
  };
}

export const feedWriters: Record<FeedFormat, (doc: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** Bump when rendering changes, so fingerprints (and ETags built from them) change with the output. */
const RENDER_VERSION = 1;

/**
 * A digest of everything the rendered document depends on. Rendering is deterministic (same input,
 * byte-identical output), so this identifies the output as well as a hash of it would, without rendering:
 * a conditional GET can answer 304 from it. URLs built by `eventUrl`/`topicUrl` derive from `homeUrl`'s base.
 */
export function feedFingerprint(format: FeedFormat, spec: FeedSpec): string {
  const { eventUrl: _eventUrl, topicUrl: _topicUrl, events, ...data } = spec;
  return renderDigest([format, data, linkProbe(spec, events[0]?.id), events.length], events);
}

/**
 * What a fingerprint knows of the links: they build on one base, so an event's URL and a probe topic's
 * name it. None without an event: an empty document has no links to an event or a topic.
 */
export function linkProbe(
  links: Pick<FeedSpec, 'eventUrl' | 'topicUrl'>,
  firstEventId: string | undefined,
): (string | undefined)[] {
  return firstEventId === undefined ? [] : [links.eventUrl(firstEventId), links.topicUrl?.('probe')];
}

/**
 * The digest a fingerprint is made of: `header` (as JSON, with RENDER_VERSION) and then each event by its
 * own digest, in order: a large page's JSON, hashed whole, cost as much as a quarter of rendering it.
 * `header` must hold everything else the output depends on, the number of events included.
 */
export function renderDigest(header: unknown, events: Iterable<StoredEvent>): string {
  const hash = createHash('sha256').update(JSON.stringify([RENDER_VERSION, header]));
  for (const event of events) hash.update(eventDigest(event));
  return hash.digest('base64url');
}

/** Digests of frozen events (see `renderedEntries`), which cannot change. */
const eventDigests = new WeakMap<StoredEvent, Buffer>();

function eventDigest(event: StoredEvent): Buffer {
  const known = eventDigests.get(event);
  if (known !== undefined) return known;
  const digest = createHash('sha256').update(JSON.stringify(event)).digest();
  if (Object.isFrozen(event)) eventDigests.set(event, digest);
  return digest;
}

/**
 * Documents rendered in this container, by fingerprint. A feed that has not changed since its last request
 * renders to the same bytes, and the `feed` library builds a whole object tree per document (half of a hot
 * page's response time): feed readers poll the same pages over and over. Bounded by the characters held
 * (a hot page of 50 events is about 300 KB); the oldest go first.
 */
const MAX_RENDERED_CHARS = 8_000_000;
const rendered = new Map<string, string>();
let renderedChars = 0;

/** `fingerprint`: the caller's `feedFingerprint(format, spec)`, when it already made one for the ETag. */
export function renderFeed(
  format: FeedFormat,
  spec: FeedSpec,
  fingerprint = feedFingerprint(format, spec),
): RenderedFeed {
  const body = renderedOnce(fingerprint, () => feedWriters[format](feedDocument(spec)));
  return { body, contentType: feedContentTypes[format] };
}

/** The document of `fingerprint`: this container's copy when it has one, else `render()`'s, then kept. */
export function renderedOnce(fingerprint: string, render: () => string): string {
  let body = rendered.get(fingerprint);
  if (body === undefined) {
    body = render();
    rendered.set(fingerprint, body);
    renderedChars += body.length;
    for (const [oldest, text] of rendered) {
      if (renderedChars <= MAX_RENDERED_CHARS) break;
      rendered.delete(oldest);
      renderedChars -= text.length;
    }
  }
  return body;
}
