// The benchmark store generator: deterministic from its seed, and it keeps the corpus's distributions.
import { describe, expect, it } from 'vitest';
import { eventGenerator, histogram, syntheticCorpus } from '../../bench/suite/generate';
import { parseEventObject } from '../../shared/parse';
import { makeEvent } from '../support/events';

const pool = [
  makeEvent('2007-07-09/siege', { topics: ['Islamabad', 'Red Mosque', 'Pakistan'] }),
  makeEvent('2008-02-29/leap', { topics: ['Calendar'] }),
  makeEvent('2010-05-01/may', { topics: ['Labour', 'Pakistan'] }),
  makeEvent('2010-05-01/strike', { topics: ['Labour'] }),
];

describe('eventGenerator', () => {
  it('gives the same event for the same k and seed, whatever was generated before', () => {
    // Prepare
    const first = eventGenerator(pool, 42);
    const second = eventGenerator(pool, 42);

    // Act
    for (let k = 0; k < 9; k++) first.at(k);

    // Assess
    expect(second.at(9)).toEqual(first.at(9));
    expect(eventGenerator(pool, 43).at(9)).not.toEqual(first.at(9));
  });

  it('shifts each era back by the span of years, keeping month-days and topics per event', () => {
    // Prepare
    const generator = eventGenerator(pool, 1);
    const eras = 3;

    // Act
    const events = Array.from({ length: pool.length * eras }, (_, k) => generator.at(k).contribution.event);

    // Assess
    expect(generator.span).toBe(4);
    expect(events[pool.length]?.date).toBe('2003-07-09');
    expect(events[pool.length]?.id).toBe('2003-07-09/siege-g1');
    // 2008-02-29 shifted by 4 years is 2004-02-29, by 8 years 2000-02-29 (both leap years).
    expect(events.filter((e) => e.slug.startsWith('leap')).map((e) => e.date)).toEqual([
      '2008-02-29',
      '2004-02-29',
      '2000-02-29',
    ]);
    const perEvent = (list: { topics: string[] }[]) => histogram(list.map((e) => e.topics.length));
    const once = perEvent(pool);
    expect(perEvent(events)).toEqual(new Map([...once].map(([count, n]) => [count, n * eras])));
  });

  it('writes canonical object keys, zh under zh/', () => {
    // Prepare
    const generator = eventGenerator([makeEvent('2010-05-01/zh', { lang: 'zh', topics: ['美国'] })], 1);

    // Act + Assess
    expect(generator.at(0).objectKey).toBe('zh/news/2010/05/1/zh.md');
  });
});

describe('syntheticCorpus', () => {
  it('generates front-matter files that parse into events with topics', () => {
    // Act
    const files = syntheticCorpus(20, 5);

    // Assess
    for (const file of files) {
      const parsed = parseEventObject(file.key, file.body);
      expect(parsed.kind, file.key).toBe('event');
      if (parsed.kind === 'event') expect(parsed.event.topics.length).toBeGreaterThan(0);
    }
  });
});
