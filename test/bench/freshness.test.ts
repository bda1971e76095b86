// The freshness step times new files into a topic's feed, then deletes them, so the store it leaves is the
// one it found: the next store size must not read the probes as the topic's newest events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshness } from '../../bench/suite/stores-step';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { topicSlug } from '../../shared/domain/topics';
import { quietStackOptions } from '../support/local-stack';

const dataDir = mkdtempSync(join(tmpdir(), 'freshness-'));
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack(quietStackOptions(dataDir, true));
  // The samples are uploaded at start and ingested from the local queue: the feed exists once it is drained.
  await stack.drain();
}, 60_000);
afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const topic = { label: 'Kestrel launch program', slug: topicSlug('Kestrel launch program') };
const feedIds = async (): Promise<string[]> => {
  const response = await fetch(`${stack.baseUrl}/topics/${encodeURIComponent(topic.slug)}/feed.json`);
  const feed = (await response.json()) as { items: { id: string }[] };
  return feed.items.map((item) => item.id);
};

describe('freshness step', () => {
  it('times each probe into the feed, then deletes the probes and leaves the feed as it was', async () => {
    // Prepare
    const before = await feedIds();

    // Act
    const figure = await freshness(stack, topic, 3, 'test');

    // Assess
    expect(before.length).toBeGreaterThan(0);
    expect(figure.name).toBe('freshness p99 @test');
    expect(figure.value).toBeGreaterThan(0);
    expect(figure.value).toBeLessThan(10_000);
    expect(await feedIds()).toEqual(before);
  }, 60_000);
});
