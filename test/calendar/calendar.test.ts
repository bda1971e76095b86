import { describe, expect, it } from 'vitest';
import {
  InvalidMonthDay,
  isLeapYear,
  parseMonthDay,
  storedMonthDaysFor,
  todayIn,
  yearsAgo,
} from '../../shared/domain/calendar';

// Late on 28 Feb 2026 in UTC is already midday on 1 Mar in Auckland (NZDT, UTC+13); 2026 is a common year.
const now = new Date('2026-02-28T23:30:00Z');

describe('parseMonthDay', () => {
  it.each([
    ['01-01', 1, 1],
    ['02-29', 2, 29],
    ['07-09', 7, 9],
    ['12-31', 12, 31],
  ])('accepts %s', (raw, month, day) => {
    // Act + Assess
    expect(parseMonthDay(raw)).toEqual({ month, day, text: raw });
  });

  it.each(['13-01', '02-30', '00-10', '2-3', '04-31', '06-00', '02-29 ', '0a-01', '', '1-011'])(
    'rejects %j',
    (raw) => {
      // Act + Assess
      expect(() => parseMonthDay(raw)).toThrow(InvalidMonthDay);
      expect(() => parseMonthDay(raw)).toThrow(expect.objectContaining({ value: raw }));
    },
  );
});

describe('todayIn', () => {
  it.each([
    ['UTC', { year: 2026, monthDay: '02-28' }],
    ['Pacific/Auckland', { year: 2026, monthDay: '03-01' }],
    ['America/Los_Angeles', { year: 2026, monthDay: '02-28' }],
  ])('%s', (timeZone, expected) => {
    // Act + Assess
    expect(todayIn(timeZone, now)).toEqual(expected);
  });

  it('crosses the year boundary by zone', () => {
    // Prepare
    const newYearsEveUtc = new Date('2025-12-31T12:00:00Z');

    // Act + Assess
    expect(todayIn('UTC', newYearsEveUtc)).toEqual({ year: 2025, monthDay: '12-31' });
    expect(todayIn('Pacific/Auckland', newYearsEveUtc)).toEqual({ year: 2026, monthDay: '01-01' });
  });
});

describe('yearsAgo', () => {
  it.each([
    ['2007-03-01', 'UTC', 18],
    ['2007-03-01', 'Pacific/Auckland', 19],
    ['2007-02-28', 'UTC', 19],
    ['2008-02-29', 'UTC', 17],
    ['2008-02-29', 'Pacific/Auckland', 18],
    ['2025-02-28', 'UTC', 1],
    ['2026-02-28', 'UTC', 0],
    ['2026-03-01', 'UTC', -1],
  ])('%s in %s → %i (mar1)', (eventDate, timeZone, expected) => {
    // Act + Assess
    expect(yearsAgo(eventDate, now, timeZone, 'mar1')).toBe(expected);
  });

  it.each([
    // In a common year a Feb 29 event completes its years on the day the leap rule shows it.
    ['2008-02-29', 'feb28', 18],
    ['2008-02-29', 'mar1', 17],
    ['2008-02-29', 'strict', 17],
    ['2007-02-28', 'feb28', 19],
    ['2007-03-01', 'feb28', 18],
  ] as const)('%s on 2026-02-28 under %s → %i', (eventDate, leap, expected) => {
    // Act + Assess
    expect(yearsAgo(eventDate, now, 'UTC', leap)).toBe(expected);
  });

  it('counts Feb 29 normally in a leap year, whatever the rule', () => {
    // Prepare
    const feb28LeapYear = new Date('2028-02-28T12:00:00Z');
    const feb29LeapYear = new Date('2028-02-29T12:00:00Z');

    // Act + Assess
    expect(yearsAgo('2008-02-29', feb28LeapYear, 'UTC', 'feb28')).toBe(19);
    expect(yearsAgo('2008-02-29', feb29LeapYear, 'UTC', 'feb28')).toBe(20);
  });

  it('refuses a malformed event date', () => {
    // Act + Assess
    expect(() => yearsAgo('2007-3-1', now, 'UTC', 'feb28')).toThrow(RangeError);
  });
});

describe('isLeapYear', () => {
  it.each([
    [2024, true],
    [2026, false],
    [2000, true],
    [1900, false],
  ])('%i → %s', (year, expected) => {
    // Act + Assess
    expect(isLeapYear(year)).toBe(expected);
  });
});

describe('storedMonthDaysFor', () => {
  it.each([
    // common year
    ['02-28', 2026, 'feb28', ['02-28', '02-29']],
    ['03-01', 2026, 'feb28', ['03-01']],
    ['03-01', 2026, 'mar1', ['03-01', '02-29']],
    ['02-28', 2026, 'mar1', ['02-28']],
    ['02-28', 2026, 'strict', ['02-28']],
    ['03-01', 2026, 'strict', ['03-01']],
    ['02-29', 2026, 'feb28', ['02-29']],
    ['02-29', 2026, 'strict', ['02-29']],
    ['07-09', 2026, 'feb28', ['07-09']],
    // leap year: every day answers for itself
    ['02-28', 2024, 'feb28', ['02-28']],
    ['03-01', 2024, 'mar1', ['03-01']],
    ['02-29', 2024, 'mar1', ['02-29']],
  ] as const)('%s in %i with %s → %j', (monthDay, year, leap, expected) => {
    // Act + Assess
    expect(storedMonthDaysFor(monthDay, year, leap)).toEqual(expected);
  });

  it('rejects a month-day that does not exist', () => {
    // Act + Assess
    expect(() => storedMonthDaysFor('02-30', 2024, 'feb28')).toThrow(InvalidMonthDay);
  });
});
