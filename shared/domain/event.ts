// The domain model shared by parsing, storage, rendering and HTTP: one news event and what a file yields.

export type Lang = 'en' | 'zh';

/** A cited article. Only http/https URLs are ever stored. */
export interface Source {
  name: string;
  url: string;
}

/** A picture attached to the event (`Cover Image`, `[IMG](..)`), kept apart from sources. */
export interface Image {
  url: string;
  caption?: string;
}

/** A link from one event to another, as listed under `### Related:`. */
export interface RelatedRef {
  /** Id of the related event: `YYYY-MM-DD/<slug>`. */
  id: string;
  title: string;
  /** YYYY-MM-DD */
  date: string;
  /** Context labels, as written (`_Context: Islamabad, Red Mosque_`). */
  topics: string[];
}

/** One news event as parsed from a single file (event file, front matter file, or one day listing entry). */
export interface NewsEvent {
  /** `YYYY-MM-DD/<slug>`: the event's identity across files. */
  id: string;
  /** YYYY-MM-DD, always a real calendar date. */
  date: string;
  slug: string;
  title: string;
  description?: string;
  sources: Source[];
  images: Image[];
  related: RelatedRef[];
  /** Topic labels (not slugs), deduplicated, in first-seen order. */
  topics: string[];
  lang: Lang;
}

/** An event as stored and served: the merged event plus when its content last changed. */
export interface StoredEvent extends NewsEvent {
  /** ISO time of the last change to the event's content. */
  updatedAt: string;
}

/** Where an event's fields came from; decides precedence when several files describe one event. */
export type ContributionKind = 'event-file' | 'front-matter' | 'listing-entry';

export type RejectionReason =
  | 'too-large'
  | 'not-utf8'
  | 'empty'
  | 'unknown-format'
  | 'missing-date'
  | 'invalid-date'
  | 'missing-title'
  | 'invalid-front-matter'
  /** Within the format, but beyond a size bound (shared/parse/limits.ts): too many topics, a huge label, … */
  | 'over-limit';

/** The typed outcome of parsing one object. */
export type ParseResult =
  | { kind: 'event'; contribution: ContributionKind; event: NewsEvent }
  | { kind: 'listing'; date: string; lang: Lang; events: NewsEvent[] }
  | { kind: 'rejected'; reason: RejectionReason; detail: string };
