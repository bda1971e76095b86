// Event identity: canonical keys and links → `{ date, slug }`, and slugs derived from titles as the corpus derives them.
import type { Lang } from '../domain/event';
import { stringMemo } from '../domain/string-memo';
import { shortHash } from '../domain/topics';
import { isoDate } from './dates';

/**
 * The English generator slugged UTF-8 bytes read as Latin-1 (`ã` = C3 A3 → `Ã£`), cut that string at 140, and
 * transliterated each Latin-1 character to ASCII; that is where `sapso-paulo` (São), `anta3nio` (António),
 * `wa1-4renlingen` (Wü) and `2010a2011` (en dash) come from. Index = code point − 0xA0; C1 controls map to ''.
 */
// biome-ignore format: a 16-column table by code point
const LATIN1_ASCII: readonly string[] = [
  ' ', '!', 'C/', 'PS', '$?', 'Y=', '|', 'SS', '"', '(c)', 'a', '<<', '!', '', '(r)', '-',
  'deg', '+-', '2', '3', "'", 'u', 'P', '*', ',', '1', 'o', '>>', '1/4', '1/2', '3/4', '?',
  'A', 'A', 'A', 'A', 'A', 'A', 'AE', 'C', 'E', 'E', 'E', 'E', 'I', 'I', 'I', 'I',
  'D', 'N', 'O', 'O', 'O', 'O', 'O', 'x', 'O', 'U', 'U', 'U', 'U', 'Y', 'Th', 'ss',
  'a', 'a', 'a', 'a', 'a', 'a', 'ae', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
  'd', 'n', 'o', 'o', 'o', 'o', 'o', '/', 'o', 'u', 'u', 'u', 'u', 'y', 'th', 'y',
];

const EN_CUT = 140;
const ZH_CUT = 60;
const utf8 = new TextEncoder();

/** Non-ASCII text as the English generator saw it: its UTF-8 bytes, one Latin-1 character each. */
function asLatin1Bytes(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is "all ASCII"
  if (/^[\u0000-\u007f]*$/.test(text)) return text;
  let out = '';
  for (const byte of utf8.encode(text)) out += String.fromCharCode(byte);
  return out;
}

function slugEn(raw: string): string {
  let ascii = '';
  for (const char of asLatin1Bytes(raw).slice(0, EN_CUT)) {
    const code = char.charCodeAt(0);
    if (code < 0x80) ascii += char;
    else if (code >= 0xa0) ascii += LATIN1_ASCII[code - 0xa0] ?? '';
  }
  return ascii
    .toLowerCase()
    .replace(/[<>]/g, '')
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function slugZh(raw: string): string {
  return Array.from(raw)
    .slice(0, ZH_CUT)
    .join('')
    .replace(/[.,]/g, '')
    .replace(/[^\p{L}\p{N}_]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** Accents folded away: `São` → `Sao`, `Schröder` → `Schroder`. */
function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: "not ASCII" is the point
const NON_ASCII = /[^\u0000-\u007f]/g;

/**
 * English titles lost their accents in one of two ways, and the generator slugged each differently:
 * - dropped (`Sbastien`, `Chvez`): the slug was transliterated properly (`sebastien`, `chavez`);
 * - folded (`Sao Paulo`): the slug came from the mangled UTF-8 bytes (`sapso-paulo`).
 * Context labels keep the accents (`Sébastien Loeb`, `São Paulo`), so a title word that is a label word with its
 * accents dropped or folded is restored from the label before slugging.
 */
function restoreFromLabels(
  raw: string,
  labels: readonly string[],
): { text: string; lost: 'dropped' | 'folded' } | undefined {
  const dropped = new Map<string, string>();
  const folded = new Map<string, string>();
  for (const word of labels.flatMap((label) => label.split(/[^\p{L}\p{N}]+/u))) {
    if (!NON_ASCII.test(word)) continue;
    NON_ASCII.lastIndex = 0;
    const withoutAccents = word.replace(NON_ASCII, '');
    // Short remnants (`So` from `São`) are ordinary words too often to trust.
    if (withoutAccents.length >= 4) dropped.set(withoutAccents, word);
    folded.set(foldAccents(word), word);
  }
  let lost: 'dropped' | 'folded' | undefined;
  const text = raw.replace(/[A-Za-z0-9]+/g, (token) => {
    const fromDropped = dropped.get(token);
    if (fromDropped !== undefined) {
      lost = 'dropped';
      return fromDropped;
    }
    const fromFolded = folded.get(token);
    if (fromFolded !== undefined && fromFolded !== token) {
      lost ??= 'folded';
      return fromFolded;
    }
    return token;
  });
  return lost ? { text, lost } : undefined;
}

/**
 * The headline's slug, with accents the title lost restored from the event's Context labels first (see
 * `restoreFromLabels`); Chinese titles kept theirs.
 */
export function slugFromHeadline(raw: string, lang: Lang, labels: readonly string[]): string {
  if (lang === 'zh') return nonEmpty(slugZh(raw), raw);
  const restored = restoreFromLabels(raw, labels);
  if (!restored) return nonEmpty(slugEn(raw), raw);
  return nonEmpty(
    restored.lost === 'folded' ? slugEn(restored.text) : slugEn(foldAccents(restored.text)),
    raw,
  );
}

/** A title with no letter or digit the generator kept (`!!!`, `🎉`) still needs an id: `e-<hash of the title>`. */
function nonEmpty(slug: string, raw: string): string {
  return slug === '' ? `e-${shortHash(raw)}` : slug;
}

/**
 * Derives a slug from a headline the way the corpus generator did, so a file stored under another key still meets
 * its related links and listing entries on one id. Feed it the RAW headline (everything after `# `, including a
 * second leading space and any wiki leftovers): the generator cut the raw text, not the cleaned title.
 * - en: UTF-8 bytes read as Latin-1, cut at 140, transliterated to ASCII, lower-cased, `<`/`>` dropped, runs of
 *   anything but `[a-z0-9_]` → `-`, trimmed.
 * - zh: cut at 60 characters, `.` and `,` dropped, runs of anything but letters/digits/`_` → `-` (case and Han kept).
 */
export function slugifyTitle(title: string, lang: Lang): string {
  return nonEmpty(lang === 'zh' ? slugZh(title) : slugEn(title), title);
}

export interface CanonicalRef {
  /** YYYY-MM-DD */
  date: string;
  slug: string;
}

const NEWS_PATH = /^\/?(?:zh\/)?news\/(\d{4})\/(\d{1,2})\/(\d{1,2})\/([^/]+)\.md$/;

function pathOf(keyOrLink: string): string {
  let path = keyOrLink.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  path = path.replace(/[?#].*$/, '');
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Date and last segment of a `[zh/]news/YYYY/MM/D/<name>.md` path; `name` may be `index`. */
export function parseNewsPath(keyOrLink: string): { date: string; name: string; zh: boolean } | undefined {
  const path = pathOf(keyOrLink);
  const match = NEWS_PATH.exec(path);
  if (!match) return undefined;
  const [, year, month, day, name] = match;
  const date = isoDate(Number(year), Number(month), Number(day));
  if (date === undefined || !name) return undefined;
  return { date, name, zh: /^\/?zh\//.test(path) };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const UNUSABLE_IN_SLUG = /\.\.|^\.|[\u0000-\u001f\u007f\\]/;

/**
 * A key's file name is the slug only when it is safe to put in a path and a DynamoDB key: not blank, no `..`, no
 * leading `.`, no control character or backslash. Otherwise the key is treated as any other key (slug from title).
 */
function usableKeySlug(name: string): boolean {
  return name.trim() !== '' && !UNUSABLE_IN_SLUG.test(name);
}

/**
 * `[zh/]news/YYYY/MM/D/<slug>.md` (also with a leading `/`, as a link path `/zh/news/...`, or a full URL) →
 * `{ date: 'YYYY-MM-DD', slug }`. Anything else, a day listing (`index.md`) or an impossible date → undefined.
 */
export function idFromCanonicalKey(key: string): CanonicalRef | undefined {
  const ref = canonicalRefs(key);
  return ref && { ...ref };
}

/** Related events link the same paths file after file (see cleanText's memo): each is parsed once. */
const canonicalRefs = stringMemo(canonicalRefOf, { entries: 20_000, maxChars: 300 });

function canonicalRefOf(key: string): CanonicalRef | undefined {
  const parsed = parseNewsPath(key);
  if (!parsed || parsed.name === 'index' || !usableKeySlug(parsed.name)) return undefined;
  return { date: parsed.date, slug: parsed.name };
}

/** The id every contribution about one event shares. */
export function eventId(date: string, slug: string): string {
  return `${date}/${slug}`;
}
