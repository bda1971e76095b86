// The shared reconcile: which objects it re-queues and which it removes, page by page.
import { describe, expect, it } from 'vitest';
import {
  type ListedObject,
  type ManifestState,
  type Page,
  type RequeueNotice,
  reconcile,
} from '../../shared/ingest/reconcile';

/** Pages whose position is the index of the next page, so a paused run can resume from it. */
async function* pages<T>(all: T[][], after: string | undefined, failAfter?: number): AsyncGenerator<Page<T>> {
  for (let index = Number(after ?? 0); index < all.length; index++) {
    if (failAfter !== undefined && index >= failAfter) throw new Error('InternalError');
    yield { items: all[index] ?? [], next: index + 1 < all.length ? String(index + 1) : undefined };
  }
}

function rig(options: {
  bucket: ListedObject[][];
  manifests: ManifestState[];
  incomplete?: string[];
  listingFailsAfter?: number;
}) {
  const byKey = new Map(options.manifests.map((m) => [m.key, m]));
  const inBucket = new Set(options.bucket.flat().map((o) => o.key));
  const sent: string[] = [];
  const manifestPages = [options.manifests.slice(0, 1), options.manifests.slice(1)];
  return {
    sent,
    deps: {
      listObjects: (after?: string) => pages(options.bucket, after, options.listingFailsAfter),
      manifest: async (key: string) => byKey.get(key),
      manifests: (after?: string) => pages(manifestPages, after),
      writesComplete: async (m: ManifestState) => !(options.incomplete ?? []).includes(m.key),
      exists: async (key: string) => inBucket.has(key),
      requeue: async ({ action, object, after }: RequeueNotice) => {
        sent.push(`${action} ${object.key}${after ? ` after ${after}` : ''}`);
      },
    },
  };
}

const manifest = (key: string, eTag: string, state: ManifestState['state'] = 'events'): ManifestState => ({
  key,
  seq: '0001',
  state,
  eTag,
});

describe('reconcile', () => {
  it('re-queues missing, changed, deleted and half-written objects, and removes objects gone from the bucket', async () => {
    // Prepare
    const { deps, sent } = rig({
      bucket: [
        [
          { key: 'a.md', eTag: '"1"' },
          { key: 'b.md', eTag: '"2"' },
        ],
        [
          { key: 'c.md', eTag: '"3"' },
          { key: 'd.md', eTag: '"4"' },
          { key: 'e.md', eTag: '"5"' },
        ],
      ],
      manifests: [
        manifest('a.md', '1'),
        manifest('b.md', 'old'),
        manifest('d.md', '4', 'deleted'),
        manifest('e.md', '5'),
        manifest('gone.md', '9'),
        manifest('gone-already.md', '9', 'deleted'),
        manifest('sqs-message/abc', 'x', 'rejected'),
      ],
      incomplete: ['e.md'],
    });

    // Act
    const report = await reconcile(deps);

    // Assess
    expect(sent).toEqual([
      'put b.md after 0001',
      'put c.md',
      'put d.md after 0001',
      'put e.md after 0001',
      'delete gone.md after 0001',
    ]);
    expect(report).toEqual({ listed: 5, requeued: 4, removed: 1 });
  });

  it('removes nothing when the listing stops early, since unseen objects may still exist', async () => {
    // Prepare
    const { deps, sent } = rig({
      bucket: [[{ key: 'b.md', eTag: '2' }], [{ key: 'c.md', eTag: '3' }]],
      manifests: [manifest('gone.md', '9')],
      listingFailsAfter: 1,
    });

    // Act
    const report = await reconcile(deps);

    // Assess
    expect(sent).toEqual(['put b.md']);
    expect(report.resumeFrom).toBeUndefined();
    expect(report.listingFailed).toEqual({ after: 'b.md', error: 'Error: InternalError' });
    expect(report.removed).toBe(0);
  });

  it('pauses between pages when asked, and a run resumed from its cursor does the rest exactly once', async () => {
    // Prepare: three listing pages and two manifest pages; pause after every page
    const { deps, sent } = rig({
      bucket: [[{ key: 'a.md', eTag: '1' }], [{ key: 'b.md', eTag: '2' }], [{ key: 'c.md', eTag: '3' }]],
      manifests: [manifest('a.md', '1'), manifest('gone.md', '9'), manifest('gone-too.md', '9')],
    });
    const cursors: unknown[] = [];

    // Act
    let report = await reconcile(deps, { shouldPause: () => true });
    const totals = { listed: report.listed, requeued: report.requeued, removed: report.removed };
    while (report.resumeFrom) {
      cursors.push(report.resumeFrom);
      report = await reconcile(deps, { from: report.resumeFrom, shouldPause: () => true });
      totals.listed += report.listed;
      totals.requeued += report.requeued;
      totals.removed += report.removed;
    }

    // Assess
    expect(cursors).toEqual([
      { pass: 'objects', after: '1' },
      { pass: 'objects', after: '2' },
      { pass: 'manifests' },
      { pass: 'manifests', after: '1' },
    ]);
    expect(sent).toEqual([
      'put b.md',
      'put c.md',
      'delete gone.md after 0001',
      'delete gone-too.md after 0001',
    ]);
    expect(totals).toEqual({ listed: 3, requeued: 2, removed: 2 });
  });

  it('runs to the end without pausing when nothing asks it to', async () => {
    // Prepare
    const { deps } = rig({
      bucket: [[{ key: 'a.md', eTag: '1' }], [{ key: 'b.md', eTag: '2' }]],
      manifests: [manifest('a.md', '1'), manifest('b.md', '2')],
    });

    // Act
    const report = await reconcile(deps, { shouldPause: () => false });

    // Assess
    expect(report).toEqual({ listed: 2, requeued: 0, removed: 0 });
  });
});
