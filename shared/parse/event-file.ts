// The generator's Markdown: one event file (`### [date]`, `# headline`, sections) or one day listing (`## [date]`, entries).
import type { NewsEvent, ParseResult, RelatedRef } from '../domain/event';
import { uniqueTopics } from '../domain/topics';
import { type DateText, readDateText } from './dates';
import { decideLang, LangEvidence } from './lang';
import { type Heading, itemLink, readHeading, scanLinks } from './markdown';
import { eventId, idFromCanonicalKey, parseNewsPath, slugFromHeadline, slugifyTitle } from './slug';
import { SourceCollector } from './sources';
import { cleanText, splitLabels } from './text';

type Token =
  | { kind: 'heading'; line: number; heading: Heading }
  | { kind: 'text'; line: number; text: string }
  | { kind: 'blank'; line: number };

type Section = 'sources' | 'related' | 'changes' | 'other';

const SECTION_NAMES: ReadonlyArray<[RegExp, Section]> = [
  [/^(?:sources?|信息来源|信息來源|消息来源|來源|来源)\s*(?:[:：].*)?$/i, 'sources'],
  [/^(?:related(?: events?| news)?|有关|有關|相关|相關|相关新闻)\s*(?:[:：].*)?$/i, 'related'],
  [/^(?:changes|更改|修改|版本)\s*(?:[:：].*)?$/i, 'changes'],
];
const FORMATS_LINE = /^\s*formats\s*:\s*\[/i;
// Matched against trimmed lines, with no trailing `\s*`: `(.*?)[_*]?\s*$` rescanned trailing whitespace per character.
const CONTEXT_LINE = /^[_*]\s*(?:context|消息)\s*[:：](.*?)[_*]?$/i;
const DATE_IN_HEADING = /^\[\s*(\d{4}-\d{1,2}-\d{1,2})\s*\]\s*(?:\([^)]*\))?$|^(\d{4}-\d{1,2}-\d{1,2})$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line += 1) {
    const content = lines[line] ?? '';
    if (content.trim() === '') {
      tokens.push({ kind: 'blank', line });
      continue;
    }
    const heading = readHeading(content);
    if (heading) tokens.push({ kind: 'heading', line, heading });
    else if (!FORMATS_LINE.test(content)) tokens.push({ kind: 'text', line, text: content.trim() });
  }
  return tokens;
}

function sectionOf(heading: Heading): Section {
  for (const [pattern, section] of SECTION_NAMES) if (pattern.test(heading.text)) return section;
  return 'other';
}

function dateOfHeading(heading: Heading): DateText | undefined {
  const match = DATE_IN_HEADING.exec(heading.text);
  const text = match?.[1] ?? match?.[2];
  return text === undefined ? undefined : readDateText(text);
}

/** Labels of a `_Context: a, b_` / `_消息: a, b_` line, or undefined when the line is something else. */
function contextLabels(text: string): string[] | undefined {
  const match = CONTEXT_LINE.exec(text.trim());
  return match ? splitLabels(match[1] ?? '') : undefined;
}

/** Paragraphs of description lines, cleaned; undefined when nothing is left. */
function description(paragraphs: string[][]): string | undefined {
  const text = paragraphs
    .map((lines) => cleanText(lines.join(' ')))
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
  return text === '' ? undefined : text;
}

function rejected(reason: 'missing-date' | 'invalid-date' | 'missing-title', detail: string): ParseResult {
  return { kind: 'rejected', reason, detail };
}

interface DateHeading {
  index: number;
  level: number;
  date: DateText;
  line: number;
}

function findDateHeading(tokens: Token[]): DateHeading | undefined {
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token?.kind !== 'heading') continue;
    const date = dateOfHeading(token.heading);
    if (date) return { index, level: token.heading.level, date, line: token.line };
  }
  return undefined;
}

/**
 * The object's date. A canonical key's date wins over the heading (the key is the identity that related links and
 * listings use; real files must not be rejected for a disagreeing heading). Without a canonical key, the heading
 * decides. An impossible heading date is always rejected, never guessed.
 */
function resolveDate(found: DateHeading | undefined, keyDate: string | undefined): ParseResult | string {
  if (found && !found.date.ok) {
    return rejected(
      'invalid-date',
      `date heading on line ${found.line + 1} has "${found.date.text}", not a calendar date`,
    );
  }
  const contentDate = found?.date.ok ? found.date.date : undefined;
  const date = keyDate ?? contentDate;
  if (date === undefined) {
    return rejected(
      'missing-date',
      'no `### [YYYY-MM-D](...)` date heading, and the key is not a canonical news path',
    );
  }
  return date;
}

function collectEvidence(tokens: Token[]): LangEvidence {
  const evidence = new LangEvidence();
  for (const token of tokens) {
    if (token.kind === 'heading') evidence.heading(token.heading.text);
    else if (token.kind === 'text') evidence.line(token.text);
  }
  return evidence;
}

function readRelated(text: string): RelatedRef | undefined {
  const link = itemLink(text);
  if (!link) return undefined;
  const ref = idFromCanonicalKey(link.href);
  const title = cleanText(link.text);
  if (!ref || title === '') return undefined;
  return {
    id: eventId(ref.date, ref.slug),
    title,
    date: ref.date,
    topics: contextLabels(link.tail.trim()) ?? [],
  };
}

/**
 * The `Formats: [HTML](/news/…/slug.html) …` line names the file's own canonical path, so a file uploaded under
 * another key still knows its id.
 */
function declaredIdentity(text: string): ReturnType<typeof idFromCanonicalKey> {
  for (const line of text.split('\n', 8)) {
    if (!FORMATS_LINE.test(line)) continue;
    for (const link of scanLinks(line)) {
      const ref = idFromCanonicalKey(link.href.replace(/\.(?:html?|json|xml)$/i, '.md'));
      if (ref) return ref;
    }
  }
  return undefined;
}

function parseEvent(
  key: string,
  tokens: Token[],
  headlineIndex: number,
  found: DateHeading | undefined,
  declared: ReturnType<typeof idFromCanonicalKey>,
): ParseResult {
  const headlineToken = tokens[headlineIndex];
  if (headlineToken?.kind !== 'heading') return rejected('missing-title', 'no `# headline` line');
  const raw = headlineToken.heading.raw;
  const title = cleanText(raw);
  if (title === '') {
    return rejected('missing-title', `headline on line ${headlineToken.line + 1} is empty once cleaned`);
  }
  const canonical = idFromCanonicalKey(key) ?? declared;
  const date = resolveDate(found, canonical?.date);
  if (typeof date !== 'string') return date;
  const lang = decideLang(collectEvidence(tokens), key, title);

  const topicLabels: string[] = [];
  const relatedTopics: string[] = [];
  const paragraphs: string[][] = [];
  const related: RelatedRef[] = [];
  const seenRelated = new Set<string>();
  const collector = new SourceCollector();

  // `#####` topic lines come before the headline (on either side of the date heading); sections after it.
  for (let index = 0; index < headlineIndex; index += 1) {
    const token = tokens[index];
    if (index !== found?.index && token?.kind === 'heading' && token.heading.level >= 4) {
      topicLabels.push(token.heading.text);
    }
  }
  let section: Section | 'description' = 'description';
  for (let index = headlineIndex + 1; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token === undefined || index === found?.index) continue;
    if (token.kind === 'heading') {
      section = sectionOf(token.heading);
      if (section === 'other' && token.heading.level >= 5 && paragraphs.length === 0) {
        // A topic line placed after the headline: still a topic, and the description may follow it.
        topicLabels.push(token.heading.text);
        section = 'description';
      }
      continue;
    }
    if (token.kind === 'blank') {
      if (section === 'description' && paragraphs.at(-1)?.length) paragraphs.push([]);
      continue;
    }
    if (section === 'description') {
      if (paragraphs.length === 0) paragraphs.push([]);
      paragraphs.at(-1)?.push(token.text);
    } else if (section === 'sources') {
      collector.readLine(token.text);
    } else if (section === 'related') {
      const ref = readRelated(token.text);
      if (ref && !seenRelated.has(ref.id)) {
        seenRelated.add(ref.id);
        related.push(ref);
        relatedTopics.push(...ref.topics);
      }
    }
  }

  const topics = uniqueTopics([...topicLabels.map(cleanText), ...relatedTopics]);
  const slug = canonical?.slug ?? slugFromHeadline(raw, lang, topics);
  const text = description(paragraphs);
  const event: NewsEvent = {
    id: eventId(date, slug),
    date,
    slug,
    title,
    ...(text === undefined ? {} : { description: text }),
    sources: collector.sources,
    images: collector.images,
    related,
    topics,
    lang,
  };
  return { kind: 'event', contribution: 'event-file', event };
}

interface Entry {
  raw: string;
  href: string;
  labels: string[];
  paragraphs: string[];
}

function parseListing(key: string, tokens: Token[], found: DateHeading | undefined): ParseResult {
  const keyPath = parseNewsPath(key);
  const date = resolveDate(found, keyPath?.name === 'index' ? keyPath.date : undefined);
  if (typeof date !== 'string') return date;

  const entries: Entry[] = [];
  let pendingTopic: string | undefined;
  let current: Entry | undefined;
  for (let index = (found?.index ?? -1) + 1; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token === undefined || token.kind === 'blank') continue;
    if (token.kind === 'heading') {
      const { level, text } = token.heading;
      current = undefined;
      if (level >= 4) {
        pendingTopic = text;
        continue;
      }
      const link = level >= 3 ? itemLink(text) : undefined;
      if (link) {
        current = {
          raw: link.text,
          href: link.href,
          labels: pendingTopic ? [pendingTopic] : [],
          paragraphs: [],
        };
        entries.push(current);
      }
      pendingTopic = undefined;
      continue;
    }
    if (!current) continue;
    const labels = contextLabels(token.text);
    if (labels) current.labels.push(...labels);
    else current.paragraphs.push(token.text);
  }

  const lang = decideLang(collectEvidence(tokens), key, entries.map((entry) => entry.raw).join(' '));
  const events: NewsEvent[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const title = cleanText(entry.raw);
    if (title === '') continue;
    const ref = idFromCanonicalKey(entry.href) ?? { date, slug: slugifyTitle(entry.raw, lang) };
    const id = eventId(ref.date, ref.slug);
    if (seen.has(id)) continue;
    seen.add(id);
    const text = description([entry.paragraphs]);
    events.push({
      id,
      date: ref.date,
      slug: ref.slug,
      title,
      ...(text === undefined ? {} : { description: text }),
      sources: [],
      images: [],
      related: [],
      topics: uniqueTopics(entry.labels.map((label) => cleanText(label))),
      lang,
    });
  }
  return { kind: 'listing', date, lang, events };
}

/**
 * Parses the generator's Markdown, or returns undefined when the text is not in that format at all (no date heading,
 * no headline, no listing entry), so the caller can report `unknown-format`.
 * An object with a `# headline` is an event file; one with a level-2 date heading, `### [title](path)` entries or a
 * previous-day footer is a day listing (possibly with no entries).
 */
export function parseMarkdownObject(key: string, text: string): ParseResult | undefined {
  const tokens = tokenize(text);
  const found = findDateHeading(tokens);
  let headlineIndex = -1;
  let entryLike = false;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token?.kind !== 'heading' || index === found?.index) continue;
    if (token.heading.level === 1) {
      headlineIndex = index;
      break;
    }
    if (token.heading.level <= 3 && token.heading.text.startsWith('[') && itemLink(token.heading.text)) {
      entryLike = true;
    }
  }
  if (headlineIndex !== -1) return parseEvent(key, tokens, headlineIndex, found, declaredIdentity(text));
  if (found && (found.level <= 2 || entryLike)) return parseListing(key, tokens, found);
  if (found)
    return rejected('missing-title', `date heading on line ${found.line + 1} but no \`# headline\` line`);
  if (entryLike) return parseListing(key, tokens, undefined);
  return undefined;
}
