import { describe, expect, it } from 'vitest';
import type { RejectionReason } from '../../shared/domain/event';
import { MAX_OBJECT_BYTES, parseEventObject } from '../../shared/parse';
import { fixture } from './fixtures';

function rejectionOf(key: string, body: Uint8Array | string): { reason: RejectionReason; detail: string } {
  const result = parseEventObject(key, body);
  if (result.kind !== 'rejected') expect.fail(`expected a rejection, got ${result.kind}`);
  return result;
}

describe('parseEventObject: rejections', () => {
  it.each<[RejectionReason, string, string, RegExp]>([
    ['invalid-date', 'incoming/a.md', 'invalid-date.md', /2007-02-30/],
    ['missing-date', 'incoming/b.txt', 'missing-date.txt', /date heading/],
    ['missing-title', 'incoming/c.md', 'missing-title.md', /headline/],
    ['unknown-format', 'incoming/d.txt', 'unknown.txt', /neither front matter/],
    ['empty', 'incoming/e.md', 'empty.md', /no content/],
    ['not-utf8', 'incoming/f.md', 'not-utf8.md', /UTF-8/],
    ['invalid-front-matter', 'incoming/g.md', 'front-matter-invalid.md', /schema/],
  ])('rejects with %s (%s)', (reason, key, name, detail) => {
    // Act
    const rejection = rejectionOf(key, fixture(name));

    // Assess
    expect(rejection.reason).toBe(reason);
    expect(rejection.detail).toMatch(detail);
  });

  it('rejects an impossible date even under a canonical key', () => {
    // Act
    const rejection = rejectionOf('news/2007/03/2/x.md', fixture('invalid-date.md'));

    // Assess
    expect(rejection.reason).toBe('invalid-date');
  });

  it('does not treat a canonical-looking key with an impossible date as canonical', () => {
    // Act
    const result = parseEventObject('news/2007/02/30/x.md', fixture('missing-date.txt'));

    // Assess
    expect(result).toMatchObject({ kind: 'rejected', reason: 'missing-date' });
  });

  it('rejects bytes above MAX_OBJECT_BYTES without decoding them', () => {
    // Prepare: not even valid UTF-8, so a decode attempt would report not-utf8 instead.
    const body = new Uint8Array(MAX_OBJECT_BYTES + 1).fill(0xff);

    // Act
    const rejection = rejectionOf('news/2007/07/9/big.md', body);

    // Assess
    expect(rejection.reason).toBe('too-large');
    expect(rejection.detail).toContain(String(MAX_OBJECT_BYTES + 1));
  });

  it('measures a string body in UTF-8 bytes, not characters', () => {
    // Prepare: 400,000 Han characters are 1,200,000 UTF-8 bytes.
    const body = `### [2020-01-1](/news/2020/01/1/index.md)\n\n# ${'汉'.repeat(400_000)}\n`;

    // Act
    const rejection = rejectionOf('incoming/han.md', body);

    // Assess
    expect(rejection.reason).toBe('too-large');
  });

  it('accepts an object of exactly MAX_OBJECT_BYTES', () => {
    // Prepare
    // The padding is an HTML comment, dropped from the description: an event itself is bounded (PARSE_LIMITS).
    const head = '### [2020-01-1](/news/2020/01/1/index.md)\n\n# Padded headline\n\n<!--';
    const body = `${head}${'x'.repeat(MAX_OBJECT_BYTES - head.length - 3)}-->`;

    // Act
    const result = parseEventObject('incoming/exact.md', body);

    // Assess
    expect(result.kind).toBe('event');
  });

  it('takes its size limit from the caller: 2 MiB lets a 1.5 MiB event file through, the default does not', () => {
    // Prepare: a valid event file whose comment pads it to 1.5 MiB (dropped from the description, which is bounded).
    const head = '### [2020-01-1](/news/2020/01/1/index.md)\n\n# A long report is filed\n\n<!--';
    const tail = '-->\n\n### Sources:\n\n1. [Herald](https://herald.example/report)\n';
    const size = 1_572_864;
    const body = new TextEncoder().encode(head + ''.padEnd(size - head.length - tail.length, 'word ') + tail);

    // Act
    const raised = parseEventObject('incoming/long.md', body, { maxObjectBytes: 2_097_152 });
    const byDefault = parseEventObject('incoming/long.md', body);

    // Assess
    expect(body.byteLength).toBe(size);
    expect(raised).toMatchObject({
      kind: 'event',
      event: { title: 'A long report is filed', sources: [{ url: 'https://herald.example/report' }] },
    });
    expect(byDefault).toMatchObject({ kind: 'rejected', reason: 'too-large' });
    if (byDefault.kind === 'rejected') expect(byDefault.detail).toContain(`${MAX_OBJECT_BYTES}-byte limit`);
  });

  it('applies a lowered limit to string bodies too, counted in UTF-8 bytes', () => {
    // Prepare: 40 Han characters are 120 UTF-8 bytes.
    const body = `### [2020-01-1](/news/2020/01/1/index.md)\n\n# ${'汉'.repeat(40)}\n`;

    // Act
    const result = parseEventObject('incoming/han.md', body, { maxObjectBytes: 100 });

    // Assess
    expect(result).toMatchObject({
      kind: 'rejected',
      reason: 'too-large',
      detail: expect.stringMatching(/100-byte limit/),
    });
  });

  it('rejects a string holding a lone surrogate as not-utf8', () => {
    // Act
    const rejection = rejectionOf('incoming/s.md', '### [2020-01-1](/x)\n\n# Bad \uD800 text\n');

    // Assess
    expect(rejection.reason).toBe('not-utf8');
  });

  it('rejects an unterminated front matter block and a non-mapping one', () => {
    // Act
    const open = rejectionOf('incoming/h.md', '---\ntitle: x\ndate: 2020-01-01\n');
    const list = rejectionOf('incoming/i.md', '---\n- a\n- b\n---\n');

    // Assess
    expect(open).toMatchObject({
      reason: 'invalid-front-matter',
      detail: expect.stringMatching(/never closed/),
    });
    expect(list).toMatchObject({ reason: 'invalid-front-matter', detail: expect.stringMatching(/mapping/) });
  });

  it('never throws, whatever bytes it is given', () => {
    // Prepare: a fixed-seed generator mixing format fragments with noise.
    let seed = 20240315;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const fragments = [
      '### [',
      '2007-07-9',
      '](',
      '/news/',
      '# ',
      '##### ',
      '\n',
      '---\n',
      '[',
      ']',
      '(',
      ')',
      '-{',
      '}-',
      '{{',
      '}}',
      "''",
      '&amp;',
      '_Context: ',
      '### Sources:\n',
      '1. ',
      'http://x.example/',
      '\r\n',
      '汉',
      '\u0000',
    ];

    // Act
    const results = Array.from({ length: 500 }, () => {
      const parts = Array.from({ length: next() % 40 }, () => fragments[next() % fragments.length] ?? '');
      return parseEventObject('incoming/fuzz', parts.join(''));
    });

    // Assess
    for (const result of results) {
      expect(['event', 'listing', 'rejected']).toContain(result.kind);
      // The safety net in parseEventObject turns exceptions into this detail: none may be needed.
      if (result.kind === 'rejected') expect(result.detail).not.toMatch(/parser failed/);
    }
    const outcomes = results.map((result) => (result.kind === 'rejected' ? result.reason : result.kind));
    // The fixed seed reaches these outcomes, exactly: none of the 500 is well-formed enough to be an event.
    expect([...new Set(outcomes)].sort()).toEqual([
      'invalid-front-matter',
      'missing-date',
      'missing-title',
      'unknown-format',
    ]);
  });
});
