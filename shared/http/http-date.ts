// HTTP-date (RFC 9110 §5.6.7): format as IMF-fixdate, parse all three forms strictly, never guess.

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const imfFixdate =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const rfc850 =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const asctime = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** `Sat, 28 Feb 2026 23:30:00 GMT`; sub-second precision is dropped. */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

type DateParts = [day: string, month: string, year: number, hh: string, mm: string, ss: string];

// The three forms a recipient must accept, each mapped to the same parts.
const forms: ((value: string) => DateParts | undefined)[] = [
  (value) => {
    const [, day = '', month = '', year = '', hh = '', mm = '', ss = ''] = imfFixdate.exec(value) ?? [];
    return day === '' ? undefined : [day, month, Number(year), hh, mm, ss];
  },
  (value) => {
    const [, day = '', month = '', yy = '', hh = '', mm = '', ss = ''] = rfc850.exec(value) ?? [];
    // Two-digit years: 70-99 → 19xx, 00-69 → 20xx (a fixed window; this module reads no clock).
    return day === '' ? undefined : [day, month, Number(yy) + (Number(yy) >= 70 ? 1900 : 2000), hh, mm, ss];
  },
  (value) => {
    const [, month = '', day = '', hh = '', mm = '', ss = '', year = ''] = asctime.exec(value) ?? [];
    return day === '' ? undefined : [day.trim(), month, Number(year), hh, mm, ss];
  },
];

/** The instant of a valid HTTP-date, or `undefined` for anything else (RFC 9110: such values are ignored). */
export function parseHttpDate(raw: string): Date | undefined {
  const value = raw.trim();
  let parts: DateParts | undefined;
  for (const form of forms) parts ??= form(value);
  if (parts === undefined) return undefined;
  const [day, monthName, year, hh, mm, ss] = parts;
  const month = months.indexOf(monthName);
  if (month < 0) return undefined;
  const ms = Date.UTC(year, month, Number(day), Number(hh), Number(mm), Number(ss));
  const date = new Date(ms);
  // Reject out-of-range fields (31 Feb, 25:00) instead of letting Date roll them over.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month ||
    date.getUTCDate() !== Number(day) ||
    date.getUTCHours() !== Number(hh) ||
    date.getUTCMinutes() !== Number(mm) ||
    date.getUTCSeconds() !== Number(ss)
  ) {
    return undefined;
  }
  return date;
}
