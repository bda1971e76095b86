// The Gregorian leap-year rule, shared by the parser's date check and the on-this-day calendar.

/** Divisible by 4, except centuries not divisible by 400 (1900 is common, 2000 is leap). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
