// The bucket side of the reconcile: ListObjectsV2 a page at a time, and HeadObject for one key.
import {
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { ListedObject } from './reconcile';

export async function* bucketPages(
  s3: S3Client,
  bucket: string,
  prefix?: string,
): AsyncGenerator<ListedObject[]> {
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        ContinuationToken: token,
        ...(prefix ? { Prefix: prefix } : {}),
      }),
    );
    yield (page.Contents ?? []).flatMap((object) =>
      object.Key ? [{ key: object.Key, eTag: object.ETag?.replace(/"/g, ''), size: object.Size }] : [],
    );
    token = page.NextContinuationToken;
  } while (token);
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
