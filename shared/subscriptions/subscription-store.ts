// Subscriptions in the events table: create, read and delete by id, and the webhook listing the notifier reads.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { tableSchema } from '../store/table-schema';
import { conditionalWrite } from '../store/writes';
import {
  kindOfSubscriptionId,
  type SubscriptionItem,
  subscriptionItemSchema,
  subscriptionKeys,
  subscriptionPartition,
} from './keys';

export interface Subscription {
  id: string;
  protocol: SubscriptionItem['protocol'];
  endpoint: string;
  topics: string[];
  tz?: string | undefined;
  tokenHash: string;
  sealedSecret?: string | undefined;
  snsSubscriptionArn?: string | undefined;
  createdAt: string;
}

/** A webhook subscription as the notifier sees it: no token hash, no secret. */
export type WebhookTarget = Pick<Subscription, 'id' | 'endpoint' | 'topics' | 'tz'>;

function subscriptionOf(item: Record<string, unknown>): Subscription {
  const { SK, ...rest } = subscriptionItemSchema.parse(item);
  return { id: SK, ...rest };
}

export class SubscriptionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Writes a new subscription; ids are random, so an existing one means a bug, not a race. */
  async create(subscription: Subscription): Promise<void> {
    const { id, ...attributes } = subscription;
    const result = await conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...subscriptionKeys.subscription(id), ...attributes },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
      }),
    );
    if (!result.written) throw new Error(`subscription ${id} already exists`);
  }

  async get(id: string): Promise<Subscription | undefined> {
    if (kindOfSubscriptionId(id) === undefined) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: subscriptionKeys.subscription(id),
        ConsistentRead: true,
      }),
    );
    return Item ? subscriptionOf(Item) : undefined;
  }

  async delete(id: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: subscriptionKeys.subscription(id) }),
    );
  }

  /** Every webhook subscription, a page at a time (one Query on their own partition; never a Scan). */
  async *webhooks(): AsyncGenerator<WebhookTarget[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          // The notifier needs where and what, never the secret or the token hash.
          ProjectionExpression: '#sk, endpoint, topics, tz',
          ExpressionAttributeNames: { '#pk': tableSchema.partitionKey, '#sk': tableSchema.sortKey },
          ExpressionAttributeValues: { ':pk': subscriptionPartition('webhook') },
          ExclusiveStartKey: startKey,
        }),
      );
      yield (page.Items ?? []).map((item) => ({
        id: String(item[tableSchema.sortKey]),
        endpoint: String(item.endpoint),
        topics: (item.topics as string[] | undefined) ?? [],
        tz: typeof item.tz === 'string' ? item.tz : undefined,
      }));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
