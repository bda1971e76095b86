import { describe, expect, it } from 'vitest';
import { readDateText } from '../../shared/parse/dates';

describe('readDateText', () => {
  it.each([
    ['2016-02-29', { ok: true, date: '2016-02-29' }],
    ['2000-02-29', { ok: true, date: '2000-02-29' }],
    ['1900-02-29', { ok: false, text: '1900-02-29' }],
    ['2007-02-29', { ok: false, text: '2007-02-29' }],
    ['2007-07-9', { ok: true, date: '2007-07-09' }],
    ['2007-04-31', { ok: false, text: '2007-04-31' }],
  ])('reads %s by the Gregorian calendar', (text, expected) => {
    // Act
    const read = readDateText(text);

    // Assess
    expect(read).toEqual(expected);
  });
});
