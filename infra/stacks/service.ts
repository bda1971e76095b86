// Builds the whole service into an app: the stateful and the stateless stack, in that deploy order.
import { type App, Tags } from 'aws-cdk-lib';
import type { ServiceConfig } from './config';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export interface ServiceOptions {
  /** Entry of the notifier handler, when it exists (see `detectNotifierEntry`). */
  readonly notifierEntry?: string;
}

export interface Service {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Two stacks rather than one stack of constructs: the table and bucket hold the only data, and keeping them
 * in a stack of their own (RETAIN, deletion protection, termination protection) means the stack that
 * changes with every code change, or that a failed deployment rolls back, or that is destroyed and
 * recreated, cannot touch them. The stateless stack only imports the stateful stack's named exports.
 *
 * Both stacks are environment-agnostic: synth never looks anything up, so it runs offline in CI, and
 * `cdk deploy` targets the account and region of the caller's AWS profile.
 */
export function createService(app: App, config: ServiceConfig, options: ServiceOptions = {}): Service {
  const stateful = new StatefulStack(app, `${config.serviceName}-stateful`, {
    description: `${config.serviceName}: events bucket, ingest queue, table and topics (retained data)`,
    terminationProtection: true,
    config,
  });
  const stateless = new StatelessStack(app, `${config.serviceName}-stateless`, {
    description: `${config.serviceName}: functions, HTTP API, CloudFront, notifier schedule and alarms`,
    config,
    notifierEntry: options.notifierEntry,
  });
  // The stateless stack reads the stateful one through Fn::ImportValue only, which CDK cannot see as a
  // reference; state the deploy order explicitly.
  stateless.addStackDependency(stateful, 'imports its named exports');
  Tags.of(app).add('service', config.serviceName);
  return { stateful, stateless };
}
