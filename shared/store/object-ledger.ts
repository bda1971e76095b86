// The object ledger: one manifest per S3 key, claimed at the notification's sequencer so that a late or
// replayed notification of an older version never overwrites a newer one.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { itemKeys, type ObjectItem, type ObjectStateName, objectItemSchema } from './keys';
import { conditionalWrite } from './writes';

/** One version of one S3 object, as named by its notification; `sequencer` is normalized. */
export interface ObjectVersion {
  key: string;
  sequencer: string;
  eTag?: string;
  versionId?: string;
}

export type ClaimResult = { status: 'stale' } | { status: 'claimed'; previous: ObjectItem | undefined };

export class ObjectLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(key: string): Promise<ObjectItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.object(key), ConsistentRead: true }),
    );
    return Item ? objectItemSchema.parse(Item) : undefined;
  }

  /**
   * Claims the object for this version in one conditional write, unless a newer version holds it. Equal
   * sequencers pass, so a redelivery can finish an attempt that crashed halfway. `eventIds` is what this
   * version contributes; `undefined` keeps the previous version's events (a rejected edit leaves the last
   * good version up). The events the previous version named move to `pendingIds` atomically (the update
   * reads them from the item it replaces), so a crash before they are withdrawn is finished by the next claim.
   */
  async claim(
    version: ObjectVersion,
    state: ObjectStateName,
    eventIds: string[] | undefined,
    at: string,
  ): Promise<ClaimResult> {
    const sets = ['#key = :key', 'seq = :seq', '#state = :state', '#at = :at'];
    const values: Record<string, unknown> = {
      ':key': version.key,
      ':seq': version.sequencer,
      ':state': state,
      ':at': at,
    };
    if (eventIds !== undefined) {
      sets.push(
        'pendingIds = list_append(if_not_exists(pendingIds, :none), if_not_exists(eventIds, :none))',
        'eventIds = :ids',
      );
      values[':none'] = [];
      values[':ids'] = eventIds;
    }
    for (const [name, value] of [
      ['eTag', version.eTag],
      ['versionId', version.versionId],
    ] as const) {
      if (value === undefined) continue;
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
    const input: UpdateCommandInput = {
      TableName: this.tableName,
      Key: itemKeys.object(version.key),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_not_exists(seq) OR seq <= :seq',
      ExpressionAttributeNames: { '#key': 'key', '#state': 'state', '#at': 'at' },
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_OLD',
    };
    const result = await conditionalWrite(this.client, new UpdateCommand(input));
    if (!result.written) return { status: 'stale' };
    const old = result.attributes;
    return { status: 'claimed', previous: old && 'seq' in old ? objectItemSchema.parse(old) : undefined };
  }

  /** Clears `pendingIds` once withdrawn, unless a newer version has claimed the object meanwhile. */
  async finish(version: ObjectVersion): Promise<void> {
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.object(version.key),
        UpdateExpression: 'SET pendingIds = :none',
        ConditionExpression: 'seq = :seq',
        ExpressionAttributeValues: { ':none': [], ':seq': version.sequencer },
      }),
    );
  }
}
