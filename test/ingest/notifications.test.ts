// S3 event notifications as SQS delivers them: key decoding, test events, removals, malformed bodies.
import { describe, expect, it } from 'vitest';
import { encodeS3Key } from '../../infra/local/notifications';
import {
  decodeS3Key,
  MalformedNotificationError,
  parseNotificationBody,
} from '../../shared/ingest/notifications';

const record = (eventName: string, key: string, extra: Record<string, unknown> = {}) => ({
  eventName,
  s3: { bucket: { name: 'events' }, object: { key, sequencer: '0062E99A88DC407297', ...extra } },
});

describe('parseNotificationBody', () => {
  it('decodes form-encoded keys: + is a space and UTF-8 is percent-encoded', () => {
    // Prepare: the key S3 sends for `zh/news/2010/05/1/世博 开幕.md`
    const body = JSON.stringify({
      Records: [
        record('ObjectCreated:Put', 'zh/news/2010/05/1/%E4%B8%96%E5%8D%9A+%E5%BC%80%E5%B9%95.md', {
          size: 12,
        }),
      ],
    });

    // Act
    const [note] = parseNotificationBody(body);

    // Assess
    expect(note).toEqual({
      action: 'put',
      bucket: 'events',
      key: 'zh/news/2010/05/1/世博 开幕.md',
      // Right-padded to one width, so stored sequencers order as plain strings (S3's documented rule).
      sequencer: '0062E99A88DC407297'.padEnd(48, '0'),
      size: 12,
    });
  });

  it('keeps a literal plus, which S3 sends as %2B', () => {
    expect(decodeS3Key('news/a%2Bb+c.md')).toBe('news/a+b c.md');
  });

  it('round-trips keys through the local stack encoder exactly as S3 encodes them', () => {
    const key = 'zh/news/2014/03/9/在北韓 +選舉.md';
    expect(encodeS3Key(key)).toBe('zh/news/2014/03/9/%E5%9C%A8%E5%8C%97%E9%9F%93+%2B%E9%81%B8%E8%88%89.md');
    expect(decodeS3Key(encodeS3Key(key))).toBe(key);
  });

  it('ignores s3:TestEvent', () => {
    expect(parseNotificationBody(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual(
      [],
    );
  });

  it('turns ObjectRemoved:* into a delete and skips other event types', () => {
    const body = JSON.stringify({
      Records: [
        record('ObjectRemoved:DeleteMarkerCreated', 'news/x.md'),
        record('ObjectRestore:Completed', 'news/y.md'),
      ],
    });

    expect(parseNotificationBody(body).map((n) => [n.action, n.key])).toEqual([['delete', 'news/x.md']]);
  });

  it.each([
    ['not JSON', 'nope'],
    ['no records', '{"hello":1}'],
    [
      'a non-hex sequencer',
      JSON.stringify({ Records: [record('ObjectCreated:Put', 'k', { sequencer: 'xyz' })] }),
    ],
    ['bad percent-encoding', JSON.stringify({ Records: [record('ObjectCreated:Put', 'news/%E4%B8.md')] })],
  ])('rejects a body with %s as malformed', (_name, body) => {
    expect(() => parseNotificationBody(body)).toThrow(MalformedNotificationError);
  });
});
