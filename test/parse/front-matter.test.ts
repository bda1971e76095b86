import { afterEach, describe, expect, it } from 'vitest';
import { frontMatterSchema, parseEventObject } from '../../shared/parse';
import { eventOf, fixture, fixtureText } from './fixtures';

const pwned = globalThis as { __frontMatterPwned?: string };

describe('parseEventObject: front matter', () => {
  afterEach(() => {
    delete pwned.__frontMatterPwned;
  });

  it('builds an event from YAML front matter and the Markdown body', () => {
    // Act
    const result = parseEventObject('incoming/bridge.md', fixture('front-matter.md'));

    // Assess
    expect(result).toMatchObject({ kind: 'event', contribution: 'front-matter' });
    expect(eventOf(result)).toEqual({
      id: '2024-03-15/harbour-bridge-reopens-after-repairs',
      date: '2024-03-15',
      slug: 'harbour-bridge-reopens-after-repairs',
      title: 'Harbour bridge reopens after repairs',
      description: 'The bridge reopened to traffic on Friday morning.',
      sources: [
        { name: 'City Gazette', url: 'https://gazette.example/bridge' },
        { name: 'news.example', url: 'https://news.example/bridge-reopens' },
      ],
      images: [{ url: 'https://gazette.example/bridge.jpg', caption: 'The bridge at dawn' }],
      related: [],
      topics: ['Harbour Bridge', 'Transport'],
      lang: 'en',
    });
  });

  it('refuses a ---js block and never runs it', () => {
    // Act
    const result = parseEventObject('incoming/evil.md', fixture('front-matter-js.md'));

    // Assess
    expect(result).toMatchObject({ kind: 'rejected', reason: 'invalid-front-matter' });
    expect(result.kind === 'rejected' && result.detail).toContain('"js" is not allowed');
    expect(pwned.__frontMatterPwned).toBeUndefined();
  });

  it.each(['javascript', 'coffee', 'json'])('refuses a ---%s block too', (language) => {
    // Prepare
    const body = fixtureText('front-matter-js.md').replace('---js', `---${language}`);

    // Act
    const result = parseEventObject('incoming/evil.md', body);

    // Assess
    expect(result).toMatchObject({ kind: 'rejected', reason: 'invalid-front-matter' });
    expect(pwned.__frontMatterPwned).toBeUndefined();
  });

  it('reports schema violations as invalid-front-matter with the fields named', () => {
    // Act
    const result = parseEventObject('incoming/bad.md', fixture('front-matter-invalid.md'));

    // Assess
    expect(result).toMatchObject({ kind: 'rejected', reason: 'invalid-front-matter' });
    const detail = result.kind === 'rejected' ? result.detail : '';
    expect(detail).toContain('title');
    expect(detail).toContain('date');
    expect(detail).toContain('sources.0');
  });

  it('rejects an impossible unquoted date instead of letting YAML roll it over to March', () => {
    // Act
    const result = parseEventObject('incoming/leap.md', fixture('front-matter-bad-date.md'));

    // Assess
    expect(result).toMatchObject({ kind: 'rejected', reason: 'invalid-date' });
  });

  it('accepts a quoted date, comma-separated topics, a zh title, a custom slug', () => {
    // Prepare
    const body =
      '---\ntitle: "河滨市举行龙舟节"\ndate: "2016-8-21"\ntopics: 河滨市, 龙舟\nslug: 河滨-dragon-boats\n---\n';

    // Act
    const event = eventOf(parseEventObject('incoming/boats.md', body));

    // Assess
    expect(event).toMatchObject({
      id: '2016-08-21/河滨-dragon-boats',
      topics: ['河滨市', '龙舟'],
      lang: 'zh',
    });
    expect(event.description).toBeUndefined();
  });

  it('takes the id from a canonical key, as for every other file', () => {
    // Act
    const event = eventOf(parseEventObject('news/2024/03/15/bridge.md', fixture('front-matter.md')));

    // Assess
    expect(event.id).toBe('2024-03-15/bridge');
  });

  it('does not serve a cached result: the same content under two keys yields two independent events', () => {
    // Prepare
    const body = fixtureText('front-matter.md');

    // Act
    const first = eventOf(parseEventObject('incoming/a.md', body));
    first.topics.push('mutated');
    const second = eventOf(parseEventObject('news/2024/03/15/b.md', body));

    // Assess
    expect(second.topics).toEqual(['Harbour Bridge', 'Transport']);
    expect(second.id).toBe('2024-03-15/b');
  });

  it('exports the schema it validates with', () => {
    // Act
    const parsed = frontMatterSchema.safeParse({ title: 'x', date: new Date(Date.UTC(2020, 1, 29)) });

    // Assess
    expect(parsed.success && parsed.data.date).toBe('2020-02-29');
  });
});
