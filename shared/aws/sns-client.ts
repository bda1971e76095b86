// The SNS client, made once per container at module scope (see dynamo-client.ts for why one module a client).
import { SNSClient } from '@aws-sdk/client-sns';

export const sns = new SNSClient({});
