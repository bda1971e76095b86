// The SNS client, made once per container at module scope (see dynamo-client.ts for why one module a client).
import { SNSClient } from '@aws-sdk/client-sns';
import { withFastProperties } from './fast-properties';

export const sns = new SNSClient({});
// The middlewares copy the config on every request (fast-properties.ts).
withFastProperties(sns.config);
