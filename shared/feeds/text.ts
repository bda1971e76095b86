// Text and link hygiene for every feed writer: XML 1.0 characters, HTML/XML escaping, http(s)-only URLs.
import { stringMemo } from '../domain/string-memo';

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. With the `u` flag a
// lone surrogate is one code point outside these ranges, so it is removed too.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** What XML 1.0 forbids apart from lone surrogates: C0 controls but tab/LF/CR, U+FFFE, U+FFFF. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const forbiddenUnit = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** The text without the characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
export function xmlChars(text: string): string {
  // Nearly all text is clean: a plain scan and `isWellFormed` (no lone surrogate) cost a fraction of the
  // Unicode-aware replace, which ran on every string of every feed.
  if (!forbiddenUnit.test(text) && (text as string & { isWellFormed(): boolean }).isWellFormed()) return text;
  return text.replace(notXmlChar, '');
}

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
}

/** Escapes text for XML element content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => htmlEntities[c] ?? c);
}

/**
 * Links repeat from feed to feed (an event's sources and related events, in every topic it is in), and
 * parsing one with `new URL` cost a tenth of a feed's rendering: a bounded memo parses each once. Long
 * strings are not kept.
 */
const normalisedUrl = stringMemo(parseHttpUrl, { entries: 20_000, maxChars: 2_048 });

/** The normalised absolute URL when `raw` is http(s), else `undefined` (no javascript:, data:, relative, …). */
export function httpUrl(raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : normalisedUrl(raw);
}

function parseHttpUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(xmlChars(raw).trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // WHATWG serialisation percent-encodes spaces, quotes, < and > and non-ASCII, so the result is attribute-safe.
  return url.href;
}

/** Like httpUrl, for URLs the service itself builds: anything else is a programming error. */
export function requireHttpUrl(raw: string, what: string): string {
  const url = httpUrl(raw);
  if (url === undefined)
    throw new TypeError(`${what} must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
  return url;
}
