// The bucket side of the reconcile: ListObjectsV2 a page at a time (under each event prefix), and HeadObject for
// one key.
import {
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import * as z from '../zod';
import type { ListedObject, Page } from './reconcile';

export interface BucketPagesOptions {
  /** Key prefixes to list, one after another (the event prefixes); absent: the whole bucket. */
  prefixes?: readonly string[] | undefined;
  /** A position an earlier page returned as `next`. */
  after?: string | undefined;
  /** Keys per ListObjectsV2 call (S3's maximum and default is 1,000). */
  pageSize?: number;
}

// A position is the prefix being listed and the last key returned: ListObjectsV2's StartAfter takes any key, is
// documented to be stable, and (unlike a ContinuationToken) means the same thing in a later invocation.
const positionSchema = z.object({
  p: z.number().check(z.int(), z.nonnegative()),
  a: z.optional(z.string().check(z.minLength(1))),
});
type Position = z.infer<typeof positionSchema>;

export class InvalidListingPosition extends Error {
  override name = 'InvalidListingPosition';
}

function decodePosition(raw: string | undefined): Position {
  if (raw === undefined) return { p: 0 };
  try {
    return positionSchema.parse(JSON.parse(raw));
  } catch {
    throw new InvalidListingPosition('not a position this listing returned');
  }
}

export async function* bucketPages(
  s3: S3Client,
  bucket: string,
  options: BucketPagesOptions = {},
): AsyncGenerator<Page<ListedObject>> {
  const prefixes = options.prefixes && options.prefixes.length > 0 ? [...options.prefixes].sort() : [''];
  const start = decodePosition(options.after);
  for (let index = start.p; index < prefixes.length; index++) {
    const prefix = prefixes[index] as string;
    let startAfter = index === start.p ? start.a : undefined;
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          ...(prefix ? { Prefix: prefix } : {}),
          ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
          ...(options.pageSize ? { MaxKeys: options.pageSize } : {}),
        }),
      );
      const items = (page.Contents ?? []).flatMap((object) =>
        object.Key ? [{ key: object.Key, eTag: object.ETag?.replace(/"/g, ''), size: object.Size }] : [],
      );
      startAfter = items.at(-1)?.key ?? startAfter;
      token = page.NextContinuationToken;
      const next: Position | undefined = token
        ? { p: index, ...(startAfter ? { a: startAfter } : {}) }
        : index + 1 < prefixes.length
          ? { p: index + 1 }
          : undefined;
      yield { items, next: next && JSON.stringify(next) };
    } while (token);
  }
}

export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (
      error instanceof NotFound ||
      (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
    )
      return false;
    throw error;
  }
}
