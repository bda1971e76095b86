// GET /rejections against dynalite: bounded pages with a cursor, filtered by reason and by key prefix.
import { describe, expect, it } from 'vitest';
import { adminRoutes } from '../../shared/api/admin-routes';
import { http } from '../../shared/http/handler';
import { EventsTable, type Rejection } from '../../shared/store/events-table';
import { RejectionQueries } from '../../shared/store/rejection-queries';
import { apiEvent } from '../http/support';
import { withFreshTable } from '../support/local-aws';

let store: EventsTable;
let admin: ReturnType<typeof http>;

withFreshTable((dynamo, tableName) => {
  store = new EventsTable(dynamo.doc, tableName, { now: () => new Date('2026-11-30T12:00:00Z') });
  admin = http(adminRoutes(store, { rejections: new RejectionQueries(dynamo.doc, tableName) }), {
    logError: () => undefined,
  });
});

async function get(
  path: string,
): Promise<{ status: number; body: { rejections: Rejection[]; next?: string } }> {
  const [rawPath = '/', rawQueryString = ''] = path.split('?');
  const result = await admin(apiEvent({ rawPath, rawQueryString }));
  return { status: result.statusCode ?? 200, body: JSON.parse(String(result.body)) };
}

async function reject(key: string, reason: 'invalid-date' | 'over-limit' | 'not-utf8'): Promise<void> {
  await store.putRejection({ key, sequencer: '01' }, reason, `${reason} in ${key}`);
}

describe('GET /rejections', () => {
  it('pages through every rejection with limit and cursor, each once, in key order', async () => {
    // Prepare
    const keys = Array.from({ length: 7 }, (_, index) => `inbox/r-${index}.md`);
    for (const key of keys) await reject(key, 'invalid-date');

    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get(`/rejections?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      expect(body.rejections.length).toBeLessThanOrEqual(3);
      seen.push(...body.rejections.map((rejection) => rejection.key));
      cursor = body.next;
      pages++;
    } while (cursor);

    // Assess
    expect(seen).toEqual(keys);
    expect(pages).toBe(3);
  });

  it('filters by reason and by key prefix, together', async () => {
    await reject('news/2007/a.md', 'invalid-date');
    await reject('news/2007/b.md', 'over-limit');
    await reject('news/2008/c.md', 'over-limit');
    await reject('inbox/d.md', 'over-limit');

    const byReason = await get('/rejections?reason=over-limit');
    const byPrefix = await get('/rejections?prefix=news%2F2007%2F');
    const both = await get('/rejections?prefix=news%2F&reason=over-limit&limit=1');

    expect(byReason.body.rejections.map((r) => r.key)).toEqual([
      'inbox/d.md',
      'news/2007/b.md',
      'news/2008/c.md',
    ]);
    expect(byPrefix.body.rejections.map((r) => r.key)).toEqual(['news/2007/a.md', 'news/2007/b.md']);
    expect(both.body.rejections).toEqual([
      {
        key: 'news/2007/b.md',
        reason: 'over-limit',
        detail: 'over-limit in news/2007/b.md',
        at: expect.any(String),
      },
    ]);
    const rest = await get(`/rejections?prefix=news%2F&reason=over-limit&limit=1&cursor=${both.body.next}`);
    expect(rest.body.rejections.map((r) => r.key)).toEqual(['news/2008/c.md']);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['reason=%3Cscript%3E', 'reason'],
    [`prefix=${'a'.repeat(1025)}`, 'prefix'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('answers 400 for %s', async (query, param) => {
    const [rawPath = '/', rawQueryString = ''] = `/rejections?${query}`.split('?');
    const result = await admin(apiEvent({ rawPath, rawQueryString }));
    expect(result.statusCode).toBe(400);
    expect(String(result.body)).toContain(param);
  });
});
