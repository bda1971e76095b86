// The home page's "most active topics" over the local stack's table: kept per API instance for the page's
// max-age, then read again (shared/web/kept-topic-list.ts).
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessApi } from '../api/support';
import { startTestStack, type TestStack } from '../support/local-stack';
import { browserAccept } from './support';

const T0 = Date.parse('2026-07-09T10:00:00.000Z');
const NEW_TOPIC = 'Lighthouse keepers';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ samples: true });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe('home page ranking', () => {
  it('shows a new topic once the page’s max-age (60 s) has passed, not before', async () => {
    // Prepare: an API instance on a clock we move, and its home page before the upload
    let at = T0;
    const api = inProcessApi(stack.stack.store, () => new Date(at));
    const before = await api.get('/', { accept: browserAccept });
    await stack.stack.s3.send(
      new PutObjectCommand({
        Bucket: 'events',
        Key: 'news/2026/07/1/lighthouse-keepers-strike.md',
        Body: [
          '---',
          'title: Lighthouse keepers strike',
          'date: 2026-07-01',
          'topics:',
          `  - ${NEW_TOPIC}`,
          '---',
          '',
        ].join('\n'),
      }),
    );
    await stack.stack.drain();

    // Act
    at = T0 + 59_999;
    const kept = await api.get('/', { accept: browserAccept });
    at = T0 + 60_000;
    const reread = await api.get('/', { accept: browserAccept });

    // Assess: the topic is in the table at once (its own page), in the ranking only after the max-age
    expect(before.status).toBe(200);
    expect(before.body).not.toContain(NEW_TOPIC);
    expect((await api.get('/topics/lighthouse-keepers', { accept: browserAccept })).status).toBe(200);
    expect(kept.body).not.toContain(NEW_TOPIC);
    expect(reread.headers['cache-control']).toBe('public, max-age=60');
    expect(reread.body).toContain(NEW_TOPIC);
  });
});
