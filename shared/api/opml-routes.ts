// GET /opml: the topic feeds as OPML 2.0, one bounded page at a time, so no topic count makes a response
// approach Lambda's 6 MB limit. Later pages are chained by an OPML include outline and a `Link: rel="next"`.
import { renderOpml } from '../feeds/opml';
import { conditionalResponse } from '../http/conditional';
import type { CursorCodec } from '../http/cursor';
import { parseLimit } from '../http/params';
import type { HttpRequest } from '../http/request';
import { type RouteDefinition, route } from '../http/router';
import type { PageRequest, ReadStore } from '../store/events-table';
import type { Links } from './links';

export interface OpmlRouteDeps {
  store: Pick<ReadStore, 'listTopics'>;
  links: (req: HttpRequest) => Links;
  cursors: CursorCodec;
}

/**
 * Topics per page. A page of 1,000 of the longest outlines (200-character Han labels, written twice, and their
 * percent-encoded slugs in the feed URL) is 2.3 MB as a Lambda response (test/api/opml-paging.integration.test.ts);
 * a typical outline is about 250 bytes, so most lists are one page, which is what readers importing OPML expect.
 */
export const opmlLimit = { default: 1_000, max: 1_000 };
const scope = { route: 'opml' };
const cacheControl = 'public, max-age=60';

export function opmlRoutes(deps: OpmlRouteDeps): RouteDefinition[] {
  return [
    route('GET', '/opml', async (req) => {
      const limit = parseLimit(req.query.limit, opmlLimit);
      const cursor = req.query.cursor;
      const page: PageRequest =
        cursor === undefined ? { limit } : { limit, after: deps.cursors.decode(cursor, scope) };
      const topics = await deps.store.listTopics(undefined, page);
      const link = deps.links(req);
      const nextUrl = topics.next
        ? pageUrl(link.base, deps.cursors.encode(scope, topics.next), req)
        : undefined;
      const body = renderOpml({
        title: 'the Context — topic feeds',
        topics: topics.items.map((topic) => ({
          label: topic.label,
          slug: topic.slug,
          feeds: {
            rss: link.topicFeed(topic.slug, 'rss'),
            atom: link.topicFeed(topic.slug, 'atom'),
            json: link.topicFeed(topic.slug, 'json'),
          },
        })),
        ...(nextUrl ? { next: { url: nextUrl, text: 'More topics' } } : {}),
      });
      // No Last-Modified: a topic that disappears moves no remaining topic's time.
      const response = conditionalResponse(req, {
        body,
        contentType: 'text/x-opml; charset=utf-8',
        cacheControl,
      });
      return nextUrl
        ? { ...response, headers: { ...response.headers, link: `<${nextUrl}>; rel="next"` } }
        : response;
    }),
  ];
}

function pageUrl(base: string, cursor: string, req: HttpRequest): string {
  const url = new URL(`${base}/opml`);
  if (req.query.limit !== undefined) url.searchParams.set('limit', req.query.limit);
  url.searchParams.set('cursor', cursor);
  return url.toString();
}
