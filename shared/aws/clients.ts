// Every AWS client in one object, for tests and scripts that need the very instances the handlers use.
// Handlers import the one module per client (dynamo-client.ts, s3-client.ts, sns-client.ts,
// sqs-client.ts) instead, so that each function's bundle holds only the SDK clients it calls.
import { dynamo } from './dynamo-client';
import { s3 } from './s3-client';
import { sns } from './sns-client';
import { sqs } from './sqs-client';

export { makeDocumentClient } from './dynamo-client';
export { makeS3Client } from './s3-client';

export const clients = { dynamo, s3, sns, sqs };
