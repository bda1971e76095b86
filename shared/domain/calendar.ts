// "On this day" arithmetic: month-days, today in a time zone, years ago, and where Feb 29 goes in common years.
// Pure: the clock is always a `now` argument; raises its own errors, which the HTTP edge maps.
import { isLeapYear } from './leap-year';

/** A month-day that is not `MM-DD` of a day that exists in some year. */
export class InvalidMonthDay extends Error {
  override readonly name = 'InvalidMonthDay';

  constructor(readonly value: string) {
    super('The month-day must be a calendar day as MM-DD, e.g. 07-09.');
  }
}

export interface MonthDay {
  month: number;
  day: number;
  /** `MM-DD`, zero-padded. */
  text: string;
}

/** How a common year answers for Feb 29 events: on Feb 28, on Mar 1, or not at all. */
export type LeapPolicy = 'feb28' | 'mar1' | 'strict';

const daysInMonthOfLeapYear = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** `7` → `July`: English month names for pages and messages (`Intl` would load ICU data at cold start). */
export function monthName(month: number): string {
  const name = MONTH_NAMES[month - 1];
  if (name === undefined) throw new RangeError(`no month ${month}`);
  return name;
}

export { isLeapYear };

/** `MM-DD` that exists in some year (so `02-29` is valid); InvalidMonthDay otherwise. */
export function parseMonthDay(raw: string): MonthDay {
  const found = /^(\d{2})-(\d{2})$/.exec(raw);
  const month = Number(found?.[1]);
  const day = Number(found?.[2]);
  const last = daysInMonthOfLeapYear[month - 1];
  if (found === null || last === undefined || day < 1 || day > last) {
    throw new InvalidMonthDay(raw);
  }
  return { month, day, text: raw };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date at `now` in `timeZone` (an IANA name; Intl throws RangeError for unknown ones). */
export function todayIn(timeZone: string, now: Date): { year: number; monthDay: string } {
  const parts = formatterFor(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: Number(part('year')), monthDay: `${part('month')}-${part('day')}` };
}

/**
 * Whole years from `eventDate` (YYYY-MM-DD) to today in `timeZone`: the count goes up on the anniversary.
 * In common years a Feb 29 event completes its years on the day `leap` shows it: Feb 28 under `feb28`,
 * Mar 1 under `mar1` and `strict`. Negative for dates after today.
 */
export function yearsAgo(eventDate: string, now: Date, timeZone: string, leap: LeapPolicy): number {
  return yearsAgoOn(eventDate, todayIn(timeZone, now), leap);
}

/** `yearsAgo` from a `today` already worked out: a list of 50 events asks `Intl` for today once, not 50 times. */
export function yearsAgoOn(
  eventDate: string,
  today: { year: number; monthDay: string },
  leap: LeapPolicy,
): number {
  const found = /^(\d{4})-(\d{2}-\d{2})$/.exec(eventDate);
  if (found === null) throw new RangeError(`not a YYYY-MM-DD date: ${eventDate}`);
  const [, year = '', eventMonthDay = ''] = found;
  const anniversary =
    eventMonthDay === '02-29' && leap === 'feb28' && !isLeapYear(today.year) ? '02-28' : eventMonthDay;
  return today.year - Number(year) - (today.monthDay < anniversary ? 1 : 0);
}

/**
 * The stored month-days that answer a request for `monthDay` in `year`. In a common year Feb 29 events join
 * Feb 28 (`feb28`) or Mar 1 (`mar1`), or are shown only when 02-29 itself is asked for (`strict`).
 */
export function storedMonthDaysFor(monthDay: string, year: number, leap: LeapPolicy): string[] {
  const { text } = parseMonthDay(monthDay);
  if (isLeapYear(year) || text === '02-29') return [text];
  if (leap === 'feb28' && text === '02-28') return ['02-28', '02-29'];
  if (leap === 'mar1' && text === '03-01') return ['03-01', '02-29'];
  return [text];
}
