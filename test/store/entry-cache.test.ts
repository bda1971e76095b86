import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/domain/event';
import { decodeEntryOnce } from '../../shared/store/entry-cache';
import { decodeEntry, listingEntryItem } from '../../shared/store/keys';

function storedEvent(title: string): StoredEvent {
  return {
    id: '2007-07-09/lal-masjid-siege',
    date: '2007-07-09',
    slug: 'lal-masjid-siege',
    title,
    sources: [{ name: 'BBC', url: 'http://news.bbc.co.uk/2/hi/south_asia/6286500.stm' }],
    images: [],
    related: [],
    topics: ['Islamabad'],
    lang: 'en',
    updatedAt: '2026-02-20T08:15:30.250Z',
  };
}

describe('decodeEntryOnce', () => {
  it('decodes an entry as decodeEntry does, and hands the same frozen event out again', () => {
    // Prepare
    const item = listingEntryItem(storedEvent('Siege of the Red Mosque'));

    // Act
    const first = decodeEntryOnce(item);
    const again = decodeEntryOnce({ ...item, doc: Uint8Array.from(item.doc as Uint8Array) });

    // Assess
    expect(first).toEqual(decodeEntry(item));
    expect(again).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.sources[0])).toBe(true);
    expect(() => {
      (first.topics as string[]).push('x');
    }).toThrow(TypeError);
  });

  it('decodes a changed entry anew', () => {
    // Prepare
    const before = decodeEntryOnce(listingEntryItem(storedEvent('Before')));

    // Act
    const after = decodeEntryOnce(listingEntryItem(storedEvent('After')));

    // Assess
    expect(after).not.toBe(before);
    expect(after.title).toBe('After');
  });
});
