// Absolute links in notifications and anniversary feeds: event documents and anniversary feeds.
import type { FeedFormat } from '../feeds/render';
import type { MessageLinks } from './messages';

/** `/on-this-day/feed.{format}?topic=<slug>`: the URL the HTML pages and the topic feeds link to. */
export function anniversaryFeedUrl(base: string, format: FeedFormat, topic?: string | undefined): string {
  const url = `${base}/on-this-day/feed.${format}`;
  return topic === undefined ? url : `${url}?topic=${encodeURIComponent(topic)}`;
}

export function messageLinks(publicBaseUrl: string): MessageLinks {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    event: (id) => {
      const slash = id.indexOf('/');
      return `${base}/events/${id.slice(0, slash)}/${encodeURIComponent(id.slice(slash + 1))}.json`;
    },
    anniversaryFeed: (topic) => anniversaryFeedUrl(base, 'rss', topic),
  };
}
