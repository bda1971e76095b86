import { describe, expect, it } from 'vitest';
import { parseEventObject } from '../../shared/parse';
import { eventOf, fixture, fixtureText, listingOf } from './fixtures';

describe('parseEventObject: event files', () => {
  it('reads an English event file under its canonical key', () => {
    // Prepare
    const key =
      'news/2021/03/4/riverton-s-council-approves-the-quot-blue-line-quot-tram-after-a-9-ndash-2-vote.md';

    // Act
    const result = parseEventObject(key, fixture('en-event.md'));

    // Assess
    expect(result).toMatchObject({ kind: 'event', contribution: 'event-file' });
    expect(eventOf(result)).toEqual({
      id: '2021-03-04/riverton-s-council-approves-the-quot-blue-line-quot-tram-after-a-9-ndash-2-vote',
      date: '2021-03-04',
      slug: 'riverton-s-council-approves-the-quot-blue-line-quot-tram-after-a-9-ndash-2-vote',
      title: 'Riverton\'s council approves the "Blue Line" tram after a 9–2 vote.',
      description: 'The new line will link the harbour and the airport by 2025.',
      sources: [
        { name: 'Riverton Herald', url: 'https://herald.example/tram?id=7&page=2' },
        { name: 'Valley Radio', url: 'http://radio.example/news/tram' },
      ],
      images: [],
      related: [
        {
          id: '2020-06-12/riverton-opens-its-first-cycle-lane-on-main-street',
          title: 'Riverton opens its first cycle lane on Main Street.',
          date: '2020-06-12',
          topics: ['Riverton', 'cycling'],
        },
        {
          id: '2019-11-03/the-harbour-express-ferry-is-retired-after-40-years',
          title: 'The Harbour Express ferry is retired after 40 years.',
          date: '2019-11-03',
          topics: ['Riverton', 'Harbour Express'],
        },
      ],
      topics: ['Riverton', 'cycling', 'Harbour Express'],
      lang: 'en',
    });
  });

  it('gives a file under a non-canonical key (no extension) the id its listing entry carries', () => {
    // Prepare
    const body = fixture('en-event.md');

    // Act
    const loose = eventOf(parseEventObject('incoming/upload-123', body));
    const listing = listingOf(parseEventObject('news/2021/03/4/index.md', fixture('en-listing.md')));

    // Assess
    expect(loose.id).toBe(listing.events[0]?.id);
    expect(loose.id).toBe(
      '2021-03-04/riverton-s-council-approves-the-quot-blue-line-quot-tram-after-a-9-ndash-2-vote',
    );
  });

  it('lets the content, not the extension, decide: a .txt key with event content is an event', () => {
    // Act
    const result = parseEventObject('news/2021/03/4/story.txt', fixture('en-event.md'));

    // Assess
    expect(eventOf(result).date).toBe('2021-03-04');
    expect(eventOf(result).slug).toMatch(/^riverton-s-council/);
  });

  it('keeps the canonical key as identity when the heading date disagrees', () => {
    // Act
    const event = eventOf(parseEventObject('news/2021/03/5/renamed.md', fixture('en-event.md')));

    // Assess
    expect(event).toMatchObject({ id: '2021-03-05/renamed', date: '2021-03-05', slug: 'renamed' });
  });

  it('reads a Chinese event file: headings, IMG resolved against its source, 消息 topics, timestamp junk', () => {
    // Act
    const event = eventOf(parseEventObject('incoming/dragon-boats.md', fixture('zh-event.md')));

    // Assess
    expect(event.lang).toBe('zh');
    expect(event.id).toBe('2016-08-21/河滨市举行首届龙舟节-吸引约三万名观众');
    expect(event.title).toBe('河滨市举行首届龙舟节，吸引约三万名观众。');
    expect(event.sources).toEqual([{ name: '河滨日报', url: 'http://daily.example/zh/2016/0821.html' }]);
    expect(event.images).toEqual([{ url: 'http://img.daily.example/2016/0821.jpg' }]);
    expect(event.related.map((ref) => [ref.id, ref.title])).toEqual([
      ['2015-05-02/河滨市新图书馆正式开放', '河滨市新图书馆正式开放。'],
      ['2014-09-09/河滨市地铁二号线动工-12-30-00-00', '河滨市地铁二号线动工。'],
    ]);
    expect(event.topics).toEqual(['河滨市', '图书馆', '地铁']);
  });

  it('detects zh from the title script when the file carries no zh heading and the key no zh/ prefix', () => {
    // Prepare
    const body = '### [2016-08-21](/news/2016/08/21/index.md)\n\n#  河滨市举行龙舟节。\n';

    // Act
    const event = eventOf(parseEventObject('x', body));

    // Assess
    expect(event.lang).toBe('zh');
    expect(event.slug).toBe('河滨市举行龙舟节');
  });

  it('ignores a Formats line that follows a blank first line', () => {
    // Act
    const event = eventOf(
      parseEventObject('news/2012/10/5/a-test-headline.md', fixture('formats-blank-line.md')),
    );

    // Assess
    expect(event).toMatchObject({ date: '2012-10-05', title: 'A test headline after a Formats line.' });
    expect(event.description).toBeUndefined();
  });

  it('reads CRLF line endings, a BOM, tabs, trailing spaces and missing blank lines like the LF file', () => {
    // Prepare
    const lf = fixtureText('ferry.md');
    const crlf = `\uFEFF${lf.replace(/\n/g, '\r\n')}`;

    // Act
    const fromLf = eventOf(parseEventObject('incoming/ferry', lf));
    const fromCrlf = eventOf(parseEventObject('incoming/ferry', new TextEncoder().encode(crlf)));

    // Assess
    expect(fromCrlf).toEqual(fromLf);
    expect(fromCrlf).toMatchObject({
      id: '2019-04-07/a-ferry-service-between-westport-and-eastbrook-resumes',
      title: 'A ferry service between Westport and Eastbrook resumes.',
      description: 'Description line with a tab. It continues here.',
      sources: [{ name: 'Westport News', url: 'https://westport.example/ferry' }],
      topics: ['Westport', 'ferries'],
    });
  });

  it('sends Cover Image and IMG to images, drops non-http links, keeps ( ) and { } in URLs, dedupes by URL', () => {
    // Act
    const event = eventOf(parseEventObject('incoming/solar.md', fixture('sources-images.md')));

    // Assess
    expect(event.sources).toEqual([
      { name: 'Northvale Post', url: 'https://post.example/solar' },
      { name: 'Energy Weekly', url: 'https://weekly.example/a?x=1&y=2' },
      { name: 'Wire', url: 'http://wire.example/story_(1)?guid={AB-12}' },
    ]);
    expect(event.images).toEqual([
      { url: 'https://post.example/img/solar.jpg' },
      { url: 'http://cdn.example/cover.jpg' },
      { url: 'http://wire.example/pictures/wire.png' },
    ]);
  });

  it('ignores the Changes section: its older versions are neither related events nor sources', () => {
    // Act
    const event = eventOf(parseEventObject('incoming/moon.md', fixture('changes.md')));

    // Assess
    expect(event.related.map((ref) => ref.id)).toEqual(['2018-03-10/a-lunar-probe-enters-orbit']);
    expect(event.topics).toEqual(['Moon']);
    expect(event.sources).toEqual([]);
  });

  it('turns wiki and HTML leftovers into plain text, while the slug keeps following the raw headline', () => {
    // Act
    const event = eventOf(parseEventObject('incoming/flood.md', fixture('leftovers.md')));

    // Assess
    expect(event.title).toBe(
      'Extreme weather: The river peaks at 8.3 ft in Eastbrook, $2.8 billion in damage is expected. ' +
        'A relief convoy travels 435 mi. (Eastbrook Times) More',
    );
    // The raw line, cut at 140 characters (a leading space included), slugged with its markup.
    expect(event.slug).toBe(
      'extreme-weather-the-river-peaks-at-convert-8-3-ft-m-in-eastbrook-nowrap-2-8-billion-in-damage-is-expected-ref-name-x-last',
    );
  });

  it('reads sections in any order, an unknown section ignored, the headline even before the date heading', () => {
    // Prepare
    const body = [
      '# Westport harbour reopens.',
      '### [2019-04-7](/news/2019/04/7/index.md)',
      '### Related:',
      '1. [ Storm closes Westport harbour. ](/news/2019/03/30/storm-closes-westport-harbour.md) _Context: Westport_',
      '### Notes:',
      'Not a description, not a source: [Agency](https://agency.example/x)',
      '### Source:',
      '1. [Westport News](https://westport.example/harbour)',
    ].join('\n');

    // Act
    const event = eventOf(parseEventObject('incoming/harbour', body));

    // Assess
    expect(event).toMatchObject({
      id: '2019-04-07/westport-harbour-reopens',
      sources: [{ name: 'Westport News', url: 'https://westport.example/harbour' }],
      related: [{ id: '2019-03-30/storm-closes-westport-harbour', topics: ['Westport'] }],
      topics: ['Westport'],
    });
    expect(event.description).toBeUndefined();
  });

  it('resolves zh conversion markup to the zh-cn variant, then zh-hans, then the first listed', () => {
    // Act
    const event = eventOf(parseEventObject('incoming/markup.md', fixture('conversion-markup.md')));

    // Assess
    expect(event.title).toBe('朝鲜官方媒体宣布最高领导人金某某逝世。');
    expect(event.related[0]?.title).toBe('朝鲜试射导弹。');
    expect(event.topics).toEqual(['朝鲜', '北韓']);
    expect(event.lang).toBe('zh');
  });
});
