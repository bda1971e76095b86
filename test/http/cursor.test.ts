import { describe, expect, it } from 'vitest';
import { type CursorScope, cursorCodec } from '../../shared/http/cursor';
import { BadRequest } from '../../shared/http/errors';

const codec = cursorCodec('test-cursor-key-0123456789abcdef');
const scope: CursorScope = { route: 'topic-feed', topic: 'islamabad' };
const position = { PK: 'TOPIC#islamabad', SK: '2007-07-09#lal-masjid-siege' };
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function rejection(raw: string, at: CursorScope = scope): unknown {
  try {
    codec.decode(raw, at);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('cursor', () => {
  it('round-trips a position for the scope that issued it', () => {
    // Act
    const cursor = codec.encode(scope, position);

    // Assess
    expect(codec.decode(cursor, scope)).toEqual(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('binds every filter of the scope, ignoring only absent ones and their order', () => {
    // Prepare
    const cursor = codec.encode({ route: 'topics', q: 'a', topic: undefined }, position);

    // Act + Assess
    expect(codec.decode(cursor, { q: 'a', route: 'topics' })).toEqual(position);
    expect(rejection(cursor, { route: 'topics', q: 'b' })).toBeInstanceOf(BadRequest);
    expect(rejection(cursor, { route: 'topics' })).toBeInstanceOf(BadRequest);
    expect(rejection(cursor, { route: 'topics', q: 'a', year: 2027 })).toBeInstanceOf(BadRequest);
  });

  it('does not decode under another key', () => {
    // Prepare
    const cursor = codec.encode(scope, position);

    // Act
    const other = cursorCodec('another-key-0123456789abcdef0123');

    // Assess
    expect(() => other.decode(cursor, scope)).toThrow(BadRequest);
  });

  it('rejects every single-character change', () => {
    // Prepare
    const cursor = codec.encode(scope, position);

    for (let at = 0; at < cursor.length; at++) {
      if (cursor[at] === '.') continue;
      const swapped = alphabet[(alphabet.indexOf(cursor.charAt(at)) + 1) % 64];

      // Act
      const error = rejection(`${cursor.slice(0, at)}${swapped}${cursor.slice(at + 1)}`);

      // Assess
      expect(error, `changed at ${at}`).toBeInstanceOf(BadRequest);
    }
  });

  it('rejects another spelling of the same signature bytes', () => {
    // Prepare: flip an unused low bit of the last character; Node would decode it to the same bytes.
    const cursor = codec.encode(scope, position);
    const variant = `${cursor.slice(0, -1)}${alphabet[alphabet.indexOf(cursor.slice(-1)) ^ 1]}`;
    const signature = (raw: string) => Buffer.from(raw.split('.')[1] ?? '', 'base64url');
    expect(signature(variant)).toEqual(signature(cursor));

    // Act
    const error = rejection(variant);

    // Assess
    expect(error).toBeInstanceOf(BadRequest);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/==.AAAAAAAAAAAAAAAAAAAAAA'],
    ['unsigned', Buffer.from(JSON.stringify(position)).toString('base64url')],
    ['a hand-made signature', `${Buffer.from('{"PK":"x"}').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`],
    ['far too long', `${'A'.repeat(5000)}.AAAAAAAAAAAAAAAAAAAAAA`],
  ])('rejects %s with BadRequest on param cursor', (_, raw) => {
    // Act
    const error = rejection(raw);

    // Assess
    expect(error).toBeInstanceOf(BadRequest);
    expect(error).toMatchObject({ param: 'cursor' });
  });

  it('refuses a short key', () => {
    // Act + Assess
    expect(() => cursorCodec('short')).toThrow(RangeError);
  });
});
