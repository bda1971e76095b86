// Calendar days in words for the pages (`9 July 2007`, `9 July`), as en-GB writes them. Written out
// rather than through Intl.DateTimeFormat: building one at module scope loads ICU's locale data, which
// took about a tenth of the API function's cold start, and the English month names never change.
import { monthName } from '../domain/calendar';

/** `07-09` → `9 July`. */
export function humanDay(monthDay: string): string {
  const [month = '', day = ''] = monthDay.split('-');
  return `${Number(day)} ${monthName(Number(month))}`;
}

/** `2007-07-09` → `9 July 2007` (dates are calendar days, so no time zone enters). */
export function humanDate(date: string): string {
  const [year = '', month = '', day = ''] = date.split('-');
  return `${Number(day)} ${monthName(Number(month))} ${Number(year)}`;
}
