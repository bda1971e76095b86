// Removes the objects a killed s3rver left half-written, before it starts on the same data directory.
//
// s3rver's PutObject writes `<key>._S3rver_object`, then `.md5`, then `._S3rver_metadata.json`, none of them
// atomically. A `kill -9` between those steps leaves an empty or partial file, and s3rver then fails every
// ListObjectsV2 page that reaches the object (an InternalError from JSON.parse): `aws s3 sync` and the start-up
// reconcile both stop. A PUT whose content is cut short was never acknowledged, so the client retries it;
// dropping its files is what S3 would show after a failed PUT of a new key. (An interrupted overwrite loses the old version as well; the
// reconcile then deletes its events until the client uploads the object again.)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OBJECT_SUFFIX = '._S3rver_object';
const METADATA_SUFFIX = '._S3rver_metadata.json';

type Condition = 'complete' | 'metadata-lost' | 'incomplete';

/** The `.md5` is written after the content: if it matches, the content is whole and only the metadata may be cut. */
function conditionOf(objectPath: string, metadataPath: string): Condition {
  try {
    const md5 = readFileSync(`${objectPath}.md5`, 'utf8').trim();
    if (md5 !== createHash('md5').update(readFileSync(objectPath)).digest('hex')) return 'incomplete';
  } catch {
    return 'incomplete';
  }
  try {
    JSON.parse(readFileSync(metadataPath, 'utf8'));
    return 'complete';
  } catch {
    return 'metadata-lost';
  }
}

export interface RepairReport {
  /** Objects whose content was cut short: removed, as a PUT that never completed. */
  removed: string[];
  /** Whole objects whose metadata file was cut short: it is rewritten empty (s3rver's default content type). */
  restored: string[];
}

/** Repairs s3rver's bucket folder after a crash; returns the object files it touched (relative paths). */
export function repairInterruptedWrites(bucketDir: string): RepairReport {
  const report: RepairReport = { removed: [], restored: [] };
  if (!existsSync(bucketDir)) return report;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      if (!entry.isFile() || !entry.name.endsWith(OBJECT_SUFFIX)) continue;
      const metadataPath = `${path.slice(0, -OBJECT_SUFFIX.length)}${METADATA_SUFFIX}`;
      const condition = conditionOf(path, metadataPath);
      const name = path.slice(bucketDir.length + 1);
      if (condition === 'metadata-lost') {
        writeFileSync(metadataPath, '{}');
        report.restored.push(name);
      } else if (condition === 'incomplete') {
        for (const file of [path, `${path}.md5`, metadataPath]) rmSync(file, { force: true });
        report.removed.push(name);
      }
    }
  };
  visit(bucketDir);
  return report;
}
