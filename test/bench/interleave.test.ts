// Interleaved runs: every subject measured once per round, in an order that rotates.
import { describe, expect, it } from 'vitest';
import { interleavedRuns } from '../../bench/suite/interleave';

describe('interleavedRuns', () => {
  it('runs each subject once per round, rotating which goes first, and keeps each subject its own times', () => {
    // Prepare
    const order: string[] = [];
    let clock = 0;

    // Act
    const times = interleavedRuns(['bare', 'ingest', 'api'], 3, (subject) => {
      order.push(subject);
      return ++clock;
    });

    // Assess
    expect(order).toEqual(['bare', 'ingest', 'api', 'ingest', 'api', 'bare', 'api', 'bare', 'ingest']);
    expect(times).toEqual([
      [1, 6, 8],
      [2, 4, 9],
      [3, 5, 7],
    ]);
  });

  it('gives empty runs for no rounds', () => {
    // Act
    const times = interleavedRuns(['bare', 'ingest'], 0, () => 1);

    // Assess
    expect(times).toEqual([[], []]);
  });
});
