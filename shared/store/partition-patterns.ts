// The event store's partitions as IAM `dynamodb:LeadingKeys` patterns (StringLike: `*` is any run of characters),
// spelled through keys.ts so that a renamed prefix renames its grant. infra/constructs/table-access.ts composes
// them into each function's grants; test/infra/table-access.integration.test.ts checks every key a handler sends.
import type { Lang } from '../domain/event';
import {
  allPartition,
  itemKeys,
  monthDayPartition,
  REJECTIONS_PARTITION,
  TOPICS_PARTITION,
  topicPartition,
} from './keys';
import { tableSchema } from './table-schema';

const ANY = '*';
const partitionOf = (key: Record<string, string>): string => key[tableSchema.partitionKey] ?? '';

export const storePartitions = {
  /** Event items: `EVENT#<id>`. */
  events: partitionOf(itemKeys.event(ANY)),
  /** A topic's listing entries: `TOPIC#<slug>`. */
  topicEntries: topicPartition(ANY),
  /** A language's listing entries: `ALL#<lang>`. */
  allEntries: allPartition(ANY as Lang),
  /** Topic items (labels, counts). */
  topics: TOPICS_PARTITION,
  /** The running totals. */
  stats: partitionOf(itemKeys.stats()),
  rejections: REJECTIONS_PARTITION,
  /** Object manifests: `OBJECT#<key>`. */
  objects: partitionOf(itemKeys.object(ANY)),
  /** A batch's topic writes in flight: `JOURNAL#<token>`. */
  journals: partitionOf(itemKeys.journal(ANY)),
} as const;

/** Partitions of the month-day index (`ByMonthDayBrief`): `MD#<MM-DD>` and `MD#<MM-DD>#T#<slug>`. */
export const monthDayIndexPartitions = monthDayPartition(ANY);

/** Only the all-events month-day partitions, `MD#<MM-DD>` (`?` is one character): no topic's. */
export const allEventsMonthDayPartitions = monthDayPartition('??-??');

/** Every partition the ingest reads and writes: all of the event store, nothing of subscriptions or deliveries. */
export const ingestPartitions = Object.values(storePartitions);
