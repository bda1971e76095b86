// Absolute URLs of this service's resources, from the configured base URL or the request's host.
import { stringMemo } from '../domain/string-memo';
import type { FeedFormat } from '../feeds/render';
import type { HttpRequest } from '../http/request';

export interface Links {
  base: string;
  home: string;
  /** The event's JSON document (`/events/{date}/{slug}.json`), as the JSON API links it. */
  event(id: string): string;
  /** The event's HTML page (`/events/{date}/{slug}`): where feed items and pages link. */
  eventPage(id: string): string;
  topicPage(slug: string): string;
  topicFeed(slug: string, format: FeedFormat): string;
  allFeed(format: FeedFormat): string;
}

/**
 * Behind CloudFront the viewer's host arrives as `x-forwarded-host` (set by a viewer-request function);
 * locally and on the bare API it is `host`.
 */
export function baseUrlOf(req: Pick<HttpRequest, 'headers'>, configured: string | undefined): string {
  if (configured) return configured.replace(/\/+$/, '');
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost';
  const proto = req.headers['x-forwarded-proto']?.split(',')[0]?.trim() ?? 'https';
  return `${proto}://${host}`;
}

export function linksFor(base: string): Links {
  return {
    base,
    home: `${base}/`,
    event: (id) => `${eventPath(base, id)}.json`,
    eventPage: (id) => eventPath(base, id),
    topicPage: (slug) => `${base}/topics/${encodeURIComponent(slug)}`,
    topicFeed: (slug, format) => `${base}/topics/${encodeURIComponent(slug)}/feed.${format}`,
    allFeed: (format) => `${base}/feed.${format}`,
  };
}

/**
 * An event id's path (`<date>/<encoded slug>`): a list links every event it shows, and a Chinese slug encodes
 * to nine times its length, so the same ids are not encoded again on every page.
 */
const eventIdPath = stringMemo(
  (id: string) => {
    const slash = id.indexOf('/');
    return `${id.slice(0, slash)}/${encodeURIComponent(id.slice(slash + 1))}`;
  },
  { entries: 20_000, maxChars: 300 },
);

function eventPath(base: string, id: string): string {
  return `${base}/events/${eventIdPath(id)}`;
}
