// The store's face: the ports ingestion and the API use, wired to the ledger, the merger, the topic
// index and the queries (docs/table-design.md explains the design).
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RejectionReason, StoredEvent } from '../domain/event';
import type { Contribution } from '../domain/merge';
import { normalizeSequencer } from '../domain/sequencer';
import { runPool } from '../upload/pool';
import { defaultRetryPolicy, type RetryPolicy } from './batch-write';
import { EventMerger } from './event-merger';
import { itemKeys, type ObjectItem, type ObjectStateName, objectItemSchema } from './keys';
import { ObjectLedger, type ObjectVersion } from './object-ledger';
import {
  EventQueries,
  type Page,
  type PageRequest,
  type Rejection,
  type StartKey,
  type Stats,
  type TopicSummary,
} from './queries';
import { TopicIndex } from './topic-index';
import { conditionalWrite } from './writes';

export { compareSequencers } from '../domain/sequencer';
export { OBJECT_MANIFEST_PREFIX } from './keys';
export type { ObjectVersion, Page, PageRequest, Rejection, StartKey, Stats, StoredEvent, TopicSummary };

export type ObjectState = ObjectItem;

/** An object manifest item read back (for offline maintenance such as the local stack's reconcile). */
export function objectStateOf(item: Record<string, unknown>): ObjectState {
  return objectItemSchema.parse(item);
}
export type { ObjectStateName };

export type ApplyOutcome = { status: 'applied'; eventIds: string[] } | { status: 'stale' };

/** Why an object version was not ingested: a parse rejection, or an ingestion failure outliving its retries. */
export type RejectionCause = RejectionReason | 'malformed-notification' | 'retries-exhausted';

/** What ingestion needs from the store. */
export interface IngestStore {
  putEvents(version: ObjectVersion, contributions: Contribution[]): Promise<ApplyOutcome>;
  putRejection(version: ObjectVersion, reason: RejectionCause, detail: string): Promise<ApplyOutcome>;
  deleteObject(version: ObjectVersion): Promise<ApplyOutcome>;
}

/** What the HTTP API needs from the store. */
export interface ReadStore {
  getEvent(id: string): Promise<StoredEvent | undefined>;
  topicEvents(slug: string, page: PageRequest): Promise<Page<StoredEvent>>;
  allEvents(page: PageRequest): Promise<Page<StoredEvent>>;
  monthDayEvents(
    monthDays: string[],
    filter: { topic?: string | undefined; beforeYear?: number | undefined },
    page: PageRequest,
  ): Promise<Page<StoredEvent>>;
  getTopic(slug: string): Promise<TopicSummary | undefined>;
  listTopics(labelPrefix: string | undefined, page: PageRequest): Promise<Page<TopicSummary>>;
  listRejections(page: PageRequest): Promise<Page<Rejection>>;
  stats(): Promise<Stats>;
}

export interface EventsTableOptions {
  now?: () => Date;
  retry?: RetryPolicy;
  /** See MergerOptions.lockTimeoutMs. */
  lockTimeoutMs?: number;
  /** Events of one object written at once; bounds a day listing's fan-out. */
  concurrency?: number;
}

// Two ingest function timeouts (60 s): an unfinished merge this old has no live writer.
const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

export class EventsTable implements IngestStore, ReadStore {
  private readonly now: () => Date;
  private readonly ledger: ObjectLedger;
  private readonly merger: EventMerger;
  private readonly queries: EventQueries;
  private readonly concurrency: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: EventsTableOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    const retry = options.retry ?? defaultRetryPolicy;
    this.concurrency = options.concurrency ?? 8;
    this.ledger = new ObjectLedger(client, tableName);
    this.merger = new EventMerger(client, tableName, new TopicIndex(client, tableName, retry), {
      now: this.now,
      retry,
      lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    });
    this.queries = new EventQueries(client, tableName, retry);
  }

  // ---------------------------------------------------------------- ingestion

  objectState(key: string): Promise<ObjectState | undefined> {
    return this.ledger.get(key);
  }

  /** Makes the table reflect this object version's events; older versions never overwrite newer ones. */
  putEvents(version: ObjectVersion, contributions: Contribution[]): Promise<ApplyOutcome> {
    return this.apply(version, 'events', contributions);
  }

  /**
   * Records why an object version could not be ingested. The events of the last good version stay
   * (a broken edit must not take a working event down); deleting the object removes them.
   */
  putRejection(version: ObjectVersion, reason: RejectionCause, detail: string): Promise<ApplyOutcome> {
    return this.apply(version, 'rejected', undefined, { reason, detail });
  }

  /** The object is gone: withdraw everything it contributed, leaving a tombstone for ordering. */
  deleteObject(version: ObjectVersion): Promise<ApplyOutcome> {
    return this.apply(version, 'deleted', []);
  }

  private async apply(
    rawVersion: ObjectVersion,
    state: ObjectStateName,
    contributions: Contribution[] | undefined,
    rejection?: { reason: RejectionCause; detail: string },
  ): Promise<ApplyOutcome> {
    const version = { ...rawVersion, sequencer: normalizeSequencer(rawVersion.sequencer) };
    const at = this.now().toISOString();
    const eventIds = contributions && [...new Set(contributions.map((c) => c.event.id))];

    // 1. Claim the object at this sequencer (one conditional update that returns the previous version).
    const claim = await this.ledger.claim(version, state, eventIds, at);
    if (claim.status === 'stale') return { status: 'stale' };
    const { previous } = claim;

    // 2. Write this version's contributions and withdraw what earlier versions said that this one doesn't.
    if (eventIds) {
      const withdrawn = [...new Set([...(previous?.eventIds ?? []), ...(previous?.pendingIds ?? [])])].filter(
        (id) => !eventIds.includes(id),
      );
      const writes = [
        ...(contributions ?? []).map((c) => ({ id: c.event.id, contribution: c })),
        ...withdrawn.map((id) => ({ id, contribution: undefined })),
      ];
      let overtaken = false;
      await runPool(writes, this.concurrency, async ({ id, contribution }) => {
        const outcome = await this.merger.contribute(id, version.key, version.sequencer, contribution, at);
        if (outcome === 'overtaken') overtaken = true;
      });
      // A newer version of the object reached these events first: they are its to finish.
      if (overtaken) return { status: 'stale' };
      if (previous?.pendingIds.length || withdrawn.length > 0) await this.ledger.finish(version);
    }

    // 3. The rejection item: written for a rejection, removed once a later version is fine.
    if (rejection) await this.writeRejection(version, rejection, at);
    else if (previous?.state === 'rejected' || previous?.seq === version.sequencer) {
      await this.writeRejection(version, undefined, at);
    }
    return { status: 'applied', eventIds: eventIds ?? previous?.eventIds ?? [] };
  }

  private async writeRejection(
    version: ObjectVersion,
    rejection: { reason: RejectionCause; detail: string } | undefined,
    at: string,
  ): Promise<void> {
    const condition = {
      ConditionExpression: 'attribute_not_exists(seq) OR seq <= :seq',
      ExpressionAttributeValues: { ':seq': version.sequencer },
    };
    const key = itemKeys.rejection(version.key);
    await conditionalWrite(
      this.client,
      rejection
        ? new PutCommand({
            TableName: this.tableName,
            Item: { ...key, key: version.key, seq: version.sequencer, at, ...rejection },
            ...condition,
          })
        : new DeleteCommand({ TableName: this.tableName, Key: key, ...condition }),
    );
  }

  // ---------------------------------------------------------------- reads

  getEvent(id: string) {
    return this.queries.getEvent(id);
  }
  topicEvents(slug: string, page: PageRequest) {
    return this.queries.topicEvents(slug, page);
  }
  allEvents(page: PageRequest) {
    return this.queries.allEvents(page);
  }
  monthDayEvents(
    monthDays: string[],
    filter: { topic?: string | undefined; beforeYear?: number | undefined },
    page: PageRequest,
  ) {
    return this.queries.monthDayEvents(monthDays, filter, page);
  }
  getTopic(slug: string) {
    return this.queries.getTopic(slug);
  }
  listTopics(labelPrefix: string | undefined, page: PageRequest) {
    return this.queries.listTopics(labelPrefix, page);
  }
  listRejections(page: PageRequest) {
    return this.queries.listRejections(page);
  }
  stats() {
    return this.queries.stats();
  }
}
