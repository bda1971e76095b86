// The stateful half of webhook delivery: the delivery queue with its DLQ, and the key that opens the
// subscribers' webhook secrets (sealed at rest by the API; only the delivery function gets this key).
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Receives of one digest before it goes to the DLQ (the delivery's exponential backoff spaces them). */
export const DELIVERY_MAX_RECEIVE_COUNT = 5;
export const DELIVERY_FUNCTION_TIMEOUT = Duration.seconds(60);

export class WebhookDeliveryStore extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly sealingKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeliveryDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'DeliveryQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a Lambda event source: at least six times the function's timeout.
      visibilityTimeout: Duration.seconds(DELIVERY_FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: DELIVERY_MAX_RECEIVE_COUNT },
    });
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
