// What the notifier sends: one SNS message per topic plus the `*` digest (a text body for people, a JSON
// body for machines), and the JSON digest a webhook subscription receives. Pure: no clock, no I/O.
import { monthName } from '../domain/calendar';
import type { Anniversary } from './anniversaries';

export interface MessageLinks {
  event(id: string): string;
  /** The anniversary feed, of one topic or of all. */
  anniversaryFeed(topic?: string): string;
}

/** One anniversary as machines read it, in every JSON body. */
export interface AnniversaryJson {
  id: string;
  date: string;
  year: number;
  yearsAgo: number;
  title: string;
  topics: { slug: string; label: string }[];
  url: string;
}

export function anniversaryJson(anniversary: Anniversary, links: MessageLinks): AnniversaryJson {
  const { event } = anniversary;
  return {
    id: event.id,
    date: event.date,
    year: Number(event.date.slice(0, 4)),
    yearsAgo: anniversary.yearsAgo,
    title: event.title,
    topics: anniversary.topics,
    url: links.event(event.id),
  };
}

/** `9 July 2026`, in English whatever the events' language: the subject line must be ASCII anyway. */
export function longDate(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return `${date} ${monthName(month ?? 1)} ${year}`;
}

function yearsText(years: number): string {
  return years === 1 ? '1 year ago' : `${years} years ago`;
}

function textLine(item: AnniversaryJson): string {
  return `${yearsText(item.yearsAgo)} (${item.date}): ${item.title}\n${item.url}`;
}

// SNS subjects: ASCII, no line breaks, under 100 characters (Publish API reference).
function subjectOf(text: string): string {
  const ascii = text
    .replace(/[^\x20-\x7E]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.length <= 99 ? ascii : `${ascii.slice(0, 98)}…`.replace(/[^\x20-\x7E]/g, '');
}

export interface SnsMessage {
  /** The `topic` message attribute: a slug, or `*` for the digest of all topics. */
  topic: string;
  subject: string;
  /** `MessageStructure: json`: `default` (JSON for machines) and `email` (text for people). */
  message: string;
  events: number;
  /** Anniversaries left out to stay under SNS's message size. */
  truncated: number;
}

/** SNS allows 256 KiB for a message and for a whole PublishBatch; this leaves room for the attributes. */
export const maxSnsMessageBytes = 200_000;

function snsMessageWith(
  day: string,
  topic: { slug: string; label: string } | undefined,
  items: AnniversaryJson[],
  total: number,
  links: MessageLinks,
): SnsMessage {
  const about = topic === undefined ? 'all topics' : topic.label;
  const feed = links.anniversaryFeed(topic?.slug);
  const truncated = total - items.length;
  const text = [
    `On this day, ${longDate(day)}: ${total} ${total === 1 ? 'anniversary' : 'anniversaries'} in ${about}.`,
    '',
    ...items.map(textLine),
    ...(truncated > 0 ? [`…and ${truncated} more.`] : []),
    '',
    `Anniversary feed: ${feed}`,
  ].join('\n');
  const machine = JSON.stringify({
    type: 'anniversaries',
    date: day,
    topic: topic ?? { slug: '*', label: 'All topics' },
    events: items,
    truncated,
    feed,
  });
  return {
    topic: topic?.slug ?? '*',
    subject:
      subjectOf(`On this day, ${longDate(day)}: ${topic === undefined ? 'all topics' : topic.label}`) ||
      `On this day, ${longDate(day)}`,
    message: JSON.stringify({ default: machine, email: text }),
    events: total,
    truncated,
  };
}

/** One message, cut to fit `maxBytes` by dropping the oldest-listed anniversaries first. */
export function snsMessage(
  day: string,
  topic: { slug: string; label: string } | undefined,
  anniversaries: Anniversary[],
  links: MessageLinks,
  maxBytes = maxSnsMessageBytes,
): SnsMessage {
  const items = anniversaries.map((anniversary) => anniversaryJson(anniversary, links));
  let keep = items.length;
  let message = snsMessageWith(day, topic, items, items.length, links);
  while (Buffer.byteLength(message.message) + Buffer.byteLength(message.subject) > maxBytes && keep > 0) {
    keep = Math.floor(keep / 2);
    message = snsMessageWith(day, topic, items.slice(0, keep), items.length, links);
  }
  return message;
}

/** The day's SNS messages: one per topic with anniversaries (slug order), then the digest `*`. */
export function snsMessagesFor(day: string, anniversaries: Anniversary[], links: MessageLinks): SnsMessage[] {
  const byTopic = new Map<string, { label: string; items: Anniversary[] }>();
  for (const anniversary of anniversaries) {
    for (const topic of anniversary.topics) {
      const entry = byTopic.get(topic.slug) ?? { label: topic.label, items: [] };
      entry.items.push(anniversary);
      byTopic.set(topic.slug, entry);
    }
  }
  const perTopic = [...byTopic.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, { label, items }]) => snsMessage(day, { slug, label }, items, links));
  return anniversaries.length === 0 ? [] : [...perTopic, snsMessage(day, undefined, anniversaries, links)];
}

/** The Standard Webhooks payload of one subscription's daily digest. */
export interface WebhookDigest {
  type: 'anniversaries.digest';
  timestamp: string;
  data: {
    subscription: string;
    date: string;
    topics: { slug: string; label: string; events: number }[];
    events: AnniversaryJson[];
    truncated: number;
  };
}

/** Webhook digests travel through SQS (256 KiB a message): the body stays well under it. */
export const maxWebhookBodyBytes = 200_000;

/**
 * The digest for one subscription: the day's anniversaries in any of its topics, each once, and per topic
 * how many there are. Undefined when none of its topics has an anniversary that day.
 */
export function webhookDigest(
  subscription: { id: string; topics: readonly string[] },
  day: string,
  anniversaries: Anniversary[],
  links: MessageLinks,
  timestamp: Date,
): WebhookDigest | undefined {
  const wanted = new Set(subscription.topics);
  const matching = anniversaries.filter((a) => a.topics.some((topic) => wanted.has(topic.slug)));
  if (matching.length === 0) return undefined;
  const counts = new Map<string, { slug: string; label: string; events: number }>();
  for (const anniversary of matching) {
    for (const topic of anniversary.topics) {
      if (!wanted.has(topic.slug)) continue;
      const entry = counts.get(topic.slug) ?? { ...topic, events: 0 };
      entry.events++;
      counts.set(topic.slug, entry);
    }
  }
  const all = matching.map((anniversary) => anniversaryJson(anniversary, links));
  const digest = (events: AnniversaryJson[]): WebhookDigest => ({
    type: 'anniversaries.digest',
    timestamp: timestamp.toISOString(),
    data: {
      subscription: subscription.id,
      date: day,
      topics: subscription.topics.flatMap((slug) => {
        const found = counts.get(slug);
        return found ? [found] : [];
      }),
      events,
      truncated: all.length - events.length,
    },
  });
  let keep = all.length;
  let body = digest(all);
  while (Buffer.byteLength(JSON.stringify(body)) > maxWebhookBodyBytes && keep > 0) {
    keep = Math.floor(keep / 2);
    body = digest(all.slice(0, keep));
  }
  return body;
}
