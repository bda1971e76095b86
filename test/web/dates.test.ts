import { describe, expect, it } from 'vitest';
import { humanDate, humanDay } from '../../shared/web/dates';

// The hand-written names must say exactly what en-GB's Intl.DateTimeFormat said before them.
const longDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });
const DAY_MS = 86_400_000;

describe('humanDate and humanDay', () => {
  it('write every day of a leap year and of a common year as en-GB does', () => {
    // Prepare
    const days = [Date.UTC(2000, 0, 1), Date.UTC(1999, 0, 1)].flatMap((start) =>
      Array.from({ length: 366 }, (_, offset) =>
        new Date(start + offset * DAY_MS).toISOString().slice(0, 10),
      ),
    );
    for (const date of days) {
      // Act
      const written = humanDate(date);
      const monthDay = humanDay(date.slice(5));
      // Assess
      expect(written, date).toBe(longDate.format(new Date(`${date}T00:00:00Z`)));
      expect(monthDay, date).toBe(dayFormat.format(new Date(`2000-${date.slice(5)}T00:00:00Z`)));
    }
  });

  it('drops leading zeros of the day and the year', () => {
    expect(humanDate('1066-10-14')).toBe('14 October 1066');
    expect(humanDate('0999-01-02')).toBe('2 January 999');
    expect(humanDay('02-29')).toBe('29 February');
  });

  it('refuses a month that does not exist', () => {
    expect(() => humanDay('13-01')).toThrow(RangeError);
  });
});
