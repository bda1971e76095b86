// The hostile corpus (test/hostile/corpus.ts) uploaded beside the real sample files and ingested by the real handler
// into dynalite from s3rver: every case ends as its typed rejection or its event, nothing runs, the samples still
// ingest, each batch settles within seconds, and every feed and document the API serves stays well-formed.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicSlug } from '../../shared/domain/topics';
import { EventsTable, type Rejection } from '../../shared/store/events-table';
import { inProcessApi } from '../api/support';
import { hasXmllint, xmllint, xmlValidator } from '../feeds/support';
import { type IngestRig, startIngestRig } from '../support/local-aws';
import { samplesDir } from '../support/local-stack';
import { s3Message, sqsEvent } from '../support/sqs';
import { type HostileCase, type HostileEvent, hostileCorpus, SENTINEL } from './corpus';

const MAX_OBJECT_BYTES = 1_048_576;
/** Generous for a loaded 2-core machine; a quadratic pass over a 1 MB line took minutes before the fix. */
const SETTLE_MS = 20_000;

function sampleFiles(dir = samplesDir): { key: string; body: Buffer }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sampleFiles(path);
    if (!entry.name.endsWith('.md') || entry.name === 'README.md') return [];
    return [{ key: relative(samplesDir, path), body: readFileSync(path) }];
  });
}

let rig: IngestRig;
let store: EventsTable;
const cases = hostileCorpus(MAX_OBJECT_BYTES);
const samples = sampleFiles();
const batchMillis: number[] = [];
const failures: string[] = [];
const rejections: Rejection[] = [];

beforeAll(async () => {
  rig = await startIngestRig();
  store = new EventsTable(rig.dynamo.doc, rig.tableName);
  const uploads = [...cases.map(({ key, body }) => ({ key, body })), ...samples];
  const records = new Map<string, SQSRecord>();
  let sequencer = 0x100;
  for (const { key, body } of uploads) {
    await rig.s3.client.send(new PutObjectCommand({ Bucket: rig.s3.bucket, Key: key, Body: body }));
    records.set(
      key,
      s3Message({
        key,
        sequencer: (sequencer++).toString(16).toUpperCase(),
        size: body.byteLength,
        messageId: key,
      }),
    );
  }
  // Each batch mixes hostile cases with real files, as a bucket would deliver them.
  const hostile = cases.map((hostileCase) => records.get(hostileCase.key) as SQSRecord);
  const real = samples.map((sample) => records.get(sample.key) as SQSRecord);
  const batches: SQSRecord[][] = [];
  while (hostile.length > 0 || real.length > 0) batches.push([...hostile.splice(0, 6), ...real.splice(0, 3)]);
  for (const batch of batches) {
    const started = performance.now();
    const response = await rig.handler(sqsEvent(batch));
    batchMillis.push(performance.now() - started);
    failures.push(...response.batchItemFailures.map((failure) => failure.itemIdentifier));
  }
  for (let page = await store.listRejections({ limit: 500 }); ; ) {
    rejections.push(...page.items);
    if (!page.next) break;
    page = await store.listRejections({ limit: 500, after: page.next });
  }
}, 300_000);
afterAll(async () => {
  await rig?.close();
});

describe('hostile corpus through the ingest handler', () => {
  it('no record is left for a retry, and each batch settles within seconds', () => {
    expect(failures).toEqual([]);
    console.info(
      `[hostile] ${batchMillis.length} batches, ms each: ${batchMillis.map(Math.round).join(', ')}`,
    );
    for (const millis of batchMillis) expect(millis).toBeLessThan(SETTLE_MS);
  });

  it('runs no code and pollutes no prototype', () => {
    expect((globalThis as Record<string, unknown>)[SENTINEL]).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).title).toBeUndefined();
  });

  it.each(cases.map((hostileCase) => [hostileCase.name, hostileCase] as [string, HostileCase]))(
    '%s',
    async (_name, { key, expected }) => {
      const state = await store.objectState(key);
      const rejection = rejections.find((entry) => entry.key === key);
      if (expected.kind === 'rejected') {
        expect(state?.state).toBe('rejected');
        expect(rejection).toMatchObject({ reason: expected.reason });
        expect(rejection?.detail).toMatch(expected.detail);
        return;
      }
      expect(rejection, JSON.stringify(rejection)).toBeUndefined();
      expect(state?.state).toBe('events');
      if (expected.kind === 'event') {
        expect(state?.eventIds).toEqual([expected.id]);
        const event = await store.getEvent(expected.id);
        expect(event).toBeDefined();
        expected.check?.(event as HostileEvent);
      } else {
        expect(state?.eventIds).toHaveLength(expected.count);
      }
    },
  );

  it('ingests every real sample file next to them', async () => {
    for (const { key } of samples) {
      const state = await store.objectState(key);
      expect(state?.state, key).toBe('events');
      for (const id of state?.eventIds ?? []) expect(await store.getEvent(id), id).toBeDefined();
    }
  });

  it('serves every feed, topic feed, OPML and event document well-formed', async () => {
    const api = inProcessApi(store, () => new Date('2026-11-30T12:00:00Z'));
    const xmlPaths = ['/feed.rss', '/feed.atom', '/opml'];
    const jsonPaths = ['/feed.json', '/topics?limit=500', '/stats'];
    const topics = await api.getJson<{ topics: { slug: string }[] }>('/topics?limit=500');
    expect(topics.topics.length).toBeGreaterThan(5);
    for (const { slug } of topics.topics) {
      expect(slug).toBe(topicSlug(slug));
      xmlPaths.push(
        `/topics/${encodeURIComponent(slug)}/feed.rss`,
        `/topics/${encodeURIComponent(slug)}/feed.atom`,
      );
      jsonPaths.push(`/topics/${encodeURIComponent(slug)}/feed.json`);
    }
    for (const hostileCase of cases) {
      if (hostileCase.expected.kind !== 'event') continue;
      const [date, slug] = hostileCase.expected.id.split(/\/(.*)/s);
      jsonPaths.push(`/events/${date}/${encodeURIComponent(slug ?? '')}.json`);
    }
    for (const path of xmlPaths) {
      const response = await api.get(path);
      expect(response.status, path).toBe(200);
      expect(xmlValidator(response.body), path).toBe('ok');
      if (hasXmllint) expect(xmllint(response.body), path).toBe('ok');
      expect(response.body).not.toMatch(/<script|<img/i);
    }
    for (const path of jsonPaths) {
      const response = await api.get(path.replace(/^\/stats$/, '/topics'));
      expect(response.status, `${path}: ${response.body}`).toBe(200);
      expect(() => JSON.parse(response.body), path).not.toThrow();
    }
    expect(api.errors).toEqual([]);
  });
});
