// Finds the files to upload: named files as given, folders walked recursively for event-like files.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { LocatedFile } from './keys';

const UPLOADABLE_EXTENSIONS = new Set(['.md', '.txt', '']);
const README = /^readme(\.[a-z]+)?$/i;

/**
 * Whether a file met while walking a folder is uploaded: `.md`, `.txt` or no extension, not a dotfile, and not a
 * README (documentation next to the events, such as `samples/README.md`). Files named directly are always uploaded.
 */
export function isUploadableName(name: string): boolean {
  if (name.startsWith('.') || README.test(name)) return false;
  return UPLOADABLE_EXTENSIONS.has(extname(name).toLowerCase());
}

export interface CollectedFiles {
  /** Deduplicated by resolved path, in argument order; each folder's files sorted by path. */
  files: LocatedFile[];
  /** Arguments that are neither a file nor a folder. */
  missing: string[];
}

export async function collectFiles(inputs: readonly string[]): Promise<CollectedFiles> {
  const files: LocatedFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (file: LocatedFile) => {
    const resolved = resolve(file.path);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    files.push(file);
  };

  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (info?.isFile()) add({ path: input, size: info.size });
    else if (info?.isDirectory()) for (const file of await walkFolder(input)) add(file);
    else missing.push(input);
  }
  return { files, missing };
}

/** Every uploadable file below `root`, sorted by path. Dot-folders are skipped; symlinked folders are not followed. */
async function walkFolder(root: string): Promise<LocatedFile[]> {
  const out: LocatedFile[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(path);
        continue;
      }
      if (!isUploadableName(entry.name)) continue;
      if (entry.isFile()) {
        out.push({ path, root, size: (await stat(path)).size });
      } else if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        if (target?.isFile()) out.push({ path, root, size: target.size });
      }
    }
  };
  await visit(root);
  return out;
}
