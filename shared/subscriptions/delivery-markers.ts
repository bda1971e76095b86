// At-most-once markers, one per (channel, delivery day): claimed with a conditional put before anything is
// sent, so a rerun or a retry of the same day skips what is marked. docs/notifications.md has the states.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { tableSchema } from '../store/table-schema';
import { conditionalWrite } from '../store/writes';
import { type Channel, type MarkerItem, type MarkerState, markerItemSchema, subscriptionKeys } from './keys';

// Markers are kept a little over a year: long enough to answer "was this sent?", then DynamoDB's TTL drops them.
const markerLifetimeSeconds = 400 * 24 * 3600;

export type DeliveryRecord = MarkerItem & { channel: string };

export class DeliveryMarkers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** True when this call created the marker; false when the channel is already marked for that day. */
  async claim(day: string, channel: Channel, at: Date): Promise<boolean> {
    const result = await conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...subscriptionKeys.marker(day, channel),
          state: 'claimed' satisfies MarkerState,
          claimedAt: at.toISOString(),
          expiresAt: Math.floor(at.getTime() / 1000) + markerLifetimeSeconds,
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
      }),
    );
    return result.written;
  }

  /**
   * Takes over a claim that a crashed run left behind (still `claimed`, as of `claimedAt`). Only one
   * recovery wins: the condition names the exact claim it replaces.
   */
  async reclaim(day: string, channel: Channel, staleClaimedAt: string, at: Date): Promise<boolean> {
    const result = await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: subscriptionKeys.marker(day, channel),
        UpdateExpression: 'SET claimedAt = :at',
        ConditionExpression: '#state = :claimed AND claimedAt = :stale',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':at': at.toISOString(),
          ':claimed': 'claimed',
          ':stale': staleClaimedAt,
        },
      }),
    );
    return result.written;
  }

  /**
   * Moves a claim on (`queued`, `sent`), recording what the send returned. Only from `claimed`: the
   * delivery function may have moved it further already, and that must not be undone.
   */
  async settle(
    day: string,
    channel: Channel,
    state: 'queued' | 'sent',
    at: Date,
    messageId?: string | undefined,
  ): Promise<void> {
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: subscriptionKeys.marker(day, channel),
        UpdateExpression: messageId
          ? 'SET #state = :state, doneAt = :at, messageId = :id'
          : 'SET #state = :state, doneAt = :at',
        ConditionExpression: '#state = :claimed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': state,
          ':at': at.toISOString(),
          ':claimed': 'claimed',
          ...(messageId ? { ':id': messageId } : {}),
        },
      }),
    );
  }

  /** Drops a claim whose send was refused outright (nothing went out), so a rerun may send it. */
  async release(day: string, channel: Channel): Promise<void> {
    await this.client
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: subscriptionKeys.marker(day, channel),
          ConditionExpression: '#state = :claimed',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      });
  }

  /**
   * The delivery function's claim on one attempt: counts it, unless the digest was delivered already
   * (a redelivered queue message). A `failed` one may go again: that is a redrive from the DLQ.
   * False means: do not send.
   */
  async startAttempt(day: string, channel: Channel): Promise<boolean> {
    const result = await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: subscriptionKeys.marker(day, channel),
        UpdateExpression: 'SET #state = :sending ADD attempts :one',
        ConditionExpression: 'attribute_exists(#pk) AND #state <> :delivered',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey, '#state': 'state' },
        ExpressionAttributeValues: { ':sending': 'sending', ':one': 1, ':delivered': 'delivered' },
      }),
    );
    return result.written;
  }

  /** Records an attempt's outcome: `delivered`, `retrying` (the queue tries again) or `failed` (gave up). */
  async recordAttempt(
    day: string,
    channel: Channel,
    state: 'delivered' | 'retrying' | 'failed',
    outcome: { status?: number | undefined; error?: string | undefined },
    at: Date,
  ): Promise<void> {
    const set = ['#state = :state', 'doneAt = :at'];
    const values: Record<string, unknown> = { ':state': state, ':at': at.toISOString() };
    const remove: string[] = [];
    if (outcome.status === undefined) remove.push('lastStatus');
    else {
      set.push('lastStatus = :status');
      values[':status'] = outcome.status;
    }
    if (outcome.error === undefined) remove.push('lastError');
    else {
      set.push('lastError = :error');
      values[':error'] = outcome.error.slice(0, 500);
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: subscriptionKeys.marker(day, channel),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Every marker of one day (one Query on the day's partition). */
  async ofDay(day: string): Promise<DeliveryRecord[]> {
    const records: DeliveryRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
          ExpressionAttributeValues: { ':pk': subscriptionKeys.markerPartition(day) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const marker = markerItemSchema.parse(item);
        records.push({ ...marker, channel: marker.SK });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }
}
