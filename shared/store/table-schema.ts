// The table's key schema, shared by the store, the CDK stack and the local stack so all three agree.

export const tableSchema = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** All events, newest first: GSI1PK = `FEED`, GSI1SK = `<date>#<id>`. Keys only: readers fetch events by key. */
  feedIndex: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'KEYS_ONLY' },
  /**
   * Events of one month-day across years: GSI2PK = `MD#<MM-DD>` (or `MD#<MM-DD>#T#<topic>` on topic
   * membership items), GSI2SK = `<date>#<id>`.
   */
  monthDayIndex: { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'KEYS_ONLY' },
} as const;

export type TableSchema = typeof tableSchema;
