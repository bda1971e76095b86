// One S3 object notification → events in the table, a rejection, or nothing (stale or already gone).
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { ParseResult } from '../domain/event';
import type { Contribution } from '../domain/merge';
import type { IngestStore, ObjectVersion, RejectionCause } from '../store/events-table';
import type { ObjectNotification } from './notifications';

export interface IngestDeps {
  store: IngestStore;
  s3: S3Client;
  parse: (key: string, body: Uint8Array) => ParseResult | Promise<ParseResult>;
  maxObjectBytes: number;
}

export type IngestOutcome =
  | { status: 'events'; eventIds: string[] }
  | { status: 'rejected'; reason: string }
  | { status: 'deleted' }
  | { status: 'stale' }
  | { status: 'gone' };

class ObjectTooLarge extends Error {
  override name = 'ObjectTooLarge';
}

type ReadResult =
  | { found: false }
  | { found: true; bytes: Uint8Array; versionId?: string; eTag?: string }
  | { found: 'too-large'; versionId?: string; eTag?: string };

export async function ingestObject(deps: IngestDeps, note: ObjectNotification): Promise<IngestOutcome> {
  const version: ObjectVersion = {
    key: note.key,
    sequencer: note.sequencer,
    ...(note.eTag ? { eTag: note.eTag } : {}),
    ...(note.versionId ? { versionId: note.versionId } : {}),
  };

  if (note.action === 'delete') {
    // In a versioned bucket a remove may delete a noncurrent version or a delete marker (which restores
    // the object and sends no ObjectCreated): converge to whatever is current for the key now.
    const current = await readObject(deps, note, 'current');
    if (current.found === false) {
      const outcome = await deps.store.deleteObject(version);
      return outcome.status === 'stale' ? outcome : { status: 'deleted' };
    }
    const restored: ObjectVersion = {
      key: note.key,
      sequencer: note.sequencer,
      ...('versionId' in current && current.versionId ? { versionId: current.versionId } : {}),
      ...('eTag' in current && current.eTag ? { eTag: current.eTag } : {}),
    };
    return ingestBytes(deps, restored, current);
  }

  const tooLarge = note.size !== undefined && note.size > deps.maxObjectBytes;
  const read: ReadResult = tooLarge ? { found: 'too-large' } : await readObject(deps, note, 'notified');
  // Deleted (or overwritten without versioning) before we read it: its later notification decides.
  if (read.found === false) return { status: 'gone' };
  // A re-queued notification (reconcile, reprocess) names no version: the manifest records what was read, so
  // that the next reconcile compares the listing with the version the table really holds.
  if (!version.eTag && 'eTag' in read && read.eTag) version.eTag = read.eTag;
  if (!version.versionId && 'versionId' in read && read.versionId) version.versionId = read.versionId;
  return ingestBytes(deps, version, read);
}

async function ingestBytes(
  deps: IngestDeps,
  version: ObjectVersion,
  read: Exclude<ReadResult, { found: false }>,
): Promise<IngestOutcome> {
  if (read.found === 'too-large') {
    return reject(deps, version, 'too-large', `object is larger than the ${deps.maxObjectBytes}-byte limit`);
  }
  const parsed = await deps.parse(version.key, read.bytes);
  if (parsed.kind === 'rejected') return reject(deps, version, parsed.reason, parsed.detail);
  const contributions: Contribution[] =
    parsed.kind === 'event'
      ? [{ objectKey: version.key, kind: parsed.contribution, event: parsed.event }]
      : parsed.events.map((event) => ({ objectKey: version.key, kind: 'listing-entry' as const, event }));
  const outcome = await deps.store.putEvents(version, contributions);
  return outcome.status === 'stale' ? outcome : { status: 'events', eventIds: outcome.eventIds };
}

async function reject(
  deps: IngestDeps,
  version: ObjectVersion,
  reason: RejectionCause,
  detail: string,
): Promise<IngestOutcome> {
  const outcome = await deps.store.putRejection(version, reason, detail);
  return outcome.status === 'stale' ? outcome : { status: 'rejected', reason };
}

/**
 * Reads the version the notification names (`notified`), or the key's current version (`current`),
 * stopping as soon as it exceeds the size limit.
 */
async function readObject(
  deps: IngestDeps,
  note: ObjectNotification,
  which: 'notified' | 'current',
): Promise<ReadResult> {
  let response: GetObjectCommandOutput;
  try {
    response = await deps.s3.send(
      new GetObjectCommand({
        Bucket: note.bucket,
        Key: note.key,
        ...(which === 'notified' && note.versionId ? { VersionId: note.versionId } : {}),
      }),
    );
  } catch (error) {
    if (error instanceof Error && ['NoSuchKey', 'NoSuchVersion', 'NotFound'].includes(error.name))
      return { found: false };
    throw error;
  }
  const versionId = response.VersionId;
  const eTag = response.ETag?.replace(/"/g, '');
  const found = (bytes: Uint8Array): ReadResult => ({
    found: true,
    bytes,
    ...(versionId ? { versionId } : {}),
    ...(eTag ? { eTag } : {}),
  });
  const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (!body) return found(new Uint8Array());
  try {
    if ((response.ContentLength ?? 0) > deps.maxObjectBytes) throw new ObjectTooLarge();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > deps.maxObjectBytes) throw new ObjectTooLarge();
      chunks.push(chunk);
    }
    // A body shorter than S3 announced was cut off in transit: a retry, never a rejection.
    if (response.ContentLength !== undefined && total !== response.ContentLength) {
      throw new Error(`object body truncated: ${total} of ${response.ContentLength} bytes`);
    }
    return found(Buffer.concat(chunks));
  } catch (error) {
    body.destroy?.();
    if (error instanceof ObjectTooLarge)
      return { found: 'too-large', ...(versionId ? { versionId } : {}), ...(eTag ? { eTag } : {}) };
    throw error;
  }
}
