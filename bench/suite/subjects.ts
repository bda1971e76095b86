// What the read benchmarks ask about: the hot and cold topic and month-day of a generated store, counted
// from the generator itself (deterministic, and no Scan of the table it measures). They are picked once, in
// the first (smallest) store, and asked about again at every larger size: growth then compares the same
// question on a larger store. Picked by rank in each store, 10k, 100k and 1M named different topics, whose
// pages differed in size, so a growth ratio measured the subject as much as the store. For the same reason
// each subject carries `page`, the events it had where it was picked: the cold ones are asked for a page of
// that size at every store size, so the answer keeps its size while the store grows (02-29 had 5 events at
// 10k and 38 at 100k; asked for a default page of 50, its answer grew 7.6× and its raw Query floor 1.49×).
import { topicSlug } from '../../shared/domain/topics';
import type { Generator } from './generate';

/** `events` as counted in the store asked about now; `page`, as counted where the subject was picked. */
export interface TopicSubject {
  slug: string;
  label: string;
  events: number;
  page: number;
}
export interface MonthDaySubject {
  monthDay: string;
  events: number;
  page: number;
}

export interface Subjects {
  hotTopic: TopicSubject;
  coldTopic: TopicSubject;
  hotMonthDay: MonthDaySubject;
  coldMonthDay: MonthDaySubject;
  /** The hot topic's newest event (its id is `<date>/<slug>`): the event page measured. */
  hotEvent: { id: string };
  /** A spread of topics (by rank) and month-days for the load scenarios. */
  topicSample: string[];
  monthDaySample: string[];
}

export class SubjectCounter {
  private readonly topics = new Map<
    string,
    { label: string; events: number; newest?: { date: string; id: string } }
  >();
  private readonly monthDays = new Map<string, number>();
  private counted = 0;

  /** The subjects picked in the first store counted. */
  private picked: Subjects | undefined;

  constructor(private readonly generator: Generator) {}

  /**
   * Counts generated events up to `size` (continuing where the last call stopped). The first call picks
   * the subjects; later calls (a store grown from it) return the same ones, with their counts at `size`:
   * the stores only grow, so the hot topic and month-day keep full pages, and the cold ones still exist.
   */
  countTo(size: number): Subjects {
    for (; this.counted < size; this.counted++) {
      const { event } = this.generator.at(this.counted).contribution;
      for (const label of event.topics) {
        const slug = topicSlug(label);
        const entry = this.topics.get(slug) ?? { label, events: 0 };
        entry.events++;
        if (!entry.newest || event.date > entry.newest.date)
          entry.newest = { date: event.date, id: event.id };
        this.topics.set(slug, entry);
      }
      const monthDay = event.date.slice(5);
      this.monthDays.set(monthDay, (this.monthDays.get(monthDay) ?? 0) + 1);
    }
    this.picked ??= pickSubjects(this.topics, this.monthDays);
    return countedAgain(this.picked, this.topics, this.monthDays);
  }
}

/** The same subjects, with their events as `topics` and `monthDays` count them now. */
function countedAgain(
  picked: Subjects,
  topics: ReadonlyMap<string, { events: number }>,
  monthDays: ReadonlyMap<string, number>,
): Subjects {
  const topicNow = (topic: TopicSubject) => ({
    ...topic,
    events: topics.get(topic.slug)?.events ?? topic.events,
  });
  const dayNow = (day: MonthDaySubject) => ({
    ...day,
    events: monthDays.get(day.monthDay) ?? day.events,
  });
  return {
    ...picked,
    hotTopic: topicNow(picked.hotTopic),
    coldTopic: topicNow(picked.coldTopic),
    hotMonthDay: dayNow(picked.hotMonthDay),
    coldMonthDay: dayNow(picked.coldMonthDay),
  };
}

/** Hot = most events, cold = fewest (ties broken by key, so the pick is stable). */
export function pickSubjects(
  topics: ReadonlyMap<string, { label: string; events: number; newest?: { id: string } }>,
  monthDays: ReadonlyMap<string, number>,
): Subjects {
  const byTopic = [...topics].sort((a, b) => b[1].events - a[1].events || (a[0] < b[0] ? -1 : 1));
  const byDay = [...monthDays].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const first = byTopic[0];
  const last = byTopic.at(-1);
  const busiest = byDay[0];
  const quietest = byDay.at(-1);
  if (!first || !last || !busiest || !quietest || !first[1].newest) throw new Error('no events counted');
  const spread = <T>(list: readonly T[], count: number) =>
    Array.from(
      { length: Math.min(count, list.length) },
      (_, i) => list[Math.floor((i * list.length) / count)] as T,
    );
  return {
    hotTopic: { slug: first[0], label: first[1].label, events: first[1].events, page: first[1].events },
    coldTopic: { slug: last[0], label: last[1].label, events: last[1].events, page: last[1].events },
    hotMonthDay: { monthDay: busiest[0], events: busiest[1], page: busiest[1] },
    coldMonthDay: { monthDay: quietest[0], events: quietest[1], page: quietest[1] },
    hotEvent: { id: first[1].newest.id },
    topicSample: spread(byTopic, 20).map(([slug]) => slug),
    monthDaySample: spread(byDay, 20).map(([monthDay]) => monthDay),
  };
}
