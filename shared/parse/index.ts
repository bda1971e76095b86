// The event-file parser: one S3 object (key + bytes) → one event, one day listing, or a typed rejection. Pure.
import type { ParseResult } from '../domain/event';
import { parseFrontMatterObject } from './front-matter';
import { type ParseOptions, parseWith } from './parse-with';

export { MAX_OBJECT_BYTES } from './decode';
export { type FrontMatter, frontMatterSchema } from './front-matter';
export { latestAcceptedDate, PARSE_LIMITS } from './limits';
export type { ParseOptions } from './parse-with';
export { type CanonicalRef, eventId, idFromCanonicalKey, slugifyTitle } from './slug';
export { cleanText } from './text';

/**
 * Parses one object. The content decides the format, never the key's extension: YAML front matter, an event file
 * (`### [date]` + `# headline`) or a day listing (`## [date]` + `### [headline](path)` entries). The key only gives
 * identity: a canonical `[zh/]news/YYYY/MM/D/<slug>.md` key is the event's id; any other key gets
 * `<date from content>/<slug from title>`. No I/O, no clock; bad input yields a rejection, never an exception.
 */
export function parseEventObject(
  key: string,
  body: Uint8Array | string,
  options: ParseOptions = {},
): ParseResult {
  return parseWith(parseFrontMatterObject, key, body, options);
}
