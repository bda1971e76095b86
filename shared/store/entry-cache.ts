// Listing entries decoded once per container: the same entry comes back in page after page (a topic's newest
// events, the same event in each of its topics, on this day, the all-events feed, every format), and
// unzipping and checking it took a fifth of a large feed's response time. Keyed by the entry's gzip'd bytes,
// so a changed event is a new key: the cache can serve nothing stale, only the bytes' own decoding.
import type { StoredEvent } from '../domain/event';
import { decodeEntry } from './keys';

/**
 * A decoded entry holds 5-10 KB of heap: 1,000 of them (20 hot pages) stay within a few percent of a
 * function's memory. Oldest first out.
 */
const MAX_ENTRIES = 1_000;
const decoded = new Map<string, StoredEvent>();

/** `decodeEntry`, remembered: the event is frozen, since every reader of the entry shares it. */
export function decodeEntryOnce(raw: Record<string, unknown>): StoredEvent {
  const doc = raw.doc;
  if (!(doc instanceof Uint8Array)) return decodeEntry(raw);
  const key = Buffer.from(doc.buffer, doc.byteOffset, doc.byteLength).toString('latin1');
  const known = decoded.get(key);
  if (known !== undefined) return known;
  const event = deepFreeze(decodeEntry(raw));
  if (decoded.size >= MAX_ENTRIES) decoded.delete(decoded.keys().next().value as string);
  decoded.set(key, event);
  return event;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
