// Item keys and codecs: the only place that spells key formats (the sort key itself in sort-key.ts, re-exported
// here); items are read back through zod, not casts.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ContributionKind, Lang, NewsEvent, StoredEvent } from '../domain/event';
import * as z from '../zod';
import { BRIEF_ATTRIBUTE, briefText } from './event-brief';
import { sortKeyOf } from './sort-key';
import { tableSchema } from './table-schema';

const { partitionKey: PK, sortKey: SK, monthDayIndex } = tableSchema;

/** Every language an event can have: the all-events listing keeps one partition per language. */
export const LANGS = ['en', 'zh'] as const satisfies readonly Lang[];
export const TOPICS_PARTITION = 'TOPICS';
export const REJECTIONS_PARTITION = 'REJECTION';
/** Partition-key prefix of object manifests, for offline maintenance (the local stack's reconcile). */
export const OBJECT_MANIFEST_PREFIX = 'OBJECT#';

export type ItemKey = Record<string, string>;

export const itemKeys = {
  event: (id: string): ItemKey => ({ [PK]: `EVENT#${id}`, [SK]: 'EVENT' }),
  object: (key: string): ItemKey => ({ [PK]: `${OBJECT_MANIFEST_PREFIX}${key}`, [SK]: 'OBJECT' }),
  rejection: (key: string): ItemKey => ({ [PK]: REJECTIONS_PARTITION, [SK]: key }),
  topic: (slug: string): ItemKey => ({ [PK]: TOPICS_PARTITION, [SK]: slug }),
  membership: (slug: string, sortKey: string): ItemKey => ({ [PK]: topicPartition(slug), [SK]: sortKey }),
  /** An event's entry in the all-events listing of its language. */
  listing: (lang: Lang, sortKey: string): ItemKey => ({ [PK]: allPartition(lang), [SK]: sortKey }),
  /** A batch's topic writes in flight: its markers are settled once this item is gone. */
  journal: (token: string): ItemKey => ({ [PK]: `JOURNAL#${token}`, [SK]: 'JOURNAL' }),
  /** Running totals kept with `ADD`, so `/stats` reads one item instead of counting events. */
  stats: (): ItemKey => ({ [PK]: 'STATS', [SK]: 'TOTALS' }),
};

export const topicPartition = (slug: string) => `TOPIC#${slug}`;

/** All events of one language, newest first (`#` never appears in a slug, so no topic can collide). */
export const allPartition = (lang: Lang) => `ALL#${lang}`;

export { idOfSortKey, sortKeyOf } from './sort-key';

export const monthDayPartition = (monthDay: string, topic?: string) =>
  topic === undefined ? `MD#${monthDay}` : `MD#${monthDay}#T#${topic}`;

/**
 * An entry of a listing (a topic, or all events of a language): the listed event's keys, its month-day
 * index keys, and a copy of the event as served (gzip'd JSON), so a page of a listing is one Query.
 * `monthDay` is the index partition the entry belongs to (`MD#<MM-DD>` or `MD#<MM-DD>#T#<slug>`). An
 * all-events entry also carries the event's brief (event-brief.ts), which the month-day index projects, so
 * an on-this-day list is one Query; topic entries don't (write cost: docs/table-design.md).
 */
export function entryItem(
  key: ItemKey,
  monthDay: string,
  doc: Uint8Array,
  brief?: string,
): Record<string, unknown> {
  return {
    ...key,
    [monthDayIndex.partitionKey]: monthDay,
    doc,
    ...(brief === undefined ? {} : { [BRIEF_ATTRIBUTE]: brief }),
  };
}

/** The copy of an event that its entries carry. Made once per event: an event has an entry per topic. */
export function servedDoc(event: StoredEvent): Uint8Array {
  return gzipSync(JSON.stringify(event));
}

export function topicEntryItem(
  slug: string,
  event: StoredEvent,
  doc = servedDoc(event),
): Record<string, unknown> {
  return entryItem(
    itemKeys.membership(slug, sortKeyOf(event)),
    monthDayPartition(event.date.slice(5), slug),
    doc,
  );
}

export function listingEntryItem(event: StoredEvent, doc = servedDoc(event)): Record<string, unknown> {
  return entryItem(
    itemKeys.listing(event.lang, sortKeyOf(event)),
    monthDayPartition(event.date.slice(5)),
    doc,
    briefText(event),
  );
}

// ------------------------------------------------------------------ codecs

const newsEventObject = z.object({
  id: z.string(),
  date: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.optional(z.string()),
  sources: z.array(z.object({ name: z.string(), url: z.string() })),
  images: z.array(z.object({ url: z.string(), caption: z.optional(z.string()) })),
  related: z.array(
    z.object({ id: z.string(), title: z.string(), date: z.string(), topics: z.array(z.string()) }),
  ),
  topics: z.array(z.string()),
  lang: z.enum(['en', 'zh']),
});

const newsEventSchema: z.ZodMiniType<NewsEvent> = newsEventObject;
const storedEventSchema: z.ZodMiniType<StoredEvent> = z.extend(newsEventObject, { updatedAt: z.string() });

const entrySchema = z.object({ doc: z.instanceof(Uint8Array) });

/** The event a listing entry carries, unzipped and checked. */
export function decodeEntry(raw: Record<string, unknown>): StoredEvent {
  const { doc } = entrySchema.parse(raw);
  return storedEventSchema.parse(JSON.parse(gunzipSync(doc).toString('utf8')));
}

const contributionKinds = [
  'event-file',
  'front-matter',
  'listing-entry',
] as const satisfies ContributionKind[];

/** What one object says about an event at one sequencer; without `event`, a withdrawal (a tombstone). */
const contributionEntrySchema = z.object({
  seq: z.string(),
  kind: z.optional(z.enum(contributionKinds)),
  event: z.optional(newsEventSchema),
});
export type ContributionEntry = z.infer<typeof contributionEntrySchema>;

/** Derived writes a merge implies (topic entries, counters), recorded with it until they are applied. */
const pendingSchema = z.object({
  /** Identifies this marker, so only the merge that applied it clears it. */
  token: z.string(),
  /** Cleared with its batch: the marker is settled once the batch's journal item (`token`) is gone. */
  journal: z.optional(z.boolean()),
  add: z.array(z.string()),
  remove: z.array(z.string()),
  /** Topics the event stays in while its content changed: their entries are rewritten, `updated` moves. */
  touch: z.array(z.string()),
  /** The event's entry in the all-events listing of a language: rewritten (`put`) or withdrawn. */
  listing: z.optional(z.object({ put: z.optional(z.enum(LANGS)), remove: z.optional(z.enum(LANGS)) })),
  /** Change of the live-event total: 1 (appeared), -1 (gone) or 0. */
  events: z.number().check(z.int()),
  /** Labels of added topics: the first label seen for a slug names the topic. */
  labels: z.record(z.string(), z.string()),
  at: z.string(),
});
export type PendingWrites = z.infer<typeof pendingSchema>;

export const eventItemSchema = z.object({
  id: z.string(),
  date: z.string(),
  rev: z.number().check(z.int(), z.nonnegative()),
  /** Contributions by object key. */
  src: z.record(z.string(), contributionEntrySchema),
  /** Topic slugs the event is listed under now. */
  topics: z.array(z.string()),
  updatedAt: z.optional(z.string()),
  pending: z.optional(pendingSchema),
});
export type EventItem = z.infer<typeof eventItemSchema>;

/**
 * The contributions are stored as one gzip'd JSON attribute: a 4-5 KB map of nested lists becomes about
 * 1.5 KB, which cuts the write units of every write of the item (an update costs the item's whole size) and
 * the work of reading a page of events. Nothing in a condition or an index reads them.
 */
export function encodeContributions(src: EventItem['src']): Uint8Array {
  return gzipSync(JSON.stringify(src));
}

/** An event item as stored, read back (its contributions unzipped) and checked. */
export function decodeEventItem(raw: Record<string, unknown>): EventItem {
  const src = raw.src instanceof Uint8Array ? JSON.parse(gunzipSync(raw.src).toString('utf8')) : raw.src;
  return eventItemSchema.parse({ ...raw, src });
}

export const objectStateNames = ['events', 'rejected', 'deleted'] as const;
export type ObjectStateName = (typeof objectStateNames)[number];

export const objectItemSchema = z.object({
  key: z.string(),
  seq: z.string(),
  state: z.enum(objectStateNames),
  eventIds: z._default(z.array(z.string()), []),
  /** Events earlier versions contributed that may still need withdrawing (cleared once done). */
  pendingIds: z._default(z.array(z.string()), []),
  eTag: z.optional(z.string()),
  versionId: z.optional(z.string()),
  at: z.string(),
});
export type ObjectItem = z.infer<typeof objectItemSchema>;

export const topicItemSchema = z.object({
  [SK]: z.string(),
  label: z.string(),
  events: z.number(),
  updated: z.string(),
});

export const rejectionItemSchema = z.object({
  key: z.string(),
  reason: z.string(),
  detail: z.string(),
  seq: z.string(),
  at: z.string(),
});
