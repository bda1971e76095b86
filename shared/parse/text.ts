// Display text from the generator's raw strings: entities decoded, wiki/HTML leftovers turned to plain text.
import { decodeHTMLAttribute } from 'entities';
import { stringMemo } from '../domain/string-memo';
import { normalizeLabel, resolveConversionMarkup } from '../domain/topics';

const ENTITY_LEFT = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

/**
 * Decodes HTML entities. Attribute mode: named entities without `;` are decoded only when no letter, digit or `=`
 * follows (`&nbsp x`, not `&notice`), so `AT&T` and query strings survive. A second pass catches `&amp;quot;`.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  const once = decodeHTMLAttribute(text);
  return ENTITY_LEFT.test(once) ? decodeHTMLAttribute(once) : once;
}

/** Ship-prefix templates: `{{USS|Monitor}}` renders `USS Monitor`. */
const SHIP_PREFIXES = new Set([
  'uss',
  'hms',
  'hmas',
  'hmcs',
  'hmnzs',
  'rms',
  'ss',
  'mv',
  'usns',
  'uscgc',
  'hnlms',
  'sms',
]);
/** Templates that render their arguments as they are. */
const PASS_THROUGH = new Set([
  'nowrap',
  'nobr',
  'nobreak',
  'small',
  'smaller',
  'big',
  'sup',
  'sub',
  'sic',
  'abbr',
]);
const RANGE_WORDS = new Set(['-', '–', 'to', 'and', 'or', 'x', '×', 'by', '+', '&']);

function renderConvert(args: string[]): string {
  const [value, second, third, fourth] = args;
  if (value === undefined) return '';
  if (second !== undefined && RANGE_WORDS.has(second) && third !== undefined) {
    const joiner = second === '-' || second === '–' ? '–' : ` ${second} `;
    return `${value}${joiner}${third}${fourth ? ` ${fourth}` : ''}`;
  }
  return second ? `${value} ${second}` : value;
}

/** One innermost `{{name|args}}`: the text it would render where that is knowable, else nothing. */
function renderTemplate(inner: string): string {
  const parts = inner.split('|').map((part) => part.trim());
  const rawName = parts[0] ?? '';
  const name = rawName.toLowerCase().replace(/_/g, ' ');
  // Named parameters (`date=…`, `url=…`) never render as text.
  const args = parts.slice(1).filter((arg) => !/^[\w -]+=/.test(arg));
  if (name === 'convert' || name === 'cvt') return renderConvert(args);
  if (PASS_THROUGH.has(name)) return args.join(' ');
  if (name === 'lang' || name.startsWith('lang-') || name === 'transl') return args.at(-1) ?? '';
  if (SHIP_PREFIXES.has(name) && args[0]) {
    return `${rawName} ${args[0]}${args[1] ? ` (${args[1]})` : ''}`;
  }
  return '';
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g;
/** `435|mi|km`: the body of a `{{convert}}` whose braces were lost. */
// The look-behind starts a match only at the first digit of a run: otherwise a long digit run without `|` is
// rescanned from each of its digits (quadratic). Every regex here must stay linear: a hostile line is 1 MB long.
const BARE_CONVERT = /(?<![\d,.])(\d[\d,.]*)\|([A-Za-z°][\w°/²³]*)(?:\|[A-Za-z°][\w°/²³]*)*/g;
/** Where a citation parameter (`title = …`) starts inside one `|`-separated segment. */
const PARAM_IN_SEGMENT = /(?:^|\s)[a-z][\w-]*\s*=/i;
const PARAM_SEGMENT = /^\s*[a-z][\w-]*\s*=/i;

/**
 * Drops each run of two or more citation parameters (`title = … | url = …`) dumped as text: from the first
 * `name =` of a segment through every following `|` segment that is itself `name = …`. Done segment by segment: the
 * regex it replaces (`…=[^|]*(?:\|…=[^|]*)+`) rescanned to the next `|` from every word, quadratic on long text.
 */
function dropCitationParams(text: string): string {
  const segments = text.split('|');
  const out: string[] = [];
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] ?? '';
    const start = PARAM_IN_SEGMENT.exec(segment);
    let last = index;
    while (start && PARAM_SEGMENT.test(segments[last + 1] ?? '')) last += 1;
    if (!start || last === index) {
      out.push(index === 0 ? segment : `|${segment}`);
      continue;
    }
    // The run begins at the whitespace before the name, or at the `|` before the segment when it starts there.
    const kept = segment.slice(0, start.index);
    out.push(
      index === 0 || start.index > 0 || /^\s/.test(segment) ? `${index === 0 ? '' : '|'}${kept} ` : ' ',
    );
    index = last;
  }
  return out.join('');
}
/**
 * A URL, or a piece of one the generator cut apart (`:--web.archive.org-web-2019…-https:--…`): a token holding `://`,
 * `:--` or the archive host. The lookahead finds the marker, then the token is taken whole, so nothing backtracks.
 */
// The marker is looked for in the token's first 64 characters only (it comes right after the scheme): an unbounded
// look-ahead rescanned a long token from every `url=` in it, quadratic on hostile text.
const URL_PIECE = String.raw`(?=[^\s[\]]{0,64}?(?::(?:\/\/|--)|web\.archive\.org))[^\s[\]]+`;
/** A citation's `url=` (or `archive-url=`) and every URL piece after it, up to the first word that is not one. */
const URL_PARAM = String.raw`\b(?:archive-?)?url\s*=`;
/**
 * Wiki citation residue: `url=https:--a… :--web.archive.org-web-2019…-https:--a…` dropped whole. In parentheses the
 * value may be missing (`(url= )`); bare, a URL piece must follow, so `author = x | url = y` is left to
 * CITATION_PARAMS. Only at the start of a word: `…&url=http%3A…` inside a link address is not residue. The
 * `(?=(\s*\|)?)` group reports a `|` after the run: then it is one parameter of several, CITATION_PARAMS's job.
 */
const CITATION_URL = new RegExp(
  String.raw`(?<![^\s(（|])(?:\(\s*${URL_PARAM}\s*(?:${URL_PIECE}(?:\s+${URL_PIECE})*)?\s*\)|${URL_PARAM}\s*${URL_PIECE}(?:\s+${URL_PIECE})*)(?=(\s*\|)?)`,
  'gi',
);

function dropCitationUrls(text: string): string {
  return text.replace(CITATION_URL, (residue, pipe: string | undefined) =>
    pipe === undefined ? ' ' : residue,
  );
}
/** A numeric entity cut off by truncation at the very end (`Syria&#...`). */
const CUT_ENTITY = /&#x?[0-9a-f]*(?=(?:\.{3}|…)?$)/i;
// Link and wiki-link bodies never hold `[`: a match cannot run past the next opening bracket, so it stays linear.
const EXTERNAL_LINK = /\[(?:(?:https?|ftp):(?:\/\/|--)|\/\/)[^\s[\]]*(?:\s+([^[\]]*))?\]/gi;
const UNTERMINATED_LINK = /\[?(?:https?|ftp):(?:\/\/|--)\S*/gi;
const WIKI_LINK = /\[\[(?:[^[\]|]*\|)?([^[\]]*)\]\]/g;
const REF_OPEN = /<ref\b[^<>]*>/gi;
const REF_CLOSE = /<\/ref\s*>/gi;
const REF_TO_END = /<ref\b[\s\S]*$/i;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const TAG = /<\/?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>/g;
const BLOCK_TAGS = new Set([
  'br',
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'td',
  'th',
  'hr',
  'table',
  'blockquote',
]);
const QUOTE_RUN = /'{2,}/g;
/** `date=十一月 2017`, `date=September 2015`, `date=2018年5月`: cleanup-template dates left after a link. */
const TEMPLATE_DATE =
  /\s*\bdate\s*=\s*(?:\p{L}+\s+\d{4}|\d{4}年\d{1,2}月|\d{4}-\d{2}(?:-\d{2})?)?(?=$|\s|[)\]，。,.;])/gu;
/** A timestamp tail glued to the text by the generator (`…舉行。:43:02+00:00`). */
// Applied to trimmed text, without a leading `\s*`: that rescanned a long run of spaces from each space.
const TIMESTAMP_TAIL = /(?:\d{4}-\d{2}-\d{2}[T ])?\d{0,2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** Half of a UTF-16 pair without its other half (YAML's `"\uD800"` makes one): not a character, never stored. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** Any character INVISIBLE or CONTROL would rewrite. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNWANTED = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200d\u2060\ufeff\u00ad]/;
/** Whitespace that collapsing would change: anything but a single plain space. */
const SPACING = /[^\S ]| {2}/;

const CLOSING_PUNCTUATION = new Set([',', '.', ';', ':', '!', '?', '，', '。', '；', '：']);

/** `a , b` → `a, b`: what `/ ([,.;:!?，。；：])/g` → `$1` does, at half its cost (it ran on every string). */
function dropSpaceBeforePunctuation(text: string): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf(' '); at !== -1; at = text.indexOf(' ', at + 1)) {
    if (!CLOSING_PUNCTUATION.has(text[at + 1] ?? '')) continue;
    out += text.slice(copied, at);
    copied = at + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** `String.prototype.isWellFormed` (ES2024, Node 20): no lone surrogate, found without a regex. */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

function expandTemplates(text: string): string {
  let current = text;
  for (let round = 0; round < 8 && current.includes('{{'); round += 1) {
    const next = current.replace(TEMPLATE, (_whole, inner: string) => renderTemplate(inner));
    if (next === current) break;
    current = next;
  }
  // Unterminated (`{{Nowrap|$3.3 billion` cut off by truncation): drop the opener, keep the argument text.
  return current.replace(/\{\{[^{}|]*\|?/g, '').replace(/\}\}/g, '');
}

/** `''italic''` / `'''bold'''` markers removed; a space is kept where a marker was the only word separator. */
function dropQuoteMarkers(text: string): string {
  let open = false;
  return text.replace(QUOTE_RUN, (_run, offset: number, whole: string) => {
    open = !open;
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + _run.length] ?? '';
    const glued = open ? LETTER_OR_DIGIT.test(before) : LETTER_OR_DIGIT.test(after);
    return glued ? ' ' : '';
  });
}

/**
 * `<ref …/>` and `<ref …>…</ref>` removed, in one pass: after an opening tag the closing one is searched once, and
 * when there is none the scan stops (REF_TO_END drops the rest), so nothing is rescanned.
 */
function dropRefs(text: string): string {
  let out = '';
  let copied = 0;
  REF_OPEN.lastIndex = 0;
  for (let open = REF_OPEN.exec(text); open !== null; open = REF_OPEN.exec(text)) {
    let end = REF_OPEN.lastIndex;
    if (!open[0].endsWith('/>')) {
      REF_CLOSE.lastIndex = end;
      if (REF_CLOSE.exec(text) === null) break;
      end = REF_CLOSE.lastIndex;
    }
    out += text.slice(copied, open.index);
    copied = end;
    REF_OPEN.lastIndex = end;
  }
  return out + text.slice(copied);
}

function stripHtml(text: string): string {
  if (!text.includes('<')) return text;
  return dropRefs(text.replace(COMMENT, ''))
    .replace(REF_TO_END, '')
    .replace(TAG, (_tag, name: string) => (BLOCK_TAGS.has(name.toLowerCase()) ? ' ' : ''));
}

/**
 * Plain display text from a raw headline, description, label or source name: entities decoded, `<ref>` and other
 * tags removed, templates rendered (`{{convert|435|mi|km}}` → `435 mi`, `{{Nowrap|x}}` → `x`), external links
 * reduced to their label, `''`/`'''` dropped, zh conversion markup resolved, generator junk removed, whitespace
 * collapsed. What cannot become text is removed.
 */
export function cleanText(raw: string): string {
  return cleaned(raw);
}

/**
 * The same strings come back file after file: each event lists its related events by title, and 85 % of
 * the corpus's link texts repeat within one pass over it (13,858 distinct of 92,828). A bounded memo cleans
 * each once; long strings (descriptions, a hostile file's lines) are not kept.
 */
const cleaned = stringMemo(clean, { entries: 20_000, maxChars: 300 });

function clean(raw: string): string {
  let text = stripHtml(decodeEntities(raw));
  // Each rewrite runs only when its trigger character is present: most headlines need none of them.
  if (text.includes('{{') || text.includes('}}')) text = expandTemplates(text);
  if (text.includes('=')) text = dropCitationUrls(text);
  if (text.includes('[')) {
    text = text
      .replace(EXTERNAL_LINK, (_link, label: string | undefined) => (label ? ` ${label.trim()} ` : ' '))
      .replace(WIKI_LINK, '$1');
  }
  if (text.includes('//') || text.includes(':--')) text = text.replace(UNTERMINATED_LINK, ' ');
  if (text.includes('|')) text = text.replace(BARE_CONVERT, '$1 $2');
  if (text.includes('=')) text = dropCitationParams(text).replace(TEMPLATE_DATE, '');
  if (text.includes("''")) text = dropQuoteMarkers(text);
  if (text.includes('-{') || text.includes('}-'))
    text = resolveConversionMarkup(text).replace(/-\{|\}-/g, '');
  // Clean text (nearly all of it) skips the three rewrites below: one scan finds whether any would act.
  if (UNWANTED.test(text) || !isWellFormed(text)) {
    text = text.replace(INVISIBLE, '').replace(LONE_SURROGATE, '').replace(CONTROL, ' ');
  }
  if (text.includes(':')) {
    text = text.trimEnd();
    // The tail ends in `Z` or a digit; the regex, tried from every position, runs only then.
    if (/[\dZ]$/.test(text)) text = text.replace(TIMESTAMP_TAIL, '');
  }
  if (text.includes('&#')) text = text.replace(CUT_ENTITY, '');
  if (text.includes('|')) text = text.replace(/\s*\|\s*/g, ' ');
  if (SPACING.test(text)) text = text.replace(/\s+/g, ' ');
  return dropSpaceBeforePunctuation(text).trim();
}

/** A topic label as shown: cleaned like a title, then normalized (see `normalizeLabel`). */
export function cleanLabel(raw: string): string {
  return normalizeLabel(cleanText(raw));
}

/** Splits a Context line's list (`a, b`, `甲，乙`) into cleaned, non-empty labels. */
export function splitLabels(list: string): string[] {
  const labels: string[] = [];
  for (const part of list.split(/[,，]/)) {
    const label = cleanLabel(part);
    if (label !== '') labels.push(label);
  }
  return labels;
}
