import { describe, expect, it } from 'vitest';
import type { TopicSummary } from '../../shared/store/events-table';
import { keptTopicList } from '../../shared/web/kept-topic-list';

const T0 = Date.parse('2026-12-02T07:00:00.000Z');
const topic = (slug: string, events: number): TopicSummary => ({
  slug,
  label: slug,
  events,
  updated: '2026-12-01T00:00:00.000Z',
});

/** A reader that answers each call with the next list, and counts the calls. */
function countingReader(...lists: TopicSummary[][]) {
  let calls = 0;
  return {
    read: async () => lists[Math.min(calls++, lists.length - 1)] as TopicSummary[],
    calls: () => calls,
  };
}

function clockAt(start: number) {
  let at = start;
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}

describe('keptTopicList', () => {
  it('reads once, serves the same list until maxAgeMs has passed, then reads again', async () => {
    // Prepare
    const reader = countingReader([topic('a', 3)], [topic('a', 3), topic('b', 1)]);
    const clock = clockAt(T0);
    const ranked = keptTopicList(reader.read, { now: clock.now, maxAgeMs: 60_000 });

    // Act
    const first = await ranked();
    clock.advance(59_999);
    const stillKept = await ranked();
    clock.advance(1);
    const reread = await ranked();

    // Assess
    expect(first.map((t) => t.slug)).toEqual(['a']);
    expect(stillKept).toBe(first);
    expect(reread.map((t) => t.slug)).toEqual(['a', 'b']);
    expect(reader.calls()).toBe(2);
  });

  it('lets callers that arrive during a read share it', async () => {
    // Prepare
    const reader = countingReader([topic('a', 1)]);
    const ranked = keptTopicList(reader.read, { now: clockAt(T0).now, maxAgeMs: 60_000 });

    // Act
    const lists = await Promise.all([ranked(), ranked(), ranked()]);

    // Assess
    expect(reader.calls()).toBe(1);
    expect(lists[1]).toBe(lists[0]);
    expect(lists[2]).toBe(lists[0]);
  });

  it('keeps no failed read: the next caller reads again', async () => {
    // Prepare
    let calls = 0;
    const read = async () => {
      calls++;
      if (calls === 1) throw new Error('ProvisionedThroughputExceededException');
      return [topic('a', 1)];
    };
    const ranked = keptTopicList(read, { now: clockAt(T0).now, maxAgeMs: 60_000 });

    // Act
    const failed = ranked();
    await expect(failed).rejects.toThrow('ProvisionedThroughputExceededException');
    const retried = await ranked();

    // Assess
    expect(retried.map((t) => t.slug)).toEqual(['a']);
    expect(calls).toBe(2);
  });

  it('reads again when the clock goes back, rather than keep a copy past its age', async () => {
    // Prepare
    const reader = countingReader([topic('a', 1)], [topic('b', 2)]);
    const clock = clockAt(T0);
    const ranked = keptTopicList(reader.read, { now: clock.now, maxAgeMs: 60_000 });

    // Act
    await ranked();
    clock.advance(-1);
    const afterStep = await ranked();

    // Assess
    expect(afterStep.map((t) => t.slug)).toEqual(['b']);
    expect(reader.calls()).toBe(2);
  });
});
