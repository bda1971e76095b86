// The project's own hostile corpus: each case is a key, the bytes uploaded under it, and the outcome it must end as.
// Built in code, not stored as files, so that every byte (BOMs, lone surrogates, NULs) is exactly what is meant.
import type { RejectionCause } from '../../shared/store/events-table';

/** Set by the code in the `---js` cases if it ever runs; checked after ingest. */
export const SENTINEL = '__hostileSentinelRan';

export type Expected =
  | { kind: 'rejected'; reason: RejectionCause; detail: RegExp }
  | { kind: 'event'; id: string; check?: (event: HostileEvent) => void }
  | { kind: 'events'; count: number };

/** The fields of a stored event a case checks. */
export interface HostileEvent {
  id: string;
  title: string;
  description?: string;
  sources: { name: string; url: string }[];
  topics: string[];
}

export interface HostileCase {
  name: string;
  key: string;
  body: Uint8Array;
  expected: Expected;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function frontMatter(yaml: string, body = 'A body paragraph.'): Uint8Array {
  return utf8(`---\n${yaml}\n---\n${body}\n`);
}

/** An event file in the generator's format, with the given date heading, headline and extra sections. */
function eventFile(date: string, headline: string, sections = ''): Uint8Array {
  return utf8(`### [${date}](/news/index.md)\n\n#  ${headline} \n\n${sections}`);
}

const billionLaughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, index) => {
    const previous = 'abcdefghi'[index];
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
  }),
  'title: Alias bomb',
  'date: 2007-07-09',
  'topics: *i',
].join('\n');

const sentinelCode = `globalThis.${SENTINEL} = true; module.exports = { title: "ran", date: "2007-07-09" }`;

export function hostileCorpus(maxObjectBytes: number): HostileCase[] {
  const cases: HostileCase[] = [
    // ---------------------------------------------------------------- code in front matter
    {
      name: '---js front matter',
      key: 'inbox/hostile/js.md',
      body: utf8(`---js\n${sentinelCode}\n---\nbody\n`),
      expected: { kind: 'rejected', reason: 'invalid-front-matter', detail: /"js" is not allowed/ },
    },
    {
      name: '---javascript front matter',
      key: 'inbox/hostile/javascript.md',
      body: utf8(`---javascript\n(function () { ${sentinelCode} })()\n---\nbody\n`),
      expected: { kind: 'rejected', reason: 'invalid-front-matter', detail: /"javascript" is not allowed/ },
    },
    {
      name: '--- JavaScript with a space and capitals',
      key: 'inbox/hostile/javascript-spaced.md',
      body: utf8(`--- JavaScript\n${sentinelCode}\n---\nbody\n`),
      expected: { kind: 'rejected', reason: 'invalid-front-matter', detail: /"javascript" is not allowed/ },
    },
    {
      name: 'YAML !!js/function tag',
      key: 'inbox/hostile/js-tag.md',
      body: frontMatter(`title: !!js/function 'function () { ${sentinelCode} }'\ndate: 2007-07-09`),
      expected: { kind: 'rejected', reason: 'invalid-front-matter', detail: /not valid YAML/ },
    },
    // ---------------------------------------------------------------- YAML structure
    {
      name: 'YAML alias bomb',
      key: 'inbox/hostile/billion-laughs.md',
      body: frontMatter(billionLaughs),
      expected: { kind: 'rejected', reason: 'invalid-front-matter', detail: /topics/ },
    },
    {
      name: 'YAML nested 100,000 deep',
      key: 'inbox/hostile/deep.md',
      body: frontMatter(`title: Deep\ndate: 2007-07-09\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      expected: { kind: 'rejected', reason: 'invalid-front-matter', detail: /not valid YAML/ },
    },
    {
      name: '__proto__ and constructor keys',
      key: 'inbox/hostile/proto.md',
      body: frontMatter(
        [
          '__proto__:',
          '  polluted: yes',
          '  title: From the prototype',
          'constructor:',
          '  prototype:',
          '    polluted: yes',
          'title: Prototype keys are plain data',
          'date: 2007-07-10',
        ].join('\n'),
      ),
      expected: {
        kind: 'event',
        id: '2007-07-10/prototype-keys-are-plain-data',
        check: (event) => {
          if (event.title !== 'Prototype keys are plain data') throw new Error(`title ${event.title}`);
        },
      },
    },
    // ---------------------------------------------------------------- bytes
    {
      name: 'over the size limit',
      key: 'inbox/hostile/too-large.md',
      body: utf8(`### [2007-07-9](/news/index.md)\n\n# Big\n\n${'x'.repeat(maxObjectBytes)}\n`),
      expected: { kind: 'rejected', reason: 'too-large', detail: new RegExp(`${maxObjectBytes}-byte limit`) },
    },
    {
      name: 'zero bytes',
      key: 'inbox/hostile/empty.md',
      body: new Uint8Array(),
      expected: { kind: 'rejected', reason: 'empty', detail: /zero bytes/ },
    },
    {
      name: 'binary (a PNG header and NULs)',
      key: 'inbox/hostile/picture.md',
      body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xd8, 0xff]),
      expected: { kind: 'rejected', reason: 'not-utf8', detail: /not valid UTF-8/ },
    },
    {
      name: 'NUL bytes that are valid UTF-8',
      key: 'inbox/hostile/nuls.md',
      body: new Uint8Array(64),
      expected: { kind: 'rejected', reason: 'unknown-format', detail: /neither front matter/ },
    },
    {
      name: 'UTF-16 with a BOM',
      key: 'inbox/hostile/utf16.md',
      body: new Uint8Array([
        0xff,
        0xfe,
        ...Buffer.from('### [2007-07-9](/news/index.md)\n\n# UTF-16 headline\n', 'utf16le'),
      ]),
      expected: { kind: 'rejected', reason: 'not-utf8', detail: /not valid UTF-8/ },
    },
    {
      name: 'invalid UTF-8 (a cut sequence, a CESU-8 surrogate)',
      key: 'inbox/hostile/bad-utf8.md',
      body: new Uint8Array([
        ...utf8('### [2007-07-9](/news/index.md)\n\n# Bad '),
        0xc3,
        0x28,
        0xed,
        0xa0,
        0x80,
      ]),
      expected: { kind: 'rejected', reason: 'not-utf8', detail: /not valid UTF-8/ },
    },
    // ---------------------------------------------------------------- text that must be escaped or dropped
    {
      name: 'control characters, ]]>, <script> and javascript:/data: links',
      key: 'inbox/hostile/markup.md',
      body: eventFile(
        '2007-07-11',
        'Storm\u0001 hits\u0008 the coast ]]> <script>alert(1)</script> & "quotes"',
        [
          'A description with ]]> and <img src=x onerror=alert(1)> and \u000b vertical tab.',
          '',
          '### Sources:',
          '',
          '1. [Script](javascript:alert(1))',
          '2. [Data](data:text/html,<script>alert(1)</script>)',
          '3. [Vbscript](vbscript:msgbox(1))',
          '4. [Herald](https://herald.example/storm?a=1&b=2)',
          '',
          '### Related:',
          '',
          '1. [ A ]]> <script>x</script> ](/news/2007/07/3/a-related-event.md) _Context: <b>Storms</b>, ]]>_',
          '',
        ].join('\n'),
      ),
      expected: {
        kind: 'event',
        id: '2007-07-11/storm-hits-the-coast-scriptalert-1-script-quotes',
        check: (event) => {
          // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be gone
          if (/[\u0000-\u0008\u000b]|<script|<img/i.test(`${event.title}${event.description}`))
            throw new Error(`markup kept: ${event.title} / ${event.description}`);
          if (event.sources.map((source) => source.url).join() !== 'https://herald.example/storm?a=1&b=2')
            throw new Error(`sources: ${JSON.stringify(event.sources)}`);
        },
      },
    },
    {
      name: 'lone surrogates and controls in front matter strings',
      key: 'inbox/hostile/surrogates.md',
      body: frontMatter(
        'title: "Lone \\uD800 surrogate \\uDC00 and \\u0001 control ]]>"\ndate: 2007-07-12\ntopics: ["Bad \\uDBFF label"]',
      ),
      expected: {
        kind: 'event',
        id: '2007-07-12/lone-surrogate-and-control',
        check: (event) => {
          if (event.title !== 'Lone surrogate and control ]]>') throw new Error(`title ${event.title}`);
          if (event.topics.join() !== 'Bad label') throw new Error(`topics ${event.topics}`);
        },
      },
    },
    // ---------------------------------------------------------------- dates
    {
      name: 'impossible date 2007-02-30',
      key: 'inbox/hostile/feb-30.md',
      body: eventFile('2007-02-30', 'February the thirtieth'),
      expected: { kind: 'rejected', reason: 'invalid-date', detail: /2007-02-30/ },
    },
    {
      name: 'impossible date 2007-13-1',
      key: 'inbox/hostile/month-13.md',
      body: frontMatter('title: Month thirteen\ndate: 2007-13-1'),
      expected: { kind: 'rejected', reason: 'invalid-date', detail: /2007-13-1/ },
    },
    {
      name: 'a date far in the future',
      key: 'inbox/hostile/future.md',
      body: eventFile('2999-01-1', 'From the future'),
      expected: { kind: 'rejected', reason: 'invalid-date', detail: /2999-01-01 is after/ },
    },
    {
      name: 'a year before 1000',
      key: 'inbox/hostile/year-999.md',
      body: frontMatter('title: Coronation in the year 999\ndate: "0999-04-02"\ntopics: [Middle Ages]'),
      expected: { kind: 'event', id: '0999-04-02/coronation-in-the-year-999' },
    },
    {
      name: 'the year 1',
      key: 'inbox/hostile/year-1.md',
      body: eventFile('0001-01-1', 'The first day of the first year'),
      expected: { kind: 'event', id: '0001-01-01/the-first-day-of-the-first-year' },
    },
    // ---------------------------------------------------------------- keys
    {
      name: 'a canonical key whose name is ..',
      key: 'news/2007/07/13/...md',
      body: eventFile('2007-07-13', 'Dots in the key'),
      expected: { kind: 'event', id: '2007-07-13/dots-in-the-key' },
    },
    {
      name: 'a key with %2F',
      key: 'news/2007/07/13/a%2F..%2Fescape.md',
      body: eventFile('2007-07-13', 'Percent two F in the key'),
      expected: { kind: 'event', id: '2007-07-13/percent-two-f-in-the-key' },
    },
    {
      name: 'a key with + and spaces',
      key: 'news/2007/07/13/plus+and spaces.md',
      body: eventFile('2007-07-13', 'Plus and spaces'),
      expected: { kind: 'event', id: '2007-07-13/plus+and spaces' },
    },
    {
      name: 'a key with Han characters',
      key: 'zh/news/2007/07/13/汉字键名.md',
      body: eventFile('2007-07-13', '汉字键名'),
      expected: { kind: 'event', id: '2007-07-13/汉字键名' },
    },
    {
      name: 'a key with emoji',
      key: 'news/2007/07/13/🎉-party.md',
      body: eventFile('2007-07-13', 'Emoji in the key'),
      expected: { kind: 'event', id: '2007-07-13/🎉-party' },
    },
    {
      name: 'a non-canonical key with .. segments',
      key: 'inbox/hostile/a/../../escape.md',
      body: eventFile('2007-07-14', 'Dot dot segments'),
      expected: { kind: 'event', id: '2007-07-14/dot-dot-segments' },
    },
    // ---------------------------------------------------------------- topics
    {
      name: 'topic labels that NFKC turns into ../',
      key: 'inbox/hostile/nfkc-labels.md',
      body: frontMatter('title: Fullwidth dots\ndate: 2007-07-15\ntopics: ["．．／", "‥／", "..", "/"]'),
      expected: {
        kind: 'event',
        id: '2007-07-15/fullwidth-dots',
        check: (event) => {
          if (event.topics.length === 0) throw new Error('no topics');
        },
      },
    },
    {
      name: 'a topic label of 10,000 characters',
      key: 'inbox/hostile/long-label.md',
      body: frontMatter(`title: Long label\ndate: 2007-07-15\ntopics: ["${'Long'.repeat(2_500)}"]`),
      expected: { kind: 'rejected', reason: 'over-limit', detail: /topic label of 10000 characters/ },
    },
    // ---------------------------------------------------------------- sizes
    {
      name: '10,000 related items',
      key: 'news/2007/07/16/many-related.md',
      body: eventFile(
        '2007-07-16',
        'Many related',
        `### Related:\n\n${Array.from(
          { length: 10_000 },
          (_, index) =>
            `${index + 1}. [ Related ${index} ](/news/2007/07/1/related-${index}.md) _Context: T${index}_`,
        ).join('\n')}\n`,
      ),
      expected: { kind: 'rejected', reason: 'over-limit', detail: /topics, above the limit of 100/ },
    },
    {
      name: '10,000 related items without topics',
      key: 'news/2007/07/16/many-related-plain.md',
      body: eventFile(
        '2007-07-16',
        'Many related plain',
        `### Related:\n\n${Array.from(
          { length: 10_000 },
          (_, index) => `${index + 1}. [ Related ${index} ](/news/2007/07/1/related-${index}.md)`,
        ).join('\n')}\n`,
      ),
      expected: { kind: 'rejected', reason: 'over-limit', detail: /10000 related events/ },
    },
    {
      name: 'duplicate sources',
      key: 'news/2007/07/17/duplicate-sources.md',
      body: eventFile(
        '2007-07-17',
        'Duplicate sources',
        `### Sources:\n\n${Array.from({ length: 50 }, (_, index) => `${index + 1}. [Herald](https://herald.example/same)`).join('\n')}\n`,
      ),
      expected: {
        kind: 'event',
        id: '2007-07-17/duplicate-sources',
        check: (event) => {
          if (event.sources.length !== 1) throw new Error(`${event.sources.length} sources`);
        },
      },
    },
    {
      name: 'a day listing of 5,000 entries',
      key: 'news/2007/07/18/index.md',
      body: utf8(
        `## [2007-07-18](/news/2007/07/18/index.md)\n\n${Array.from(
          { length: 5_000 },
          (_, index) => `### [ Listed ${index} ](/news/2007/07/18/listed-${index}.md)\n_Context: Listings_\n`,
        ).join('\n')}`,
      ),
      expected: { kind: 'rejected', reason: 'over-limit', detail: /5000 listing entries/ },
    },
    {
      name: 'a 1 MB line of nested brackets (would backtrack)',
      key: 'inbox/hostile/brackets.md',
      body: eventFile('2007-07-19', `${'[['.repeat(400_000)}`),
      expected: { kind: 'rejected', reason: 'over-limit', detail: /title characters/ },
    },
    {
      name: 'a 1 MB description of citation residue (would backtrack)',
      key: 'inbox/hostile/residue.md',
      body: eventFile('2007-07-19', 'Residue', `${'url=(a = b \t<ref '.repeat(50_000)}\n`),
      expected: { kind: 'event', id: '2007-07-19/residue' },
    },
  ];
  return cases;
}
