// Key mapping for `npm run upload`: canonical news/zh keys from any folder depth, the inbox fallback, Windows paths.
import { describe, expect, it } from 'vitest';
import { objectKeyFor, planUploads, toPosixSegments } from '../../shared/upload/keys';

describe('objectKeyFor', () => {
  it('keys an English event file from its news/ segment on', () => {
    // Prepare
    const file = '/work/shared/corpus/en/news/2007/07/9/lal-masjid-siege.md';

    // Act
    const key = objectKeyFor(file, '/work/shared/corpus/en');

    // Assess
    expect(key).toBe('news/2007/07/9/lal-masjid-siege.md');
  });

  it('keeps zh/ in front of news/ and keeps Han file names as they are', () => {
    // Prepare
    const file = 'corpus/zh/news/2014/03/3/伊拉克安全部隊在安巴爾省擊斃52名武裝分子.md';

    // Act
    const key = objectKeyFor(file, 'corpus');

    // Assess
    expect(key).toBe('zh/news/2014/03/3/伊拉克安全部隊在安巴爾省擊斃52名武裝分子.md');
  });

  it('keys day listings like event files', () => {
    // Prepare
    const file = 'samples/zh/news/2016/07/9/index.md';

    // Act
    const key = objectKeyFor(file);

    // Assess
    expect(key).toBe('zh/news/2016/07/9/index.md');
  });

  it('uses the innermost news/ folder when the path has several', () => {
    // Prepare
    const file = '/home/news/projects/feed/samples/news/2016/02/29/leap-day.md';

    // Act
    const key = objectKeyFor(file, '/home/news/projects/feed/samples');

    // Assess
    expect(key).toBe('news/2016/02/29/leap-day.md');
  });

  it('does not treat a zh folder that is not right before news/ as the zh edition', () => {
    // Prepare
    const file = '/data/zh/archive/news/2012/12/25/launch.md';

    // Act
    const key = objectKeyFor(file, '/data');

    // Assess
    expect(key).toBe('news/2012/12/25/launch.md');
  });

  it('does not take a file named news for a news/ folder', () => {
    // Prepare
    const file = 'drafts/news';

    // Act
    const key = objectKeyFor(file, 'drafts');

    // Assess
    expect(key).toBe('inbox/news');
  });

  it('keys an inbox file from its inbox/ segment on, without doubling it', () => {
    // Prepare
    const file = 'samples/inbox/riverton-harbor-bridge-reopens.md';

    // Act
    const key = objectKeyFor(file, 'samples');

    // Assess
    expect(key).toBe('inbox/riverton-harbor-bridge-reopens.md');
  });

  it('falls back to inbox/ plus the path below the given folder, keeping nested folders', () => {
    // Prepare
    const root = '/tmp/drafts';
    const file = '/tmp/drafts/july/week-2/bridge.md';

    // Act
    const key = objectKeyFor(file, root);

    // Assess
    expect(key).toBe('inbox/july/week-2/bridge.md');
  });

  it('falls back to inbox/ plus the bare file name for a file named directly', () => {
    // Prepare
    const file = '../elsewhere/drafts/bridge.md';

    // Act
    const key = objectKeyFor(file);

    // Assess
    expect(key).toBe('inbox/bridge.md');
  });

  it('handles a relative root with ./ and a trailing slash', () => {
    // Prepare
    const root = './drafts/';
    const file = 'drafts/sub/a.txt';

    // Act
    const key = objectKeyFor(file, root);

    // Assess
    expect(key).toBe('inbox/sub/a.txt');
  });

  it('maps Windows paths with backslashes and a drive letter to POSIX keys', () => {
    // Prepare
    const newsFile = 'C:\\Users\\me\\feed\\samples\\zh\\news\\2012\\12\\25\\茶隼2号.md';
    const draft = 'C:\\Users\\me\\drafts\\july\\bridge.md';

    // Act
    const newsKey = objectKeyFor(newsFile, 'C:\\Users\\me\\feed\\samples');
    const draftKey = objectKeyFor(draft, 'C:\\Users\\me\\drafts');

    // Assess
    expect(newsKey).toBe('zh/news/2012/12/25/茶隼2号.md');
    expect(draftKey).toBe('inbox/july/bridge.md');
  });

  it('normalizes decomposed (NFD) file names to NFC, as macOS stores them', () => {
    // Prepare
    const decomposed = 'news/2018/01/2/zu\u0308rich.md';

    // Act
    const key = objectKeyFor(decomposed);

    // Assess
    expect(key).toBe('news/2018/01/2/z\u00fcrich.md');
  });

  it('rejects a path that names no file', () => {
    // Prepare
    const paths = ['', '/', '..'];

    // Act
    const attempts = paths.map((path) => () => objectKeyFor(path));

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(/not a file path/);
  });
});

describe('toPosixSegments', () => {
  it('splits on both separators and drops empty and . segments', () => {
    // Prepare
    const path = 'D:\\a\\.\\b//c/';

    // Act
    const segments = toPosixSegments(path);

    // Assess
    expect(segments).toEqual(['a', 'b', 'c']);
  });
});

describe('planUploads', () => {
  it('prefixes every key and keeps the input order', () => {
    // Prepare
    const files = [{ path: 'samples/news/2007/07/9/a.md', root: 'samples', size: 10 }, { path: 'notes.md' }];

    // Act
    const plan = planUploads(files, 'staging/');

    // Assess
    expect(plan.uploads).toEqual([
      { path: 'samples/news/2007/07/9/a.md', key: 'staging/news/2007/07/9/a.md', size: 10 },
      { path: 'notes.md', key: 'staging/inbox/notes.md' },
    ]);
    expect(plan.conflicts).toEqual([]);
  });

  it('reports different files that would write the same key', () => {
    // Prepare
    const files = [
      { path: 'one/news/2016/02/29/x.md', root: 'one' },
      { path: 'two/news/2016/02/29/x.md', root: 'two' },
      { path: 'two/news/2016/02/28/y.md', root: 'two' },
    ];

    // Act
    const plan = planUploads(files);

    // Assess
    expect(plan.conflicts).toEqual([
      { key: 'news/2016/02/29/x.md', paths: ['one/news/2016/02/29/x.md', 'two/news/2016/02/29/x.md'] },
    ]);
  });
});
