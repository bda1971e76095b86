// The merge order of several partitions' pages: DynamoDB's, by UTF-8 bytes (code points), not UTF-16 units.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byBytes, newestFirst } from '../../shared/store/queries';

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('byBytes', () => {
  it('puts a code point above U+FFFF after U+FFFD, as UTF-8 does and UTF-16 does not', () => {
    // Prepare: U+1F600 is a surrogate pair in UTF-16, whose first unit (U+D83D) sorts below U+FFFD.
    const [emoji, replacement] = ['2001-01-01#\u{1F600}', '2001-01-01#\uFFFD'];

    // Act
    const order = byBytes(emoji, replacement);

    // Assess
    expect(order).toBeGreaterThan(0);
    expect(emoji < replacement).toBe(true);
  });

  it('orders any two strings as their UTF-8 bytes do', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(byBytes(a, b))).toBe(Math.sign(utf8Order(a, b)));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('newestFirst', () => {
  it('orders merged entries by their keys newest first, as UTF-8 bytes order them', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 30 }), (keys) => {
        // Act
        const merged = newestFirst(
          keys.map((SK) => ({ SK })),
          'SK',
        ).map((item) => item.SK);

        // Assess
        expect(merged).toEqual([...keys].sort((a, b) => utf8Order(b, a)));
      }),
      { numRuns: 1_000 },
    );
  });
});
