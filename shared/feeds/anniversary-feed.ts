// Anniversary feeds: each item is one event's anniversary, dated on its delivery day (local midnight in
// the reader's zone), with a GUID per (event, delivery year) so the same anniversary returns next year.
// Pure: the days, their anniversaries and the zone come in; RSS / Atom / JSON Feed text goes out.
import type { Anniversary } from '../notify/anniversaries';
import { longDate } from '../notify/messages';
import type { FeedDocument, FeedEntry } from './feed-adapter';
import {
  anniversaryTagUri,
  entryFor,
  type FeedFormat,
  type FeedSpec,
  feedTagUri,
  feedWriters,
  linkProbe,
  renderDigest,
  renderedOnce,
} from './render';
import { escapeHtml, requireHttpUrl, xmlChars } from './text';

export interface AnniversaryDay {
  /** `YYYY-MM-DD` of the delivery day. */
  day: string;
  /** When that day begins in the feed's zone: every item of the day is dated then. */
  startsAt: Date;
  anniversaries: Anniversary[];
}

export interface AnniversaryFeedSpec {
  title: string;
  description: string;
  /** Stable key of the feed's tag id, e.g. `anniversaries/islamabad`. */
  feedKey: string;
  selfUrl: string;
  homeUrl: string;
  /** Newest delivery day first. */
  days: AnniversaryDay[];
  eventUrl: (id: string) => string;
  topicUrl?: (slug: string) => string;
}

function yearsText(years: number): string {
  return years === 1 ? '1 year ago' : `${years} years ago`;
}

function entryOf(day: AnniversaryDay, anniversary: Anniversary, spec: FeedSpec): FeedEntry {
  const { event, yearsAgo } = anniversary;
  const base = entryFor(event, spec);
  const when = `${yearsText(yearsAgo)}, on ${longDate(event.date)}`;
  return {
    ...base,
    id: anniversaryTagUri(event.id, Number(day.day.slice(0, 4))),
    title: `${yearsText(yearsAgo)} (${event.date}): ${base.title}`,
    // Readers hide old items and validators flag dates before 1990: the item is news on its delivery day.
    published: day.startsAt,
    updated: day.startsAt,
    contentHtml: `<p>${escapeHtml(xmlChars(when))}:</p>${base.contentHtml}`,
  };
}

export function anniversaryDocument(spec: AnniversaryFeedSpec): FeedDocument {
  const eventSpec: FeedSpec = {
    title: spec.title,
    description: spec.description,
    selfUrl: spec.selfUrl,
    homeUrl: spec.homeUrl,
    events: [],
    eventUrl: spec.eventUrl,
    ...(spec.topicUrl ? { topicUrl: spec.topicUrl } : {}),
  };
  const seen = new Set<string>();
  const entries: FeedEntry[] = [];
  for (const day of spec.days) {
    for (const anniversary of day.anniversaries) {
      const entry = entryOf(day, anniversary, eventSpec);
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      entries.push(entry);
    }
  }
  const zh = entries.filter((entry) => entry.lang === 'zh').length;
  return {
    id: feedTagUri(spec.feedKey),
    title: xmlChars(spec.title),
    description: xmlChars(spec.description),
    selfUrl: requireHttpUrl(spec.selfUrl, 'selfUrl'),
    homeUrl: requireHttpUrl(spec.homeUrl, 'homeUrl'),
    nextUrl: undefined,
    // The newest delivery day, never the build time: the same day renders the same bytes.
    updated: spec.days[0]?.startsAt ?? new Date(0),
    language: zh > entries.length - zh ? 'zh' : 'en',
    author: { name: 'the Context' },
    generator: undefined,
    entries,
  };
}

/**
 * A digest of everything the anniversary feed's output depends on (see `feedFingerprint`): its days, each
 * anniversary's years and event, and the links. An anniversary's `topics` are not in the output: its
 * event's labels are.
 */
export function anniversaryFingerprint(format: FeedFormat, spec: AnniversaryFeedSpec): string {
  const { eventUrl: _eventUrl, topicUrl: _topicUrl, days, ...data } = spec;
  const events = days.flatMap((day) => day.anniversaries.map((anniversary) => anniversary.event));
  const dayHeaders = days.map((day) => [
    day.day,
    day.startsAt.getTime(),
    day.anniversaries.map((anniversary) => anniversary.yearsAgo),
  ]);
  return renderDigest(['anniversaries', format, data, linkProbe(spec, events[0]?.id), dayHeaders], events);
}

/**
 * Rendered once per container for the same days and events: readers poll the feed all day, and until an
 * event or the day changes it is the same bytes (the 200 items of a busy all-topics feed took ~100 ms to write).
 * `fingerprint`: the caller's `anniversaryFingerprint(format, spec)`, when it already made one for the ETag.
 */
export function renderAnniversaryFeed(
  format: FeedFormat,
  spec: AnniversaryFeedSpec,
  fingerprint = anniversaryFingerprint(format, spec),
): string {
  return renderedOnce(fingerprint, () => feedWriters[format](anniversaryDocument(spec)));
}
