// Opaque pagination cursors: base64url JSON out, strictly validated in; anything odd is a BadRequest.
import type { ZodType } from 'zod';
import { BadRequest } from './errors';

/** Longer than any cursor this service issues; bounds the work spent on hostile input. */
const maxCursorLength = 2048;
const base64url = /^[A-Za-z0-9_-]+$/;

/** Encodes a page position so that its keys are not readable as plain text (opaque, not secret). */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes and validates a cursor; throws BadRequest (param `cursor`) on anything not issued by encodeCursor. */
export function decodeCursor<T>(raw: string, schema: ZodType<T>): T {
  const invalid = () => new BadRequest('The cursor is not valid; restart from the first page.', 'cursor');
  if (raw.length === 0 || raw.length > maxCursorLength || !base64url.test(raw)) throw invalid();
  const bytes = Buffer.from(raw, 'base64url');
  // Node decodes leniently; only the canonical spelling of the same bytes is accepted.
  if (bytes.toString('base64url') !== raw) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid();
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
