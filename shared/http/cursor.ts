// Paging cursors: the store's start key, signed (HMAC-SHA256) together with the query it belongs to.
// A cursor only decodes for the exact query (route, partition, every filter) that issued it; anything else,
// tampered or hand-made, is a BadRequest on `cursor`. The position is readable base64url, not secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '../zod';
import { BadRequest } from './errors';

/** Everything that identifies one listing: the route and each filter that shapes it (undefined: absent). */
export type CursorScope = Record<string, string | number | undefined>;

/** A page position as the store gave it: a key of string attributes. */
export type CursorPosition = Record<string, string>;

export interface CursorCodec {
  encode(scope: CursorScope, position: CursorPosition): string;
  /** The position of a cursor this codec issued for `scope`; BadRequest (param `cursor`) for anything else. */
  decode(raw: string, scope: CursorScope): CursorPosition;
}

/** Longer than any cursor this service issues; bounds the work spent on hostile input. */
const maxCursorLength = 2048;
const macBytes = 16;
const shape = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/;
const nonEmpty = z.string().check(z.minLength(1));
const positionSchema = z.record(nonEmpty, nonEmpty).check(z.refine((key) => Object.keys(key).length > 0));

/** A stable spelling of the scope: keys sorted, absent filters dropped. */
function canonicalScope(scope: CursorScope): string {
  const entries = Object.entries(scope)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

export function cursorCodec(key: string | Uint8Array): CursorCodec {
  const secret = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (secret.length < 16) throw new RangeError('the cursor key must be at least 16 bytes');
  const mac = (scope: CursorScope, payload: string) =>
    createHmac('sha256', secret)
      .update(canonicalScope(scope))
      .update('\n')
      .update(payload)
      .digest()
      .subarray(0, macBytes);

  return {
    encode(scope, position) {
      const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
      return `${payload}.${mac(scope, payload).toString('base64url')}`;
    },
    decode(raw, scope) {
      const invalid = () => new BadRequest('The cursor is not valid; restart from the first page.', 'cursor');
      const [, payload = '', signature = ''] = raw.length <= maxCursorLength ? (shape.exec(raw) ?? []) : [];
      const given = Buffer.from(signature, 'base64url');
      // Only the canonical spelling of the signature is accepted (Node decodes base64url leniently).
      if (payload === '' || given.length !== macBytes || given.toString('base64url') !== signature) {
        throw invalid();
      }
      if (!timingSafeEqual(given, mac(scope, payload))) throw invalid();
      // Signed by us, so well-formed; parsed strictly all the same.
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      const parsed = positionSchema.safeParse(value);
      if (!parsed.success) throw invalid();
      return parsed.data;
    },
  };
}
