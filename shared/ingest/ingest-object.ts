// One S3 object notification → events in the table, a rejection, or nothing (stale or already gone).
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { ParseResult } from '../domain/event';
import type { Contribution } from '../domain/merge';
import type { EventsTable, ObjectState, ObjectVersion } from '../store/events-table';
import { compareSequencers } from '../store/events-table';
import type { ObjectNotification } from './notifications';

export interface IngestDeps {
  store: EventsTable;
  s3: S3Client;
  parse: (key: string, body: Uint8Array) => ParseResult;
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

export async function ingestObject(deps: IngestDeps, note: ObjectNotification): Promise<IngestOutcome> {
  const version: ObjectVersion = {
    key: note.key,
    sequencer: note.sequencer,
    ...(note.eTag ? { eTag: note.eTag } : {}),
    ...(note.versionId ? { versionId: note.versionId } : {}),
  };
  if (note.action === 'delete') {
    const outcome = await deps.store.deleteObject(version);
    return outcome.status === 'stale' ? outcome : { status: 'deleted' };
  }

  // Skip the S3 read when a newer version is already in the table.
  const known = await deps.store.objectState(note.key);
  if (known && compareSequencers(known.sequencer, note.sequencer) > 0) return { status: 'stale' };

  const tooLarge = `object is larger than the ${deps.maxObjectBytes}-byte limit`;
  if (note.size !== undefined && note.size > deps.maxObjectBytes) {
    return reject(deps, version, 'too-large', `${tooLarge} (${note.size} bytes)`, known ?? null);
  }

  let bytes: Uint8Array | undefined;
  try {
    bytes = await readObject(deps, note);
  } catch (error) {
    if (error instanceof ObjectTooLarge) return reject(deps, version, 'too-large', tooLarge, known ?? null);
    throw error;
  }
  // Deleted (or overwritten without versioning) before we read it: its later notification decides.
  if (!bytes) return { status: 'gone' };

  const parsed = deps.parse(note.key, bytes);
  if (parsed.kind === 'rejected') return reject(deps, version, parsed.reason, parsed.detail, known ?? null);
  const contributions: Contribution[] =
    parsed.kind === 'event'
      ? [{ objectKey: note.key, kind: parsed.contribution, event: parsed.event }]
      : parsed.events.map((event) => ({ objectKey: note.key, kind: 'listing-entry' as const, event }));
  const outcome = await deps.store.putEvents(version, contributions, known ?? null);
  return outcome.status === 'stale' ? outcome : { status: 'events', eventIds: outcome.eventIds };
}

async function reject(
  deps: IngestDeps,
  version: ObjectVersion,
  reason: Parameters<EventsTable['putRejection']>[1],
  detail: string,
  known: ObjectState | null,
): Promise<IngestOutcome> {
  const outcome = await deps.store.putRejection(version, reason, detail, known);
  return outcome.status === 'stale' ? outcome : { status: 'rejected', reason };
}

/** Reads the exact version named by the notification, stopping as soon as it exceeds the size limit. */
async function readObject(deps: IngestDeps, note: ObjectNotification): Promise<Uint8Array | undefined> {
  let response: GetObjectCommandOutput;
  try {
    response = await deps.s3.send(
      new GetObjectCommand({
        Bucket: note.bucket,
        Key: note.key,
        ...(note.versionId ? { VersionId: note.versionId } : {}),
      }),
    );
  } catch (error) {
    if (error instanceof Error && ['NoSuchKey', 'NoSuchVersion', 'NotFound'].includes(error.name))
      return undefined;
    throw error;
  }
  const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (!body) return new Uint8Array();
  if ((response.ContentLength ?? 0) > deps.maxObjectBytes) {
    body.destroy?.();
    throw new ObjectTooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > deps.maxObjectBytes) {
      body.destroy?.();
      throw new ObjectTooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
