// The EventBridge Scheduler schedule that runs the anniversary notifier once a day in the configured zone.
import { Aws, Duration, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { ProjectFunction } from './project-function';

export interface DailyNotifierScheduleProps {
  readonly notifier: ProjectFunction;
  /** `cron(...)` or `rate(...)`, evaluated in `timeZone`. */
  readonly expression: string;
  /** IANA zone name, e.g. `Europe/Berlin`; Scheduler follows its daylight saving changes. */
  readonly timeZone: string;
}

export class DailyNotifierSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DailyNotifierScheduleProps) {
    super(scope, id);

    // Our own role (instead of the target's shared one) so that its one finding can be acknowledged here.
    this.role = new iam.Role(this, 'InvokeRole', {
      description: 'Lets EventBridge Scheduler invoke the daily notifier',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Daily on-this-day anniversary notifications',
      schedule: scheduler.ScheduleExpression.expression(props.expression, TimeZone.of(props.timeZone)),
      target: new targets.LambdaInvoke(props.notifier, {
        role: this.role,
        // A missed day is better sent late than twice: retry delivery for up to an hour, then give up.
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${props.notifier.nagArnReference}:*]`,
      reason:
        'Function.grantInvoke also names the qualified ARN (<function ARN>:*) so that versions and aliases of this one notifier function can be invoked; no other function is reachable.',
    });
  }
}
