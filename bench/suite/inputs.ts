// The bench's inputs: the real corpus files (../shared/corpus, or CORPUS_DIR), or a generated corpus when it
// is absent, and the pool of parsed events the store generator remixes.
import type { NewsEvent } from '../../shared/domain/event';
import { parseEventObject } from '../../shared/parse';
import { corpusFiles, hasCorpus, readCorpusFile } from '../../test/support/corpus';
import { syntheticCorpus } from './generate';

export interface InputFile {
  key: string;
  body: Uint8Array;
  /** Where the file is on disk (the real corpus); generated files live in memory only. */
  path?: string;
}

export const corpusName = hasCorpus ? '../shared/corpus (en, zh, seed)' : 'generated (no ../shared/corpus)';

/** Generated files when the real corpus is absent: about as many as it holds. */
const SYNTHETIC_FILES = 10_000;

export function inputFiles(seed: number): InputFile[] {
  if (!hasCorpus) {
    const encoder = new TextEncoder();
    return syntheticCorpus(SYNTHETIC_FILES, seed).map((file) => ({
      key: file.key,
      body: encoder.encode(file.body),
    }));
  }
  return (['en', 'zh', 'seed'] as const).flatMap((edition) =>
    corpusFiles(edition).map((file) => ({
      key: file.key,
      body: new Uint8Array(readCorpusFile(file)),
      path: file.path,
    })),
  );
}

/** Every event file's event (listings and rejections left out): what the store generator remixes. */
export function eventPool(files: readonly InputFile[]): NewsEvent[] {
  const seen = new Set<string>();
  const pool: NewsEvent[] = [];
  for (const file of files) {
    const parsed = parseEventObject(file.key, file.body);
    if (parsed.kind !== 'event' || seen.has(parsed.event.id)) continue;
    seen.add(parsed.event.id);
    pool.push(parsed.event);
  }
  return pool;
}
