// GET /opml against dynalite with thousands of topics: bounded pages, chained by include outlines and Link
// headers, that together list every topic once; each page well-formed OPML 2.0; cursors signed and bound.
import { parseOpml } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opmlLimit } from '../../shared/api/opml-routes';
import { topicSlug } from '../../shared/domain/topics';
import { applyTopicCounts, bulkWriteNewEvents, type NewEventObject } from '../../shared/store/bulk-load';
import { EventsTable, type TopicSummary } from '../../shared/store/events-table';
import { hasXmllint, xmllint, xmlValidator } from '../feeds/support';
import { makeEvent } from '../support/events';
import { type LocalDynamo, startLocalDynamo } from '../support/local-aws';
import { type ApiResponse, type InProcessApi, inProcessApi, testBaseUrl } from './support';

const now = () => new Date('2026-11-30T12:00:00Z');
const EVENTS = 700;
const TOPICS_PER_EVENT = 3;
/** Labels that must come out escaped: markup, quotes, CDATA ends, Han and emoji. */
const flavours = ['Topic', 'Tom & Jerry <"x">', 'a ]]> b', '伊斯兰堡', 'Emoji 🎉', "O'Brien"];

function labelOf(index: number): string {
  return `${flavours[index % flavours.length]} ${index}`;
}

let dynamo: LocalDynamo;
let api: InProcessApi;
const expectedSlugs = new Set<string>();

beforeAll(async () => {
  // Prepare: 700 events with three topics each of their own: 2,100 topics.
  dynamo = await startLocalDynamo();
  const tableName = await dynamo.newTable();
  const objects: NewEventObject[] = Array.from({ length: EVENTS }, (_, n) => {
    const topics = Array.from({ length: TOPICS_PER_EVENT }, (_, t) => labelOf(n * TOPICS_PER_EVENT + t));
    for (const label of topics) expectedSlugs.add(topicSlug(label));
    const event = makeEvent(`2007-07-09/event-${n}`, { topics });
    return {
      sequencer: String(n + 1).padStart(4, '0'),
      contribution: { objectKey: `news/2007/07/9/event-${n}.md`, kind: 'event-file', event },
    };
  });
  const at = now().toISOString();
  const loaded = await bulkWriteNewEvents(dynamo.doc, tableName, objects, at);
  await applyTopicCounts(dynamo.doc, tableName, loaded, at);
  api = inProcessApi(new EventsTable(dynamo.doc, tableName, { now }), now);
}, 120_000);

afterAll(async () => {
  await dynamo.close();
});

interface OpmlPage {
  response: ApiResponse;
  xmlUrls: string[];
  /** The include outline's URL, if the page has one. */
  include: string | undefined;
}

async function getPage(pathAndQuery: string): Promise<OpmlPage> {
  const response = await api.get(pathAndQuery);
  expect(response.status, response.body.slice(0, 300)).toBe(200);
  expect(response.headers['content-type']).toBe('text/x-opml; charset=utf-8');
  expect(xmlValidator(response.body)).toBe('ok');
  if (hasXmllint) expect(xmllint(response.body)).toBe('ok');
  const opml = parseOpml(response.body);
  const outlines = opml.body?.outlines ?? [];
  const feeds = outlines.filter((outline) => outline.type === 'rss');
  const includes = outlines.filter((outline) => outline.type === 'include');
  expect(feeds.length + includes.length).toBe(outlines.length);
  expect(includes.length).toBeLessThanOrEqual(1);
  for (const feed of feeds) expect(feed.text).toBe(feed.title);
  return {
    response,
    xmlUrls: feeds.map((feed) => String(feed.xmlUrl)),
    include: includes[0] ? String((includes[0] as { url?: string }).url) : undefined,
  };
}

/** Follows the include outlines from `first`, checking that the Link header names the same next page. */
async function allPages(first: string): Promise<OpmlPage[]> {
  const pages: OpmlPage[] = [];
  for (let next: string | undefined = first; next !== undefined; ) {
    const page = await getPage(next);
    pages.push(page);
    expect(page.response.headers.link).toBe(page.include ? `<${page.include}>; rel="next"` : undefined);
    next = page.include?.slice(testBaseUrl.length);
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

const slugOfFeedUrl = (url: string) =>
  decodeURIComponent(url.slice(`${testBaseUrl}/topics/`.length, -'/feed.rss'.length));

describe('GET /opml with thousands of topics', () => {
  it('pages by default, and the pages together list every topic once', async () => {
    // Act
    const pages = await allPages('/opml');

    // Assess
    expect(pages.map((page) => page.xmlUrls.length)).toEqual([1_000, 1_000, 100]);
    const slugs = pages.flatMap((page) => page.xmlUrls.map(slugOfFeedUrl));
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(new Set(slugs)).toEqual(expectedSlugs);
    expect(pages.at(-1)?.include).toBeUndefined();
  });

  it('keeps the requested limit on every page it links', async () => {
    // Act
    const pages = await allPages('/opml?limit=700');

    // Assess
    expect(pages.map((page) => page.xmlUrls.length)).toEqual([700, 700, 700]);
    for (const page of pages.slice(0, -1))
      expect(new URL(String(page.include)).searchParams.get('limit')).toBe('700');
    const slugs = pages.flatMap((page) => page.xmlUrls.map(slugOfFeedUrl));
    expect(slugs).toHaveLength(expectedSlugs.size);
    expect(new Set(slugs)).toEqual(expectedSlugs);
  });

  it('answers 400 problem details for a tampered, foreign or malformed cursor and an out-of-range limit', async () => {
    // Prepare: a real /opml cursor, one of /topics (signed, but for another listing), and edits of the first.
    const first = await getPage('/opml?limit=10');
    const cursor = new URL(String(first.include)).searchParams.get('cursor') ?? '';
    const topics = await api.getJson<{ next: string }>('/topics?limit=10');
    const [payload = '', mac = ''] = cursor.split('.');
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, string>;
    const forged = Buffer.from(JSON.stringify({ ...position, SK: 'a' }), 'utf8').toString('base64url');
    const misuses = [
      `cursor=${forged}.${mac}`,
      `cursor=${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `cursor=${topics.next}`,
      `cursor=${payload}`,
      'cursor=',
      `cursor=${'x'.repeat(3_000)}`,
      'limit=0',
      `limit=${opmlLimit.max + 1}`,
      'limit=ten',
    ];

    for (const query of misuses) {
      // Act
      const response = await api.get(`/opml?${query}`);

      // Assess
      expect(response.status, query).toBe(400);
      expect(response.headers['content-type'], query).toMatch(/^application\/problem\+json/);
      expect(response.body).not.toContain('<opml');
    }
  });
});

describe('GET /opml page size', () => {
  it('stays far below the 6 MB Lambda response limit with a full page of the longest labels and slugs', async () => {
    // Prepare: 1,000 topics whose 200-character labels escape or percent-encode to the most bytes.
    const worst = ['漢', '&', '"', '<', '𠀀'.repeat(1)];
    const topics: TopicSummary[] = Array.from({ length: opmlLimit.max }, (_, n) => {
      const char = worst[n % worst.length] ?? '漢';
      const label = `${char.repeat(Math.floor(196 / char.length))}${n}`.slice(0, 200);
      return { slug: topicSlug(label), label, events: 1, updated: now().toISOString() };
    });
    const store = {
      listTopics: async () => ({ items: topics, next: { PK: 'TOPICS', SK: 'zzz' } }),
    } as unknown as EventsTable;
    const sized = inProcessApi(store, now);

    // Act
    const response = await sized.get('/opml');

    // Assess: what Lambda counts is the JSON-encoded response, headers included.
    expect(response.status).toBe(200);
    const bytes = Buffer.byteLength(JSON.stringify(response));
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(bytes).toBeLessThan(4 * 1024 * 1024);
    console.info(`[opml] a page of ${opmlLimit.max} worst-case topics: ${bytes} bytes as a Lambda response`);
  });
});
