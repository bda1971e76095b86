// GET /on-this-day/feed.{rss,atom,json}?topic=&tz=&days=: the anniversaries of the last `days` delivery
// days in `tz`, for any feed reader. Cached until the next local midnight, when the feed turns over.

import {
  type AnniversaryDay,
  type AnniversaryFeedSpec,
  anniversaryFingerprint,
  renderAnniversaryFeed,
} from '../feeds/anniversary-feed';
import type { FeedFormat } from '../feeds/render';
import { feedContentTypes } from '../feeds/render';
import { conditionalResponse } from '../http/conditional';
import { NotFound } from '../http/errors';
import { parseLimit, parseTimeZone } from '../http/params';
import { type RouteDefinition, route } from '../http/router';
import {
  addDays,
  anniversariesOf,
  countAnniversaries,
  dayIn,
  deliveryDayOf,
  startOfDayIn,
} from '../notify/anniversaries';
import { anniversaryFeedUrl } from '../notify/links';
import type { ReadStore } from '../store/events-table';
import { baseUrlOf, linksFor } from './links';

export interface AnniversaryRouteDeps {
  store: Pick<ReadStore, 'monthDayEvents' | 'monthDayCount' | 'getTopic'>;
  publicBaseUrl?: string | undefined;
  now: () => Date;
}

const daysParam = { default: 7, max: 31, param: 'days' };
/** Items per feed: a month of a busy topic-less feed would otherwise be thousands. */
const maxItems = 200;

function format(raw: string): FeedFormat {
  if (raw === 'rss' || raw === 'atom' || raw === 'json') return raw;
  throw new NotFound(`There is no feed format "${raw}"; use rss, atom or json.`);
}

export function anniversaryRoutes(deps: AnniversaryRouteDeps): RouteDefinition[] {
  return [
    route('GET', '/on-this-day/feed.{format}', async (req) => {
      const feedFormat = format(req.params.format);
      const timeZone = parseTimeZone(req.query.tz);
      const days = parseLimit(req.query.days, daysParam);
      const slug = req.query.topic;
      const topic = slug === undefined ? undefined : await deps.store.getTopic(slug);
      if (slug !== undefined && !topic) throw new NotFound(`There is no topic "${slug}".`);
      const now = deps.now();
      const today = dayIn(timeZone, now).day;
      // Two phases, each with the days at once (a month read one day after another cost 31 round trips end
      // to end): the index counts each day's anniversaries, then only the first `maxItems` of them, newest
      // day first, are read. Read whole, 7 busy days were 1,400 events for a feed of 200 (219 ms at 1M).
      const dayList = Array.from({ length: days }, (_, back) => addDays(today, -back));
      const options = { leap: 'feb28' as const, topic: topic?.slug };
      const counts = await Promise.all(
        dayList.map((day) =>
          countAnniversaries(deps.store, deliveryDayOf(day), { ...options, limit: maxItems }),
        ),
      );
      let left = maxItems;
      const takes = counts.map((count) => {
        const take = Math.min(count, left);
        left -= take;
        return take;
      });
      const found = await Promise.all(
        dayList.map(
          async (day, index): Promise<AnniversaryDay> => ({
            day,
            startsAt: startOfDayIn(day, timeZone),
            // A day with nothing to take reads nothing: anniversariesOf returns at once for a limit of 0.
            anniversaries: await anniversariesOf(deps.store, deliveryDayOf(day), {
              ...options,
              limit: takes[index] ?? 0,
            }),
          }),
        ),
      );
      const link = linksFor(baseUrlOf(req, deps.publicBaseUrl));
      const self = new URL(anniversaryFeedUrl(link.base, feedFormat, topic?.slug));
      if (req.query.tz !== undefined) self.searchParams.set('tz', timeZone);
      if (req.query.days !== undefined) self.searchParams.set('days', String(days));
      const about = topic ? topic.label : 'all topics';
      const spec: AnniversaryFeedSpec = {
        title: `On this day: ${about} — the Context`,
        description: `Anniversaries of news events in ${about}, each on the day it comes round.`,
        feedKey: `anniversaries/${topic?.slug ?? '*'}`,
        selfUrl: self.toString(),
        homeUrl: link.home,
        days: found,
        eventUrl: link.event,
        topicUrl: (topicSlug) => link.topicFeed(topicSlug, 'json'),
      };
      // The feed changes at the next local midnight; until then the same bytes. The fingerprint stands in
      // for the body's hash, as for topic feeds, so a 304 costs the reads but no writing.
      const nextMidnight = startOfDayIn(addDays(today, 1), timeZone).getTime();
      const maxAge = Math.max(1, Math.floor((nextMidnight - now.getTime()) / 1000));
      const fingerprint = anniversaryFingerprint(feedFormat, spec);
      return conditionalResponse(req, {
        body: () => renderAnniversaryFeed(feedFormat, spec, fingerprint),
        etag: `"${fingerprint}"`,
        contentType: feedContentTypes[feedFormat],
        cacheControl: `public, max-age=${maxAge}`,
      });
    }),
  ];
}
