// The event-file parser: one S3 object (key + bytes) → one event, one day listing, or a typed rejection. Pure.
import type { ParseResult } from '../domain/event';
import { decodeObject, MAX_OBJECT_BYTES } from './decode';
import { parseMarkdownObject } from './event-file';
import { hasFrontMatter, parseFrontMatterObject } from './front-matter';
import { enforceLimits } from './limits';

export { MAX_OBJECT_BYTES } from './decode';
export { type FrontMatter, frontMatterSchema } from './front-matter';
export { latestAcceptedDate, PARSE_LIMITS } from './limits';
export { type CanonicalRef, eventId, idFromCanonicalKey, slugifyTitle } from './slug';
export { cleanText } from './text';

export interface ParseOptions {
  /** Objects above this many bytes are rejected `too-large` unread. Default: MAX_OBJECT_BYTES (1 MiB). */
  maxObjectBytes?: number;
  /** `YYYY-MM-DD`: events dated after it are rejected `invalid-date`. The caller's clock decides; none here. */
  latestDate?: string;
}

/**
 * Parses one object. The content decides the format, never the key's extension: YAML front matter, an event file
 * (`### [date]` + `# headline`) or a day listing (`## [date]` + `### [headline](path)` entries). The key only gives
 * identity: a canonical `[zh/]news/YYYY/MM/D/<slug>.md` key is the event's id; any other key gets
 * `<date from content>/<slug from title>`. No I/O, no clock; bad input yields a rejection, never an exception.
 */
export function parseEventObject(
  key: string,
  body: Uint8Array | string,
  { maxObjectBytes = MAX_OBJECT_BYTES, latestDate }: ParseOptions = {},
): ParseResult {
  return enforceLimits(parseDecoded(key, body, maxObjectBytes), latestDate);
}

function parseDecoded(key: string, body: Uint8Array | string, maxObjectBytes: number): ParseResult {
  const decoded = decodeObject(body, maxObjectBytes);
  if (!decoded.ok) return { kind: 'rejected', reason: decoded.reason, detail: decoded.detail };
  try {
    if (hasFrontMatter(decoded.text)) return parseFrontMatterObject(key, decoded.text);
    return (
      parseMarkdownObject(key, decoded.text) ?? {
        kind: 'rejected',
        reason: 'unknown-format',
        detail: 'neither front matter, an event file (date heading + `# headline`) nor a day listing',
      }
    );
  } catch (error) {
    // A parser bug must not take the batch down; the message says where to look.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'rejected', reason: 'unknown-format', detail: `parser failed on this object: ${message}` };
  }
}
