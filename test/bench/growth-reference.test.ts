// The growth figures compare the grown store with a reference store of the first size, each served by an
// API process of its own: the reference must hold exactly the generated events of that size, served by
// the real API handler.
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

describe('the growth reference store', () => {
  it('holds the first size’s generated events, served by an API process of its own', async () => {
    // Prepare: 40 generated events; a page of 50 holds every one of a topic's.
    const generator = eventGenerator(pool, 11);
    const expected = new Map<string, Set<string>>();
    for (let k = 0; k < 40; k++) {
      const { event } = generator.at(k).contribution;
      for (const label of event.topics) {
        const slug = topicSlug(label);
        expected.set(slug, (expected.get(slug) ?? new Set()).add(event.id));
      }
    }
    const reference: ReferenceStore = await startReferenceStore(eventGenerator(pool, 11), 'events', 40, at);
    running.push(reference);

    // Act
    const api: ApiProcess = await startApiProcess(reference.dynamoEndpoint, 'events');
    running.push(api);
    const feeds = await Promise.all(
      [...expected.keys()].map(async (slug) => {
        const response = await fetch(`${api.baseUrl}/topics/${encodeURIComponent(slug)}/feed.json`);
        const feed = (await response.json()) as { items: { id: string }[] };
        return { slug, status: response.status, items: feed.items.length };
      }),
    );

    // Assess
    expect(feeds.length).toBeGreaterThan(1);
    for (const { slug, status, items } of feeds) {
      expect(status).toBe(200);
      expect(items).toBe(expected.get(slug)?.size);
    }
  }, 30_000);
});
