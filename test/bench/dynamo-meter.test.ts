// The suite's meter: requests always, units only where it asks for them, because a timed ingest must send
// what the deployed handler sends (it never asks for ConsumedCapacity).
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { emptyMeter, type Meter, meterClient } from '../../bench/suite/dynamo-meter';
import { makeDocumentClient } from '../../shared/aws/dynamo-client';
import { tableSchema } from '../../shared/store/table-schema';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';

let dynamo: LocalDynamo;
let table: string;
withFreshTable((local, name) => {
  dynamo = local;
  table = name;
});

/** A metered client, and the ReturnConsumedCapacity each request was sent with, in order. */
function meteredClient(meter: () => Meter | undefined) {
  const client = makeDocumentClient(dynamo.service.endpoint);
  meterClient(client, meter);
  const asked: unknown[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      asked.push((args.input as Record<string, unknown>).ReturnConsumedCapacity);
      return next(args);
    },
    { step: 'build', name: 'recordCapacityAsked' },
  );
  return { client, asked };
}

const key = { [tableSchema.partitionKey]: 'T#meter', [tableSchema.sortKey]: '1' };

describe('the DynamoDB meter', () => {
  it('counts units where it asks for them', async () => {
    // Prepare
    const meter = emptyMeter();
    const { client, asked } = meteredClient(() => meter);

    // Act
    await client.send(new PutCommand({ TableName: table, Item: { ...key, text: 'x'.repeat(1500) } }));
    await client.send(new GetCommand({ TableName: table, Key: key }));
    client.destroy();

    // Assess: an item of 1.5 KB and more is 2 write units; an eventually consistent read of it, half a unit
    expect(asked).toEqual(['TOTAL', 'TOTAL']);
    expect(meter).toMatchObject({ requests: 2, writeUnits: 2, readUnits: 0.5 });
  });

  it('counts requests only, and asks nothing, when told not to ask', async () => {
    // Prepare
    const meter = emptyMeter({ capacity: false });
    const { client, asked } = meteredClient(() => meter);

    // Act
    await client.send(new PutCommand({ TableName: table, Item: { ...key, text: 'x'.repeat(1500) } }));
    await client.send(new GetCommand({ TableName: table, Key: key }));
    client.destroy();

    // Assess
    expect(asked).toEqual([undefined, undefined]);
    expect(meter).toMatchObject({ requests: 2, writeUnits: 0, readUnits: 0 });
  });
});
