// The page bodies: pure functions of view data (no store, no clock); routes.tsx gathers that data.
import type { Lang } from '../domain/event';
import {
  EventList,
  type EventView,
  type FeedLink,
  labelLang,
  SubscribeLinks,
  TopicList,
  TopicSearch,
  TopicTags,
  type TopicView,
} from './components';
import { humanDate } from './dates';

export interface HomeView {
  topicsAction: string;
  active: TopicView[];
  today: string;
  anniversaries: EventView[];
  onThisDayPage: string;
  allFeeds: FeedLink[];
  anniversaryFeeds: FeedLink[];
  opml: string;
  lang: Lang | undefined;
  /** The home page in each edition (`?lang=`), and unfiltered. */
  editions: { label: string; href: string; current: boolean }[];
}

export function HomePage(props: HomeView) {
  return (
    <>
      <h1>News event feeds</h1>
      <p class="lede">
        Follow news topics and anniversaries in your feed reader: every topic has its own RSS, Atom and JSON
        feed.
      </p>
      <nav aria-label="Edition">
        <ul class="tags">
          {props.editions.map((edition) => (
            <li key={edition.href}>
              <a href={edition.href} aria-current={edition.current ? 'page' : undefined}>
                {edition.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="topics-heading">
        <h2 id="topics-heading">Topics</h2>
        <TopicSearch action={props.topicsAction} />
        <TopicList topics={[]} id="topic-results" label="Matching topics" hidden />
        <h3>Most active topics</h3>
        <TopicList topics={props.active} label="Most active topics" />
      </section>
      <section aria-labelledby="today-heading">
        <h2 id="today-heading">On this day, {props.today}</h2>
        <EventList events={props.anniversaries} empty="Nothing on record for this day in earlier years." />
        <p>
          <a href={props.onThisDayPage}>All of {props.today} in earlier years</a>
        </p>
      </section>
      <section aria-labelledby="feeds-heading" id="feeds">
        <h2 id="feeds-heading">Feeds</h2>
        <h3>All events{props.lang ? ` (${props.lang === 'zh' ? 'Chinese' : 'English'} edition)` : ''}</h3>
        <SubscribeLinks feeds={props.allFeeds} idPrefix="all-feed" />
        <h3>Anniversaries</h3>
        <SubscribeLinks feeds={props.anniversaryFeeds} idPrefix="anniversary-feed" />
        <p>
          <a href={props.opml} type="text/x-opml">
            OPML of every topic feed
          </a>
        </p>
      </section>
    </>
  );
}

export interface TopicsView {
  topicsAction: string;
  query: string | undefined;
  topics: TopicView[];
  older: string | undefined;
}

export function TopicsPage(props: TopicsView) {
  return (
    <>
      <h1>{props.query ? `Topics starting with “${props.query}”` : 'Topics'}</h1>
      <TopicSearch action={props.topicsAction} query={props.query} />
      {props.topics.length === 0 ? <p>No topic starts with that.</p> : null}
      <TopicList topics={props.topics} id="topic-results" label="Topics" hidden={props.topics.length === 0} />
      {props.older ? (
        <nav class="pager" aria-label="More topics">
          <a href={props.older} rel="next">
            More topics
          </a>
        </nav>
      ) : null}
    </>
  );
}

export interface TopicPageView {
  label: string;
  events: number;
  feeds: FeedLink[];
  anniversaryFeeds: FeedLink[];
  newest: EventView[];
  first: string | undefined;
  older: string | undefined;
  today: string;
  anniversaries: EventView[];
}

export function TopicPage(props: TopicPageView) {
  return (
    <>
      <h1 lang={labelLang(props.label)}>{props.label}</h1>
      <p class="lede">{props.events === 1 ? '1 event' : `${props.events} events`}</p>
      <section aria-labelledby="subscribe-heading">
        <h2 id="subscribe-heading">Subscribe</h2>
        <SubscribeLinks feeds={props.feeds} idPrefix="topic-feed" />
      </section>
      <section aria-labelledby="newest-heading">
        <h2 id="newest-heading">{props.first ? 'Older events' : 'Newest events'}</h2>
        <EventList events={props.newest} empty="No events." />
        {props.first || props.older ? (
          <nav class="pager" aria-label="Event pages">
            {props.first ? <a href={props.first}>Newest events</a> : <span />}
            {props.older ? (
              <a href={props.older} rel="next">
                Older events
              </a>
            ) : null}
          </nav>
        ) : null}
      </section>
      <section aria-labelledby="anniversaries-heading">
        <h2 id="anniversaries-heading">On this day, {props.today}</h2>
        <EventList
          events={props.anniversaries}
          empty="Nothing about this topic on this day in earlier years."
        />
        <h3>Anniversary feed</h3>
        <SubscribeLinks feeds={props.anniversaryFeeds} idPrefix="anniversary-feed" />
      </section>
    </>
  );
}

export interface EventPageView {
  title: string;
  date: string;
  lang: Lang;
  description: string | undefined;
  sources: { name: string; url: string }[];
  related: { id: string; title: string; date: string; page: string | undefined }[];
  topics: TopicView[];
  json: string;
}

export function EventPage(props: EventPageView) {
  // The page takes the event's language; the English labels around it say they are English.
  const en = props.lang === 'en' ? undefined : 'en';
  return (
    <article>
      <p class="meta" lang={en}>
        <time dateTime={props.date}>{humanDate(props.date)}</time>
      </p>
      <h1>{props.title}</h1>
      {props.description ? <p class="description">{props.description}</p> : null}
      {props.topics.length > 0 ? (
        <section aria-labelledby="topics-heading">
          <h2 id="topics-heading" lang={en}>
            Topics
          </h2>
          <TopicTags topics={props.topics} />
        </section>
      ) : null}
      {props.sources.length > 0 ? (
        <section aria-labelledby="sources-heading" class="sources">
          <h2 id="sources-heading" lang={en}>
            Sources
          </h2>
          <ul>
            {props.sources.map((source) => (
              <li key={source.url}>
                <a href={source.url} rel="noopener noreferrer">
                  {source.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.related.length > 0 ? (
        <section aria-labelledby="related-heading" class="related">
          <h2 id="related-heading" lang={en}>
            Related events
          </h2>
          <ul>
            {props.related.map((related) => (
              <li key={related.id}>
                <time dateTime={related.date} lang={en}>
                  {humanDate(related.date)}
                </time>
                {': '}
                {related.page ? <a href={related.page}>{related.title}</a> : related.title}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p class="meta" lang={en}>
        <a href={props.json} type="application/json">
          This event as JSON
        </a>
      </p>
    </article>
  );
}

export interface OnThisDayView {
  day: string;
  events: EventView[];
  previous: { href: string; label: string };
  next: { href: string; label: string };
  older: string | undefined;
  feeds: FeedLink[];
}

export function OnThisDayPage(props: OnThisDayView) {
  return (
    <>
      <h1>On this day: {props.day}</h1>
      <nav class="pager" aria-label="Days">
        <a href={props.previous.href} rel="prev">
          ← {props.previous.label}
        </a>
        <a href={props.next.href} rel="next">
          {props.next.label} →
        </a>
      </nav>
      <EventList events={props.events} empty="Nothing on record for this day in earlier years." />
      {props.older ? (
        <p>
          <a href={props.older}>More events of this day</a>
        </p>
      ) : null}
      <h2>Anniversary feed</h2>
      <SubscribeLinks feeds={props.feeds} idPrefix="anniversary-feed" />
    </>
  );
}

export function ErrorPage(props: { title: string; detail: string; home: string }) {
  return (
    <>
      <h1>{props.title}</h1>
      <p>{props.detail}</p>
      <p>
        <a href={props.home}>Go to the home page</a>
      </p>
    </>
  );
}
