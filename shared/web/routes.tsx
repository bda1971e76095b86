// The HTML pages, and the negotiation that serves them beside the JSON API on the same paths.
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { eventsInLang, parseLang } from '../api/lang-filter';
import { baseUrlOf, type Links, linksFor } from '../api/links';
import type { ApiDeps } from '../api/routes';
import { InvalidMonthDay, parseMonthDay, storedMonthDaysFor, todayIn, yearsAgo } from '../domain/calendar';
import type { Lang, StoredEvent } from '../domain/event';
import { topicSlug } from '../domain/topics';
import { type FeedFormat, feedContentTypes } from '../feeds/render';
import { conditionalResponse, settledLastModified } from '../http/conditional';
import { type CursorScope, cursorCodec } from '../http/cursor';
import { BadRequest, NotFound } from '../http/errors';
import { parseLimit } from '../http/params';
import type { HttpRequest, HttpResponse } from '../http/request';
import { type RouteDefinition, route } from '../http/router';
import type { EventBrief, PageRequest, ReadStore, TopicSummary } from '../store/events-table';
import { assets } from './assets';
import { type EventView, type FeedLink, labelLang, type TopicView } from './components';
import { humanDay } from './dates';
import { keptTopicList } from './kept-topic-list';
import { Layout, type PageHead, type SiteLinks } from './layout';
import { prefersHtml } from './negotiate';
import { ErrorPage, EventPage, HomePage, OnThisDayPage, TopicPage, TopicsPage } from './pages';

type Route = (req: HttpRequest) => Promise<HttpResponse>;

// The same freshness as the JSON and feeds they mirror (shared/api/routes.ts).
const eventCacheControl = 'public, max-age=300, stale-while-revalidate=600';
/** How long a listing page may be cached; the home page's topic ranking is kept as long (kept-topic-list.ts). */
const LIST_MAX_AGE_S = 60;
const listCacheControl = `public, max-age=${LIST_MAX_AGE_S}`;
const assetCacheControl = 'public, max-age=31536000, immutable';

/**
 * Sent with every page. Scripts and styles only from this origin's hashed assets: no inline script or
 * style at all, so no nonce or hash is needed; fetches only to this origin (the topic search).
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const pageLimit = { anniversaries: 10, activeTopics: 16 };
const topicEventsLimit = { default: 20, max: 100 };
const onThisDayLimit = { default: 50, max: 200 };
const topicsLimit = { default: 100, max: 500 };
const formats: { format: FeedFormat; label: string }[] = [
  { format: 'rss', label: 'RSS' },
  { format: 'atom', label: 'Atom' },
  { format: 'json', label: 'JSON Feed' },
];

interface PageRoute {
  definition: RouteDefinition;
  /** The JSON API answers the same path: negotiate on Accept (and send `Vary: Accept`). */
  negotiated: boolean;
  /** Leaves the path to the API when the params are not a page's (`…/{slug}.json`, `/on-this-day/feed.rss`). */
  claims?: (params: Record<string, string>) => boolean;
}

/**
 * The API with pages in front: a page path answers HTML when the client ranks `text/html` above JSON (a
 * browser), and the API's JSON otherwise, so API clients see exactly what they saw before pages existed.
 */
export function withPages(api: Route, deps: ApiDeps): Route {
  const pages = pageRoutes(deps);
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return api(req);
    const found = findPage(pages, req.rawPath);
    if (found === undefined) return api(req);
    const { page, params } = found;
    if (page.negotiated && !prefersHtml(req.headers.accept)) return varyOnAccept(await api(req));
    let response: HttpResponse;
    try {
      response = await page.definition.handle({ ...req, params });
    } catch (error) {
      // Browsers get an error page; API clients the same problem details as on every API path.
      if (!prefersHtml(req.headers.accept)) throw error;
      response = errorPage(req, error, deps.publicBaseUrl);
    }
    return page.negotiated ? varyOnAccept(response) : response;
  };
}

function findPage(pages: PageRoute[], rawPath: string) {
  let segments: string[];
  try {
    segments = rawPath.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined; // the API answers malformed paths with its problem
  }
  for (const page of pages) {
    const params = page.definition.match(segments);
    if (params !== undefined && (page.claims?.(params) ?? true)) return { page, params };
  }
  return undefined;
}

function varyOnAccept(response: HttpResponse): HttpResponse {
  const vary = response.headers.vary;
  return { ...response, headers: { ...response.headers, vary: vary ? `${vary}, Accept` : 'Accept' } };
}

function siteLinks(link: Links): SiteLinks {
  return {
    base: link.base,
    home: link.home,
    topics: `${link.base}/topics`,
    onThisDay: `${link.base}/on-this-day`,
    opml: `${link.base}/opml`,
  };
}

function htmlDocument(link: Links, head: PageHead, body: VNode): string {
  return `<!doctype html>\n${render(
    <Layout head={head} site={siteLinks(link)}>
      {body}
    </Layout>,
  )}`;
}

function errorPage(req: HttpRequest, error: unknown, publicBaseUrl: string | undefined): HttpResponse {
  const status =
    error instanceof NotFound
      ? 404
      : error instanceof BadRequest || error instanceof InvalidMonthDay
        ? 400
        : 0;
  if (status === 0) throw error; // unexpected: the generic 500 problem, logged once by http()
  const link = linksFor(baseUrlOf(req, publicBaseUrl));
  const title = status === 404 ? 'Not found' : 'Bad request';
  const head: PageHead = {
    title: `${title} — the Context feeds`,
    description: (error as Error).message,
    canonical: `${link.base}${req.rawPath}`,
    lang: 'en',
    alternates: [],
  };
  return {
    statusCode: status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders },
    body: htmlDocument(
      link,
      head,
      <ErrorPage title={title} detail={(error as Error).message} home={link.home} />,
    ),
  };
}

function htmlResponse(
  req: HttpRequest,
  document: string,
  options: { cacheControl: string; lastModified?: Date | undefined },
): HttpResponse {
  const response = conditionalResponse(req, {
    body: document,
    contentType: 'text/html; charset=utf-8',
    cacheControl: options.cacheControl,
    lastModified: options.lastModified,
  });
  return { ...response, headers: { ...response.headers, ...securityHeaders } };
}

function pageRoutes(deps: ApiDeps): PageRoute[] {
  const { store } = deps;
  const cursors = cursorCodec(deps.cursorKey);
  const rankedTopics = keptTopicList(() => everyTopic(store), {
    now: deps.now,
    maxAgeMs: LIST_MAX_AGE_S * 1000,
  });
  const links = (req: HttpRequest) => linksFor(baseUrlOf(req, deps.publicBaseUrl));

  const topicView = (link: Links, label: string, events?: number): TopicView => {
    const slug = topicSlug(label);
    return { slug, label, page: link.topicPage(slug), ...(events === undefined ? {} : { events }) };
  };
  const eventView = (link: Links, event: EventBrief, now?: Date): EventView => ({
    id: event.id,
    title: event.title,
    date: event.date,
    lang: event.lang,
    page: link.eventPage(event.id),
    topics: event.topics.map((label) => topicView(link, label)),
    ...(now ? { yearsAgo: yearsAgo(event.date, now, 'UTC', 'feb28') } : {}),
  });
  const feedLinks = (href: (format: FeedFormat) => string): FeedLink[] =>
    formats.map(({ format, label }) => ({ label, type: feedContentTypes[format], href: href(format) }));
  const alternates = (title: string, feeds: FeedLink[]) =>
    feeds.map((feed) => ({
      href: feed.href,
      type: feed.type.split(';')[0] ?? feed.type,
      title: `${title} (${feed.label})`,
    }));
  /** Issue 8's anniversary feeds: `/on-this-day/feed.{format}`, optionally of one topic. */
  const anniversaryFeed = (link: Links, topic?: string) => (format: FeedFormat) =>
    `${link.base}/on-this-day/feed.${format}${topic ? `?topic=${encodeURIComponent(topic)}` : ''}`;
  const withParams = (url: string, params: Record<string, string | undefined>) => {
    const parsed = new URL(url);
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) parsed.searchParams.set(name, value);
    return parsed.toString();
  };
  /** A page of `limit` (or `?limit=`, up to `max`) after the request's cursor, which must be `scope`'s. */
  const paging = (
    req: HttpRequest,
    limits: { default: number; max: number },
    scope: CursorScope,
  ): PageRequest => {
    const limit = parseLimit(req.query.limit, limits);
    const cursor = req.query.cursor;
    return cursor === undefined ? { limit } : { limit, after: cursors.decode(cursor, scope) };
  };
  /** Today's anniversaries (UTC), newest year first, as the on-this-day API lists them. */
  const anniversariesToday = async (filter: { topic?: string }, lang: Lang | undefined, limit: number) => {
    const now = deps.now();
    const today = todayIn('UTC', now);
    const monthDays = storedMonthDaysFor(today.monthDay, today.year, 'feb28');
    const page = await eventsInLang(
      (request) => store.monthDayBriefs(monthDays, { ...filter, beforeYear: today.year }, request),
      lang,
      { limit },
    );
    return { now, today, events: page.items };
  };

  const home = route('GET', '/', async (req) => {
    const link = links(req);
    const lang = parseLang(req.query.lang);
    const [topics, anniversaries] = await Promise.all([
      rankedTopics(),
      anniversariesToday({}, lang, pageLimit.anniversaries),
    ]);
    const inEdition = (topic: TopicSummary) =>
      lang === undefined || (labelLang(topic.label) === 'zh') === (lang === 'zh');
    const active = topics
      .filter(inEdition)
      .sort((a, b) => b.events - a.events || (a.label < b.label ? -1 : 1))
      .slice(0, pageLimit.activeTopics);
    const allFeeds = feedLinks((format) => withParams(link.allFeed(format), { lang }));
    const anniversaryFeeds = feedLinks(anniversaryFeed(link));
    const canonical = withParams(link.home, { lang });
    const head: PageHead = {
      title: 'the Context feeds: news topics and anniversaries',
      description:
        'Follow news topics and their anniversaries in a feed reader: RSS, Atom and JSON feeds for every topic of the Context.',
      canonical,
      // The page's own text is English in either edition; Chinese items carry lang="zh" themselves.
      lang: 'en',
      alternates: [...alternates('All events', allFeeds), ...alternates('Anniversaries', anniversaryFeeds)],
    };
    const day = humanDay(anniversaries.today.monthDay);
    const editions = [
      { label: 'Both editions', href: link.home, current: lang === undefined },
      { label: 'English', href: withParams(link.home, { lang: 'en' }), current: lang === 'en' },
      { label: '中文', href: withParams(link.home, { lang: 'zh' }), current: lang === 'zh' },
    ];
    return htmlResponse(
      req,
      htmlDocument(
        link,
        head,
        <HomePage
          topicsAction={`${link.base}/topics`}
          active={active.map((topic) => topicView(link, topic.label, topic.events))}
          today={day}
          anniversaries={anniversaries.events.map((event) => eventView(link, event, anniversaries.now))}
          onThisDayPage={`${link.base}/on-this-day/${anniversaries.today.monthDay}`}
          allFeeds={allFeeds}
          anniversaryFeeds={anniversaryFeeds}
          opml={`${link.base}/opml`}
          lang={lang}
          editions={editions}
        />,
      ),
      { cacheControl: listCacheControl },
    );
  });

  const topics = route('GET', '/topics', async (req) => {
    const link = links(req);
    const query = req.query.q?.trim() || undefined;
    const page = await store.listTopics(query, paging(req, topicsLimit, { route: 'topics-page', q: query }));
    const self = withParams(`${link.base}/topics`, { q: query, cursor: req.query.cursor });
    const head: PageHead = {
      title: query ? `Topics starting with “${query}” — the Context feeds` : 'Topics — the Context feeds',
      description: 'Find a news topic and subscribe to its feed.',
      canonical: self,
      lang: 'en',
      alternates: [],
    };
    const older = page.next
      ? withParams(`${link.base}/topics`, {
          q: query,
          cursor: cursors.encode({ route: 'topics-page', q: query }, page.next),
          limit: req.query.limit,
        })
      : undefined;
    return htmlResponse(
      req,
      htmlDocument(
        link,
        head,
        <TopicsPage
          topicsAction={`${link.base}/topics`}
          query={query}
          topics={page.items.map((topic) => topicView(link, topic.label, topic.events))}
          older={older}
        />,
      ),
      { cacheControl: listCacheControl },
    );
  });

  const topic = route('GET', '/topics/{slug}', async (req) => {
    const link = links(req);
    const found = await store.getTopic(req.params.slug);
    if (!found) throw new NotFound(`There is no topic "${req.params.slug}".`);
    const scope = { route: 'topic-page', topic: found.slug };
    const [page, anniversaries] = await Promise.all([
      store.topicEvents(found.slug, paging(req, topicEventsLimit, scope)),
      anniversariesToday({ topic: found.slug }, undefined, pageLimit.anniversaries),
    ]);
    const feeds = feedLinks((format) => link.topicFeed(found.slug, format));
    const anniversaryFeeds = feedLinks(anniversaryFeed(link, found.slug));
    const first = link.topicPage(found.slug);
    const head: PageHead = {
      title: `${found.label} — the Context feeds`,
      description: `${found.events === 1 ? '1 news event' : `${found.events} news events`} about ${found.label}, newest first, with RSS, Atom and JSON feeds.`,
      canonical: withParams(first, { cursor: req.query.cursor }),
      lang: 'en', // the heading carries the label's own language
      alternates: [
        ...alternates(found.label, feeds),
        ...alternates(`${found.label}: anniversaries`, anniversaryFeeds),
      ],
    };
    return htmlResponse(
      req,
      htmlDocument(
        link,
        head,
        <TopicPage
          label={found.label}
          events={found.events}
          feeds={feeds}
          anniversaryFeeds={anniversaryFeeds}
          newest={page.items.map((event) => eventView(link, event))}
          first={req.query.cursor === undefined ? undefined : withParams(first, { limit: req.query.limit })}
          older={
            page.next
              ? withParams(first, { cursor: cursors.encode(scope, page.next), limit: req.query.limit })
              : undefined
          }
          today={humanDay(anniversaries.today.monthDay)}
          anniversaries={anniversaries.events.map((event) => eventView(link, event, anniversaries.now))}
        />,
      ),
      { cacheControl: listCacheControl },
    );
  });

  const event = route('GET', '/events/{date}/{slug}', async (req) => {
    const link = links(req);
    const id = `${req.params.date}/${req.params.slug}`;
    const found = await store.getEvent(id);
    if (!found) throw new NotFound(`There is no event "${id}".`);
    const live = await store.liveEventIds(found.related.map((related) => related.id));
    const topicFeeds = found.topics.flatMap((label) => {
      const feed = link.topicFeed(topicSlug(label), 'atom');
      return [{ href: feed, type: feedContentTypes.atom.split(';')[0] ?? '', title: `${label} (Atom)` }];
    });
    const head: PageHead = {
      title: `${found.title} — the Context feeds`,
      description: summary(found),
      canonical: link.eventPage(found.id),
      lang: found.lang,
      alternates: [
        { href: link.event(found.id), type: 'application/json', title: 'This event as JSON' },
        ...topicFeeds,
      ],
    };
    return htmlResponse(
      req,
      htmlDocument(
        link,
        head,
        <EventPage
          title={found.title}
          date={found.date}
          lang={found.lang}
          description={found.description}
          sources={found.sources}
          related={found.related.map((related) => ({
            id: related.id,
            title: related.title,
            date: related.date,
            page: live.has(related.id) ? link.eventPage(related.id) : undefined,
          }))}
          topics={found.topics.map((label) => topicView(link, label))}
          json={link.event(found.id)}
        />,
      ),
      {
        cacheControl: eventCacheControl,
        // As the JSON: related links depend on other events existing, which `updatedAt` does not track.
        lastModified:
          found.related.length === 0 ? settledLastModified(new Date(found.updatedAt), deps.now()) : undefined,
      },
    );
  });

  async function onThisDay(req: HttpRequest, requested: string | undefined): Promise<HttpResponse> {
    const link = links(req);
    const now = deps.now();
    const today = todayIn('UTC', now);
    const monthDay = requested === undefined ? today.monthDay : parseMonthDay(requested).text;
    const monthDays = storedMonthDaysFor(monthDay, today.year, 'feb28');
    const scope = { route: 'on-this-day-page', monthDays: monthDays.join(','), year: today.year };
    const page = await store.monthDayBriefs(
      monthDays,
      { beforeYear: today.year },
      paging(req, onThisDayLimit, scope),
    );
    const self = `${link.base}/on-this-day/${monthDay}`;
    const feeds = feedLinks(anniversaryFeed(link));
    const day = humanDay(monthDay);
    const head: PageHead = {
      title: `On this day, ${day} — the Context feeds`,
      description: `News events of ${day} in earlier years, newest first.`,
      canonical: withParams(self, { cursor: req.query.cursor }),
      lang: 'en',
      alternates: alternates('Anniversaries', feeds),
    };
    const [previous, next] = [-1, 1].map((step) => {
      const text = shiftMonthDay(monthDay, step);
      return { href: `${link.base}/on-this-day/${text}`, label: humanDay(text) };
    }) as [{ href: string; label: string }, { href: string; label: string }];
    return htmlResponse(
      req,
      htmlDocument(
        link,
        head,
        <OnThisDayPage
          day={day}
          events={page.items.map((event) => eventView(link, event, now))}
          previous={previous}
          next={next}
          older={
            page.next
              ? withParams(self, { cursor: cursors.encode(scope, page.next), limit: req.query.limit })
              : undefined
          }
          feeds={feeds}
        />,
      ),
      { cacheControl: listCacheControl },
    );
  }

  const asset = route('GET', '/assets/{name}', async (req) => {
    const found = assets.get(req.params.name);
    if (!found) throw new NotFound('There is no such asset.');
    const response = conditionalResponse(req, {
      body: found.body,
      contentType: found.contentType,
      cacheControl: assetCacheControl,
    });
    return { ...response, headers: { ...response.headers, 'x-content-type-options': 'nosniff' } };
  });

  return [
    { definition: home, negotiated: true },
    { definition: topics, negotiated: true },
    { definition: topic, negotiated: false },
    { definition: event, negotiated: false, claims: (params) => !params.slug?.endsWith('.json') },
    { definition: route('GET', '/on-this-day', (req) => onThisDay(req, undefined)), negotiated: true },
    {
      definition: route('GET', '/on-this-day/{monthDay}', (req) => onThisDay(req, req.params.monthDay)),
      negotiated: true,
      claims: (params) => /^\d{2}-\d{2}$/.test(params.monthDay ?? ''),
    },
    { definition: asset, negotiated: false },
  ];
}

/** Every topic, for the most-active list (the OPML reads them the same way). */
async function everyTopic(store: ReadStore): Promise<TopicSummary[]> {
  const topics: TopicSummary[] = [];
  let after: PageRequest['after'];
  do {
    const page = await store.listTopics(undefined, { limit: 500, ...(after ? { after } : {}) });
    topics.push(...page.items);
    after = page.next;
  } while (after);
  return topics;
}

/** The description's first sentence or so, for `<meta name="description">`. */
function summary(event: StoredEvent): string {
  const text = (event.description ?? event.title).replace(/\s+/g, ' ').trim();
  return text.length <= 200 ? text : `${text.slice(0, 197)}…`;
}

/** The month-day `step` days away, through Feb 29 (pages cover every day that has anniversaries). */
function shiftMonthDay(monthDay: string, step: number): string {
  const date = new Date(`2000-${monthDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + step);
  return date.toISOString().slice(5, 10);
}
