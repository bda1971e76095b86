// The parser's one pipeline (decode, choose the format, enforce the limits), with the front matter parser
// passed in: ./index.ts passes it loaded, ./on-demand.ts loads it on first need.
import type { ParseResult } from '../domain/event';
import { decodeObject, MAX_OBJECT_BYTES } from './decode';
import { parseMarkdownObject } from './event-file';
import { hasFrontMatter } from './front-matter-fence';
import { enforceLimits } from './limits';

export interface ParseOptions {
  /** Objects above this many bytes are rejected `too-large` unread. Default: MAX_OBJECT_BYTES (1 MiB). */
  maxObjectBytes?: number;
  /** `YYYY-MM-DD`: events dated after it are rejected `invalid-date`. The caller's clock decides; none here. */
  latestDate?: string;
}

/** Parses the decoded text of an object that opens with front matter (./front-matter.ts). */
export type FrontMatterParser = (key: string, text: string) => ParseResult;

export function parseWith(
  frontMatter: FrontMatterParser,
  key: string,
  body: Uint8Array | string,
  { maxObjectBytes = MAX_OBJECT_BYTES, latestDate }: ParseOptions,
): ParseResult {
  return enforceLimits(parseDecoded(frontMatter, key, body, maxObjectBytes), latestDate);
}

function parseDecoded(
  frontMatter: FrontMatterParser,
  key: string,
  body: Uint8Array | string,
  maxObjectBytes: number,
): ParseResult {
  const decoded = decodeObject(body, maxObjectBytes);
  if (!decoded.ok) return { kind: 'rejected', reason: decoded.reason, detail: decoded.detail };
  try {
    if (hasFrontMatter(decoded.text)) return frontMatter(key, decoded.text);
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
