// The one way tests and benchmarks reach the real event corpus (../shared/corpus, or CORPUS_DIR).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');

export const corpusDir = resolve(repoRoot, process.env.CORPUS_DIR ?? join('..', 'shared', 'corpus'));
export const hasCorpus = existsSync(join(corpusDir, 'SOURCE.md'));
export const corpusSkipMessage = `real corpus not found at ${corpusDir} (set CORPUS_DIR): corpus tests skipped`;

if (!hasCorpus) console.warn(`[corpus] ${corpusSkipMessage}`);

export interface CorpusFile {
  /** Canonical S3 key, e.g. `news/2007/07/9/x.md` or `zh/news/2010/05/1/index.md`. */
  key: string;
  path: string;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** Files of one edition, keyed as they would be uploaded (`en/` is dropped, `zh/` kept). */
export function corpusFiles(edition: 'en' | 'zh' | 'seed'): CorpusFile[] {
  if (!hasCorpus) return [];
  const root = join(corpusDir, edition);
  return walk(root)
    .filter((path) => edition === 'seed' || path.endsWith('.md'))
    .sort()
    .map((path) => {
      const rel = relative(root, path).split(sep).join('/');
      const key = edition === 'zh' ? `zh/${rel}` : rel;
      return { key, path };
    });
}

export function readCorpusFile(file: CorpusFile): Buffer {
  return readFileSync(file.path);
}
