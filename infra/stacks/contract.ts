// The named exports the stateful stack publishes and the stateless stack imports: the whole interface
// between the two, spelled out instead of left to CDK's generated cross-stack export names.
//
// Why named exports: the names stay stable when a construct is renamed or moved, they read well in the
// template (`Fn::ImportValue: context-feeds:TableArn`) and in IAM policies, and CloudFormation refuses to
// delete the stateful stack, or change an export, while the stateless stack still uses it.

export const statefulExports = [
  'TableName',
  'TableArn',
  'EventsBucketName',
  'EventsBucketArn',
  'LogsBucketName',
  'LogsBucketArn',
  'IngestQueueArn',
  'DeadLetterQueueArn',
  'NotificationTopicArn',
  'AlarmTopicArn',
  'DeliveryQueueArn',
  'DeliveryDeadLetterQueueArn',
  'WebhookSealingKeyArn',
] as const;

export type StatefulExport = (typeof statefulExports)[number];

/** `context-feeds:TableArn`: unique per account and region as long as serviceName is. */
export function exportName(serviceName: string, key: StatefulExport): string {
  return `${serviceName}:${key}`;
}
