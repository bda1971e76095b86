// Builders for domain events in tests: fixed dates, only the fields a test cares about spelled out.
import type { NewsEvent } from '../../shared/domain/event';
import type { Contribution } from '../../shared/domain/merge';

export function makeEvent(id: string, overrides: Partial<NewsEvent> = {}): NewsEvent {
  const [date = '2007-07-09', slug = 'event'] = id.split('/');
  return {
    id,
    date,
    slug,
    title: `Title of ${slug}`,
    sources: [],
    images: [],
    related: [],
    topics: [],
    lang: 'en',
    ...overrides,
  };
}

export function fileContribution(objectKey: string, event: NewsEvent): Contribution {
  return { objectKey, kind: 'event-file', event };
}

export function listingContribution(objectKey: string, event: NewsEvent): Contribution {
  return { objectKey, kind: 'listing-entry', event };
}

/** A clock that starts at a fixed instant and moves one second per reading. */
export function steppingClock(start = '2026-11-25T12:00:00.000Z'): () => Date {
  let tick = 0;
  const base = Date.parse(start);
  return () => new Date(base + 1000 * tick++);
}
