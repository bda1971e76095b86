// Removes the objects a killed s3rver left half-written, before it starts on the same data directory.
//
// s3rver's PutObject writes `<key>._S3rver_object`, then `.md5`, then `._S3rver_metadata.json`, none of them
// atomically. A `kill -9` between those steps leaves an empty or partial file, and s3rver then fails every
// ListObjectsV2 page that reaches the object (an InternalError from JSON.parse): `aws s3 sync` and the start-up
// reconcile both stop. Such a PUT was never acknowledged, so the client retries it; dropping its files is what
// S3 would show after a failed PUT of a new key. (An interrupted overwrite loses the old version as well; the
// reconcile then deletes its events until the client uploads the object again.)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const OBJECT_SUFFIX = '._S3rver_object';

function isComplete(objectPath: string): boolean {
  const base = objectPath.slice(0, -OBJECT_SUFFIX.length);
  try {
    JSON.parse(readFileSync(`${base}._S3rver_metadata.json`, 'utf8'));
    const md5 = readFileSync(`${objectPath}.md5`, 'utf8').trim();
    return md5 === createHash('md5').update(readFileSync(objectPath)).digest('hex');
  } catch {
    return false;
  }
}

/** Deletes every incomplete object under s3rver's bucket folder; returns their file paths (relative). */
export function removeIncompleteObjects(bucketDir: string): string[] {
  if (!existsSync(bucketDir)) return [];
  const removed: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(OBJECT_SUFFIX) && !isComplete(path)) {
        const base = path.slice(0, -OBJECT_SUFFIX.length);
        for (const file of [path, `${path}.md5`, `${base}._S3rver_metadata.json`])
          rmSync(file, { force: true });
        removed.push(path.slice(bucketDir.length + 1));
      }
    }
  };
  visit(bucketDir);
  return removed;
}
