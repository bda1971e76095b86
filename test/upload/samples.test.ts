// The bundled samples/, keyed exactly as `npm run upload -- samples` keys them: canonical keys, heading dates that
// match the path, slugs that match the headline, related links that resolve, and the coverage the demo relies on.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import matter from 'gray-matter';
import { beforeAll, describe, expect, it } from 'vitest';
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
    expect(keys.length).toBeGreaterThanOrEqual(16);
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
    expect(kinds.en).toBeGreaterThanOrEqual(12);
    expect(kinds.zh).toBe(2);
    expect(kinds.listings).toBe(1);
    expect(kinds.inbox).toEqual(['inbox/riverton-harbor-bridge-reopens.md']);
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
    expect(files.length).toBeGreaterThanOrEqual(14);
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
    expect(files.length).toBeGreaterThanOrEqual(14);
    expect(mismatches).toEqual([]);
  });

  it('cite only https sources on example.org or example.com', () => {
    // Prepare
    const files = eventFiles;

    // Act
    const sources = files.flatMap(({ text }) => [
      ...section(text, '### Source:'),
      ...section(text, '### Sources:'),
      ...section(text, '### 信息来源:'),
    ]);
    const offsite = sources.filter((line) => {
      const url = SOURCE_LINE.exec(line)?.[2] ?? '';
      return !/^https:\/\/example\.(org|com)\//.test(url);
    });

    // Assess
    expect(sources.length).toBeGreaterThanOrEqual(files.length);
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
    expect(links.length).toBeGreaterThanOrEqual(20);
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

    // Assess
    expect(heading?.slice(1, 4).join('-')).toBe(keyDate);
    expect(heading?.slice(4, 7).join('-')).toBe(keyDate);
    expect(entries.length).toBeGreaterThanOrEqual(2);
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
    expect(parsed.content.trim().length).toBeGreaterThan(20);
  });
});

describe('sample coverage', () => {
  it('has at least 4 topics with 3 or more events each', () => {
    // Prepare
    const topics = eventFiles.map(({ text }) => TOPIC.exec(text)?.[1] ?? '');

    // Act
    const counts = new Map<string, number>();
    for (const topic of topics) counts.set(topic, (counts.get(topic) ?? 0) + 1);
    const big = [...counts].filter(([topic, count]) => topic !== '' && count >= 3);

    // Assess
    expect(big.length).toBeGreaterThanOrEqual(4);
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
    expect(yearsOn('02-28').length).toBeGreaterThanOrEqual(1);
    expect(yearsOn('12-25').length).toBeGreaterThanOrEqual(2);
  });
});

it('samples/README.md says how the samples are loaded', () => {
  // Prepare
  const readme = join(samplesDir, 'README.md');

  // Act
  const text = readFileSync(readme, 'utf8');

  // Assess
  expect(text).toMatch(/npm start/);
});
