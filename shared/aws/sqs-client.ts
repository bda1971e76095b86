// The SQS client, made once per container at module scope (see dynamo-client.ts for why one module a client).
import { SQSClient } from '@aws-sdk/client-sqs';

export const sqs = new SQSClient({});
