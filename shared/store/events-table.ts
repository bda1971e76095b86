// The store's face: the ports ingestion and the API use, wired to the ledger, the merger, the topic
// index and the queries (docs/table-design.md explains the design).
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Lang, RejectionReason, StoredEvent } from '../domain/event';
import type { Contribution } from '../domain/merge';
import { normalizeSequencer } from '../domain/sequencer';
import { defaultRetryPolicy, type RetryPolicy } from './batch-write';
import type { EventBrief } from './event-brief';
import { EventMerger, type EventWrite } from './event-merger';
import { type EventItem, itemKeys, type ObjectItem, type ObjectStateName, objectItemSchema } from './keys';
import { ObjectLedger, type ObjectVersion } from './object-ledger';
import {
  EventQueries,
  type MonthDayFilter,
  type Page,
  type PageRequest,
  type Rejection,
  type StartKey,
  type Stats,
  type TopicSummary,
} from './queries';
import { type TopicFeedPage, TopicFeedReader } from './topic-feed-read';
import { TopicIndex } from './topic-index';
import { unfinishedMergePages } from './unfinished-merges';
import { conditionalWrite } from './writes';

export { compareSequencers } from '../domain/sequencer';
export { OBJECT_MANIFEST_PREFIX } from './keys';
export type {
  EventBrief,
  ObjectVersion,
  Page,
  PageRequest,
  Rejection,
  StartKey,
  Stats,
  StoredEvent,
  TopicFeedPage,
  TopicSummary,
};

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
  applyMany(requests: ObjectWriteRequest[]): Promise<ApplyOutcome[]>;
  putEvents(version: ObjectVersion, contributions: Contribution[]): Promise<ApplyOutcome>;
  putRejection(version: ObjectVersion, reason: RejectionCause, detail: string): Promise<ApplyOutcome>;
  deleteObject(version: ObjectVersion): Promise<ApplyOutcome>;
}

/** The single-object writes of an IngestStore, each one `applyMany` of one request. */
export function ingestStoreOver(applyMany: IngestStore['applyMany']): IngestStore {
  const one = async (request: ObjectWriteRequest) => {
    const [outcome] = await applyMany([request]);
    if (!outcome) throw new Error('no outcome for the object write');
    return outcome;
  };
  return {
    applyMany,
    putEvents: (version, contributions) => one({ version, state: 'events', contributions }),
    putRejection: (version, reason, detail) =>
      one({ version, state: 'rejected', rejection: { reason, detail } }),
    deleteObject: (version) => one({ version, state: 'deleted', contributions: [] }),
  };
}

/** What the HTTP API needs from the store. */
export interface ReadStore {
  getEvent(id: string): Promise<StoredEvent | undefined>;
  /** The ids among `ids` of events the table holds: for links that would otherwise be 404s. */
  liveEventIds(ids: string[]): Promise<Set<string>>;
  topicEvents(slug: string, page: PageRequest): Promise<Page<StoredEvent>>;
  /** Newest events of all topics; `lang` keeps one language. */
  allEvents(page: PageRequest, lang?: Lang): Promise<Page<StoredEvent>>;
  monthDayEvents(
    monthDays: string[],
    filter: { topic?: string | undefined; beforeYear?: number | undefined },
    page: PageRequest,
  ): Promise<Page<StoredEvent>>;
  /** The same list as briefs (what a list shows): one index Query per month-day. */
  monthDayBriefs(monthDays: string[], filter: MonthDayFilter, page: PageRequest): Promise<Page<EventBrief>>;
  /** How many events `monthDayEvents` would list, counted up to `limit` from the index alone. */
  monthDayCount(monthDays: string[], filter: MonthDayFilter, limit: number): Promise<number>;
  /** A topic and a page of its newest events; the topic's `updated` is safe as the page's Last-Modified. */
  topicFeed(slug: string, page: PageRequest): Promise<TopicFeedPage | undefined>;
  getTopic(slug: string): Promise<TopicSummary | undefined>;
  listTopics(labelPrefix: string | undefined, page: PageRequest): Promise<Page<TopicSummary>>;
  listRejections(page: PageRequest): Promise<Page<Rejection>>;
  stats(): Promise<Stats>;
}

/** One object version to apply: its events, its deletion (`contributions: []`) or its rejection. */
export interface ObjectWriteRequest {
  version: ObjectVersion;
  state: ObjectStateName;
  /** Absent for a rejection: the last good version's events stay. */
  contributions?: Contribution[];
  rejection?: { reason: RejectionCause; detail: string };
}

export interface EventsTableOptions {
  now?: () => Date;
  retry?: RetryPolicy;
  /** See MergerOptions.lockTimeoutMs. */
  lockTimeoutMs?: number;
  /** See MergerOptions.deadBefore. */
  markersDeadBefore?: Date | undefined;
  /** Event items written at once; bounds a day listing's fan-out. */
  concurrency?: number;
}

// Two ingest function timeouts (60 s): an unfinished merge this old has no live writer.
const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

export class EventsTable implements IngestStore, ReadStore {
  private readonly now: () => Date;
  private readonly ledger: ObjectLedger;
  private readonly merger: EventMerger;
  private readonly queries: EventQueries;
  private readonly topicFeeds: TopicFeedReader;
  private readonly single = ingestStoreOver((requests) => this.applyMany(requests));

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: EventsTableOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    const retry = options.retry ?? defaultRetryPolicy;
    this.ledger = new ObjectLedger(client, tableName);
    this.merger = new EventMerger(client, tableName, new TopicIndex(client, tableName, retry, this.now), {
      now: this.now,
      retry,
      lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      deadBefore: options.markersDeadBefore,
      concurrency: options.concurrency ?? 16,
    });
    this.queries = new EventQueries(client, tableName, retry);
    this.topicFeeds = new TopicFeedReader(this.queries, this.now);
  }

  // ---------------------------------------------------------------- ingestion

  objectState(key: string): Promise<ObjectState | undefined> {
    return this.ledger.get(key);
  }

  /**
   * Finishes the merges that writers left unfinished, recounting the counters they touch. Only where this
   * process is the table's sole writer (the local stack's start after an unclean stop): see
   * EventMerger.finishAbandoned. Reads the whole table once (a Scan).
   */
  async finishAbandonedMerges(): Promise<{ merges: number; topics: number }> {
    const items: EventItem[] = [];
    for await (const page of unfinishedMergePages(this.client, this.tableName)) items.push(...page);
    return this.merger.finishAbandoned(items);
  }

  /** Makes the table reflect this object version's events; older versions never overwrite newer ones. */
  putEvents(version: ObjectVersion, contributions: Contribution[]): Promise<ApplyOutcome> {
    return this.single.putEvents(version, contributions);
  }

  /**
   * Records why an object version could not be ingested. The events of the last good version stay
   * (a broken edit must not take a working event down); deleting the object removes them.
   */
  putRejection(version: ObjectVersion, reason: RejectionCause, detail: string): Promise<ApplyOutcome> {
    return this.single.putRejection(version, reason, detail);
  }

  /** The object is gone: withdraw everything it contributed, leaving a tombstone for ordering. */
  deleteObject(version: ObjectVersion): Promise<ApplyOutcome> {
    return this.single.deleteObject(version);
  }

  /**
   * Applies several object versions at once (the objects of one SQS batch): each is claimed on its own,
   * their event writes are grouped per event, and the topic writes they imply go out together. Two
   * versions of one object go in separate rounds, in the order given.
   */
  async applyMany(requests: ObjectWriteRequest[]): Promise<ApplyOutcome[]> {
    const outcomes: ApplyOutcome[] = new Array(requests.length);
    const rounds: number[][] = [];
    const versionsSeen = new Map<string, number>();
    requests.forEach((request, index) => {
      const round = versionsSeen.get(request.version.key) ?? 0;
      versionsSeen.set(request.version.key, round + 1);
      const members = rounds[round] ?? [];
      members.push(index);
      rounds[round] = members;
    });
    for (const round of rounds) {
      const results = await this.applyRound(round.map((index) => requests[index] as ObjectWriteRequest));
      round.forEach((index, position) => {
        outcomes[index] = results[position] as ApplyOutcome;
      });
    }
    return outcomes;
  }

  private async applyRound(requests: ObjectWriteRequest[]): Promise<ApplyOutcome[]> {
    const at = this.now().toISOString();
    const prepared = requests.map((request) => ({
      ...request,
      version: { ...request.version, sequencer: normalizeSequencer(request.version.sequencer) },
      eventIds: request.contributions && [...new Set(request.contributions.map((c) => c.event.id))],
    }));

    // 1. Claim each object at its sequencer (one conditional update that returns the previous version).
    const claims = await Promise.all(
      prepared.map(({ version, state, eventIds }) => this.ledger.claim(version, state, eventIds, at)),
    );

    // 2. Write the contributions, and withdraw what earlier versions said that these don't, all at once.
    const writes: EventWrite[] = [];
    const withdrawals = prepared.map(({ version, contributions, eventIds }, index) => {
      const claim = claims[index];
      if (claim?.status !== 'claimed' || !eventIds) return [];
      const { previous } = claim;
      const withdrawn = [...new Set([...(previous?.eventIds ?? []), ...(previous?.pendingIds ?? [])])].filter(
        (id) => !eventIds.includes(id),
      );
      const { key: objectKey, sequencer: seq } = version;
      for (const contribution of contributions ?? []) {
        writes.push({ eventId: contribution.event.id, objectKey, seq, contribution });
      }
      for (const eventId of withdrawn) writes.push({ eventId, objectKey, seq, contribution: undefined });
      return withdrawn;
    });
    const written = await this.merger.writeMany(writes, at);

    // 3. Finish each claim, and write or clear its rejection item.
    return Promise.all(
      prepared.map(async ({ version, rejection, eventIds }, index): Promise<ApplyOutcome> => {
        const claim = claims[index];
        if (claim?.status !== 'claimed') return { status: 'stale' };
        const { previous } = claim;
        if (eventIds) {
          const touched = [...eventIds, ...(withdrawals[index] ?? [])];
          // A newer version of the object reached these events first: they are its to finish.
          if (touched.some((id) => written.get(`${id}\n${version.key}`) === 'overtaken'))
            return { status: 'stale' };
          // The claim moved the previous version's ids into `pendingIds`: clear them now that the withdrawals
          // are written (an edit that keeps its ids withdraws nothing, but would leave them there).
          if (previous?.pendingIds.length || previous?.eventIds.length) await this.ledger.finish(version);
        }
        if (rejection) await this.writeRejection(version, rejection, at);
        else if (previous?.state === 'rejected' || previous?.seq === version.sequencer) {
          await this.writeRejection(version, undefined, at);
        }
        return { status: 'applied', eventIds: eventIds ?? previous?.eventIds ?? [] };
      }),
    );
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
  liveEventIds(ids: string[]) {
    return this.queries.liveEventIds(ids);
  }
  topicEvents(slug: string, page: PageRequest) {
    return this.queries.topicEvents(slug, page);
  }
  allEvents(page: PageRequest, lang?: Lang) {
    return this.queries.allEvents(page, lang);
  }
  monthDayEvents(
    monthDays: string[],
    filter: { topic?: string | undefined; beforeYear?: number | undefined },
    page: PageRequest,
  ) {
    return this.queries.monthDayEvents(monthDays, filter, page);
  }
  monthDayBriefs(monthDays: string[], filter: MonthDayFilter, page: PageRequest) {
    return this.queries.monthDayBriefs(monthDays, filter, page);
  }
  monthDayCount(monthDays: string[], filter: MonthDayFilter, limit: number) {
    return this.queries.monthDayCount(monthDays, filter, limit);
  }
  topicFeed(slug: string, page: PageRequest) {
    return this.topicFeeds.read(slug, page);
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
