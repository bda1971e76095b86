// The bundled samples/, keyed exactly as `npm run upload -- samples` keys them: canonical keys, heading dates that
// match the path, slugs that match the headline, related links that resolve, and the coverage the demo relies on.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import matter from 'gray-matter';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEventObject } from '../../shared/parse';
import { planUploads } from '../../shared/upload/keys';
import { collectFiles } from '../../shared/upload/walk';

const samplesDir = resolve(import.meta.dirname, '..', '..', 'samples');

interface Sample {
  key: string;
  text: string;
}

/** `news/2016/07/9/x.md` → date parts and slug; undefined for keys outside news/. */
const NEWS_KEY =
  /^(?<zh>zh\/)?news\/(?<y>\d{4})\/(?<m>0[1-9]|1[0-2])\/(?<d>[1-9]|[12]\d|3[01])\/(?<slug>[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)\.md$/u;
const INBOX_KEY = /^inbox\/[^/]+(?:\/[^/]+)*$/;
const EVENT_HEADING =
  /^### \[(\d{4})-(\d{2})-(\d{1,2})\]\(\/news\/(\d{4})\/(\d{2})\/(\d{1,2})\/index\.md\)$/m;
const LISTING_HEADING =
  /^## \[(\d{4})-(\d{2})-(\d{1,2})\]\((?:\/zh)?\/news\/(\d{4})\/(\d{2})\/(\d{1,2})\/index\.md\)$/m;
const HEADLINE = /^# {1,2}(\S.*?)\s*$/m;
const TOPIC = /^##### (.+)$/m;
const LINK = /\]\(((?:\/zh)?\/news\/[^)]+\.md)\)/g;
const SOURCE_LINE = /^\d+\. \[([^\]]+)\]\(([^)]+)\)/;
/** Links from samples to sample event files (related events, listing entries): `grep -o` counts 40 in samples/. */
const LINK_COUNT = 40;

/** The slug rule of the Context: lower-case, runs of anything but letters and digits → `-`, trimmed. */
function slugify(headline: string): string {
  return headline
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

function isRealDate(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

function section(text: string, heading: string): string[] {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(/\n#{2,3} /);
  return (end < 0 ? rest : rest.slice(0, end)).split('\n').filter((line) => /^\d+\. /.test(line));
}

/** Every file under samples/ but the README, by relative path: what the counts below are checked against. */
const onDisk = readdirSync(samplesDir, { recursive: true, encoding: 'utf8' })
  .filter((path) => path !== 'README.md' && statSync(join(samplesDir, path)).isFile())
  .map((path) => path.split(sep).join('/'))
  .sort();

let samples: Sample[];
let eventFiles: (Sample & { match: RegExpExecArray })[];

beforeAll(async () => {
  const { files, missing } = await collectFiles([samplesDir]);
  expect(missing).toEqual([]);
  const plan = planUploads(files);
  expect(plan.conflicts).toEqual([]);
  samples = plan.uploads.map(({ path, key }) => ({ key, text: readFileSync(path, 'utf8') }));
  eventFiles = samples.flatMap((sample) => {
    const match = NEWS_KEY.exec(sample.key);
    return match && match.groups?.slug !== 'index' ? [{ ...sample, match }] : [];
  });
});

describe('sample keys', () => {
  it('maps every sample to a canonical [zh/]news/YYYY/MM/D/<slug>.md or inbox/ key, on a real date', () => {
    // Prepare
    const keys = samples.map((sample) => sample.key);

    // Act
    const offenders = keys.filter((key) => {
      const news = NEWS_KEY.exec(key);
      if (news?.groups) {
        const { y = '', m = '', d = '', slug = '' } = news.groups;
        const slugOk = news.groups.zh ? true : /^[a-z0-9-]+$/.test(slug);
        return !(slugOk && isRealDate(y, m, d));
      }
      return !INBOX_KEY.test(key);
    });

    // Assess
    expect(keys).toHaveLength(onDisk.length);
    expect(offenders).toEqual([]);
  });

  it('uploads the English, Chinese, listing and inbox samples but not the README or config', () => {
    // Prepare
    const keys = samples.map((sample) => sample.key);

    // Act
    const kinds = {
      en: keys.filter((key) => key.startsWith('news/') && !key.endsWith('/index.md')).length,
      zh: keys.filter((key) => key.startsWith('zh/news/')).length,
      listings: keys.filter((key) => key.endsWith('/index.md')).length,
      inbox: keys.filter((key) => key.startsWith('inbox/')),
    };

    // Assess
    expect(kinds.en).toBe(
      onDisk.filter((path) => path.startsWith('news/') && !path.endsWith('/index.md')).length,
    );
    expect(kinds).toEqual({ en: 12, zh: 2, listings: 1, inbox: ['inbox/riverton-harbor-bridge-reopens.md'] });
  });
});

describe('sample event files', () => {
  it("have a `### [YYYY-MM-D](/news/YYYY/MM/D/index.md)` heading equal to the path's date", () => {
    // Prepare
    const files = eventFiles;

    // Act
    const mismatches = files.flatMap(({ key, text, match }) => {
      const { y, m, d } = match.groups ?? {};
      const heading = EVENT_HEADING.exec(text);
      const ok = heading !== null && heading.slice(1, 4).join('-') === `${y}-${m}-${d}`;
      const linkOk = heading !== null && heading.slice(4, 7).join('-') === `${y}-${m}-${d}`;
      return ok && linkOk ? [] : [`${key}: ${heading?.[0] ?? '(no heading)'}`];
    });

    // Assess
    expect(files).toHaveLength(14);
    expect(mismatches).toEqual([]);
  });

  it('are named after their slugified headline', () => {
    // Prepare
    const files = eventFiles;

    // Act
    const mismatches = files.flatMap(({ key, text, match }) => {
      const headline = HEADLINE.exec(text)?.[1];
      const expected = headline === undefined ? '(no headline)' : slugify(headline);
      return match.groups?.slug === expected ? [] : [`${key} should be named ${expected}.md`];
    });

    // Assess
    expect(files).toHaveLength(14);
    expect(mismatches).toEqual([]);
  });

  it('cite only https sources on example.org or example.com', () => {
    // Prepare
    const files = eventFiles;

    // Act
    const sourcesOf = (text: string) => [
      ...section(text, '### Source:'),
      ...section(text, '### Sources:'),
      ...section(text, '### 信息来源:'),
    ];
    const unsourced = files.filter(({ text }) => sourcesOf(text).length === 0).map((file) => file.key);
    const offsite = files
      .flatMap(({ text }) => sourcesOf(text))
      .filter((line) => {
        const url = SOURCE_LINE.exec(line)?.[2] ?? '';
        return !/^https:\/\/example\.(org|com)\//.test(url);
      });

    // Assess
    expect(unsourced).toEqual([]);
    expect(offsite).toEqual([]);
  });

  it('use the translated headings and /zh/news/ related links in the Chinese edition only', () => {
    // Prepare
    const zh = eventFiles.filter((file) => file.key.startsWith('zh/'));
    const en = eventFiles.filter((file) => !file.key.startsWith('zh/'));
    const eventLinks = (text: string) =>
      [...text.matchAll(LINK)].map((link) => link[1] ?? '').filter((to) => !to.endsWith('/index.md'));

    // Act
    const zhOffenders = zh.filter(
      ({ text }) =>
        !text.includes('\n### 信息来源:\n') ||
        !text.includes('\n### 有关:\n') ||
        !/_消息: [^_]+_$/m.test(text) ||
        eventLinks(text).length === 0 ||
        !eventLinks(text).every((to) => to.startsWith('/zh/news/')),
    );
    const enOffenders = en.filter(
      ({ text }) => /信息来源|有关:|_消息/.test(text) || text.includes('/zh/news/'),
    );

    // Assess
    expect(zh).toHaveLength(2);
    expect(zhOffenders.map((file) => file.key)).toEqual([]);
    expect(enOffenders.map((file) => file.key)).toEqual([]);
  });

  it('link related events and listing entries to sample files that exist, with their headline as text', () => {
    // Prepare
    const headlines = new Map(eventFiles.map(({ key, text }) => [`/${key}`, HEADLINE.exec(text)?.[1]]));

    // Act
    const links = samples.flatMap(({ key, text }) =>
      [...text.matchAll(/\[([^\]]*)\]\(((?:\/zh)?\/news\/[^)]+\.md)\)/g)]
        .filter((link) => !link[2]?.endsWith('/index.md'))
        .map((link) => ({ from: key, title: (link[1] ?? '').trim(), to: link[2] ?? '' })),
    );
    const broken = links.filter((link) => headlines.get(link.to) !== link.title);

    // Assess
    expect(links).toHaveLength(LINK_COUNT);
    expect(broken).toEqual([]);
  });
});

describe('sample day listing', () => {
  it('has a date heading equal to its path and entries with Context lines', () => {
    // Prepare
    const listing = samples.find((sample) => sample.key.endsWith('/index.md'));

    // Act
    const heading = listing ? LISTING_HEADING.exec(listing.text) : null;
    const keyDate = listing?.key
      .match(/news\/(\d{4})\/(\d{2})\/(\d{1,2})\/index\.md$/)
      ?.slice(1)
      .join('-');
    const entries = listing?.text.match(/^### \[.+\]\(\/news\/.+\.md\)\n_Context: .+_$/gm) ?? [];
    const headings = listing?.text.match(/^### /gm) ?? [];

    // Assess
    expect(heading?.slice(1, 4).join('-')).toBe(keyDate);
    expect(heading?.slice(4, 7).join('-')).toBe(keyDate);
    expect(entries).toHaveLength(2);
    expect(entries).toHaveLength(headings.length);
  });
});

describe('sample inbox file', () => {
  it('has front matter with title, date, topics and sources, and the description as body', () => {
    // Prepare
    const inbox = samples.find((sample) => sample.key.startsWith('inbox/'));

    // Act
    const parsed = matter(inbox?.text ?? '');
    const data = parsed.data as { title?: unknown; date?: unknown; topics?: unknown; sources?: unknown };
    const date = data.date instanceof Date ? data.date.toISOString().slice(0, 10) : data.date;

    // Assess
    expect(typeof data.title).toBe('string');
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data.topics).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(data.sources).toEqual(
      expect.arrayContaining([
        { name: expect.any(String), url: expect.stringMatching(/^https:\/\/example\.org\//) },
      ]),
    );
    expect(parseEventObject(inbox?.key ?? '', inbox?.text ?? '')).toMatchObject({
      kind: 'event',
      event: { title: data.title, date, description: parsed.content.trim() },
    });
  });
});

describe('sample coverage', () => {
  it('has 4 topics with 3 events each', () => {
    // Prepare
    const topics = eventFiles.map(({ text }) => TOPIC.exec(text)?.[1] ?? '');

    // Act
    const counts = new Map<string, number>();
    for (const topic of topics) counts.set(topic, (counts.get(topic) ?? 0) + 1);
    const big = [...counts].filter(([topic, count]) => topic !== '' && count >= 3).sort();

    // Assess
    expect(big).toEqual([
      ['2024 Valmora general election', 3],
      ['Kestrel launch program', 3],
      ['Riverton light rail', 3],
      ['Riverton winter storms', 3],
    ]);
  });

  it('shares month-days across years: 07-09, 02-29, 02-28 and 12-25', () => {
    // Prepare
    const dates = eventFiles.map(({ match }) => {
      const { y = '', m = '', d = '' } = match.groups ?? {};
      return `${y}-${m}-${d.padStart(2, '0')}`;
    });

    // Act
    const yearsOn = (monthDay: string) =>
      [...new Set(dates.filter((date) => date.endsWith(monthDay)).map((date) => date.slice(0, 4)))].sort();

    // Assess
    expect(yearsOn('07-09')).toEqual(expect.arrayContaining(['2021', '2022', '2024']));
    expect(yearsOn('02-29')).toEqual(expect.arrayContaining(['2020', '2024']));
    // After the real edition ends, so samples never share a year with real files uploaded beside them.
    expect(dates.every((date) => date > '2019')).toBe(true);
    expect(yearsOn('02-28')).toEqual(['2022', '2024']);
    expect(yearsOn('12-25')).toEqual(['2021', '2022', '2024']);
  });
});

describe('samples as the service reads them', () => {
  it('parses every sample to events: event files and the inbox file to one event, the listing to its entries', () => {
    // Act
    const results = samples.map(({ key, text }) => ({ key, result: parseEventObject(key, text) }));
    const wrong = results
      .filter(({ key, result }) => result.kind !== (key.endsWith('/index.md') ? 'listing' : 'event'))
      .map(({ key, result }) => `${key}: ${JSON.stringify(result)}`);
    const ids = results.flatMap(({ result }) =>
      result.kind === 'event'
        ? [result.event.id]
        : result.kind === 'listing'
          ? result.events.map((e) => e.id)
          : [],
    );

    // Assess
    expect(wrong).toEqual([]);
    // 15 event files (the inbox one included) and 2 listing entries, which repeat 2 of those events.
    expect(ids).toHaveLength(17);
    expect(new Set(ids).size).toBe(15);
  });

  it('are loaded the way samples/README.md says: `npm start` and `npm run upload -- samples` exist', () => {
    // Prepare
    const readme = readFileSync(join(samplesDir, 'README.md'), 'utf8');
    const pkg = JSON.parse(readFileSync(resolve(samplesDir, '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };

    // Act
    const commands = [...readme.matchAll(/`npm (?:run )?([\w:-]+)(?: -- ([^`]+))?`/g)].map((found) => ({
      script: found[1] ?? '',
      args: found[2]?.split(' ') ?? [],
    }));
    const folders = [...readme.matchAll(/under `([\w/]+\/)`/g)].map((found) => found[1] ?? '');

    // Assess: each documented script exists, with the folders it is given; each documented folder has samples.
    expect(commands.map((command) => command.script)).toEqual(['start', 'upload']);
    for (const { script, args } of commands) {
      expect(pkg.scripts[script]).toBeDefined();
      for (const arg of args) expect(existsSync(resolve(samplesDir, '..', arg))).toBe(true);
    }
    expect(pkg.scripts.start).toMatch(/infra\/local\/main\.ts/);
    expect(folders).toEqual(['news/', 'zh/news/', 'inbox/']);
    for (const folder of folders) expect(onDisk.some((path) => path.startsWith(folder))).toBe(true);
  });
});
