// The table's key schema, shared by the store, the CDK stack and the local stack so all three agree.

export const tableSchema = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /**
   * Events of one month-day across years: MD = `MD#<MM-DD>` (on all-events entries) or
   * `MD#<MM-DD>#T#<topic>` (on topic entries); sorted by the entries' own `SK` (`<date>#<id>`), so no
   * attribute repeats it. Keys only: a projected copy of the event would double an entry's write units.
   */
  monthDayIndex: { name: 'ByMonthDay', partitionKey: 'MD', sortKey: 'SK', projection: 'KEYS_ONLY' },
} as const;

export type TableSchema = typeof tableSchema;
