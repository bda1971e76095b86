// Object bytes → normalized text (size limit, strict UTF-8, BOM, line endings), before any format is guessed.

/**
 * The default size limit (1 MiB): objects above it are rejected unread. Ingest passes its configured
 * MAX_OBJECT_BYTES instead, so the parser never refuses what ingest was configured to accept.
 */
export const MAX_OBJECT_BYTES = 1_048_576;

export type Decoded =
  | { ok: true; text: string }
  | { ok: false; reason: 'too-large' | 'not-utf8' | 'empty'; detail: string };

/** One decoder for every call: `decode()` without `stream` starts from a clean state each time. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 length of a string, stopping early once it passes `limit`. */
function utf8Length(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

function tooLarge(size: number, maxBytes: number): Decoded {
  return {
    ok: false,
    reason: 'too-large',
    detail: `object is ${size} bytes, above the ${maxBytes}-byte limit`,
  };
}

/**
 * Refuses more than `maxBytes` unread, decodes with `fatal: true` (invalid UTF-8 is an error, never U+FFFD), drops a
 * BOM, and turns CRLF / CR into LF.
 */
export function decodeObject(body: Uint8Array | string, maxBytes = MAX_OBJECT_BYTES): Decoded {
  let text: string;
  if (typeof body === 'string') {
    const size = utf8Length(body, maxBytes);
    if (size > maxBytes) return tooLarge(size, maxBytes);
    if (LONE_SURROGATE.test(body)) {
      return { ok: false, reason: 'not-utf8', detail: 'text contains a lone UTF-16 surrogate' };
    }
    text = body;
  } else {
    if (body.byteLength > maxBytes) return tooLarge(body.byteLength, maxBytes);
    try {
      text = utf8.decode(body);
    } catch {
      return { ok: false, reason: 'not-utf8', detail: 'object is not valid UTF-8' };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    return { ok: false, reason: 'empty', detail: 'object has no content (zero bytes or only whitespace)' };
  }
  return { ok: true, text: text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text };
}
