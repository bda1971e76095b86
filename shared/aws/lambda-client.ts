// The Lambda client (the reconcile invokes itself to continue), made once per container at module scope
// (see dynamo-client.ts for why one module a client).
import { LambdaClient } from '@aws-sdk/client-lambda';

export const lambda = new LambdaClient({});
