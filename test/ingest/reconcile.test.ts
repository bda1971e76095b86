// The shared reconcile: which objects it re-queues and which it removes, page by page.
import { describe, expect, it } from 'vitest';
import { type ListedObject, type ManifestState, reconcile } from '../../shared/ingest/reconcile';

async function* pages<T>(...all: T[][]): AsyncGenerator<T[]> {
  for (const page of all) yield page;
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
  return {
    sent,
    deps: {
      async *listObjects() {
        let served = 0;
        for (const page of options.bucket) {
          if (options.listingFailsAfter !== undefined && served >= options.listingFailsAfter)
            throw new Error('InternalError');
          served++;
          yield page;
        }
      },
      manifest: async (key: string) => byKey.get(key),
      manifests: () => pages(options.manifests.slice(0, 1), options.manifests.slice(1)),
      writesComplete: async (m: ManifestState) => !(options.incomplete ?? []).includes(m.key),
      exists: async (key: string) => inBucket.has(key),
      requeue: async ({ action, object }: { action: 'put' | 'delete'; object: ListedObject }) => {
        sent.push(`${action} ${object.key}`);
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
    expect(sent).toEqual(['put b.md', 'put c.md', 'put d.md', 'put e.md', 'delete gone.md']);
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
    expect(report.listingFailed).toEqual({ after: 'b.md', error: 'Error: InternalError' });
    expect(report.removed).toBe(0);
  });
});
