// The routes the latency and load benchmarks measure. Adding a route is one line in `latencyRoutes` (and,
// for load, one line in `loadScenarios`); each names its floor: one raw Query of the same page size.
import type { LoadRequest, LoadScenario } from '../load';
import type { Subjects } from './subjects';

export type Floor =
  | { kind: 'topic'; slug: string; limit: number }
  | { kind: 'month-day'; monthDay: string; limit: number }
  | { kind: 'topic-list'; limit: number };

export interface LatencyRoute {
  name: string;
  path: string;
  /** Pages (issue 9) are asked for as HTML; until they are served the route answers JSON or 404. */
  accept?: 'text/html';
  /** What to measure instead while the HTML page is not served (then the output says so). */
  standIn?: string;
  floor: Floor;
  /** p50 within 2× the floor, and flat as the store grows (the targets). */
  targeted: boolean;
}

const FEED = 50;
const LIST = 100;
const enc = encodeURIComponent;

export function latencyRoutes(s: Subjects): LatencyRoute[] {
  const hot = s.hotTopic.slug;
  const cold = s.coldTopic.slug;
  const topicFloor = (slug: string): Floor => ({ kind: 'topic', slug, limit: FEED });
  const dayFloor = (monthDay: string): Floor => ({ kind: 'month-day', monthDay, limit: FEED });
  return [
    {
      name: 'topic feed (hot)',
      path: `/topics/${enc(hot)}/feed.atom`,
      floor: topicFloor(hot),
      targeted: true,
    },
    {
      name: 'topic feed (cold)',
      path: `/topics/${enc(cold)}/feed.atom`,
      floor: topicFloor(cold),
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
      path: `/on-this-day/${s.coldMonthDay.monthDay}`,
      floor: dayFloor(s.coldMonthDay.monthDay),
      targeted: true,
    },
    {
      name: 'topic page (hot)',
      path: `/topics/${enc(hot)}`,
      accept: 'text/html',
      standIn: `/topics/${enc(hot)}/feed.json`,
      floor: topicFloor(hot),
      targeted: false,
    },
    {
      name: 'topic page (cold)',
      path: `/topics/${enc(cold)}`,
      accept: 'text/html',
      standIn: `/topics/${enc(cold)}/feed.json`,
      floor: topicFloor(cold),
      targeted: false,
    },
    { name: 'topic list', path: '/topics', floor: { kind: 'topic-list', limit: LIST }, targeted: false },
  ];
}

const html = { accept: 'text/html' };

/** Load scenarios; `etags` (path → ETag) turns half of the mix into conditional requests answered 304. */
export function loadScenarios(
  s: Subjects,
  pagePath: (path: string) => string,
  etags: Map<string, string>,
): LoadScenario[] {
  const formats = ['atom', 'rss', 'json'];
  const feeds = s.topicSample.map((slug, i) => ({ path: `/topics/${enc(slug)}/feed.${formats[i % 3]}` }));
  const days = s.monthDaySample.map((monthDay) => ({ path: `/on-this-day/${monthDay}` }));
  const pages = [
    { path: pagePath('/'), headers: html },
    ...s.topicSample.slice(0, 10).map((slug) => ({ path: pagePath(`/topics/${enc(slug)}`), headers: html })),
    ...s.monthDaySample
      .slice(0, 5)
      .map((monthDay) => ({ path: pagePath(`/on-this-day/${monthDay}`), headers: html })),
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
