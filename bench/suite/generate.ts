// Deterministic benchmark data: event stores of any size remixed from the real corpus (or from a generated
// corpus when ../shared/corpus is absent), from a seed, so every run and every machine loads the same events.
import type { NewsEvent } from '../../shared/domain/event';
import type { Contribution } from '../../shared/domain/merge';
import { topicSlug } from '../../shared/domain/topics';

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; enough for benchmark data, not for secrets. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One seed per generated event, so event k is the same whether 10k or 1M are generated. */
const eventSeed = (seed: number, k: number) =>
  Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);

/** Share of an event's topics swapped for another topic drawn from the real topic frequencies. */
const REMIX_SHARE = 0.25;
/** Years before this are not shifted into: beyond it the eras wrap and days get more events. */
const EARLIEST_YEAR = 1000;

export interface GeneratedObject {
  objectKey: string;
  contribution: Contribution;
}

export interface Generator {
  /** Events in the pool one era remixes. */
  poolSize: number;
  /** Years one era spans: era e is the pool shifted back by e × span years. */
  span: number;
  /** Generated event k (0-based); the same k always gives the same event. */
  at(k: number): GeneratedObject;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Event k takes pool event k mod n, in era floor(k / n): its year moves back by era × span (so each era
 * repeats the real events per day and topics per event), a quarter of its topics are swapped for topics
 * drawn with the real topic frequencies (so topics mix without changing how popular topics are), and
 * from era 1 on its slug gets a `-g<era>` suffix (so ids stay unique).
 */
export function eventGenerator(pool: readonly NewsEvent[], seed: number): Generator {
  if (pool.length === 0) throw new Error('eventGenerator: empty pool');
  const sorted = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const years = sorted.map((event) => Number(event.date.slice(0, 4)));
  const minYear = Math.min(...years);
  const span = Math.max(...years) - minYear + 1;
  const eras = Math.max(1, Math.floor((minYear - EARLIEST_YEAR) / span) + 1);
  // Every topic occurrence once: a uniform draw from it is a draw weighted by the real frequencies.
  const occurrences = sorted.flatMap((event) => event.topics);

  return {
    poolSize: sorted.length,
    span,
    at(k) {
      const source = sorted[k % sorted.length] as NewsEvent;
      const era = Math.floor(k / sorted.length);
      const random = seededRandom(eventSeed(seed, k));
      const year = Number(source.date.slice(0, 4)) - (era % eras) * span;
      const month = Number(source.date.slice(5, 7));
      let day = Number(source.date.slice(8, 10));
      // Feb 29 shifted into a common year (century rule) becomes Feb 28.
      if (!isRealDate(year, month, day)) day = 28;
      const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
      const slug = era === 0 ? source.slug : `${source.slug}-g${era}`;
      const topics = remixTopics(source.topics, occurrences, random);
      const event: NewsEvent = { ...source, id: `${date}/${slug}`, date, slug, topics };
      const objectKey = `${source.lang === 'zh' ? 'zh/' : ''}news/${pad(year, 4)}/${pad(month, 2)}/${day}/${slug}.md`;
      return { objectKey, contribution: { objectKey, kind: 'event-file', event } };
    },
  };
}

function remixTopics(
  topics: readonly string[],
  occurrences: readonly string[],
  random: () => number,
): string[] {
  const out: string[] = [];
  const slugs = new Set<string>();
  for (const topic of topics) {
    let label = topic;
    if (random() < REMIX_SHARE) {
      const drawn = occurrences[Math.floor(random() * occurrences.length)] ?? topic;
      if (!slugs.has(topicSlug(drawn))) label = drawn;
    }
    const slug = topicSlug(label);
    if (slugs.has(slug)) continue;
    slugs.add(slug);
    out.push(label);
  }
  return out;
}

/** Distribution checks the generator must keep: topics per event, and events per (generated) day. */
export function histogram(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

// ------------------------------------------------------------------ a corpus when the real one is absent

const syntheticTopics = Array.from({ length: 400 }, (_, index) => `Topic ${index + 1}`);

/**
 * Front-matter event files (docs/front-matter.md) standing in for ../shared/corpus: 16 years of events,
 * 1-4 topics each drawn from a Zipf-like popularity, a description and two sources, about the size of a
 * real event file.
 */
export function syntheticCorpus(files: number, seed: number): { key: string; body: string }[] {
  const random = seededRandom(seed);
  const zipf = () => syntheticTopics[Math.floor(syntheticTopics.length ** random()) - 1] as string;
  const out: { key: string; body: string }[] = [];
  for (let index = 0; index < files; index++) {
    const year = 2003 + Math.floor(random() * 16);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const topics = [...new Set(Array.from({ length: 1 + Math.floor(random() ** 2 * 4) }, zipf))];
    const slug = `generated-event-${index}`;
    const body = [
      '---',
      `title: Generated event ${index} about ${topics.join(' and ')}`,
      `date: ${year}-${pad(month, 2)}-${pad(day, 2)}`,
      `topics: [${topics.join(', ')}]`,
      'sources:',
      `  - name: Example Gazette\n    url: https://gazette.example/${slug}`,
      `  - https://news.example/${year}/${slug}`,
      'lang: en',
      '---',
      `${'A generated description sentence that stands in for the scraped article text. '.repeat(12)}`,
      '',
    ].join('\n');
    out.push({ key: `news/${year}/${pad(month, 2)}/${day}/${slug}.md`, body });
  }
  return out;
}
