import { describe, expect, it } from 'vitest';
import { stringMemo } from '../../shared/domain/string-memo';

describe('stringMemo', () => {
  it('computes a short input once, never keeps a long one, and drops the oldest past its bound', () => {
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

    // Assess: `undefined` is remembered too; 'cd' pushed 'ab' (the oldest) out.
    expect(results).toEqual(['AB', 'AB', undefined, undefined, 'LONGER', 'LONGER', 'CD', 'AB']);
    expect(calls).toEqual(['ab', 'none', 'longer', 'longer', 'cd', 'ab']);
  });
});
