// POST /reprocess on the local stack: after a parser fix, objects that did not change in S3 are parsed again,
// once each, through the normal ingest path, and the topic counts stay exact. The "parser bug" is real parser
// behaviour: a topic limit set too low rejects a file, then the limit is restored (the fix) and nothing is uploaded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { reprocessViaHttp } from '../../shared/ingest/reprocess-cli';
import { PARSE_LIMITS } from '../../shared/parse/limits';
import { quietStackOptions } from '../support/local-stack';

const dataDir = mkdtempSync(join(tmpdir(), 'reprocess-'));
let stack: LocalStack;
const limits = PARSE_LIMITS as { topics: number };
const realTopicLimit = PARSE_LIMITS.topics;

const threeTopics = 'news/2016/07/9/bridge-reopens.md';
const twoTopics = 'news/2016/07/9/ferry-resumes.md';
const elsewhere = 'news/2017/01/2/tram-opens.md';
const file = (title: string, topics: string[]) =>
  `---\ntitle: ${title}\ndate: 2016-07-09\ntopics: [${topics.join(', ')}]\nsources:\n  - https://example.org/${encodeURIComponent(title)}\n---\n${title}.\n`;

async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${stack.baseUrl}/reprocess`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function topicCounts(): Promise<Record<string, number>> {
  const page = await stack.store.listTopics(undefined, { limit: 100 });
  return Object.fromEntries(page.items.map((topic) => [topic.label, topic.events]));
}

beforeAll(async () => {
  stack = await startLocalStack(quietStackOptions(dataDir, false));
});

afterAll(async () => {
  limits.topics = realTopicLimit;
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('POST /reprocess', () => {
  it('parses unchanged objects again after a parser fix, once each, with exact topic counts', async () => {
    // Prepare: a "parser bug" (at most two topics) rejects the three-topic file; the others are ingested.
    limits.topics = 2;
    const uploads: [string, string][] = [
      [threeTopics, file('Bridge reopens', ['Harbour', 'Bridges', 'Transport'])],
      [twoTopics, file('Ferry resumes', ['Harbour', 'Ferries'])],
      [elsewhere, file('Tram opens', ['Trams'])],
    ];
    for (const [Key, Body] of uploads)
      await stack.s3.send(new PutObjectCommand({ Bucket: 'events', Key, Body }));
    await stack.drain();
    const rejectedBefore = await stack.store.objectState(threeTopics);
    const acceptedBefore = await stack.store.objectState(twoTopics);
    const untouchedBefore = await stack.store.objectState(elsewhere);
    expect(rejectedBefore?.state).toBe('rejected');
    expect(await topicCounts()).toEqual({ Harbour: 1, Ferries: 1, Trams: 1 });
    limits.topics = realTopicLimit; // the fix: nothing changes in S3

    // Act: the prefix one key a page, following the cursor
    const pages = [];
    let cursor: unknown;
    do {
      const { status, json } = await post({ prefix: 'news/2016/', limit: 1, ...(cursor ? { cursor } : {}) });
      expect(status).toBe(202);
      pages.push(json.keys);
      cursor = json.next;
    } while (cursor);
    await stack.drain();

    // Assess: both objects under the prefix re-queued once; the rejected one is an event now, the other
    // re-parsed to the same result; counts are exact; the object outside the prefix was not touched.
    expect(pages.flat()).toEqual([threeTopics, twoTopics]);
    const rejectedAfter = await stack.store.objectState(threeTopics);
    const acceptedAfter = await stack.store.objectState(twoTopics);
    expect(rejectedAfter).toMatchObject({ state: 'events', eventIds: ['2016-07-09/bridge-reopens'] });
    expect((rejectedAfter?.seq ?? '') > (rejectedBefore?.seq ?? '')).toBe(true);
    expect(acceptedAfter).toMatchObject({ state: 'events', eventIds: acceptedBefore?.eventIds });
    expect((acceptedAfter?.seq ?? '') > (acceptedBefore?.seq ?? '')).toBe(true);
    expect((acceptedAfter?.at ?? '') > (acceptedBefore?.at ?? '')).toBe(true);
    expect(await stack.store.objectState(elsewhere)).toEqual(untouchedBefore);
    expect(await topicCounts()).toEqual({ Harbour: 2, Bridges: 1, Transport: 1, Ferries: 1, Trams: 1 });
    expect(await stack.store.stats()).toMatchObject({ events: 3, rejected: 0 });
    expect((await stack.store.getEvent('2016-07-09/bridge-reopens'))?.topics).toHaveLength(3);
  });

  it('re-parses one key again without changing anything when nothing about it changed', async () => {
    // Prepare
    const before = await stack.store.objectState(twoTopics);
    const counts = await topicCounts();

    // Act: the same key twice
    const first = await post({ key: twoTopics });
    const second = await post({ key: twoTopics });
    await stack.drain();

    // Assess
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.json).toEqual({ requeued: 1, keys: [twoTopics] });
    const after = await stack.store.objectState(twoTopics);
    expect((after?.seq ?? '') > (before?.seq ?? '')).toBe(true);
    expect(after).toMatchObject({ state: 'events', eventIds: before?.eventIds, eTag: before?.eTag });
    expect(await topicCounts()).toEqual(counts);
    expect(await stack.store.stats()).toMatchObject({ events: 3, rejected: 0 });
  });

  it('answers problems for a missing key, a malformed body and a cursor from another prefix', async () => {
    // Act
    const missing = await post({ key: 'news/2016/07/9/never-uploaded.md' });
    const malformed = await post({ prefix: '', limit: 5 });
    const both = await post({ key: threeTopics, prefix: 'news/' });
    const notJson = await post('{');
    const tooMany = await post({ prefix: 'news/', limit: 1_001 });
    const first = await post({ prefix: 'news/2016/', limit: 1 });
    const foreign = await post({ prefix: 'news/2017/', cursor: first.json.next });

    // Assess
    expect(missing).toMatchObject({ status: 404, json: { status: 404 } });
    for (const bad of [malformed, both, notJson, tooMany]) {
      expect(bad).toMatchObject({ status: 400, json: { param: 'body' } });
    }
    expect(foreign).toMatchObject({ status: 400, json: { param: 'cursor' } });
    await stack.drain();
  });

  it('is what npm run reprocess calls locally: it follows the cursor to the end of the prefix', async () => {
    // Prepare
    const counts = await topicCounts();
    const pages: string[][] = [];

    // Act
    const total = await reprocessViaHttp(stack.baseUrl, { prefix: 'news/' }, 2, (keys) => pages.push(keys));
    await stack.drain();

    // Assess
    expect(total).toBe(3);
    expect(pages).toEqual([[threeTopics, twoTopics], [elsewhere]]);
    expect(await topicCounts()).toEqual(counts);
  });
});
