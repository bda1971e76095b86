// Hand-written events: YAML front matter (`---` … `---`) + Markdown body, validated by a zod schema; never runs code.
import matter from 'gray-matter';
import type { Lang, NewsEvent, ParseResult } from '../domain/event';
import { uniqueTopics } from '../domain/topics';
import * as z from '../zod';
import { readDateText } from './dates';
import { FRONT_MATTER_OPENING as OPENING } from './front-matter-fence';
import { keyIsZh, looksChinese } from './lang';
import { eventId, idFromCanonicalKey, slugifyTitle } from './slug';
import { httpUrl } from './sources';
import { cleanText, splitLabels } from './text';

const CLOSING = /\n---[ \t]*(?:\n|$)/;
const YAML_NAMES = new Set(['', 'yaml', 'yml']);

function refuseEngine(name: string) {
  return () => {
    throw new Error(`front matter language "${name}" is not allowed: only YAML is parsed`);
  };
}

/**
 * gray-matter ships a `javascript` engine that `eval`s the block. Every engine but YAML is replaced by one that
 * refuses, so `---js` can never run, whatever the pre-check below misses.
 */
const SAFE_ENGINES = Object.fromEntries(
  ['js', 'javascript', 'coffee', 'coffeescript', 'cson', 'json', 'toml', 'ts', 'typescript'].map((name) => [
    name,
    refuseEngine(name),
  ]),
);

const httpUrlString = z
  .string()
  .check(z.refine((value) => httpUrl(value) !== undefined, { message: 'must be an absolute http(s) URL' }));

const slugPattern = /^(?:[a-z0-9]|\p{Script=Han})+(?:-(?:[a-z0-9]|\p{Script=Han})+)*$/u;

const calendarDate = z.pipe(
  z.union([z.string(), z.date()]),
  z.transform((value, ctx) => {
    const text =
      value instanceof Date ? (Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()) : value;
    const read = readDateText(text.trim().slice(0, 10));
    if (read?.ok) return read.date;
    // zod/mini's transform context is the parse payload itself (no addIssue helper).
    ctx.issues.push({
      code: 'custom',
      message: `"${text}" is not a calendar date (YYYY-MM-DD)`,
      params: { reason: 'invalid-date' },
      input: value,
    });
    return z.NEVER;
  }),
);

/** Front matter of a hand-written event file (documented in docs/front-matter.md). Unknown keys are ignored. */
export const frontMatterSchema = z.object({
  title: z.pipe(
    z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
    z.string().check(z.trim(), z.minLength(1, 'title is empty')),
  ),
  /** `2007-07-09`, quoted or not (YAML turns an unquoted date into a Date). */
  date: calendarDate,
  /** A list of labels, or one comma-separated string. */
  topics: z.optional(z.union([z.array(z.string()), z.string()])),
  /** `{ name, url }` objects or bare URLs; http(s) only. */
  sources: z.optional(
    z.array(z.union([httpUrlString, z.object({ name: z.optional(z.string()), url: httpUrlString })])),
  ),
  /** Lower-case ASCII letters, digits and `-`, or Han characters; without it the slug comes from the title. */
  slug: z.optional(
    z.string().check(z.regex(slugPattern, 'slug must be lower-case a-z, 0-9 and "-", or Han characters')),
  ),
  lang: z.optional(z.enum(['en', 'zh'])),
  images: z.optional(
    z.array(z.union([httpUrlString, z.object({ url: httpUrlString, caption: z.optional(z.string()) })])),
  ),
});

export type FrontMatter = z.output<typeof frontMatterSchema>;

function invalid(detail: string): ParseResult {
  return { kind: 'rejected', reason: 'invalid-front-matter', detail };
}

/**
 * YAML reads an unquoted `2007-02-30` as March 2: Date rolls over. So the date is re-read from the block's own
 * `date:` line, and the Date object is used only when that line cannot be found.
 */
function rawDateLine(block: string): string | undefined {
  const match = /^date[ \t]*:[ \t]*["']?([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})/m.exec(block);
  return match?.[1];
}

function summarize(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function buildEvent(key: string, data: FrontMatter, body: string): NewsEvent {
  const title = cleanText(data.title);
  const lang: Lang = data.lang ?? (looksChinese(title) || keyIsZh(key) ? 'zh' : 'en');
  const canonical = idFromCanonicalKey(key);
  // Same rule as event files: a canonical key is the identity, its date wins over the `date` field.
  const date = canonical?.date ?? data.date;
  // The cleaned title: no generator wrote these, so there is no raw form to match, and a lone surrogate or a
  // control character in the YAML string must not reach the slug.
  const slug = canonical?.slug ?? data.slug ?? slugifyTitle(title, lang);
  const topics =
    typeof data.topics === 'string' ? splitLabels(data.topics) : (data.topics ?? []).map(cleanText);
  const sources = new Map<string, string>();
  for (const source of data.sources ?? []) {
    const url = typeof source === 'string' ? source : source.url;
    const name = typeof source === 'string' ? '' : cleanText(source.name ?? '');
    if (!sources.has(url)) sources.set(url, name === '' ? new URL(url).hostname.replace(/^www\./, '') : name);
  }
  const images = new Map<string, string | undefined>();
  for (const image of data.images ?? []) {
    const url = typeof image === 'string' ? image : image.url;
    if (!images.has(url))
      images.set(url, typeof image === 'string' ? undefined : image.caption?.trim() || undefined);
  }
  const description = body.trim();
  return {
    id: eventId(date, slug),
    date,
    slug,
    title,
    ...(description === '' ? {} : { description }),
    sources: [...sources].map(([url, name]) => ({ name, url })),
    images: [...images].map(([url, caption]) => (caption ? { url, caption } : { url })),
    related: [],
    topics: uniqueTopics(topics),
    lang,
  };
}

/** Parses a front matter object. Only call when `hasFrontMatter(text)`. */
export function parseFrontMatterObject(key: string, text: string): ParseResult {
  const language = (OPENING.exec(text)?.[1] ?? '').trim().toLowerCase();
  if (!YAML_NAMES.has(language)) {
    return invalid(
      `front matter language "${language}" is not allowed: only YAML is parsed, code never runs`,
    );
  }
  const close = CLOSING.exec(text.slice(text.indexOf('\n')));
  if (!close) return invalid('front matter opened with `---` is never closed by a `---` line');

  let file: { data: Record<string, unknown>; content: string; matter: string };
  try {
    // A fresh options object on every call: gray-matter caches by content only when no options are passed.
    file = matter(text, { language: 'yaml', engines: { ...SAFE_ENGINES } });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return invalid(`front matter is not valid YAML: ${message}`);
  }
  const data: unknown = file.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return invalid('front matter must be a YAML mapping (key: value lines)');
  }
  const input: Record<string, unknown> = { ...data };
  if (input.date instanceof Date) input.date = rawDateLine(file.matter) ?? input.date;

  const parsed = frontMatterSchema.safeParse(input);
  if (!parsed.success) {
    const dateIssue = parsed.error.issues.find(
      (issue) => issue.code === 'custom' && issue.params?.reason === 'invalid-date',
    );
    if (dateIssue && parsed.error.issues.length === 1) {
      return { kind: 'rejected', reason: 'invalid-date', detail: `front matter date: ${dateIssue.message}` };
    }
    return invalid(`front matter does not match the schema: ${summarize(parsed.error)}`);
  }
  return { kind: 'event', contribution: 'front-matter', event: buildEvent(key, parsed.data, file.content) };
}
