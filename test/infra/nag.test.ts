// cdk-nag AwsSolutions over the whole app: no unacknowledged error or warning, and every acknowledgement
// names its rule (and finding) and says why in at least a sentence.
import { Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { fixtureNotifierEntry, type Synthesized, synthService } from './support';

function violations(service: Synthesized): Array<{ rule: string; paths: string[] }> {
  service.app.synth();
  return new AwsSolutionsChecks().validateScope(service.app).violations.map((v) => ({
    rule: v.ruleName,
    paths: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '?'),
  }));
}

function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['without the notifier', {}],
    ['with the notifier', { notifierEntry: fixtureNotifierEntry }],
    [
      'with a custom domain, alarm e-mail and public base URL',
      {
        notifierEntry: fixtureNotifierEntry,
        context: {
          domainName: 'feeds.example.org',
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          alarmEmail: 'ops@example.org',
          publicBaseUrl: 'https://feeds.example.org',
        },
      },
    ],
  ])('reports no unacknowledged error or warning %s', (_name, options) => {
    expect(violations(synthService(options))).toEqual([]);
  });

  it('fails synthesis through Validations, as `cdk synth` does, once a finding is not acknowledged', () => {
    // Prepare: the real app, plus one bucket that breaks AwsSolutions-S1/S10.
    const service = synthService({ notifierEntry: fixtureNotifierEntry });
    Validations.of(service.app).addPlugins(new AwsSolutionsChecks(service.app));
    new s3.Bucket(service.stateful, 'Careless', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    // Act + Assess
    expect(() => service.app.synth({ force: true })).toThrow(
      /AwsSolutions-S1[\s\S]*Careless|Careless[\s\S]*AwsSolutions-S1/,
    );
  });

  it('passes synthesis through Validations when nothing is added', () => {
    const service = synthService({ notifierEntry: fixtureNotifierEntry });
    Validations.of(service.app).addPlugins(new AwsSolutionsChecks(service.app));
    expect(() => service.app.synth({ force: true })).not.toThrow();
  });

  it('acknowledges only these rules, each with a specific reason of at least one sentence', () => {
    const service = synthService({ notifierEntry: fixtureNotifierEntry });
    const acks = acknowledgements(service.app);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason, ack.id).toMatch(/^[A-Z/`*].{40,}[.)]$/s);
    }
    const rules = [...new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))].sort();
    expect(rules).toEqual([
      'AwsSolutions-APIG4', // public GET/HEAD routes (one per route)
      'AwsSolutions-CFR1', // no geo restriction
      'AwsSolutions-CFR2', // no WAF
      'AwsSolutions-CFR4', // default *.cloudfront.net certificate
      'AwsSolutions-IAM4', // CDK's bucket-notifications handler
      'AwsSolutions-IAM5', // object-key wildcards per event prefix; notifier and reconcile qualified ARNs
      'AwsSolutions-S1', // the log bucket itself
      'AwsSolutions-SMG4', // the cursor key: replaced by redeploying, not rotated
    ]);
    const wildcardFindings = acks.filter((a) => a.id.startsWith('AwsSolutions-IAM5')).map((a) => a.id);
    expect(wildcardFindings).toEqual(
      expect.arrayContaining([
        'AwsSolutions-IAM5[Resource::context-feeds:EventsBucketArn/news/*]',
        'AwsSolutions-IAM5[Resource::context-feeds:EventsBucketArn/zh/news/*]',
        'AwsSolutions-IAM5[Resource::context-feeds:EventsBucketArn/inbox/*]',
        'AwsSolutions-IAM5[Resource::context-feeds:NotificationTopicArn:*]',
      ]),
    );
    // The event prefixes on three roles (ingest, admin, reconcile), the topic's subscriptions, and the
    // qualified ARNs of the two scheduled functions.
    expect(wildcardFindings).toHaveLength(3 * 3 + 1 + 2);
  });
});
