// The routes the latency and load benchmarks measure. Adding a route is one line in `latencyRoutes` (and,
// for load, one line in `loadScenarios`); each names its floor: one raw Query of the same page size.
import { linksFor } from '../../shared/api/links';
import type { LoadRequest, LoadScenario } from '../load';
import type { Subjects } from './subjects';

export type Floor =
  | { kind: 'topic'; slug: string; limit: number }
  | { kind: 'month-day'; monthDay: string; limit: number }
  /** The month-days an anniversary feed reads (one Query each, at once), of one topic or of all. */
  | { kind: 'month-days'; monthDays: string[]; topic?: string; limit: number }
  | { kind: 'event'; id: string; limit: 1 }
  | { kind: 'topic-list'; limit: number };

export interface LatencyRoute {
  name: string;
  path: string;
  /** Pages are asked for as HTML (the same paths answer JSON otherwise). */
  accept?: 'text/html';
  floor: Floor;
  /** p50 within 2× the floor, and flat as the store grows (the targets). */
  targeted: boolean;
}

/** The URL and headers a route is measured with on the API at `baseUrl`: pages as HTML, as a browser asks. */
export function requestOf(baseUrl: string, route: LatencyRoute) {
  return {
    url: `${baseUrl}${route.path}`,
    headers: route.accept ? { accept: route.accept } : ({} as Record<string, string>),
  };
}

/** One GET, its body read whole; a 4xx or 5xx fails the measurement. */
export async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const body = await response.arrayBuffer();
  if (response.status >= 400) throw new Error(`${url}: ${response.status}`);
  return { response, body };
}

const FEED = 50;
const LIST = 100;
/** An anniversary feed's default: the last 7 delivery days, at most 200 items (shared/api/anniversary-routes.ts). */
const ANNIVERSARY_DAYS = 7;
const ANNIVERSARY_ITEMS = 200;
const enc = encodeURIComponent;
/**
 * The hot event's page, as the site links it (its slug percent-encoded). Sent raw, a Chinese slug made every
 * autocannon connection stall at its first request of it: before 2026-12-02 the `pages` load scenario made
 * exactly 128 requests (8 connections × the 16 before it) in every run, whatever its length.
 */
const hotEventPage = (s: Subjects) => linksFor('').eventPage(s.hotEvent.id);

/** The month-days (MM-DD) of the `count` days up to `today` (UTC), newest first: what an anniversary feed reads. */
export function lastMonthDays(today: Date, count: number): string[] {
  return Array.from({ length: count }, (_, back) =>
    new Date(today.getTime() - back * 86_400_000).toISOString().slice(5, 10),
  );
}

/**
 * The page a cold subject is asked for: as many events as it had in the store where it was picked (never
 * more than a default page), so that every store size answers the same number of entries and a growth
 * ratio measures the store, not an answer that grows with it. Hot subjects fill a default page everywhere.
 */
export function coldPage(subject: { page: number }): number {
  return Math.max(1, Math.min(FEED, subject.page));
}

export function latencyRoutes(s: Subjects, today: Date): LatencyRoute[] {
  const hot = s.hotTopic.slug;
  const cold = s.coldTopic.slug;
  const coldTopicPage = coldPage(s.coldTopic);
  const coldDayPage = coldPage(s.coldMonthDay);
  const topicFloor = (slug: string, limit = FEED): Floor => ({ kind: 'topic', slug, limit });
  const dayFloor = (monthDay: string, limit = FEED): Floor => ({ kind: 'month-day', monthDay, limit });
  const monthDays = lastMonthDays(today, ANNIVERSARY_DAYS);
  const anniversaryFloor = (topic?: string): Floor => ({
    kind: 'month-days',
    monthDays,
    ...(topic === undefined ? {} : { topic }),
    limit: ANNIVERSARY_ITEMS,
  });
  return [
    {
      name: 'topic feed (hot)',
      path: `/topics/${enc(hot)}/feed.atom`,
      floor: topicFloor(hot),
      targeted: true,
    },
    {
      name: 'topic feed (cold)',
      path: `/topics/${enc(cold)}/feed.atom?limit=${coldTopicPage}`,
      floor: topicFloor(cold, coldTopicPage),
      targeted: true,
    },
    {
      name: 'on this day (hot)',
      path: `/on-this-day/${s.hotMonthDay.monthDay}`,
      floor: dayFloor(s.hotMonthDay.monthDay),
      targeted: true,
    },
    {
      name: 'on this day (cold)',
      path: `/on-this-day/${s.coldMonthDay.monthDay}?limit=${coldDayPage}`,
      floor: dayFloor(s.coldMonthDay.monthDay, coldDayPage),
      targeted: true,
    },
    {
      name: 'topic page (hot)',
      path: `/topics/${enc(hot)}`,
      accept: 'text/html',
      floor: topicFloor(hot),
      targeted: false,
    },
    {
      name: 'topic page (cold)',
      path: `/topics/${enc(cold)}?limit=${coldTopicPage}`,
      accept: 'text/html',
      floor: topicFloor(cold, coldTopicPage),
      targeted: false,
    },
    {
      name: 'on this day page (hot)',
      path: `/on-this-day/${s.hotMonthDay.monthDay}`,
      accept: 'text/html',
      floor: dayFloor(s.hotMonthDay.monthDay),
      targeted: false,
    },
    {
      name: 'event page',
      path: hotEventPage(s),
      accept: 'text/html',
      floor: { kind: 'event', id: s.hotEvent.id, limit: 1 },
      targeted: false,
    },
    {
      name: 'home page',
      path: '/',
      accept: 'text/html',
      floor: { kind: 'topic-list', limit: LIST },
      targeted: false,
    },
    {
      name: 'anniversary feed (all)',
      path: '/on-this-day/feed.rss',
      floor: anniversaryFloor(),
      targeted: false,
    },
    {
      name: 'anniversary feed (hot)',
      path: `/on-this-day/feed.rss?topic=${enc(hot)}`,
      floor: anniversaryFloor(hot),
      targeted: false,
    },
    { name: 'topic list', path: '/topics', floor: { kind: 'topic-list', limit: LIST }, targeted: false },
  ];
}

const html = { accept: 'text/html' };

/** Load scenarios; `etags` (path → ETag) turns half of the mix into conditional requests answered 304. */
export function loadScenarios(s: Subjects, etags: Map<string, string>): LoadScenario[] {
  const formats = ['atom', 'rss', 'json'];
  const feeds = [
    ...s.topicSample.map((slug, i) => ({ path: `/topics/${enc(slug)}/feed.${formats[i % 3]}` })),
    { path: '/on-this-day/feed.rss' },
    ...s.topicSample.slice(0, 5).map((slug) => ({ path: `/on-this-day/feed.rss?topic=${enc(slug)}` })),
  ];
  const days = s.monthDaySample.map((monthDay) => ({ path: `/on-this-day/${monthDay}` }));
  const pages = [
    { path: '/', headers: html },
    ...s.topicSample.slice(0, 10).map((slug) => ({ path: `/topics/${enc(slug)}`, headers: html })),
    ...s.monthDaySample.slice(0, 5).map((monthDay) => ({ path: `/on-this-day/${monthDay}`, headers: html })),
    { path: hotEventPage(s), headers: html },
  ];
  const mix = [...feeds, ...days, ...pages, { path: '/topics' }].flatMap((request: LoadRequest) => {
    const etag = etags.get(request.path);
    return etag
      ? [request, { ...request, headers: { ...request.headers, 'if-none-match': etag } }]
      : [request];
  });
  return [
    { name: 'topic feeds', requests: feeds },
    { name: 'on this day', requests: days },
    { name: 'pages', requests: pages },
    { name: 'mix with 304s', requests: mix },
  ];
}
