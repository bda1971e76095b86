// Fixtures and well-formedness checks for the feed tests: fixed dates, xmllint when the machine has it.
import { spawnSync } from 'node:child_process';
import { XMLValidator } from 'fast-xml-parser';
import type { FeedSpec, StoredEvent } from '../../shared/feeds/render';

export const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
export const xmllintSkipMessage =
  'xmllint not installed (apt-get install -y libxml2-utils): xmllint checks skipped';
if (!hasXmllint) console.warn(`[feeds] ${xmllintSkipMessage}`);

/** xmllint's verdict: `ok`, or its error output. */
export function xmllint(xml: string): string {
  const run = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
  return run.status === 0 ? 'ok' : run.stderr;
}

/** fast-xml-parser's verdict: `ok`, or the first error. */
export function xmlValidator(xml: string): string {
  const result = XMLValidator.validate(xml);
  return result === true ? 'ok' : `${result.err.code}: ${result.err.msg} (line ${result.err.line})`;
}

/** Code points XML 1.0 forbids, written as U+XXXX; checked here without the code under test. */
export function forbiddenXmlChars(text: string): string[] {
  const bad: string[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    const allowed =
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      (cp >= 0x10000 && cp <= 0x10ffff);
    if (!allowed) bad.push(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return bad;
}

export function storedEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  const date = overrides.date ?? '2007-07-09';
  const slug = overrides.slug ?? 'lal-masjid-siege';
  return {
    id: `${date}/${slug}`,
    date,
    slug,
    title: 'Pakistani troops lay siege to the Red Mosque',
    description: 'Security forces surround the Lal Masjid in Islamabad.',
    sources: [
      { name: 'Reuters', url: 'https://www.reuters.com/article/idUS?x=1&y=2' },
      { name: 'BBC', url: 'http://news.bbc.co.uk/2/hi/south_asia/6286500.stm' },
    ],
    images: [],
    related: [
      {
        id: '2007-07-03/clashes-at-red-mosque',
        title: 'Clashes at the Red Mosque',
        date: '2007-07-03',
        topics: ['Islamabad'],
      },
    ],
    topics: ['Islamabad', 'Red Mosque'],
    lang: 'en',
    updatedAt: '2026-02-20T08:15:30.250Z',
    ...overrides,
  };
}

export const base = 'https://feeds.example.net';

export function feedSpec(overrides: Partial<FeedSpec> = {}): FeedSpec {
  return {
    title: 'Islamabad — the Context events',
    description: 'News events about Islamabad, newest first.',
    selfUrl: `${base}/topics/islamabad/feed.rss`,
    homeUrl: `${base}/topics/islamabad`,
    nextUrl: `${base}/topics/islamabad/feed.rss?cursor=eyJwIjoxfQ&limit=2`,
    events: [
      storedEvent(),
      storedEvent({
        date: '2007-07-03',
        slug: 'clashes-at-red-mosque',
        title: 'Clashes at the Red Mosque',
        description: undefined,
        sources: [],
        related: [],
        topics: ['Islamabad'],
        // Changed later than the newer event: the feed's date must be this one, not the first event's.
        updatedAt: '2026-02-25T12:00:00.000Z',
      }),
    ],
    eventUrl: (id) =>
      `${base}/events/${id.replace(/\/(.*)$/, (_, slug: string) => `/${encodeURIComponent(slug)}`)}.json`,
    ...overrides,
  };
}
