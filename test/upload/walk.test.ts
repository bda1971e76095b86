// Folder walking for `npm run upload`: which files are picked up, in what order, and what is reported missing.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectFiles, isUploadableName } from '../../shared/upload/walk';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'upload-walk-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function touch(relative: string, text = 'x'): string {
  const path = join(dir, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('isUploadableName', () => {
  it.each([
    ['event.md', true],
    ['EVENT.MD', true],
    ['notes.txt', true],
    ['000_4bc9a00371593991', true],
    ['茶隼运载火箭.md', true],
    ['.hidden.md', false],
    ['README.md', false],
    ['readme', false],
    ['feed.json', false],
    ['biome.jsonc', false],
  ])('%s → %s', (name, expected) => {
    // Prepare
    const input = name;

    // Act
    const uploadable = isUploadableName(input);

    // Assess
    expect(uploadable).toBe(expected);
  });
});

describe('collectFiles', () => {
  it('walks folders recursively, keeps event-like files, skips dotfiles, dot-folders and READMEs', async () => {
    // Prepare
    touch('news/2016/07/9/b.md');
    touch('news/2016/07/9/a.md');
    touch('zh/news/2012/12/25/茶隼.md');
    touch('inbox/draft.txt');
    touch('seed/000_4bc9a00371593991');
    touch('README.md');
    touch('news/.DS_Store');
    touch('.git/config.md');
    touch('feeds/out.json');

    // Act
    const { files, missing } = await collectFiles([dir]);

    // Assess
    expect(missing).toEqual([]);
    expect(files.map((file) => file.path)).toEqual([
      join(dir, 'inbox/draft.txt'),
      join(dir, 'news/2016/07/9/a.md'),
      join(dir, 'news/2016/07/9/b.md'),
      join(dir, 'seed/000_4bc9a00371593991'),
      join(dir, 'zh/news/2012/12/25/茶隼.md'),
    ]);
    expect(files.every((file) => file.root === dir)).toBe(true);
  });

  it('records each file size', async () => {
    // Prepare
    touch('a.md', 'hello');

    // Act
    const { files } = await collectFiles([dir]);

    // Assess
    expect(files).toEqual([{ path: join(dir, 'a.md'), root: dir, size: 5 }]);
  });

  it('takes a file named directly whatever its name, without a root', async () => {
    // Prepare
    const json = touch('export/event.json');

    // Act
    const { files } = await collectFiles([json]);

    // Assess
    expect(files).toEqual([{ path: json, size: 1 }]);
  });

  it('lists each file once when it is reached twice', async () => {
    // Prepare
    const file = touch('news/2016/02/29/x.md');

    // Act
    const { files } = await collectFiles([file, dir, join(dir, '.', 'news', '2016', '02', '29', 'x.md')]);

    // Assess
    expect(files.map((found) => found.path)).toEqual([file]);
  });

  it('follows symlinked files but not symlinked folders', async () => {
    // Prepare
    const target = touch('elsewhere/real.md');
    const walked = join(dir, 'walked');
    mkdirSync(walked);
    symlinkSync(target, join(walked, 'link.md'));
    symlinkSync(join(dir, 'elsewhere'), join(walked, 'folder-link'));

    // Act
    const { files } = await collectFiles([walked]);

    // Assess
    expect(files.map((file) => file.path)).toEqual([join(walked, 'link.md')]);
  });

  it('reports inputs that do not exist', async () => {
    // Prepare
    const absent = join(dir, 'nope');
    touch('a.md');

    // Act
    const { files, missing } = await collectFiles([absent, dir]);

    // Assess
    expect(missing).toEqual([absent]);
    expect(files).toHaveLength(1);
  });
});
