// Calendar dates as the format writes them (`2007-07-9`) → `YYYY-MM-DD`, refusing impossible dates instead of rolling over.
import { isLeapYear } from '../domain/leap-year';

const DATE_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DD` for a real calendar date, else undefined (2007-02-30, month 13, day 0). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month))
    return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export type DateText = { ok: true; date: string } | { ok: false; text: string };

/** Reads `YYYY-M-D` (month and day padded or not). Undefined when the text is not shaped like a date at all. */
export function readDateText(text: string): DateText | undefined {
  const match = DATE_TEXT.exec(text.trim());
  if (!match) return undefined;
  const date = isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  return date === undefined ? { ok: false, text: text.trim() } : { ok: true, date };
}
