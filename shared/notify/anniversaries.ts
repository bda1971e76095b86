// The anniversaries of one delivery day: which calendar day it is, and the events of that month-day in
// earlier years (Feb 29 events follow the leap policy in common years). Reads the month-day index only.
import { type LeapPolicy, parseMonthDay, storedMonthDaysFor, todayIn } from '../domain/calendar';
import { topicSlug } from '../domain/topics';
import type { ReadStore, StoredEvent } from '../store/events-table';

/** A calendar day, `YYYY-MM-DD`, as a person in some time zone calls it. */
export interface DeliveryDay {
  day: string;
  year: number;
  monthDay: string;
}

export interface Anniversary {
  event: StoredEvent;
  /** Delivery year minus the event's year: the anniversary is today. */
  yearsAgo: number;
  topics: { slug: string; label: string }[];
}

export class InvalidDeliveryDate extends Error {
  override readonly name = 'InvalidDeliveryDate';
}

/** The day `now` falls on in `timeZone`. */
export function dayIn(timeZone: string, now: Date): DeliveryDay {
  const today = todayIn(timeZone, now);
  return { day: `${today.year}-${today.monthDay}`, year: today.year, monthDay: today.monthDay };
}

/**
 * An explicit date for backfill: `YYYY-MM-DD`, or `MM-DD` of the current year in `timeZone`. `02-29` in a
 * common year is refused: no day has that name then.
 */
export function explicitDay(raw: string, timeZone: string, now: Date): DeliveryDay {
  const found = /^(?:(\d{4})-)?(\d{2}-\d{2})$/.exec(raw);
  if (found === null) throw new InvalidDeliveryDate(`date must be MM-DD or YYYY-MM-DD, not "${raw}"`);
  const year = found[1] ? Number(found[1]) : todayIn(timeZone, now).year;
  const monthDay = found[2] ?? '';
  try {
    parseMonthDay(monthDay);
  } catch {
    throw new InvalidDeliveryDate(`"${raw}" is not a calendar day`);
  }
  const day = `${String(year).padStart(4, '0')}-${monthDay}`;
  if (addDays(day, 0) !== day) throw new InvalidDeliveryDate(`${day} does not exist`);
  return { day, year, monthDay };
}

/** Plain calendar arithmetic on `YYYY-MM-DD` (no zone: a day is a day). */
export function addDays(day: string, delta: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + delta);
  return date.toISOString().slice(0, 10);
}

export function deliveryDayOf(day: string): DeliveryDay {
  return { day, year: Number(day.slice(0, 4)), monthDay: day.slice(5) };
}

/** The instant a calendar day begins in `timeZone` (Intl has the offsets; two passes settle DST edges). */
export function startOfDayIn(day: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00.000Z`);
  let guess = utcMidnight;
  for (let pass = 0; pass < 3; pass++) {
    const offset = offsetAt(guess, timeZone);
    const next = utcMidnight - offset;
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const pageSize = 200;

/**
 * Every event of the day's month-day in earlier years, newest year first. `limit` stops early (feeds);
 * the notifier reads them all.
 */
export async function anniversariesOf(
  store: Pick<ReadStore, 'monthDayEvents'>,
  day: DeliveryDay,
  options: { leap: LeapPolicy; topic?: string | undefined; limit?: number | undefined },
): Promise<Anniversary[]> {
  if (options.limit !== undefined && options.limit <= 0) return [];
  const monthDays = storedMonthDaysFor(day.monthDay, day.year, options.leap);
  const found: Anniversary[] = [];
  let after: Record<string, string> | undefined;
  do {
    // A feed's `limit` bounds the page too, so no event past it is read.
    const limit = Math.min(pageSize, (options.limit ?? pageSize) - found.length);
    const page = await store.monthDayEvents(
      monthDays,
      { topic: options.topic, beforeYear: day.year },
      after ? { limit, after } : { limit },
    );
    for (const event of page.items) {
      found.push({
        event,
        yearsAgo: day.year - Number(event.date.slice(0, 4)),
        topics: event.topics.map((label) => ({ slug: topicSlug(label), label })),
      });
    }
    after = page.next;
  } while (after && (options.limit === undefined || found.length < options.limit));
  return options.limit === undefined ? found : found.slice(0, options.limit);
}

/** How many anniversaries `anniversariesOf` finds for the day, counted up to `limit` without reading an event. */
export function countAnniversaries(
  store: Pick<ReadStore, 'monthDayCount'>,
  day: DeliveryDay,
  options: { leap: LeapPolicy; topic?: string | undefined; limit: number },
): Promise<number> {
  return store.monthDayCount(
    storedMonthDaysFor(day.monthDay, day.year, options.leap),
    { topic: options.topic, beforeYear: day.year },
    options.limit,
  );
}
