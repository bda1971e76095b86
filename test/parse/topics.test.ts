import { describe, expect, it } from 'vitest';
import { normalizeLabel, topicSlug, uniqueTopics } from '../../shared/domain/topics';

describe('topicSlug', () => {
  it.each([
    ['Zürich', 'zurich'],
    ['São Paulo', 'sao-paulo'],
    ['  Red   Mosque ', 'red-mosque'],
    ['D.C. Madam', 'd-c-madam'],
    ['Tom & Jerry <"Cartoons">', 'tom-jerry-cartoons'],
    ['伊斯兰堡', '伊斯兰堡'],
    ['2014年美國總統選舉', '2014年美國總統選舉'],
    ['-{zh-tw:北韓; zh-cn:朝鲜;}-', '朝鲜'],
    ['ＡＢＣ（フル）', 'abc-フル'],
    ['서울', '서울'],
  ])('slugs %s as %s', (label, expected) => {
    // Act
    const slug = topicSlug(label);

    // Assess
    expect(slug).toBe(expected);
  });

  it('never returns an empty slug, and is stable for the same label', () => {
    // Act
    const first = topicSlug('!!!');
    const second = topicSlug('!!!');
    const other = topicSlug('???');

    // Assess
    expect(first).toMatch(/^t-[0-9a-z]+$/);
    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });
});

describe('normalizeLabel and uniqueTopics', () => {
  it('normalizes whitespace and conversion markup', () => {
    // Act
    const label = normalizeLabel('  -{zh-hans:朝鲜; zh-hant:北韓;}-   半岛 ');

    // Assess
    expect(label).toBe('朝鲜 半岛');
  });

  it('dedupes by slug, keeps the first-seen label and order, drops empty labels', () => {
    // Act
    const topics = uniqueTopics(['Zürich', 'Red Mosque', 'zurich', ' ', 'red  mosque', 'Islamabad']);

    // Assess
    expect(topics).toEqual(['Zürich', 'Red Mosque', 'Islamabad']);
  });
});
