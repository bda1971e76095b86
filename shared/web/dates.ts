// Calendar days in words for the pages (`9 July 2007`, `9 July`), as en-GB writes them. Written out
// rather than through Intl.DateTimeFormat: building one at module scope loads ICU's locale data, which
// took about a tenth of the API function's cold start, and the English month names never change.

const MONTHS = [
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

function monthName(month: string): string {
  const name = MONTHS[Number(month) - 1];
  if (name === undefined) throw new RangeError(`no month ${month}`);
  return name;
}

/** `07-09` → `9 July`. */
export function humanDay(monthDay: string): string {
  const [month = '', day = ''] = monthDay.split('-');
  return `${Number(day)} ${monthName(month)}`;
}

/** `2007-07-09` → `9 July 2007` (dates are calendar days, so no time zone enters). */
export function humanDate(date: string): string {
  const [year = '', month = '', day = ''] = date.split('-');
  return `${Number(day)} ${monthName(month)} ${Number(year)}`;
}
