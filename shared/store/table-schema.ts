// The table's key schema, shared by the store, the CDK stack and the local stack so all three agree.

export const tableSchema = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /**
   * Events of one month-day across years: MD = `MD#<MM-DD>` (on all-events entries) or
   * `MD#<MM-DD>#T#<topic>` (on topic entries); sorted by the entries' own `SK` (`<date>#<id>`), so no
   * attribute repeats it. It projects the all-events entries' `brief` (title, topics, language: what an
   * on-this-day list shows, a few hundred bytes) so such a list is one Query; a projected copy of the whole
   * event would double an entry's write units. The name changes with the layout (docs/table-design.md).
   */
  monthDayIndex: {
    name: 'ByMonthDayBrief',
    partitionKey: 'MD',
    sortKey: 'SK',
    projection: 'INCLUDE',
    projectedAttributes: ['brief'],
  },
} as const;

export type TableSchema = typeof tableSchema;
