// CDK entry point (`cdk.json`: npx tsx infra/app.ts): the service's two stacks, checked by cdk-nag on every synth.
//
// Layout: a stateful stack (bucket, table, queues, topics) and a stateless stack (functions, API,
// CloudFront, schedule, alarms). The data lives apart so that redeploying, rolling back or destroying the
// code cannot replace or delete it; see infra/stacks/service.ts.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { detectNotifierEntry, readConfig } from './stacks/config';
import { createService } from './stacks/service';

const app = new App();
createService(app, readConfig(app.node), { notifierEntry: detectNotifierEntry() });

// Every synth (and so every deploy) fails on an unacknowledged AwsSolutions error or warning.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
