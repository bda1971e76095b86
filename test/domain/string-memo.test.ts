import { describe, expect, it } from 'vitest';
import { stringMemo } from '../../shared/domain/string-memo';

describe('stringMemo', () => {
  it('computes a short input once, never keeps a long one, and drops the older generation past its bound', () => {
    // Prepare
    const calls: string[] = [];
    const upper = stringMemo(
      (input: string) => {
        calls.push(input);
        return input === 'none' ? undefined : input.toUpperCase();
      },
      { entries: 2, maxChars: 4 },
    );

    // Act
    const results = [
      upper('ab'),
      upper('ab'),
      upper('none'),
      upper('none'),
      upper('longer'),
      upper('longer'),
      upper('cd'),
      upper('ab'),
    ];

    // Assess: `undefined` is remembered too; 'cd' started a new generation, and 'ab' (two back) was dropped.
    expect(results).toEqual(['AB', 'AB', undefined, undefined, 'LONGER', 'LONGER', 'CD', 'AB']);
    expect(calls).toEqual(['ab', 'none', 'longer', 'longer', 'cd', 'ab']);
  });

  it('keeps no more than its bound, and keeps an input that is still in use across generations', () => {
    // Prepare
    const calls: string[] = [];
    const memo = stringMemo(
      (input: string) => {
        calls.push(input);
        return input.length;
      },
      { entries: 100, maxChars: 10 },
    );

    // Act: 'hot' is asked for between every new input, 1,000 new inputs in all, then the first ones again.
    for (let i = 0; i < 1_000; i++) {
      memo(`k${i}`);
      memo('hot');
    }
    const hotComputations = calls.filter((input) => input === 'hot').length;
    calls.length = 0;
    for (let i = 0; i < 1_000; i++) memo(`k${i}`);

    // Assess: 'hot' was computed once; of the old inputs, at most the last 100 were still known.
    expect(hotComputations).toBe(1);
    expect(calls.length).toBeGreaterThanOrEqual(900);
  });
});
