// Counts what a Query matches, page by page (a COUNT Query still stops at 1 MB read per call).
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** Counts every match, or stops once `upTo` are counted (with `Limit` set, a call evaluates no more than that). */
export async function countQuery(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  upTo = Number.POSITIVE_INFINITY,
): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await client.send(
      new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    count += result.Count ?? 0;
    startKey = result.LastEvaluatedKey;
  } while (startKey && count < upTo);
  return count;
}
