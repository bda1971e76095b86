// The S3 client, made once per container at module scope (see dynamo-client.ts for why one module a client).
import { S3Client } from '@aws-sdk/client-s3';

/** The endpoint override exists only for the local stack (s3rver); in AWS it is unset. */
export function makeS3Client(endpoint = process.env.S3_ENDPOINT): S3Client {
  return new S3Client(endpoint ? { endpoint, forcePathStyle: true } : {});
}

export const s3 = makeS3Client();
