// Bounds on what one object may yield, so a hostile file ends as a clear rejection instead of a DynamoDB
// ValidationException (2 KB partition keys, 1 KB sort keys, 400 KB items) retried until the DLQ, or a write storm.
import type { NewsEvent, ParseResult } from '../domain/event';

/**
 * Each limit sits far above the real corpus (measured over ../shared/corpus: labels ≤ 94 characters, titles ≤ 586,
 * ≤ 12 topics, ≤ 10 related, ≤ 7 sources, ≤ 62 listing entries, descriptions ≤ 3,609 characters, ids ≤ 191 bytes).
 */
export const PARSE_LIMITS = {
  /** A topic slug is a sort key (1,024 bytes) and part of a partition key: 200 Han characters are 600 bytes. */
  topicLabelChars: 200,
  titleChars: 2_000,
  descriptionChars: 20_000,
  topics: 100,
  related: 200,
  sources: 200,
  images: 50,
  /** Every entry is an event of its own: a larger listing is refused whole, not half-written. */
  listingEntries: 1_000,
  /** `<date>#<id>` is a sort key (1,024 bytes): an id from a long key must leave room. */
  idBytes: 512,
  /** The event as JSON; the item holds up to three contributions (file, front matter, listing entry). */
  eventBytes: 64 * 1024,
} as const;

function overLimit(detail: string): ParseResult {
  return { kind: 'rejected', reason: 'over-limit', detail };
}

function countOver(what: string, count: number, limit: number): string | undefined {
  return count > limit ? `${count} ${what}, above the limit of ${limit}` : undefined;
}

/** The first limit the event breaks, as a sentence naming the field, its size and the limit; else undefined. */
function eventOverLimit(event: NewsEvent): string | undefined {
  const longLabel = event.topics.find((label) => label.length > PARSE_LIMITS.topicLabelChars);
  if (longLabel !== undefined) {
    return `a topic label of ${longLabel.length} characters, above the limit of ${PARSE_LIMITS.topicLabelChars}`;
  }
  const idBytes = Buffer.byteLength(event.id);
  return (
    countOver('title characters', event.title.length, PARSE_LIMITS.titleChars) ??
    countOver('description characters', event.description?.length ?? 0, PARSE_LIMITS.descriptionChars) ??
    countOver('topics', event.topics.length, PARSE_LIMITS.topics) ??
    countOver('related events', event.related.length, PARSE_LIMITS.related) ??
    countOver('sources', event.sources.length, PARSE_LIMITS.sources) ??
    countOver('images', event.images.length, PARSE_LIMITS.images) ??
    countOver('bytes in the event id', idBytes, PARSE_LIMITS.idBytes) ??
    (jsonBytesBound(event) <= PARSE_LIMITS.eventBytes
      ? undefined
      : countOver('bytes of event data', Buffer.byteLength(JSON.stringify(event)), PARSE_LIMITS.eventBytes))
  );
}

/**
 * An upper bound on `Buffer.byteLength(JSON.stringify(value))` without writing the JSON: a UTF-16 code unit
 * takes at most 6 bytes in JSON (`\uXXXX`), a number at most 24. Real events are a tenth of the limit, so the
 * exact size (a JSON string of every event, a tenth of the parse time) is only computed near it.
 */
function jsonBytesBound(value: unknown): number {
  if (typeof value === 'string') return 2 + 6 * value.length;
  if (typeof value !== 'object' || value === null) return 24;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (const item of value) bytes += 1 + jsonBytesBound(item);
    return bytes;
  }
  for (const key in value) {
    bytes += 2 + jsonBytesBound(key) + jsonBytesBound((value as Record<string, unknown>)[key]);
  }
  return bytes;
}

/**
 * The result unchanged when it is within every limit, else an `over-limit` rejection naming the first limit broken.
 * With `latestDate`, an event dated after it is an `invalid-date` rejection: a date in the future would top every
 * feed until that day comes.
 */
export function enforceLimits(result: ParseResult, latestDate?: string): ParseResult {
  if (result.kind === 'rejected') return result;
  const events = result.kind === 'event' ? [result.event] : result.events;
  if (result.kind === 'listing') {
    const tooMany = countOver('listing entries', events.length, PARSE_LIMITS.listingEntries);
    if (tooMany) return overLimit(`day listing has ${tooMany}`);
  }
  for (const event of events) {
    const broken = eventOverLimit(event);
    if (broken) return overLimit(`event ${JSON.stringify(event.id.slice(0, 80))} has ${broken}`);
    if (latestDate !== undefined && event.date > latestDate) {
      return {
        kind: 'rejected',
        reason: 'invalid-date',
        detail: `event date ${event.date} is after ${latestDate}: dates in the future are not accepted`,
      };
    }
  }
  return result;
}

/**
 * The latest event date accepted at `now`: tomorrow in UTC, so that an event dated today anywhere on Earth
 * (UTC+14 at most) passes, and nothing later.
 */
export function latestAcceptedDate(now: Date): string {
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}
