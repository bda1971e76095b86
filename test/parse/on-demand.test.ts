import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixture } from './fixtures';

const fixtureNames = readdirSync(resolve(import.meta.dirname, '..', 'fixtures', 'parse')).sort();
const options = { latestDate: '2026-06-30' };

/** A fresh copy of the on-demand parser (nothing loaded yet), and whether it has loaded front-matter.ts. */
async function freshParser() {
  vi.resetModules();
  const loads = { frontMatter: 0 };
  vi.doMock('../../shared/parse/front-matter', async (importOriginal) => {
    loads.frontMatter++;
    return importOriginal();
  });
  const { parseEventObjectOnDemand } = await import('../../shared/parse/on-demand');
  return { parse: parseEventObjectOnDemand, loads };
}

describe('parseEventObjectOnDemand', () => {
  afterEach(() => {
    vi.doUnmock('../../shared/parse/front-matter');
    vi.resetModules();
  });

  it('gives parseEventObject’s result for every fixture, front matter or not', async () => {
    // Prepare
    const { parseEventObject } = await import('../../shared/parse');
    const { parse } = await freshParser();

    // Act
    const results = [];
    for (const name of fixtureNames) results.push(await parse(`incoming/${name}`, fixture(name), options));

    // Assess
    expect(fixtureNames).toContain('front-matter.md');
    expect(results).toEqual(
      fixtureNames.map((name) => parseEventObject(`incoming/${name}`, fixture(name), options)),
    );
  });

  it('loads the front matter parser only when an object opens with front matter', async () => {
    // Prepare
    const { parse, loads } = await freshParser();

    // Act
    const markdown = await parse('news/2007/07/9/x.md', fixture('en-event.md'), options);
    const loadsAfterMarkdown = loads.frontMatter;
    const first = await parse('incoming/bridge.md', fixture('front-matter.md'), options);
    const second = await parse('incoming/bridge.md', fixture('front-matter.md'), options);

    // Assess
    expect(markdown.kind).toBe('event');
    expect(loadsAfterMarkdown).toBe(0);
    expect(first).toMatchObject({ kind: 'event', contribution: 'front-matter' });
    expect(second).toEqual(first);
    expect(loads.frontMatter).toBe(1);
  });

  it('still refuses a ---js block on the first load, without running it', async () => {
    // Prepare
    const { parse } = await freshParser();
    const pwned = globalThis as { __frontMatterPwned?: string };

    // Act
    const result = await parse('incoming/evil.md', fixture('front-matter-js.md'), options);

    // Assess
    expect(result).toMatchObject({ kind: 'rejected', reason: 'invalid-front-matter' });
    expect(pwned.__frontMatterPwned).toBeUndefined();
  });
});
