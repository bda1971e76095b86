// Reads S3 event notifications out of SQS message bodies, in the shape AWS delivers for S3 → SQS.

import { normalizeSequencer, SEQUENCER_WIDTH } from '../domain/sequencer';
import * as z from '../zod';

const s3RecordSchema = z.object({
  eventName: z.string(),
  eventTime: z.optional(z.string()),
  s3: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)) }),
    object: z.object({
      key: z.string().check(z.minLength(1)),
      size: z.optional(z.number().check(z.int(), z.nonnegative())),
      eTag: z.optional(z.string()),
      versionId: z.optional(z.string()),
      sequencer: z
        .string()
        .check(
          z.regex(/^[0-9A-Fa-f]+$/, 'sequencer must be hex'),
          z.maxLength(SEQUENCER_WIDTH, `sequencer must be at most ${SEQUENCER_WIDTH} hex digits`),
        ),
    }),
  }),
});

const notificationSchema = z.union([
  z.looseObject({ Event: z.literal('s3:TestEvent') }),
  z.object({ Records: z.array(s3RecordSchema) }),
]);

export interface ObjectNotification {
  action: 'put' | 'delete';
  bucket: string;
  /** The decoded key: S3 sends it form-encoded (`+` for space, UTF-8 percent-escaped). */
  key: string;
  /** Normalized (see normalizeSequencer): compares as a plain string, in code and in DynamoDB conditions. */
  sequencer: string;
  size?: number;
  eTag?: string;
  versionId?: string;
}

export class MalformedNotificationError extends Error {
  override name = 'MalformedNotificationError';
}

/** S3 URL-encodes keys in notifications like a form value: space is `+`, `/` stays. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** S3 encodes keys in notifications like an HTML form value. */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/** The object notifications in one SQS message body; `s3:TestEvent` yields none. */
export function parseNotificationBody(body: string): ObjectNotification[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedNotificationError('message body is not JSON');
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) {
    throw new MalformedNotificationError(`not an S3 event notification: ${parsed.error.issues[0]?.message}`);
  }
  if (!('Records' in parsed.data) || !Array.isArray(parsed.data.Records)) return [];
  const records: z.infer<typeof s3RecordSchema>[] = parsed.data.Records;
  return records.flatMap((record): ObjectNotification[] => {
    const action = record.eventName.startsWith('ObjectRemoved')
      ? 'delete'
      : record.eventName.startsWith('ObjectCreated')
        ? 'put'
        : undefined;
    if (!action) return [];
    let key: string;
    try {
      key = decodeS3Key(record.s3.object.key);
    } catch {
      throw new MalformedNotificationError(
        `object key is not valid percent-encoding: ${record.s3.object.key}`,
      );
    }
    const { size, eTag, versionId, sequencer } = record.s3.object;
    return [
      {
        action,
        bucket: record.s3.bucket.name,
        key,
        sequencer: normalizeSequencer(sequencer),
        ...(size !== undefined ? { size } : {}),
        ...(eTag ? { eTag } : {}),
        ...(versionId ? { versionId } : {}),
      },
    ];
  });
}
