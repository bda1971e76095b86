// Topic labels and their URL slugs: one stable, URL-safe slug per label, shared by parsing, storage and feeds.
import { stringMemo } from './string-memo';

const VARIANT_PREFERENCE = ['zh-cn', 'zh-hans'] as const;

/** A `-{...}-` block of MediaWiki's Chinese conversion markup (innermost, so nesting resolves inside out). */
const CONVERSION_BLOCK = /-\{([^{}]*)\}-/g;
const VARIANT_KEY = /^\s*(zh(?:-[a-z]{2,4})?)\s*:(.*)$/is;
/** Flags such as `H|` (define a rule, show nothing) or `A|`, `R|`, `T|` before the content. */
const FLAG_PREFIX = /^\s*([A-Z;-]{1,6})\s*\|(.*)$/s;
const HIDDEN_FLAGS = /^[HT-]/;

function pickVariant(content: string): string {
  const flagged = FLAG_PREFIX.exec(content);
  let body = content;
  if (flagged) {
    if (HIDDEN_FLAGS.test(flagged[1] ?? '')) return '';
    body = flagged[2] ?? '';
  }
  const variants: Array<[string, string]> = [];
  for (const part of body.split(';')) {
    const match = VARIANT_KEY.exec(part);
    if (match) variants.push([(match[1] ?? '').toLowerCase(), (match[2] ?? '').trim()]);
  }
  // Not a variant table (`-{朴}-`, `-{}-`): the content is literal text, protected from conversion.
  if (variants.length === 0) return body;
  for (const wanted of VARIANT_PREFERENCE) {
    const hit = variants.find(([key]) => key === wanted);
    if (hit) return hit[1];
  }
  return variants[0]?.[1] ?? '';
}

/**
 * Resolves Chinese conversion markup to plain text: `-{zh-tw:北韓; zh-cn:朝鲜;}-` → `朝鲜` (zh-cn, then
 * zh-hans, then the first variant listed) and `-{X}-` → `X`. Unterminated markup is left for the caller.
 */
export function resolveConversionMarkup(text: string): string {
  if (!text.includes('-{')) return text;
  let current = text;
  for (let round = 0; round < 8; round += 1) {
    const next = current.replace(CONVERSION_BLOCK, (_whole, content: string) => pickVariant(content));
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Trims, collapses whitespace and resolves zh conversion markup in a topic label. */
export function normalizeLabel(label: string): string {
  return resolveConversionMarkup(label).replace(/\s+/g, ' ').trim();
}

/** Marks are dropped only where they decorate Latin, Greek or Cyrillic letters (`ü` → `u`); elsewhere they are part of the letter. */
const DECORATED = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** FNV-1a, 32 bit: a short stable fallback for labels (and titles) with no letters or digits at all. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0');
}

/**
 * Labels repeat across files and feeds (every related event lists its topics), and a slug is pure work on
 * its label (Unicode normalization twice): a bounded memo makes it once per label. Long strings (a hostile
 * file's) are not kept.
 */
const slugs = stringMemo(slugOf, { entries: 20_000, maxChars: 200 });

/**
 * URL-safe, stable slug for a topic label: NFKD, marks on Latin/Greek/Cyrillic letters stripped, lower-case,
 * runs of anything but letters and digits → `-`, trimmed. Han characters are letters and stay (`Zürich` → `zurich`,
 * `朝鲜` → `朝鲜`). Never empty: a label without letters or digits becomes `t-<hash>`.
 */
export function topicSlug(label: string): string {
  return slugs(label);
}

function slugOf(label: string): string {
  const normalized = normalizeLabel(label);
  const slug = normalized
    .normalize('NFKD')
    .replace(DECORATED, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(NOT_WORD, '-')
    .replace(/^-+|-+$/g, '');
  // Hashed in NFKC, like the slug itself: `．．／` and `../` are one topic.
  return slug === '' ? `t-${shortHash(normalizeLabel(normalized.normalize('NFKC')))}` : slug;
}

/** Labels normalized and deduplicated by slug, first-seen label wins, empty labels dropped. */
export function uniqueTopics(labels: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of labels) {
    const label = normalizeLabel(raw);
    if (label === '') continue;
    const slug = topicSlug(label);
    if (seen.has(slug)) continue;
    seen.add(slug);
    out.push(label);
  }
  return out;
}
