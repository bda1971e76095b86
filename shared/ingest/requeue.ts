// Re-queued objects (reconcile, reprocess) travel the normal ingest path as S3-shaped notifications. This file
// decides the sequencer such a notification carries and builds its body.
import { normalizeSequencer, SEQUENCER_WIDTH } from '../domain/sequencer';
import { encodeS3Key } from './notifications';

/** One object to send through the ingest again. */
export interface RequeueRequest {
  action: 'put' | 'delete';
  key: string;
  /** The sequencer of the version the table holds for the key (its manifest), if any. */
  after?: string | undefined;
}

/** Where re-queued notifications go: the ingest SQS queue in AWS, the in-process queue locally. */
export interface Requeue {
  send(request: RequeueRequest): Promise<void>;
  /** Sends whatever is buffered; call before returning. */
  flush(): Promise<void>;
}

/**
 * The sequencer of a synthetic notification: the smallest value above the one the table holds.
 *
 * S3 sequencers are opaque and only order events of one key; nobody but S3 can mint one that falls between two
 * real ones. This one does not need to: S3 issues 16–18 hex digits, and the ingest right-pads every sequencer to
 * 48 (S3's documented rule, shared/domain/sequencer.ts), so adding one in the last padded digit gives a value above
 * the stored version (the claim passes, and a replay of that version's own notification is refused) and below
 * every real later event of the key (which differs within its first 18 digits, so it still wins). A synthetic
 * notification carries no versionId, so the ingest reads whatever is current for the key, which is right at
 * any sequencer in that gap. With no manifest the value is just above zero: any real event of the key wins.
 */
export function nextSequencer(after: string | undefined): string {
  const held = BigInt(`0x${after === undefined ? '0' : normalizeSequencer(after)}`);
  return (held + 1n).toString(16).toUpperCase().padStart(SEQUENCER_WIDTH, '0');
}

/** The body S3 would send to SQS for this object, marked as ours by `eventSource` (the ingest ignores it). */
export function requeueBody(bucket: string, request: RequeueRequest, source: string, at: Date): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: source,
        eventTime: at.toISOString(),
        eventName: request.action === 'put' ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          // No size, eTag or versionId: the object may have changed since it was listed, so the ingest reads
          // and records what is current when it runs.
          object: { key: encodeS3Key(request.key), sequencer: nextSequencer(request.after) },
        },
      },
    ],
  });
}
