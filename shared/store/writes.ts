// Conditional single-item writes: the store's only write primitive besides BatchWriteItem (no transactions,
// so dynalite and AWS run one code path).
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export type WriteResult = { written: true; attributes?: Record<string, unknown> } | { written: false };

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Runs a conditional write; `written: false` when its condition refused it, with the returned attributes. */
export async function conditionalWrite(
  client: DynamoDBDocumentClient,
  command: PutCommand | DeleteCommand | UpdateCommand,
): Promise<WriteResult> {
  try {
    // One `send` per command type keeps the SDK's overloads precise.
    let attributes: Record<string, unknown> | undefined;
    if (command instanceof PutCommand) attributes = (await client.send(command)).Attributes;
    else if (command instanceof DeleteCommand) attributes = (await client.send(command)).Attributes;
    else attributes = (await client.send(command)).Attributes;
    return attributes ? { written: true, attributes } : { written: true };
  } catch (error) {
    if (isConditionFailure(error)) return { written: false };
    throw error;
  }
}
