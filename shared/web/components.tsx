// Small pieces several pages share: event lists, topic tags, subscribe buttons, the topic search form.
import type { Lang } from '../domain/event';
import { humanDate } from './dates';

export interface TopicView {
  slug: string;
  label: string;
  page: string;
  events?: number;
}

export interface EventView {
  id: string;
  title: string;
  date: string;
  lang: Lang;
  page: string;
  topics: TopicView[];
  yearsAgo?: number;
}

export interface FeedLink {
  label: string;
  type: string;
  href: string;
}

/** Topic labels carry no language of their own; Han characters mark the Chinese edition's topics. */
export function labelLang(label: string): Lang | undefined {
  return /\p{Script=Han}/u.test(label) ? 'zh' : undefined;
}

export function TopicTags(props: { topics: TopicView[] }) {
  if (props.topics.length === 0) return null;
  return (
    <ul class="tags" aria-label="Topics">
      {props.topics.map((topic) => (
        <li key={topic.slug}>
          <a href={topic.page} lang={labelLang(topic.label)}>
            {topic.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function EventList(props: { events: EventView[]; empty: string }) {
  if (props.events.length === 0) return <p class="meta">{props.empty}</p>;
  return (
    <ul class="events">
      {props.events.map((event) => (
        <li key={event.id}>
          <div class="meta">
            <time dateTime={event.date}>{humanDate(event.date)}</time>
            {event.yearsAgo !== undefined ? (
              <>
                {' · '}
                {event.yearsAgo === 1 ? '1 year ago' : `${event.yearsAgo} years ago`}
              </>
            ) : null}
          </div>
          <div class="headline" lang={event.lang}>
            <a href={event.page}>{event.title}</a>
          </div>
          <div class="meta">
            <TopicTags topics={event.topics} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export function TopicList(props: { topics: TopicView[]; id?: string; label?: string; hidden?: boolean }) {
  return (
    <ul class="topics" id={props.id} aria-label={props.label} hidden={props.hidden}>
      {props.topics.map((topic) => (
        <li key={topic.slug}>
          <a href={topic.page} lang={labelLang(topic.label)}>
            {topic.label} {topic.events !== undefined ? <span class="count">({topic.events})</span> : null}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Subscribe buttons, each with its URL in a read-only field to copy (a Copy button appears with script). */
export function SubscribeLinks(props: { feeds: FeedLink[]; idPrefix: string }) {
  return (
    <ul class="feeds">
      {props.feeds.map((feed, i) => {
        const id = `${props.idPrefix}-${i}`;
        return (
          <li key={feed.href}>
            <a class="button" href={feed.href} type={feed.type}>
              {feed.label}
            </a>
            <label for={id}>{feed.label} URL</label>
            <input class="url" id={id} type="text" readOnly value={feed.href} />
            <button class="secondary" type="button" data-copy={id} hidden>
              Copy
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * A plain GET form to `/topics`; the site script turns it into a filter-as-you-type list, shown in the
 * page's `#topic-results` list (the page renders that list: empty and hidden, or with server results).
 */
export function TopicSearch(props: { action: string; query?: string | undefined }) {
  return (
    <search>
      <form
        class="search"
        action={props.action}
        method="get"
        data-results="topic-results"
        data-status="topic-status"
      >
        <label for="topic-q">Find a topic</label>
        <input
          id="topic-q"
          type="search"
          name="q"
          value={props.query ?? ''}
          autoComplete="off"
          spellcheck={false}
          aria-describedby="topic-status"
        />
        <button type="submit">Search</button>
      </form>
      <p class="status" id="topic-status" role="status" aria-live="polite" />
    </search>
  );
}
