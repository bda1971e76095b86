import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_MAX_SOCKETS, makeDocumentClient } from '../../shared/aws/dynamo-client';
import { type LocalDynamo, startLocalDynamo } from '../support/local-aws';

// The handlers' document client sends Get, Put, Update, Delete and Query itself, through smithy's cached
// middleware; these tests hold it to what lib-dynamodb answers for the same commands, on dynalite.
describe('makeDocumentClient', () => {
  let dynamo: LocalDynamo;
  let tableName: string;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    tableName = await dynamo.newTable();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  const item = {
    PK: 'TOPIC#moon',
    SK: 'EVENT#2019-01-03',
    title: '嫦娥四号着陆月球背面',
    count: 3,
    labels: new Set(['Moon', 'China']),
    body: new Uint8Array([31, 139, 8, 0]),
    nested: { list: [1, 'two', { three: true }], none: null },
    dropped: undefined,
  };

  it('answers Put, Get, Update and Delete with the plain values lib-dynamodb answers', async () => {
    // Prepare: a lib-dynamodb command first, so that lib-dynamodb has filled in its marshalling defaults.
    const client = makeDocumentClient(dynamo.service.endpoint);
    const key = { PK: item.PK, SK: item.SK };
    await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': item.PK },
      }),
    );

    // Act
    const put = await client.send(
      new PutCommand({ TableName: tableName, Item: item, ReturnValues: 'ALL_OLD' }),
    );
    const got = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    const updated = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET title = :title ADD #count :one',
        ConditionExpression: '#count = :three',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':title': 'Chang’e 4 lands', ':one': 1, ':three': 3 },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const viaLibrary = await dynamo.doc.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    const deleted = await client.send(
      new DeleteCommand({ TableName: tableName, Key: key, ReturnValues: 'ALL_OLD' }),
    );
    const afterDelete = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );

    // Assess
    const { dropped: _, ...stored } = item;
    expect(put.Attributes).toBeUndefined();
    expect(got.Item).toEqual(stored);
    expect(updated.Attributes).toEqual(stored);
    expect(viaLibrary.Item).toEqual({ ...stored, title: 'Chang’e 4 lands', count: 4 });
    expect(deleted.Attributes).toEqual(viaLibrary.Item);
    expect(afterDelete.Item).toBeUndefined();
  });

  it('pages a Query by its LastEvaluatedKey, with the items lib-dynamodb answers', async () => {
    // Prepare
    const client = makeDocumentClient(dynamo.service.endpoint);
    const days = ['2019-01-03', '2019-01-04', '2019-01-05'];
    for (const day of days) {
      await client.send(
        new PutCommand({ TableName: tableName, Item: { ...item, PK: 'TOPIC#query', SK: day } }),
      );
    }
    const input = {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': 'TOPIC#query' },
      ScanIndexForward: false,
      Limit: 2,
    };

    // Act
    const first = await client.send(new QueryCommand(input));
    const second = await client.send(
      new QueryCommand({ ...input, ExclusiveStartKey: first.LastEvaluatedKey }),
    );
    const viaLibrary = await dynamo.doc.send(new QueryCommand(input));

    // Assess
    const { dropped: _, ...stored } = item;
    expect(first.Items).toEqual(viaLibrary.Items);
    expect(first.LastEvaluatedKey).toEqual(viaLibrary.LastEvaluatedKey);
    expect(first.LastEvaluatedKey).toEqual({ PK: 'TOPIC#query', SK: '2019-01-04' });
    expect(first.Items?.[0]).toEqual({ ...stored, PK: 'TOPIC#query', SK: '2019-01-05' });
    expect(second.Items?.map((found) => found.SK)).toEqual(['2019-01-03']);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });

  it('raises the conditional check failure that lib-dynamodb raises', async () => {
    // Prepare
    const client = makeDocumentClient(dynamo.service.endpoint);
    await client.send(
      new PutCommand({ TableName: tableName, Item: { PK: 'OBJECT#a.md', SK: 'OBJECT', seq: '02' } }),
    );

    // Act
    const claim = client.send(
      new PutCommand({
        TableName: tableName,
        Item: { PK: 'OBJECT#a.md', SK: 'OBJECT', seq: '01' },
        ConditionExpression: 'attribute_not_exists(seq) OR seq < :seq',
        ExpressionAttributeValues: { ':seq': '01' },
      }),
    );

    // Assess
    await expect(claim).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('resolves the stack of a command it sends itself once, and of a lib-dynamodb command on every request', async () => {
    // Prepare
    const client = makeDocumentClient(dynamo.service.endpoint);
    let resolved = 0;
    client.middlewareStack.add(
      (next) => {
        resolved++;
        return next;
      },
      { step: 'initialize', name: 'countResolutions' },
    );

    // Act
    for (let round = 0; round < 3; round++) {
      await client.send(new GetCommand({ TableName: tableName, Key: { PK: 'none', SK: 'none' } }));
      await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': 'none' },
        }),
      );
      await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [{ PK: 'none', SK: 'none' }] } } }),
      );
      // A legacy parameter: lib-dynamodb marshals it, so the command goes through lib-dynamodb.
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { PK: 'none', SK: 'none' },
          Expected: { PK: { Exists: false } },
        }),
      );
    }

    // Assess: Get and Query resolved once each; BatchGet and the legacy Delete on every request.
    expect(resolved).toBe(8);
  });

  it('keeps more requests in flight than the SDK default of 50 sockets, each on a connection of its own', async () => {
    // Prepare: a server that holds every answer for 300 ms, as a busy table would, and counts what is open.
    const sent = 120;
    let open = 0;
    let peak = 0;
    const connections = new Set<unknown>();
    const server = createServer((request, response: ServerResponse) => {
      connections.add(request.socket);
      open++;
      peak = Math.max(peak, open);
      request.resume();
      setTimeout(() => {
        open--;
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
      }, 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = makeDocumentClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);

    // Act
    const answers = await Promise.all(
      Array.from({ length: sent }, (_, index) =>
        client.send(new GetCommand({ TableName: 'events', Key: { PK: `OBJECT#${index}.md`, SK: 'OBJECT' } })),
      ),
    );
    client.destroy();
    server.closeAllConnections();
    server.close();

    // Assess
    expect(DYNAMODB_MAX_SOCKETS).toBeGreaterThanOrEqual(sent);
    expect(answers.every((answer) => answer.Item === undefined)).toBe(true);
    expect(peak).toBe(sent);
    expect(connections.size).toBe(sent);
  });
});
