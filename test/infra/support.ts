// Synthesizes the service the way `cdk synth` does (cdk.json context, same stacks), minus esbuild bundling.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readConfig, repoRoot } from '../../infra/stacks/config';
import { createService, type Service } from '../../infra/stacks/service';

/** The context `cdk synth` starts from: cdk.json's, feature flags included. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(resolve(repoRoot, 'cdk.json'), 'utf8'),
).context;

/** Stand-in notifier handler, so the schedule path is tested whether or not functions/notify exists. */
export const fixtureNotifierEntry = resolve(import.meta.dirname, 'fixtures', 'notify-handler.ts');

export interface Synthesized extends Service {
  readonly app: App;
  readonly stateful: Service['stateful'];
  readonly stateless: Service['stateless'];
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

export function synthService(
  options: { context?: Record<string, unknown>; notifierEntry?: string } = {},
): Synthesized {
  const app = new App({
    context: {
      ...cdkJsonContext,
      // Bundling is `cdk synth`'s job (and .ci/run's); the assertions are about template properties.
      'aws:cdk:bundling-stacks': [],
      ...options.context,
    },
  });
  const service = createService(app, readConfig(app.node), { notifierEntry: options.notifierEntry });
  return {
    app,
    ...service,
    statefulTemplate: Template.fromStack(service.stateful),
    statelessTemplate: Template.fromStack(service.stateless),
  };
}

/** The only resource of `type` in the template whose logical id starts with `prefix`. */
export function resourceOf(template: Template, type: string, prefix: string): { id: string; props: Props } {
  const matches = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  const [match] = matches;
  if (!match || matches.length !== 1)
    throw new Error(`expected one ${type} ${prefix}*, found ${matches.length}`);
  const [id, resource] = match as [string, { Properties: Props }];
  return { id, props: resource.Properties };
}

export type Props = Record<string, unknown>;

/** `{ "Fn::ImportValue": "<serviceName>:<key>" }`, as the stateless stack references stateful resources. */
export const importOf = (key: string, serviceName = 'context-feeds') => ({
  'Fn::ImportValue': `${serviceName}:${key}`,
});
