import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withFastProperties } from '../../shared/aws/fast-properties';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('withFastProperties', () => {
  it('hands back the same object, with the same properties and values', () => {
    // Prepare: built the way the SDK builds a config, by adding entries one by one.
    const config: Record<string, unknown> = {};
    for (let index = 0; index < 50; index++)
      config[`option${index}`] = index % 2 ? `value ${index}` : () => index;
    const before = Object.entries(config);

    // Act
    const result = withFastProperties(config);

    // Assess
    expect(result).toBe(config);
    expect(Object.entries(result)).toEqual(before);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe(JSON.stringify(Object.fromEntries(before)));
  });

  it("lays out the handlers' SDK clients' configs fast, where V8 keeps a plain client's as a dictionary", () => {
    // Prepare: V8 tells an object's layout only to code run with --allow-natives-syntax, so a child reports it.
    const script = `
      const { makeDocumentClient } = await import('./shared/aws/dynamo-client.ts');
      const { makeS3Client } = await import('./shared/aws/s3-client.ts');
      const { sns } = await import('./shared/aws/sns-client.ts');
      const { sqs } = await import('./shared/aws/sqs-client.ts');
      const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
      const layout = (config) => (%HasFastProperties(config) ? 'fast' : 'dictionary');
      console.log(JSON.stringify({
        dynamo: layout(makeDocumentClient('http://127.0.0.1:1').config),
        s3: layout(makeS3Client('http://127.0.0.1:1').config),
        sns: layout(sns.config),
        sqs: layout(sqs.config),
        plain: layout(new DynamoDBClient({}).config),
      }));`;

    // Act
    const child = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_REGION: 'us-east-1' } },
    );

    // Assess
    expect(child.status, child.stderr).toBe(0);
    const lastLine = child.stdout.trim().split('\n').at(-1) ?? '';
    expect(JSON.parse(lastLine)).toEqual({
      dynamo: 'fast',
      s3: 'fast',
      sns: 'fast',
      sqs: 'fast',
      plain: 'dictionary',
    });
  });
});
