// The sort key of an event everywhere it is listed (`<date>#<id>`), written and read in one place: keys.ts
// builds items with it, event-brief.ts reads an index entry's date and id back from it.

/** Date first, so key order is newest-first by date. */
export const sortKeyOf = (event: { date: string; id: string }) => `${event.date}#${event.id}`;

/** The date and the event id inside a sort key; the date never contains `#`. */
export function splitSortKey(sortKey: string): { date: string; id: string } {
  const split = sortKey.indexOf('#');
  return { date: sortKey.slice(0, split), id: sortKey.slice(split + 1) };
}

export const idOfSortKey = (sortKey: string) => splitSortKey(sortKey).id;
