// OPML 2.0 subscription list of the topic feeds, so a reader can import every topic at once.
import type { FeedFormat } from './render';
import { escapeXml, httpUrl, requireHttpUrl, xmlChars } from './text';

export interface OpmlTopic {
  label: string;
  slug: string;
  feeds: Record<FeedFormat, string>;
  /** The topic's web page, if it has one. */
  htmlUrl?: string;
}

export interface OpmlSpec {
  title: string;
  ownerName?: string;
  /** Passed in, never read from a clock, so the same input gives the same document. */
  dateModified?: Date;
  topics: OpmlTopic[];
  /** Which feed each outline subscribes to; RSS unless told (OPML's type="rss" also covers Atom). */
  format?: FeedFormat;
  /**
   * The next page of a long list, as OPML 2.0's own inclusion (`type="include"`, `url`): outliners expand it
   * in place, and subscription importers skip it (it has no `xmlUrl`).
   */
  next?: { url: string; text: string };
}

function attributes(pairs: [string, string | undefined][]): string {
  return pairs
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
}

export function renderOpml(spec: OpmlSpec): string {
  const format = spec.format ?? 'rss';
  const head = [
    `    <title>${escapeXml(xmlChars(spec.title))}</title>`,
    spec.dateModified === undefined
      ? ''
      : `    <dateModified>${spec.dateModified.toUTCString()}</dateModified>`,
    spec.ownerName === undefined ? '' : `    <ownerName>${escapeXml(xmlChars(spec.ownerName))}</ownerName>`,
  ].filter((line) => line !== '');
  const outlines = spec.topics.map((topic) => {
    const label = xmlChars(topic.label);
    return `    <outline${attributes([
      ['text', label],
      ['title', label],
      ['type', 'rss'],
      ['xmlUrl', requireHttpUrl(topic.feeds[format], `feed URL of topic ${topic.slug}`)],
      ['htmlUrl', httpUrl(topic.htmlUrl)],
    ])}/>`;
  });
  if (spec.next !== undefined) {
    outlines.push(
      `    <outline${attributes([
        ['text', xmlChars(spec.next.text)],
        ['type', 'include'],
        ['url', requireHttpUrl(spec.next.url, 'next page URL')],
      ])}/>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '  <head>',
    ...head,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
