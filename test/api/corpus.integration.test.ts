// The whole local stack (s3rver → queue → ingest handler → dynalite → API over HTTP) with the real English corpus.
import { readFileSync } from 'node:fs';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasXmllint, xmllint, xmlValidator } from '../feeds/support';
import { corpusFiles, corpusSkipMessage, hasCorpus } from '../support/corpus';
import { startTestStack, type TestStack } from '../support/local-stack';

let api: TestStack;
const get = (path: string, headers?: Record<string, string>) => api.get(path, headers);
const getJson = <T>(path: string) => api.getJson<T>(path);
const englishFiles = corpusFiles('en');

/** Ground truth straight from the files: every event id a path or a day-listing link names. */
function groundTruthIds(): { ids: Set<string>; listed: Set<string> } {
  const ids = new Set<string>();
  const listed = new Set<string>();
  const canonical = /news\/(\d{4})\/(\d{2})\/(\d{1,2})\/([^/]+)\.md$/;
  const toId = (match: RegExpMatchArray) =>
    `${match[1]}-${match[2]}-${match[3]?.padStart(2, '0')}/${match[4]}`;
  for (const file of englishFiles) {
    if (!file.key.endsWith('/index.md')) {
      const match = file.key.match(canonical);
      if (match) ids.add(toId(match));
      continue;
    }
    for (const line of readFileSync(file.path, 'utf8').split('\n')) {
      if (!line.startsWith('### [')) continue;
      const link = line.match(/\]\((\/news\/[^)]+\.md)\)\s*$/)?.[1];
      const match = link?.match(canonical);
      if (match) {
        ids.add(toId(match));
        listed.add(toId(match));
      }
    }
  }
  return { ids, listed };
}

describe.skipIf(!hasCorpus)('local stack with the English corpus uploaded to the bucket', () => {
  if (!hasCorpus) console.warn(corpusSkipMessage);
  const { ids: truth, listed } = groundTruthIds();

  beforeAll(async () => {
    api = await startTestStack({ samples: false });
    // Prepare: upload through S3, as a user would; s3rver's notifications drive ingestion.
    for (const file of englishFiles) {
      await api.stack.s3.send(
        new PutObjectCommand({ Bucket: 'events', Key: file.key, Body: readFileSync(file.path) }),
      );
    }
    await api.stack.drain();
  }, 300_000);
  afterAll(async () => {
    await api?.close();
  });

  it('ingests every file: no rejections, and every event named by a file is served', async () => {
    const stats = await getJson<{ events: number; rejected: number }>('/stats');
    const { rejections } = await getJson<{ rejections: unknown[] }>('/rejections');

    expect(rejections).toEqual([]);
    expect(stats.rejected).toBe(0);
    for (const id of [...truth].slice(0, 400)) {
      const [date, slug] = id.split('/') as [string, string];
      const response = await get(`/events/${date}/${encodeURIComponent(slug)}.json`);
      expect(response.status, id).toBe(200);
    }
  });

  it('serves each topic feed in three formats that independent parsers accept', async () => {
    const { topics } = await getJson<{ topics: { slug: string; feeds: Record<string, string> }[] }>(
      '/topics?limit=5',
    );
    expect(topics.length).toBe(5);
    for (const topic of topics) {
      const rss = await get(new URL(topic.feeds.rss as string).pathname);
      const atom = await get(new URL(topic.feeds.atom as string).pathname);
      const json = await get(new URL(topic.feeds.json as string).pathname);

      expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      expect(json.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
      expect(xmlValidator(rss.body)).toBe('ok');
      expect(xmlValidator(atom.body)).toBe('ok');
      if (hasXmllint) expect(xmllint(atom.body)).toBe('ok');
      expect(parseRssFeed(rss.body).items?.length).toBeGreaterThan(0);
      expect(parseAtomFeed(atom.body).entries?.length).toBeGreaterThan(0);
      const parsedJson = parseJsonFeed(JSON.parse(json.body));
      expect(parsedJson.items?.length).toBeGreaterThan(0);
      expect(JSON.parse(json.body).version).toBe('https://jsonfeed.org/version/1.1');
    }
  });

  it('answers conditional GETs with 304 and no body', async () => {
    // The all-events feed validates by ETag only: nothing records when the whole feed last changed.
    const first = await get('/feed.atom');
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get('last-modified')).toBeNull();
    // A topic feed's Last-Modified is the topic's own change time.
    const [topic] = (await getJson<{ topics: { slug: string }[] }>('/topics?limit=1')).topics;
    const topicFeed = `/topics/${topic?.slug}/feed.atom`;
    const lastModified = (await get(topicFeed)).headers.get('last-modified') as string;
    expect(lastModified).toMatch(/GMT$/);

    const byEtag = await get('/feed.atom', { 'if-none-match': etag });
    const byDate = await get(topicFeed, { 'if-modified-since': lastModified });
    const later = await get(topicFeed, {
      'if-modified-since': new Date(Date.parse(lastModified) + 86_400_000).toUTCString(),
    });
    const undated = await get('/feed.atom', {
      'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString(),
    });
    const stale = await get('/feed.atom', { 'if-none-match': '"something-else"' });

    expect([byEtag.status, byEtag.body]).toEqual([304, '']);
    expect([byDate.status, later.status, undated.status, stale.status]).toEqual([304, 304, 200, 200]);
  });

  it('pages through the all-events feed yielding each event exactly once', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/feed.json?limit=37';
    while (path) {
      const page: { items: { id: string }[]; next_url?: string } = await getJson(path);
      seen.push(...page.items.map((item) => item.id));
      path = page.next_url ? new URL(page.next_url).pathname + new URL(page.next_url).search : undefined;
    }
    const stats = await getJson<{ events: number }>('/stats');

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(stats.events);
  });

  it('on this day equals the ground truth for every month-day in the corpus', async () => {
    const byMonthDay = new Map<string, string[]>();
    for (const id of truth) {
      const monthDay = id.slice(5, 10);
      byMonthDay.set(monthDay, [...(byMonthDay.get(monthDay) ?? []), id]);
    }
    for (const [monthDay, ids] of byMonthDay) {
      const served: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/on-this-day/${monthDay}?leap=strict&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { events: { id: string; year: number }[]; next: string | null } = await getJson(query);
        served.push(...page.events.map((event) => event.id));
        cursor = page.next;
      } while (cursor);
      expect(served.sort(), monthDay).toEqual([...ids].sort());
    }
  });

  it('lists every topic in OPML, across its pages', async () => {
    const feeds: unknown[] = [];
    for (let path: string | undefined = '/opml'; path !== undefined; ) {
      const outlines = parseOpml((await get(path)).body).body?.outlines ?? [];
      feeds.push(...outlines.filter((outline) => outline.type === 'rss'));
      const include = outlines.find((outline) => outline.type === 'include') as { url?: string } | undefined;
      path =
        include?.url === undefined ? undefined : new URL(include.url).pathname + new URL(include.url).search;
    }
    const stats = await getJson<{ topics: number }>('/stats');

    expect(feeds.length).toBe(stats.topics);
  });

  it('removes an event when its object is deleted from the bucket', async () => {
    // Prepare: an event file that no day listing also names, so nothing else keeps the event alive.
    const canonical = /news\/(\d{4})\/(\d{2})\/(\d{1,2})\/(.+)\.md$/;
    const idOf = (key: string) => {
      const m = key.match(canonical);
      return m ? `${m[1]}-${m[2]}-${m[3]?.padStart(2, '0')}/${m[4]}` : '';
    };
    const file = englishFiles.find((f) => !f.key.endsWith('index.md') && !listed.has(idOf(f.key)));
    expect(file).toBeDefined();
    const [date, slug] = idOf(file?.key ?? '').split('/') as [string, string];
    const path = `/events/${date}/${encodeURIComponent(slug)}.json`;
    expect((await get(path)).status).toBe(200);

    // Act
    await api.stack.s3.send(new DeleteObjectCommand({ Bucket: 'events', Key: file?.key }));
    await api.stack.drain();

    // Assess
    expect((await get(path)).status).toBe(404);
  });
});
