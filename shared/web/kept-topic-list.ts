// The home page ranks topics by their event count, which means reading every topic item: thousands of them,
// 90-140 ms of a request from 10k to 1M events (docs/benchmarks.md, "home page"). The page is served with
// `max-age` (LIST_MAX_AGE_S), so a browser or CDN may already show a ranking that old; one copy per
// container, kept no longer, shows no reader an older one.
import type { TopicSummary } from '../store/events-table';

export interface KeptTopicListOptions {
  now: () => Date;
  maxAgeMs: number;
}

/**
 * `read`, remembered for `maxAgeMs`. Callers that arrive while a read is under way share it; a read that
 * fails is not kept, so the next caller reads again.
 */
export function keptTopicList(
  read: () => Promise<TopicSummary[]>,
  { now, maxAgeMs }: KeptTopicListOptions,
): () => Promise<TopicSummary[]> {
  let kept: { at: number; topics: Promise<TopicSummary[]> } | undefined;
  return () => {
    const at = now().getTime();
    // A clock that goes back (a test's, or a corrected one) never makes a copy look fresher than it is.
    if (kept && at >= kept.at && at - kept.at < maxAgeMs) return kept.topics;
    const reading = { at, topics: read() };
    kept = reading;
    reading.topics.catch(() => {
      if (kept === reading) kept = undefined;
    });
    return reading.topics;
  };
}
