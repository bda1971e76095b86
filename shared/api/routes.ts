// The public HTTP API: each route parses its request, reads the store, and shapes the response.
import { type LeapPolicy, parseMonthDay, storedMonthDaysFor, todayIn, yearsAgoOn } from '../domain/calendar';
import { topicSlug } from '../domain/topics';
import {
  type FeedFormat,
  type FeedSpec,
  feedContentTypes,
  feedFingerprint,
  renderFeed,
} from '../feeds/render';
import { conditionalResponse, json, settledLastModified } from '../http/conditional';
import { type CursorScope, cursorCodec } from '../http/cursor';
import { BadRequest, NotFound } from '../http/errors';
import { parseLimit, parseTimeZone } from '../http/params';
import type { HttpRequest, HttpResponse } from '../http/request';
import { route, router } from '../http/router';
import { anniversaryFeedUrl } from '../notify/links';
import type { Page, PageRequest, ReadStore, StoredEvent, TopicSummary } from '../store/events-table';
import { withPages } from '../web/routes';
import { anniversaryRoutes } from './anniversary-routes';
import { parseLang } from './lang-filter';
import { baseUrlOf, type Links, linksFor } from './links';
import { opmlRoutes } from './opml-routes';
import { type SubscriptionRouteDeps, subscriptionRoutes } from './subscription-routes';

export interface ApiDeps {
  store: ReadStore;
  /** Configured public base URL; without it links are built from the request's host. */
  publicBaseUrl?: string | undefined;
  now: () => Date;
  /** HMAC key that signs paging cursors; every instance serving the API must share it. */
  cursorKey: string | Uint8Array;
  /** The subscriptions API; absent, its routes are not served. */
  subscriptions?: Omit<SubscriptionRouteDeps, 'store' | 'publicBaseUrl' | 'now'> | undefined;
}

const feedLimit = { default: 50, max: 200 };
const listLimit = { default: 100, max: 500 };
// Events change when files are uploaded, a few times a day: readers may cache briefly, CDNs revalidate.
const feedCacheControl = 'public, max-age=300, stale-while-revalidate=600';
const listCacheControl = 'public, max-age=60';
const leapRules: readonly LeapPolicy[] = ['feb28', 'mar1', 'strict'];

function feedFormat(raw: string): FeedFormat {
  if (raw === 'rss' || raw === 'atom' || raw === 'json') return raw;
  throw new NotFound(`There is no feed format "${raw}"; use rss, atom or json.`);
}

function topicRefs(labels: string[]) {
  return labels.map((label) => ({ slug: topicSlug(label), label }));
}

export function apiRoutes(deps: ApiDeps): (req: HttpRequest) => Promise<HttpResponse> {
  const { store } = deps;
  const links = (req: HttpRequest): Links => linksFor(baseUrlOf(req, deps.publicBaseUrl));
  const cursors = cursorCodec(deps.cursorKey);

  /**
   * The page a request asks for, and the cursor of the page after it. `scope` names the listing: the route
   * and every filter that shapes it, so a cursor only works for the query that issued it.
   */
  function paging(req: HttpRequest, limits: { default: number; max: number }, scope: CursorScope) {
    const limit = parseLimit(req.query.limit, limits);
    const cursor = req.query.cursor;
    const request: PageRequest =
      cursor === undefined ? { limit } : { limit, after: cursors.decode(cursor, scope) };
    const nextCursor = (page: Page<unknown>) => (page.next ? cursors.encode(scope, page.next) : undefined);
    return { request, nextCursor };
  }

  function feedResponse(
    req: HttpRequest,
    format: FeedFormat,
    page: { items: StoredEvent[]; next: string | undefined },
    meta: {
      title: string;
      description: string;
      /** Stable part of the feed's tag id: it must never change for the same feed. */
      key: string;
      self: (format: FeedFormat, cursor?: string) => string;
      /**
       * When the feed's partition last changed, if the store can tell: it must move with every change to
       * the feed (a delete too). Without it only the ETag validates.
       */
      lastModified?: Date | undefined;
      /** A related feed: a topic's anniversary feed. */
      relatedUrl?: string | undefined;
    },
  ): HttpResponse {
    const link = links(req);
    const limit = req.query.limit;
    const spec: FeedSpec = {
      title: meta.title,
      description: meta.description,
      feedKey: meta.key,
      selfUrl: withQuery(meta.self(format, req.query.cursor), { limit }),
      homeUrl: link.home,
      ...(page.next ? { nextUrl: withQuery(meta.self(format, page.next), { limit }) } : {}),
      ...(meta.relatedUrl ? { relatedUrl: meta.relatedUrl } : {}),
      events: page.items,
      // Items open the event's page; its JSON stays at `link.event`.
      eventUrl: link.eventPage,
      topicUrl: (slug) => link.topicFeed(slug, 'json'),
    };
    // The fingerprint stands in for the body's hash, so a 304 costs the Query but no rendering.
    const fingerprint = feedFingerprint(format, spec);
    return conditionalResponse(req, {
      body: () => renderFeed(format, spec, fingerprint).body,
      etag: `"${fingerprint}"`,
      contentType: feedContentTypes[format],
      lastModified: meta.lastModified,
      cacheControl: feedCacheControl,
    });
  }

  function topicJson(link: Links, topic: TopicSummary) {
    return {
      slug: topic.slug,
      label: topic.label,
      events: topic.events,
      updated: topic.updated,
      feeds: {
        rss: link.topicFeed(topic.slug, 'rss'),
        atom: link.topicFeed(topic.slug, 'atom'),
        json: link.topicFeed(topic.slug, 'json'),
      },
      anniversaryFeeds: {
        rss: anniversaryFeedUrl(link.base, 'rss', topic.slug),
        atom: anniversaryFeedUrl(link.base, 'atom', topic.slug),
        json: anniversaryFeedUrl(link.base, 'json', topic.slug),
      },
    };
  }

  async function onThisDay(req: HttpRequest, monthDayParam: string | undefined): Promise<HttpResponse> {
    const timeZone = parseTimeZone(req.query.tz);
    const leap = (req.query.leap ?? 'feb28') as LeapPolicy;
    if (!leapRules.includes(leap)) throw new BadRequest('leap must be one of feb28, mar1, strict.', 'leap');
    const now = deps.now();
    const today = todayIn(timeZone, now);
    const monthDay = monthDayParam === undefined ? today.monthDay : parseMonthDay(monthDayParam).text;
    const topic = req.query.topic;
    const monthDays = storedMonthDaysFor(monthDay, today.year, leap);
    const { request, nextCursor } = paging(req, feedLimit, {
      route: 'on-this-day',
      monthDay,
      monthDays: monthDays.join(','),
      year: today.year,
      tz: timeZone,
      leap,
      topic,
    });
    // No Last-Modified depends on the topic item here, so both reads go out at once.
    const [known, page] = await Promise.all([
      topic === undefined ? true : store.getTopic(topic),
      store.monthDayBriefs(monthDays, { topic, beforeYear: today.year }, request),
    ]);
    if (!known) throw new NotFound(`There is no topic "${topic}".`);
    const link = links(req);
    // Every answer depends on today (which years, how many years ago), so it carries no Last-Modified:
    // tomorrow's list must not be a 304 of today's. The strong ETag still validates.
    return conditionalResponse(req, {
      body: JSON.stringify({
        date: monthDay,
        events: page.items.map((event) => ({
          id: event.id,
          date: event.date,
          year: Number(event.date.slice(0, 4)),
          yearsAgo: yearsAgoOn(event.date, today, leap),
          title: event.title,
          topics: topicRefs(event.topics),
          url: link.event(event.id),
        })),
        next: nextCursor(page) ?? null,
      }),
      contentType: 'application/json; charset=utf-8',
      // The answer for "today" turns over at midnight in the caller's zone; keep caches short.
      cacheControl: listCacheControl,
    });
  }

  const api = router(
    // First: `/on-this-day/feed.{format}` must win over `/on-this-day/{monthDay}`.
    ...anniversaryRoutes(deps),
    ...(deps.subscriptions
      ? subscriptionRoutes({ ...deps.subscriptions, store, publicBaseUrl: deps.publicBaseUrl, now: deps.now })
      : []),
    route('GET', '/', async (req) => {
      const link = links(req);
      return json({
        name: 'the Context event feeds',
        links: {
          topics: `${link.base}/topics`,
          feeds: { rss: link.allFeed('rss'), atom: link.allFeed('atom'), json: link.allFeed('json') },
          onThisDay: `${link.base}/on-this-day`,
          opml: `${link.base}/opml`,
        },
      });
    }),
    route('GET', '/topics', async (req) => {
      const { request, nextCursor } = paging(req, listLimit, { route: 'topics', q: req.query.q });
      const page = await store.listTopics(req.query.q, request);
      const link = links(req);
      return json(
        { topics: page.items.map((topic) => topicJson(link, topic)), next: nextCursor(page) ?? null },
        200,
        { 'cache-control': listCacheControl },
      );
    }),
    route('GET', '/topics/{slug}/feed.{format}', async (req) => {
      const format = feedFormat(req.params.format);
      const { request, nextCursor } = paging(req, feedLimit, { route: 'topic-feed', topic: req.params.slug });
      // The topic's `updated` (Last-Modified) is never newer than the page: see shared/store/topic-feed-read.ts.
      const found = await store.topicFeed(req.params.slug, request);
      if (!found) throw new NotFound(`There is no topic "${req.params.slug}".`);
      const { topic, page } = found;
      return feedResponse(
        req,
        format,
        { items: page.items, next: nextCursor(page) },
        {
          title: `${topic.label} — the Context`,
          description: `News events about ${topic.label}, newest first.`,
          key: `topic/${topic.slug}`,
          self: (f, cursor) => withQuery(links(req).topicFeed(topic.slug, f), { cursor }),
          lastModified: settledLastModified(new Date(topic.updated), deps.now()),
          relatedUrl: anniversaryFeedUrl(links(req).base, format, topic.slug),
        },
      );
    }),
    route('GET', '/feed.{format}', async (req) => {
      const format = feedFormat(req.params.format);
      const lang = parseLang(req.query.lang);
      const { request, nextCursor } = paging(req, feedLimit, { route: 'all-feed', lang });
      // Each language is its own partition: a `?lang=` page is one Query.
      const page = await store.allEvents(request, lang);
      const edition = lang === undefined ? '' : lang === 'zh' ? ' in Chinese' : ' in English';
      // No Last-Modified: nothing records when the whole feed last changed (a delete moves no item's time).
      return feedResponse(
        req,
        format,
        { items: page.items, next: nextCursor(page) },
        {
          title: `All events${edition} — the Context`,
          description: `Every news event${edition}, newest first.`,
          key: lang === undefined ? 'all' : `all/${lang}`,
          self: (f, cursor) => withQuery(links(req).allFeed(f), { cursor, lang }),
        },
      );
    }),
    route('GET', '/events/{date}/{slug}.json', async (req) => {
      const id = `${req.params.date}/${req.params.slug}`;
      const event = await store.getEvent(id);
      if (!event) throw new NotFound(`There is no event "${id}".`);
      const link = links(req);
      const live = await store.liveEventIds(event.related.map((related) => related.id));
      return conditionalResponse(req, {
        body: JSON.stringify(eventJson(event, link, live)),
        contentType: 'application/json; charset=utf-8',
        // Related links depend on other events existing, which `updatedAt` does not track.
        lastModified:
          event.related.length === 0 ? settledLastModified(new Date(event.updatedAt), deps.now()) : undefined,
        cacheControl: feedCacheControl,
      });
    }),
    route('GET', '/on-this-day', (req) => onThisDay(req, undefined)),
    route('GET', '/on-this-day/{monthDay}', (req) => onThisDay(req, req.params.monthDay)),
    ...opmlRoutes({ store, links, cursors }),
  );
  // Browsers get HTML pages on the paths they share with this API (see shared/web/routes.tsx).
  return withPages(api, deps);
}

function eventJson(event: StoredEvent, link: Links, liveIds: Set<string>) {
  return {
    id: event.id,
    date: event.date,
    title: event.title,
    description: event.description ?? null,
    sources: event.sources.map(({ name, url }) => ({ name, url })),
    images: event.images,
    topics: topicRefs(event.topics),
    related: event.related.map((related) => ({
      id: related.id,
      title: related.title,
      date: related.date,
      topics: topicRefs(related.topics),
      // Only events this service holds get a link; the others would be 404s.
      url: liveIds.has(related.id) ? link.event(related.id) : null,
    })),
    lang: event.lang,
    updatedAt: event.updatedAt,
  };
}

function withQuery(url: string, params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (entries.length === 0) return url;
  const parsed = new URL(url);
  for (const [name, value] of entries) parsed.searchParams.set(name, value);
  return parsed.toString();
}
