// Canonical S3 keys for local files: the part of the path from `zh/news/`, `news/` or `inbox/` on, else `inbox/...`.
import { posix } from 'node:path';

/** Both separators count (a Windows path on any OS); a drive letter or UNC host is dropped; NFC (macOS stores NFD). */
export function toPosixSegments(path: string): string[] {
  return path
    .normalize('NFC')
    .replaceAll('\\', '/')
    .replace(/^[A-Za-z]:(?=\/|$)/, '')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
}

/**
 * The object key for `file`, found under the folder `root` (absent when the file was named directly).
 * - a `zh/news/` segment: `zh/news/...` from there (`corpus/zh/news/2016/07/9/茶隼.md` → `zh/news/2016/07/9/茶隼.md`)
 * - else a `news/` segment: `news/...` from there
 * - else an `inbox/` segment: `inbox/...` from there
 * - else `inbox/` + the path relative to `root`, or the bare file name.
 * The last matching folder wins, so `/home/news/site/news/2016/...` keys from the inner `news/`.
 */
export function objectKeyFor(file: string, root?: string): string {
  const segments = toPosixSegments(file);
  const fileName = segments.at(-1);
  if (fileName === undefined || fileName === '..') throw new Error(`not a file path: "${file}"`);
  const folders = segments.slice(0, -1);

  const news = folders.lastIndexOf('news');
  if (news >= 0) {
    const start = news > 0 && folders[news - 1] === 'zh' ? news - 1 : news;
    return segments.slice(start).join('/');
  }
  const inbox = folders.lastIndexOf('inbox');
  if (inbox >= 0) return segments.slice(inbox).join('/');

  return `inbox/${root === undefined ? fileName : relativeTo(root, segments)}`;
}

function relativeTo(root: string, fileSegments: readonly string[]): string {
  const rel = posix.relative(`/${toPosixSegments(root).join('/')}`, `/${fileSegments.join('/')}`);
  // Not below root (only when called inconsistently): fall back to the file name rather than a `..` key.
  if (rel === '' || rel === '..' || rel.startsWith('../')) return fileSegments.at(-1) ?? '';
  return rel;
}

export interface LocatedFile {
  /** Path to read, as found. */
  path: string;
  /** The folder argument the file was found under; absent for a file named directly. */
  root?: string;
  size?: number;
}

export interface PlannedUpload {
  path: string;
  key: string;
  size?: number;
}

export interface UploadPlan {
  uploads: PlannedUpload[];
  /** Keys that several different files would write: uploading them would silently keep only one. */
  conflicts: { key: string; paths: string[] }[];
}

/** Maps every file to `prefix + key`, in input order, and reports keys claimed by more than one file. */
export function planUploads(files: readonly LocatedFile[], prefix = ''): UploadPlan {
  const byKey = new Map<string, string[]>();
  const uploads: PlannedUpload[] = files.map((file) => {
    const key = `${prefix}${objectKeyFor(file.path, file.root)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), file.path]);
    return { path: file.path, key, ...(file.size === undefined ? {} : { size: file.size }) };
  });
  const conflicts = [...byKey]
    .filter(([, paths]) => paths.length > 1)
    .map(([key, paths]) => ({ key, paths }));
  return { uploads, conflicts };
}
