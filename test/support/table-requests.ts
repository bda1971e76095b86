// What a DynamoDB document-client request asks IAM for (its action, the table or index, the partition keys it
// names as `dynamodb:LeadingKeys`), and whether the Allow statements of a synthesized role grant it. dynalite
// enforces no IAM, so this is how a test run checks the grants against the requests the code really sends.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableSchema } from '../../shared/store/table-schema';

export interface TableRequest {
  /** `dynamodb:GetItem`, `dynamodb:Query`, … */
  action: string;
  /** The index a Query reads, if any. */
  index?: string;
  /** The partition key values the request names (table keys, or the index's for an index Query). */
  leadingKeys: string[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The document-client commands the store sends, by class name, and the IAM action each needs. */
const actionOfCommand: Record<string, string> = {
  GetCommand: 'GetItem',
  BatchGetCommand: 'BatchGetItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  BatchWriteCommand: 'BatchWriteItem',
};

type Input = Record<string, unknown>;
const partitionKeyOf = (item: unknown, name: string = tableSchema.partitionKey): string =>
  String((item as Input | undefined)?.[name]);

/** The partition key value a Query's key condition names (`#pk = :pk`, with names and values resolved). */
function queriedPartition(input: Input): string {
  const keyName =
    input.IndexName === undefined ? tableSchema.partitionKey : tableSchema.monthDayIndex.partitionKey;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const [, name, value] of String(input.KeyConditionExpression).matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if ((names[name ?? ''] ?? name) === keyName) return String(values[value ?? '']);
  }
  throw new Error(`no partition key condition in ${String(input.KeyConditionExpression)}`);
}

/** The IAM view of one command sent to `tableName`. */
export function tableRequestOf(command: { constructor: { name: string }; input: unknown }): TableRequest {
  const action = actionOfCommand[command.constructor.name];
  if (action === undefined) throw new Error(`unknown DynamoDB command ${command.constructor.name}`);
  const input = command.input as Input;
  const dynamodb = `dynamodb:${action}`;
  switch (action) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return { action: dynamodb, leadingKeys: [partitionKeyOf(input.Key)] };
    case 'PutItem':
      return { action: dynamodb, leadingKeys: [partitionKeyOf(input.Item)] };
    case 'Query':
      return {
        action: dynamodb,
        ...(input.IndexName === undefined ? {} : { index: String(input.IndexName) }),
        leadingKeys: [queriedPartition(input)],
      };
    case 'BatchGetItem':
      return {
        action: dynamodb,
        leadingKeys: Object.values(input.RequestItems as Record<string, { Keys: unknown[] }>).flatMap(
          (table) => table.Keys.map((key) => partitionKeyOf(key)),
        ),
      };
    case 'BatchWriteItem':
      return {
        action: dynamodb,
        leadingKeys: Object.values(input.RequestItems as Record<string, Input[]>).flatMap((requests) =>
          requests.map((request) =>
            partitionKeyOf(
              (request.PutRequest as Input | undefined)?.Item ??
                (request.DeleteRequest as Input | undefined)?.Key,
            ),
          ),
        ),
      };
    default:
      // A Scan names no partition: `ForAllValues` would let it through any LeadingKeys condition.
      return { action: dynamodb, leadingKeys: [] };
  }
}

/** IAM's StringLike: `*` any run of characters, `?` one; everything else literal and case-sensitive. */
export function stringLike(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * Whether one Allow statement grants the request on `resource` (the table's or the index's ARN as the
 * template spells it). Only the condition operators this project writes are understood; any other fails.
 */
function grants(statement: PolicyStatement, request: TableRequest, resource: unknown): boolean {
  if (statement.Effect !== 'Allow' || !asList(statement.Action).includes(request.action)) return false;
  const wanted = JSON.stringify(resource);
  if (!asList(statement.Resource).some((granted) => JSON.stringify(granted) === wanted)) return false;
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    if (operator !== 'ForAllValues:StringLike') return false;
    for (const [key, patterns] of Object.entries(keys)) {
      if (key !== 'dynamodb:LeadingKeys') return false;
      const allowed = asList(patterns);
      if (!request.leadingKeys.every((value) => allowed.some((pattern) => stringLike(pattern, value))))
        return false;
    }
  }
  return true;
}

/** Whether any statement grants the request; `resources` gives the ARN expressions of the table and its index. */
export function isAllowed(
  statements: PolicyStatement[],
  request: TableRequest,
  resources: { table: unknown; index: (name: string) => unknown },
): boolean {
  const resource = request.index === undefined ? resources.table : resources.index(request.index);
  return statements.some((statement) => grants(statement, request, resource));
}

/** Records every command sent through `client` (it still sends them). */
export function recordRequests(client: DynamoDBDocumentClient): TableRequest[] {
  const requests: TableRequest[] = [];
  const send = client.send.bind(client) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  (client as { send: unknown }).send = (
    command: { constructor: { name: string }; input: unknown },
    ...rest: unknown[]
  ) => {
    requests.push(tableRequestOf(command));
    return send(command, ...rest);
  };
  return requests;
}
