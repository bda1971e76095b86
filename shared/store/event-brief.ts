// An event's brief: what a list of events shows (title, topics, language; id and date come from the sort
// key). The all-events entry carries it beside the full copy (`doc`), and the month-day index projects it,
// so an on-this-day list of all topics is one index Query instead of a Query and a BatchGetItem of the
// whole events. Topic entries don't carry it: on all four entries of a 3-topic file it cost 4 more write
// units at the median, above the budget (docs/table-design.md).

import type { NewsEvent } from '../domain/event';
import { stringMemo } from '../domain/string-memo';
import * as z from '../zod';
import { splitSortKey } from './sort-key';
import { tableSchema } from './table-schema';

/** An event as a list shows it. */
export type EventBrief = Pick<NewsEvent, 'id' | 'date' | 'title' | 'topics' | 'lang'>;

/** The attribute, named once: the index projects exactly this one (table-schema.ts). */
export const BRIEF_ATTRIBUTE = tableSchema.monthDayIndex.projectedAttributes[0];

/**
 * JSON text of the fields the sort key does not hold: a few hundred bytes, so the entry's index copy stays
 * under 1 KB (1 write unit, as a key-only one).
 */
export function briefText(event: Pick<NewsEvent, 'title' | 'topics' | 'lang'>): string {
  return JSON.stringify({ title: event.title, topics: event.topics, lang: event.lang });
}

const briefSchema = z.object({
  title: z.string(),
  topics: z.array(z.string()),
  lang: z.enum(['en', 'zh']),
});

/**
 * A brief's text checked and parsed once per container: the same briefs come back in every on-this-day list
 * of their month-day, and the parse and the schema check were a sixth of a 50-event list's handler time.
 * Frozen, since every list that shows the brief shares it.
 */
const parsedBriefs = stringMemo(
  (text: string) => {
    const { title, topics, lang } = briefSchema.parse(JSON.parse(text));
    return Object.freeze({ title, topics: Object.freeze(topics) as string[], lang });
  },
  { entries: 5_000, maxChars: 2_048 },
);

/** The brief an entry (or its index copy) carries, or undefined when the entry predates briefs. */
export function decodeBrief(item: Record<string, unknown>): EventBrief | undefined {
  const text = item[BRIEF_ATTRIBUTE];
  if (typeof text !== 'string') return undefined;
  const { date, id } = splitSortKey(String(item[tableSchema.sortKey]));
  const { title, topics, lang } = parsedBriefs(text);
  return { id, date, title, topics, lang };
}

/** The brief of a whole event. */
export function briefOf(event: EventBrief): EventBrief {
  const { id, date, title, topics, lang } = event;
  return { id, date, title, topics, lang };
}
