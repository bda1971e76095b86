// Counts the DynamoDB requests, write units and read units a client sends, for the per-operation figures
// and the cost table. dynalite reports table units only; index entries are counted from the items.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableSchema } from '../../shared/store/table-schema';

export interface Meter {
  requests: number;
  writeUnits: number;
  readUnits: number;
  /**
   * Whether requests ask for their consumed capacity (and units are counted). A timed run counts requests
   * only: the deployed functions never ask, and the capacity makes every response larger.
   */
  capacity: boolean;
}

export const emptyMeter = ({ capacity = true }: { capacity?: boolean } = {}): Meter => ({
  requests: 0,
  writeUnits: 0,
  readUnits: 0,
  capacity,
});

const { partitionKey, sortKey, monthDayIndex } = tableSchema;
/** What an index entry holds: the table's keys, the index's and the attributes it projects. */
const indexed = [
  ...new Set([partitionKey, sortKey, monthDayIndex.partitionKey, ...monthDayIndex.projectedAttributes]),
];

/** The size in KB, rounded up, of each index entry a put creates (docs/table-design.md: write cost). */
export function indexWriteUnits(input: Record<string, unknown>): number {
  const items: Record<string, unknown>[] = [];
  if (input.Item) items.push(input.Item as Record<string, unknown>);
  const requestItems = (input.RequestItems ?? {}) as Record<
    string,
    { PutRequest?: { Item: Record<string, unknown> } }[]
  >;
  for (const requests of Object.values(requestItems))
    for (const request of requests) if (request.PutRequest) items.push(request.PutRequest.Item);
  const bytes = (item: Record<string, unknown>) =>
    indexed.reduce((sum, name) => {
      const value = item[name];
      if (value === undefined) return sum;
      const size = value instanceof Uint8Array ? value.byteLength : Buffer.byteLength(String(value), 'utf8');
      return sum + Buffer.byteLength(name) + size;
    }, 100);
  return items
    .filter((item) => item[monthDayIndex.partitionKey] !== undefined)
    .reduce((sum, item) => sum + Math.ceil(bytes(item) / 1024), 0);
}

const WRITES = /^(Put|Update|Delete|BatchWrite)/;
const READS = /^(Get|Query|Scan|BatchGet)/;

/** Adds a middleware that counts requests into `meter()`'s current counters, and units where it asks for them. */
export function meterClient(client: DynamoDBDocumentClient, meter: () => Meter | undefined): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const current = meter();
      if (!current) return next(args);
      const input = args.input as Record<string, unknown>;
      const command = String(context.commandName);
      const isWrite = WRITES.test(command);
      current.requests++;
      if (!current.capacity || !(isWrite || READS.test(command))) return next(args);
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as {
        ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
      };
      const units = [output.ConsumedCapacity ?? []]
        .flat()
        .reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      if (isWrite) current.writeUnits += units + indexWriteUnits(input);
      else current.readUnits += units;
      return result;
    },
    { step: 'initialize', name: 'benchSuiteMeter' },
  );
}
