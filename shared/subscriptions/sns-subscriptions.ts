// SNS subscriptions for the email, https and sqs protocols: SNS does the confirmation handshake, and a
// filter policy on the `topic` message attribute picks the subscriber's topics.
import { type SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';

export type SnsProtocol = 'email' | 'https' | 'sqs';

export interface SnsSubscriptions {
  /** The new subscription's ARN (SNS returns one even while confirmation is pending, when asked to). */
  subscribe(protocol: SnsProtocol, endpoint: string, topics: string[]): Promise<string>;
  unsubscribe(subscriptionArn: string): Promise<void>;
}

export function filterPolicyOf(topics: string[]): string {
  return JSON.stringify({ topic: topics });
}

export function snsSubscriptions(client: SNSClient, topicArn: string): SnsSubscriptions {
  return {
    async subscribe(protocol, endpoint, topics) {
      const result = await client.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: protocol,
          Endpoint: endpoint,
          Attributes: { FilterPolicy: filterPolicyOf(topics), FilterPolicyScope: 'MessageAttributes' },
          ReturnSubscriptionArn: true,
        }),
      );
      if (!result.SubscriptionArn) throw new Error('SNS returned no subscription ARN');
      return result.SubscriptionArn;
    },
    async unsubscribe(subscriptionArn) {
      await client.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    },
  };
}
