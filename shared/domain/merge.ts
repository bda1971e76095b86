// Merges what several files say about one event (its own file, day listings) into one event.

import type { ContributionKind, NewsEvent } from './event';
import { topicSlug } from './topics';

export interface Contribution {
  /** S3 key of the object that said it. */
  objectKey: string;
  kind: ContributionKind;
  event: NewsEvent;
}

// An event's own file knows more than a one-line listing entry, so its fields win.
const precedence: Record<ContributionKind, number> = {
  'event-file': 0,
  'front-matter': 0,
  'listing-entry': 1,
};

function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Field-wise merge: scalars come from the highest-precedence contribution that has them (never a blank
 * over a value), lists are unions. Deterministic for the same set of contributions in any order.
 */
export function mergeContributions(contributions: Contribution[]): NewsEvent | undefined {
  const ordered = [...contributions].sort(
    (a, b) => precedence[a.kind] - precedence[b.kind] || a.objectKey.localeCompare(b.objectKey),
  );
  const events = ordered.map((c) => c.event);
  const [first] = events;
  if (!first) return undefined;
  const pick = <K extends keyof NewsEvent>(field: K): NewsEvent[K] | undefined =>
    events.map((e) => e[field]).find((value) => typeof value === 'string' && value.trim() !== '');

  const description = pick('description');
  return {
    id: first.id,
    date: first.date,
    slug: first.slug,
    title: pick('title') ?? first.title,
    ...(description ? { description } : {}),
    sources: uniqueBy(
      events.flatMap((e) => e.sources),
      (s) => s.url,
    ),
    images: uniqueBy(
      events.flatMap((e) => e.images),
      (i) => i.url,
    ),
    related: uniqueBy(
      events.flatMap((e) => e.related),
      (r) => r.id,
    ),
    topics: uniqueBy(
      events.flatMap((e) => e.topics),
      topicSlug,
    ),
    lang: first.lang,
  };
}
