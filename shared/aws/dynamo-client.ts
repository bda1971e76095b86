// The DynamoDB document client, made once per container at module scope so warm invocations reuse
// connections. One module per AWS client: a function's bundle then holds only the clients it imports.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The endpoint override exists only for the local stack (dynalite); in AWS it is unset. */
export function makeDocumentClient(endpoint = process.env.DYNAMODB_ENDPOINT): DynamoDBDocumentClient {
  const client = new DynamoDBClient(endpoint ? { endpoint } : {});
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

export const dynamo = makeDocumentClient();
