// The stateful half of webhook delivery: the delivery queue with its DLQ, and the key that opens the
// subscribers' webhook secrets (sealed at rest by the API; only the delivery function gets this key).
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventSourceVisibility, queueWithDeadLetters } from './queues';

/** Receives of one digest before it goes to the DLQ (the delivery's exponential backoff spaces them). */
export const DELIVERY_MAX_RECEIVE_COUNT = 5;
export const DELIVERY_FUNCTION_TIMEOUT = Duration.seconds(60);

export class WebhookDeliveryStore extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly sealingKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetters(this, {
      queueId: 'DeliveryQueue',
      deadLetterQueueId: 'DeliveryDeadLetterQueue',
      visibilityTimeout: eventSourceVisibility(DELIVERY_FUNCTION_TIMEOUT),
      retentionPeriod: Duration.days(4),
      maxReceiveCount: DELIVERY_MAX_RECEIVE_COUNT,
    }));
    // A placeholder until the operator stores the PEM private key (docs/notifications.md, "Deploying"):
    // CloudFormation cannot make an RSA key pair, and the public half goes to the API as context.
    this.sealingKey = new secretsmanager.Secret(this, 'WebhookSealingKey', {
      description:
        'PEM private key that opens sealed webhook secrets; read by the webhook delivery function only',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.sealingKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating this key would make every stored webhook secret unreadable; it is replaced deliberately (with re-subscription), never rotated automatically.',
    });
  }
}
