import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../shared/http/errors';
import { parseLimit, parseTimeZone } from '../../shared/http/params';

const limits = { default: 50, max: 200 };

describe('parseLimit', () => {
  it.each([
    [undefined, 50],
    ['1', 1],
    ['200', 200],
    ['007', 7],
  ])('%s → %i', (raw, expected) => {
    // Act + Assess
    expect(parseLimit(raw, limits)).toBe(expected);
  });

  it.each(['', '0', '201', '-1', '1.5', '1e2', ' 5', '0x10', 'ten', '99999999999999999999'])(
    'rejects %j',
    (raw) => {
      // Act + Assess
      expect(() => parseLimit(raw, limits)).toThrow(BadRequest);
      expect(() => parseLimit(raw, limits)).toThrow(expect.objectContaining({ param: 'limit' }));
    },
  );
});

describe('parseTimeZone', () => {
  it.each([
    [undefined, 'UTC'],
    ['Pacific/Auckland', 'Pacific/Auckland'],
    ['america/new_york', 'America/New_York'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
  ])('%s → %s', (raw, expected) => {
    // Act + Assess
    expect(parseTimeZone(raw)).toBe(expected);
  });

  it.each(['', 'Mars/Olympus_Mons', '+05:30', 'Europe/Berlin; DROP', 'x'.repeat(100)])(
    'rejects %j',
    (raw) => {
      // Act + Assess
      expect(() => parseTimeZone(raw)).toThrow(expect.objectContaining({ name: 'BadRequest', param: 'tz' }));
    },
  );
});
