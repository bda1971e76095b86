// The growth figures compare the grown store with a reference store of the first size, both served by one
// API process: the reference must hold exactly the generated events of that size, and each store must be
// answered from its own table.
import { afterAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApiProcess } from '../../bench/suite/api-process';
import { eventGenerator } from '../../bench/suite/generate';
import { type ReferenceStore, startReferenceStore } from '../../bench/suite/growth-reference';
import { topicSlug } from '../../shared/domain/topics';
import { makeEvent } from '../support/events';

const at = '2026-11-25T12:00:00.000Z';
const pool = [
  makeEvent('2007-07-09/siege', { title: 'Talks fail', topics: ['Islamabad', 'Red Mosque', 'Pakistan'] }),
  makeEvent('2008-02-29/leap', { title: 'Leap day', topics: ['Calendar'] }),
  makeEvent('2010-05-01/may', { title: 'May day', topics: ['Labour', 'Pakistan'] }),
];

const running: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const one of running.reverse()) await one.close();
});

/** The generated events' ids by topic slug, of events `0 … size`. */
function expectedTopics(size: number): Map<string, Set<string>> {
  const generator = eventGenerator(pool, 11);
  const expected = new Map<string, Set<string>>();
  for (let k = 0; k < size; k++) {
    const { event } = generator.at(k).contribution;
    for (const label of event.topics) {
      const slug = topicSlug(label);
      expected.set(slug, (expected.get(slug) ?? new Set()).add(event.id));
    }
  }
  return expected;
}

describe('the growth reference store', () => {
  it('holds the first size’s generated events, served beside the grown store by one API process', async () => {
    // Prepare: a 40-event store and a 10-event one (pages of 50 hold every event of a topic).
    const grownSize = 40;
    const referenceSize = 10;
    const grown: ReferenceStore = await startReferenceStore(
      eventGenerator(pool, 11),
      'events',
      grownSize,
      at,
    );
    running.push(grown);
    const reference: ReferenceStore = await startReferenceStore(
      eventGenerator(pool, 11),
      'events',
      referenceSize,
      at,
    );
    running.push(reference);
    const expected = { grown: expectedTopics(grownSize), reference: expectedTopics(referenceSize) };

    // Act
    const api: ApiProcess = await startApiProcess([grown.dynamoEndpoint, reference.dynamoEndpoint], 'events');
    running.push(api);
    const [grownUrl, referenceUrl] = api.baseUrls as [string, string];
    const itemsOf = async (baseUrl: string, slug: string) => {
      const response = await fetch(`${baseUrl}/topics/${encodeURIComponent(slug)}/feed.json`);
      if (response.status !== 200) return { status: response.status, items: 0 };
      const feed = (await response.json()) as { items: { id: string }[] };
      return { status: response.status, items: feed.items.length };
    };
    const feeds = await Promise.all(
      [...expected.grown.keys()].map(async (slug) => ({
        slug,
        grown: await itemsOf(grownUrl, slug),
        reference: await itemsOf(referenceUrl, slug),
      })),
    );
    const unknownStore = await fetch(`${new URL(grownUrl).origin}/stores/2/topics`);

    // Assess: each base URL answers from its own store.
    expect(feeds.length).toBeGreaterThan(1);
    expect(feeds.some(({ grown, reference }) => grown.items !== reference.items)).toBe(true);
    for (const { slug, grown, reference } of feeds) {
      expect(grown).toEqual({ status: 200, items: expected.grown.get(slug)?.size });
      const inReference = expected.reference.get(slug)?.size;
      expect(reference).toEqual(
        inReference === undefined ? { status: 404, items: 0 } : { status: 200, items: inReference },
      );
    }
    expect(unknownStore.status).toBe(404);
  }, 60_000);
});
