import { describe, expect, it } from 'vitest';
import { stringMemo } from '../../shared/domain/string-memo';

/** A memo of `input.length` for inputs of up to 10 characters, with the inputs it computed. */
function lengthMemo(entries: number) {
  const calls: string[] = [];
  const memo = stringMemo(
    (input: string) => {
      calls.push(input);
      return input.length;
    },
    { entries, maxChars: 10 },
  );
  return { calls, memo };
}

describe('stringMemo', () => {
  it('computes a short input once, never keeps a long one, and drops the older generation past its bound', () => {
    // Prepare
    const calls: string[] = [];
    const upper = stringMemo(
      (input: string) => {
        calls.push(input);
        return input === 'none' ? undefined : input.toUpperCase();
      },
      { entries: 1, maxChars: 4 },
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

    // Assess: `undefined` is remembered too; 'none' and then 'cd' started new generations, so 'ab' was dropped.
    expect(results).toEqual(['AB', 'AB', undefined, undefined, 'LONGER', 'LONGER', 'CD', 'AB']);
    expect(calls).toEqual(['ab', 'none', 'longer', 'longer', 'cd', 'ab']);
  });

  it('keeps no more than its bound, and keeps an input that is still in use across generations', () => {
    // Prepare
    const { calls, memo } = lengthMemo(100);

    // Act: 'hot' is asked for between every new input, 1,000 new inputs in all, then the first ones again.
    for (let i = 0; i < 1_000; i++) {
      memo(`k${i}`);
      memo('hot');
    }
    const hotComputations = calls.filter((input) => input === 'hot').length;
    calls.length = 0;
    for (let i = 0; i < 1_000; i++) memo(`k${i}`);

    // Assess: 'hot' was computed once; of the old inputs, at most the last 200 (two generations) were still known.
    expect(hotComputations).toBe(1);
    expect(calls.length).toBeGreaterThanOrEqual(800);
  });

  it('computes each input of a working set as large as its bound once, however often the set is walked', () => {
    // Prepare
    const { calls, memo } = lengthMemo(100);

    // Act: the same 100 inputs, in the same order, five times over (a corpus's link targets, file after file).
    for (let pass = 0; pass < 5; pass++) for (let i = 0; i < 100; i++) memo(`k${i}`);

    // Assess
    expect(calls).toHaveLength(100);
  });
});
