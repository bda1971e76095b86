// The S3 client, made once per container at module scope (see dynamo-client.ts for why one module a client).
import { S3Client } from '@aws-sdk/client-s3';
import { withFastProperties } from './fast-properties';

/**
 * The endpoint override exists only for the local stack (s3rver); in AWS it is unset. `cacheMiddleware`
 * resolves each command class's middleware stack once, not on every request: S3's command plugins depend
 * only on the client's config (client-s3 3.1175), and nothing here edits a stack after the first request.
 * A cached stack shares one context object across concurrent requests, and the endpoint middleware writes
 * the resolved endpoint (which names the bucket) into it: sound while a client's requests go to one
 * bucket, as in the stack, where the events bucket is the only one that notifies the ingest queue.
 * It took 0.3-0.6 ms of CPU off each ingested file (bench/suite/profile-ingest.ts, 1,200 zh files).
 */
export function makeS3Client(endpoint = process.env.S3_ENDPOINT): S3Client {
  const client = new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    cacheMiddleware: true,
  });
  // The middlewares copy the config on every request (fast-properties.ts).
  withFastProperties(client.config);
  return client;
}

export const s3 = makeS3Client();
