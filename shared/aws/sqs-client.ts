// The SQS client, made once per container at module scope (see dynamo-client.ts for why one module a client).
import { SQSClient } from '@aws-sdk/client-sqs';
import { withFastProperties } from './fast-properties';

export const sqs = new SQSClient({});
// The middlewares copy the config on every request (fast-properties.ts).
withFastProperties(sqs.config);
