import { describe, expect, it } from 'vitest';
import { parseEventObject } from '../../shared/parse';
import { fixture, listingOf } from './fixtures';

describe('parseEventObject: day listings', () => {
  it('reads an English listing: one event per entry, Context or description line, Formats line ignored', () => {
    // Act
    const listing = listingOf(parseEventObject('news/2021/03/4/index.md', fixture('en-listing.md')));

    // Assess
    expect(listing).toMatchObject({ kind: 'listing', date: '2021-03-04', lang: 'en' });
    expect(listing.events).toEqual([
      {
        id: '2021-03-04/riverton-s-council-approves-the-quot-blue-line-quot-tram-after-a-9-ndash-2-vote',
        date: '2021-03-04',
        slug: 'riverton-s-council-approves-the-quot-blue-line-quot-tram-after-a-9-ndash-2-vote',
        title: 'Riverton\'s council approves the "Blue Line" tram after a 9–2 vote.',
        sources: [],
        images: [],
        related: [],
        topics: ['Riverton', 'tram', 'public transport'],
        lang: 'en',
      },
      {
        id: '2021-03-04/a-moderate-earthquake-shakes-the-northvale-region-no-damage-is-reported',
        date: '2021-03-04',
        slug: 'a-moderate-earthquake-shakes-the-northvale-region-no-damage-is-reported',
        title: 'A moderate earthquake shakes the Northvale region; no damage is reported.',
        description: 'Seismologists recorded the tremor at 06:40 local time.',
        sources: [],
        images: [],
        related: [],
        topics: [],
        lang: 'en',
      },
      {
        // The link is not a canonical path: listing date + slug of the raw entry title.
        id: '2021-03-04/entry-whose-link-is-not-canonical',
        date: '2021-03-04',
        slug: 'entry-whose-link-is-not-canonical',
        title: 'Entry whose link is not canonical.',
        sources: [],
        images: [],
        related: [],
        topics: ['Elsewhere'],
        lang: 'en',
      },
    ]);
  });

  it('reads a Chinese listing: the ##### line before each entry is its topic, conversion markup resolved', () => {
    // Act
    const listing = listingOf(parseEventObject('zh/news/2016/08/21/index.md', fixture('zh-listing.md')));

    // Assess
    expect(listing.lang).toBe('zh');
    expect(listing.events.map((event) => [event.id, event.title, event.topics])).toEqual([
      [
        '2016-08-21/河滨市举行首届龙舟节-吸引约三万名观众',
        '河滨市举行首届龙舟节，吸引约三万名观众。',
        ['河滨市'],
      ],
      ['2016-08-21/zh-tw-北韓-zh-cn-朝鲜-宣布举行阅兵', '朝鲜宣布举行阅兵。', ['朝鲜']],
    ]);
  });

  it('meets the event file on one id: a listing entry and the zh event file under another key', () => {
    // Act
    const listing = listingOf(parseEventObject('zh/news/2016/08/21/index.md', fixture('zh-listing.md')));
    const event = parseEventObject('uploads/龙舟.txt', fixture('zh-event.md'));

    // Assess
    expect(event.kind === 'event' && event.event.id).toBe(listing.events[0]?.id);
  });

  it('detects a listing by content, whatever the key', () => {
    // Act
    const listing = listingOf(parseEventObject('incoming/day', fixture('en-listing.md')));

    // Assess
    expect(listing.date).toBe('2021-03-04');
    expect(listing.events).toHaveLength(3);
  });

  it('accepts an empty listing as a valid listing with zero events', () => {
    // Act
    const result = parseEventObject('news/2016/02/29/index.md', fixture('empty-listing.md'));

    // Assess
    expect(result).toEqual({ kind: 'listing', date: '2016-02-29', lang: 'en', events: [] });
  });
});
