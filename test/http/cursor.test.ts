import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { BadRequest } from '../../shared/http/errors';

const schema = z.object({ p: z.literal('TOPIC#islamabad'), k: z.record(z.string(), z.string()) });
const position = { p: 'TOPIC#islamabad', k: { PK: 'TOPIC#islamabad', SK: '2007-07-09#lal-masjid-siege' } };

function rejection(raw: string): unknown {
  try {
    decodeCursor(raw, schema);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('cursor', () => {
  it('round-trips a position', () => {
    // Act
    const cursor = encodeCursor(position);

    // Assess
    expect(decodeCursor(cursor, schema)).toEqual(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('rejects another spelling of the same bytes', () => {
    // Prepare: flip an unused low bit of the last character; Node would decode it to the same JSON.
    const cursor = encodeCursor({ ...position, k: { ...position.k, SK: '2007-07-09#xy' } });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variant = `${cursor.slice(0, -1)}${alphabet[alphabet.indexOf(cursor.slice(-1)) ^ 1]}`;
    expect(cursor.length % 4).not.toBe(0);
    expect(Buffer.from(variant, 'base64url')).toEqual(Buffer.from(cursor, 'base64url'));

    // Act
    const error = rejection(variant);

    // Assess
    expect(error).toBeInstanceOf(BadRequest);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/=='],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON but not an object', Buffer.from('[1,2]').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['an object of the wrong shape', encodeCursor({ p: 'TOPIC#other', k: {} })],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')],
    ['far too long', 'A'.repeat(5000)],
  ])('rejects %s with BadRequest on param cursor', (_, raw) => {
    // Act
    const error = rejection(raw);

    // Assess
    expect(error).toBeInstanceOf(BadRequest);
    expect(error).toMatchObject({ param: 'cursor' });
  });
});
