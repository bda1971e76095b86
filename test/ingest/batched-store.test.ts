// The batch's records write together, but a failing group falls back to one write per record.
import { describe, expect, it } from 'vitest';
import { BatchedIngestStore } from '../../shared/ingest/batched-store';
import { type ApplyOutcome, ingestStoreOver, type ObjectWriteRequest } from '../../shared/store/events-table';

/** A store that records each `applyMany` call and fails the ones that include a poisoned key. */
function recordingStore(poisoned = new Set<string>()) {
  const calls: string[][] = [];
  const applyMany = async (requests: ObjectWriteRequest[]): Promise<ApplyOutcome[]> => {
    calls.push(requests.map((r) => r.version.key));
    if (requests.some((r) => poisoned.has(r.version.key))) throw new Error('throttled');
    return requests.map((r) => ({ status: 'applied', eventIds: [r.version.key] }));
  };
  return { store: ingestStoreOver(applyMany), calls };
}

const version = (key: string) => ({ key, sequencer: '01' });

describe('BatchedIngestStore', () => {
  it('writes every record of the batch in one group, once all have arrived', async () => {
    // Prepare
    const { store, calls } = recordingStore();
    const batch = new BatchedIngestStore(store, 3);

    // Act: two records write, one finishes without writing (a stale notification, say).
    const outcomes = await Promise.all([
      batch.participate((s) => s.putEvents(version('a.md'), [])),
      batch.participate((s) => s.deleteObject(version('b.md'))),
      batch.participate(async () => 'nothing to write'),
    ]);

    // Assess
    expect(calls).toEqual([['a.md', 'b.md']]);
    expect(outcomes).toEqual([
      { status: 'applied', eventIds: ['a.md'] },
      { status: 'applied', eventIds: ['b.md'] },
      'nothing to write',
    ]);
  });

  it('retries each record alone when the group fails, so one bad object fails only its record', async () => {
    // Prepare
    const { store, calls } = recordingStore(new Set(['bad.md']));
    const batch = new BatchedIngestStore(store, 2);

    // Act
    const [good, bad] = await Promise.allSettled([
      batch.participate((s) => s.putEvents(version('good.md'), [])),
      batch.participate((s) => s.putEvents(version('bad.md'), [])),
    ]);

    // Assess
    expect(good).toEqual({ status: 'fulfilled', value: { status: 'applied', eventIds: ['good.md'] } });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('throttled') });
    expect(calls).toEqual([['good.md', 'bad.md'], ['good.md'], ['bad.md']]);
  });

  it('sends a record’s second write straight to the store instead of waiting for the group again', async () => {
    // Prepare
    const { store, calls } = recordingStore();
    const batch = new BatchedIngestStore(store, 2);

    // Act
    await Promise.all([
      batch.participate(async (s) => {
        await s.putEvents(version('first.md'), []);
        return s.putRejection(version('second.md'), 'retries-exhausted', 'gave up');
      }),
      batch.participate((s) => s.putEvents(version('other.md'), [])),
    ]);

    // Assess
    expect(calls).toEqual([['first.md', 'other.md'], ['second.md']]);
  });
});
