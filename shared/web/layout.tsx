// The frame every page shares: head (title, description, canonical, feed discovery), landmarks, nav, footer.
import type { ComponentChildren } from 'preact';
import type { Lang } from '../domain/event';
import { favicon, script, stylesheet } from './assets';

export interface Alternate {
  href: string;
  type: string;
  title: string;
}

export interface PageHead {
  title: string;
  description: string;
  canonical: string;
  /** The language of the page's main content; the English chrome is marked as such when this differs. */
  lang: Lang;
  alternates: Alternate[];
}

export interface SiteLinks {
  base: string;
  home: string;
  topics: string;
  onThisDay: string;
  opml: string;
}

export function Layout(props: { head: PageHead; site: SiteLinks; children: ComponentChildren }) {
  const { head, site } = props;
  const chromeLang = head.lang === 'en' ? undefined : 'en';
  return (
    <html lang={head.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{head.title}</title>
        <meta name="description" content={head.description} />
        <link rel="canonical" href={head.canonical} />
        {head.alternates.map((alternate) => (
          <link
            key={alternate.href}
            rel="alternate"
            type={alternate.type}
            title={alternate.title}
            href={alternate.href}
          />
        ))}
        <link rel="icon" type="image/svg+xml" href={`${site.base}/assets/${favicon.name}`} />
        <link rel="stylesheet" href={`${site.base}/assets/${stylesheet.name}`} />
        <script src={`${site.base}/assets/${script.name}`} defer />
      </head>
      <body>
        <a class="skip" href="#main" lang={chromeLang}>
          Skip to content
        </a>
        <header class="site" lang={chromeLang}>
          <div class="wrap">
            <a class="brand" href={site.home}>
              the Context feeds
            </a>
            <nav class="site" aria-label="Site">
              <ul>
                <li>
                  <a href={site.topics}>Topics</a>
                </li>
                <li>
                  <a href={site.onThisDay}>On this day</a>
                </li>
                <li>
                  <a href={`${site.home}#feeds`}>Feeds</a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="site" lang={chromeLang}>
          <div class="wrap">
            <p>
              News events from <a href="https://thecontext.net/">the Context</a>, a republication of
              Wikipedia's Portal:Current events. Every topic has RSS, Atom and JSON feeds;{' '}
              <a href={site.opml}>OPML</a> lists them all.
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
