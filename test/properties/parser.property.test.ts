// Properties of the parser and slugs over generated input: no exception escapes, front matter round-trips, slugs
// are safe path segments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicSlug, uniqueTopics } from '../../shared/domain/topics';
import { cleanText, parseEventObject, slugifyTitle } from '../../shared/parse';
import { httpUrl } from '../../shared/parse/sources';
import { fuzzParameters, fuzzTimeout } from './runs';

/** Pieces of the formats the parser knows, so generated input reaches past the first check. */
const fragments = [
  '---\n',
  '---js\n',
  '---yaml\n',
  'title: ',
  'date: 2007-07-09\n',
  'topics: [',
  ']\n',
  '&a ',
  '*a',
  '__proto__: ',
  '### [2007-07-9](/news/2007/07/9/index.md)\n',
  '## [2007-02-30](x)\n',
  '#  ',
  '##### ',
  '\n',
  '\n\n',
  '### Sources:\n',
  '### Related:\n',
  '### 信息来源:\n',
  '1. [Name](https://example.org/a?b=1&c=2)',
  '[ a ](/news/2007/07/3/a.md)',
  ' _Context: a, b_',
  '_消息: 甲，乙_',
  '[[',
  ']]',
  '{{convert|435|mi|km}}',
  '<ref>',
  '</ref>',
  '-{zh-cn:朝鲜;zh-tw:北韓}-',
  'url=https:--web.archive.org-web-2019',
  '&#x20;',
  "''",
  ']]>',
  '<script>',
  'javascript:alert(1)',
  'data:text/html,x',
  '\u0000',
  '\uD800',
  '\uFEFF',
  'Formats: [HTML](/news/2007/07/9/x.html)',
  ' 12:00:00+00:00',
  '|',
  '=',
  '(',
  ')',
];

const markdownish = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'binary', maxLength: 12 })), {
    maxLength: 60,
  })
  .map((parts) => parts.join(''));

const keys = fc.oneof(
  fc.constantFrom(
    'inbox/x.md',
    'news/2007/07/9/x.md',
    'zh/news/2010/05/1/世博.md',
    'news/2007/07/9/index.md',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

function assertTyped(result: ReturnType<typeof parseEventObject>): void {
  expect(['event', 'listing', 'rejected']).toContain(result.kind);
  // parseEventObject turns an escaping exception into this detail: a parser bug, never a typed rejection.
  if (result.kind === 'rejected') expect(result.detail).not.toMatch(/parser failed/);
}

describe('parseEventObject over generated input', () => {
  it(
    'returns a typed result for any bytes',
    () => {
      fc.assert(
        fc.property(keys, fc.uint8Array({ maxLength: 400 }), (key, bytes) =>
          assertTyped(parseEventObject(key, bytes)),
        ),
        fuzzParameters('parser on bytes', 2_000),
      );
    },
    fuzzTimeout,
  );

  it(
    'returns a typed result for any text made of format fragments',
    () => {
      fc.assert(
        fc.property(keys, markdownish, (key, text) => assertTyped(parseEventObject(key, text))),
        fuzzParameters('parser on fragments', 3_000),
      );
    },
    fuzzTimeout,
  );
});

/** Text that cleanText leaves as it is, with a letter in it: what a hand-written title or label looks like. */
const cleanWords = fc
  .array(
    fc.oneof(
      fc.constantFrom('Storm', 'Zürich', '朝鲜', 'São', 'AT&T', '42', 'O’Neil', 'x-y'),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((words) => words.join(' '))
  .filter(
    (text) =>
      cleanText(text) === text &&
      /\p{L}/u.test(text) &&
      !/^[\s\-#>*+0-9.]|---|[&:{}[\]|"'\\`<>=_]/u.test(text),
  );

const isoDate = fc
  .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

const sourceUrl = fc
  .webUrl({ withQueryParameters: true })
  .filter((url) => httpUrl(url) === url && !url.includes("'"));

describe('front matter round trip', () => {
  it(
    'an event written as front matter parses back equal',
    () => {
      fc.assert(
        fc.property(
          cleanWords,
          isoDate,
          fc.array(cleanWords, { maxLength: 5 }),
          fc.uniqueArray(fc.record({ name: cleanWords, url: sourceUrl }), {
            maxLength: 4,
            selector: (s) => s.url,
          }),
          fc.option(cleanWords, { nil: undefined }),
          (title, date, topics, sources, description) => {
            // Prepare: JSON strings are YAML scalars, so every value is written exactly.
            const yaml = [
              `title: ${JSON.stringify(title)}`,
              `date: ${JSON.stringify(date)}`,
              `topics: ${JSON.stringify(topics)}`,
              `sources: ${JSON.stringify(sources)}`,
            ].join('\n');
            const text = `---\n${yaml}\n---\n${description ?? ''}\n`;

            // Act
            const result = parseEventObject('inbox/round-trip.md', text);

            // Assess
            expect(result.kind, JSON.stringify(result)).toBe('event');
            if (result.kind !== 'event') return;
            expect(result.event).toMatchObject({ title, date, topics: uniqueTopics(topics), sources });
            expect(result.event.description).toBe(description);
          },
        ),
        fuzzParameters('front matter round trip', 1_000),
      );
    },
    fuzzTimeout,
  );
});

function assertSafeSlug(slug: string): void {
  expect(slug).not.toBe('');
  expect(slug).not.toContain('/');
  expect(slug).not.toContain('..');
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '．．／',
    '‥／',
    '../',
    '..',
    '/',
    '',
    ' ',
    '-{zh-cn:..;}-',
    'Ａ／Ｂ',
    'ﬁ',
    'İstanbul',
    '①②',
  ),
  markdownish,
);

describe('slugs', () => {
  it(
    'topic slugs are never empty, hold no / or .., and are idempotent and NFKC-stable',
    () => {
      fc.assert(
        fc.property(anyText, (label) => {
          const slug = topicSlug(label);
          assertSafeSlug(slug);
          expect(topicSlug(slug)).toBe(slug);
          expect(slug.normalize('NFKC')).toBe(slug);
          expect(topicSlug(label.normalize('NFKC'))).toBe(slug);
        }),
        fuzzParameters('topic slugs', 3_000),
      );
    },
    fuzzTimeout,
  );

  it(
    'title slugs are never empty and hold no / or ..; English ones are idempotent and NFKC-stable',
    () => {
      fc.assert(
        fc.property(anyText, (title) => {
          const en = slugifyTitle(title, 'en');
          assertSafeSlug(en);
          assertSafeSlug(slugifyTitle(title, 'zh'));
          expect(en.normalize('NFKC')).toBe(en);
          // The generator cut titles at 140 characters before transliterating; a longer slug is cut again.
          if (en.length <= 140) expect(slugifyTitle(en, 'en')).toBe(en);
        }),
        fuzzParameters('title slugs', 3_000),
      );
    },
    fuzzTimeout,
  );
});
