// What each function may do to the events table: the DynamoDB actions its code sends and, with
// `dynamodb:LeadingKeys`, the partitions it sends them to. ProjectFunction.bindTable turns one of these into
// IAM statements; test/infra/table-access.integration.test.ts records every request the handlers send to
// dynalite and checks that the synthesized statements allow it.
import {
  allEventsMonthDayPartitions,
  ingestPartitions,
  monthDayIndexPartitions,
  storePartitions,
} from '../../shared/store/partition-patterns';
import { subscriptionPartition, writablePrefixes } from '../../shared/subscriptions/keys';

export type TableReadAction = 'GetItem' | 'BatchGetItem' | 'Query';
export type TableWriteAction = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';

export interface TablePartitionAccess {
  /** Reads of the table, on these partitions only. */
  readonly read?: { readonly actions: readonly TableReadAction[]; readonly partitions: readonly string[] };
  /** Queries of the month-day index (`ByMonthDayBrief`), on these index partitions only. */
  readonly queryMonthDayIndex?: readonly string[];
  /** Writes of the table, on these partitions only. */
  readonly write?: { readonly actions: readonly TableWriteAction[]; readonly partitions: readonly string[] };
}

const { events, topicEntries, allEntries, topics, stats, rejections, objects } = storePartitions;
const prefixPatterns = (prefixes: readonly string[]) => prefixes.map((prefix) => `${prefix}*`);
/** The notifier lists webhook subscriptions; the delivery function reads one. Neither reads SNS ones. */
const webhookSubscriptions = subscriptionPartition('webhook');

export const tableAccess = {
  /** Feeds, pages, events, on-this-day (index, then the entries), topics; subscriptions and rate windows. */
  api: {
    read: {
      actions: ['GetItem', 'BatchGetItem', 'Query'],
      partitions: [events, topicEntries, allEntries, topics, ...prefixPatterns(['SUBSCRIPTION#'])],
    },
    queryMonthDayIndex: [monthDayIndexPartitions],
    write: {
      actions: ['PutItem', 'UpdateItem', 'DeleteItem'],
      partitions: prefixPatterns(writablePrefixes.api),
    },
  },
  /** /stats (the totals item, key counts of topics and rejections), /rejections, and the manifests POST /reprocess reads. */
  admin: {
    read: { actions: ['GetItem', 'Query'], partitions: [stats, topics, rejections, objects] },
  },
  /** The write protocol of docs/table-design.md: single-item and batch reads and writes, never a Query or Scan. */
  ingest: {
    read: { actions: ['GetItem', 'BatchGetItem'], partitions: ingestPartitions },
    write: {
      actions: ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
      partitions: ingestPartitions,
    },
  },
  /**
   * A day's anniversaries of every topic (the all-events month-day, then those entries), the webhook
   * subscriptions, the day's delivery markers.
   */
  notifier: {
    read: {
      actions: ['BatchGetItem', 'Query'],
      partitions: [allEntries, webhookSubscriptions, ...prefixPatterns(writablePrefixes.notifier)],
    },
    queryMonthDayIndex: [allEventsMonthDayPartitions],
    write: {
      actions: ['PutItem', 'UpdateItem', 'DeleteItem'],
      partitions: prefixPatterns(writablePrefixes.notifier),
    },
  },
  /** One webhook subscription per digest, and that digest's marker. */
  delivery: {
    read: { actions: ['GetItem'], partitions: [webhookSubscriptions] },
    write: { actions: ['UpdateItem'], partitions: prefixPatterns(writablePrefixes.delivery) },
  },
} as const satisfies Record<string, TablePartitionAccess>;
