// Argument parsing for `npm run upload`: local defaults, environment overrides, deployed buckets, bad input.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONCURRENCY,
  normalizePrefix,
  parseUploadArgs,
  type UploadCommand,
  type UploadOptions,
  UsageError,
} from '../../shared/upload/args';

function uploadOptions(command: UploadCommand): UploadOptions {
  if (command.kind !== 'upload') throw new Error(`expected an upload command, got ${command.kind}`);
  return command.options;
}

describe('parseUploadArgs', () => {
  it('defaults to the local s3rver bucket on port 4569 with path-style addressing', () => {
    // Prepare
    const argv = ['samples'];

    // Act
    const options = uploadOptions(parseUploadArgs(argv, {}));

    // Assess
    expect(options).toEqual({
      inputs: ['samples'],
      target: { mode: 'local', bucket: 'events', endpoint: 'http://127.0.0.1:4569', forcePathStyle: true },
      prefix: '',
      dryRun: false,
      concurrency: DEFAULT_CONCURRENCY,
    });
  });

  it('takes the local port from S3_PORT', () => {
    // Prepare
    const env = { S3_PORT: '4600' };

    // Act
    const options = uploadOptions(parseUploadArgs(['a.md'], env));

    // Assess
    expect(options.target.endpoint).toBe('http://127.0.0.1:4600');
  });

  it('prefers UPLOAD_ENDPOINT over S3_PORT for the local bucket', () => {
    // Prepare
    const env = { S3_PORT: '4600', UPLOAD_ENDPOINT: 'http://localhost:9000/' };

    // Act
    const options = uploadOptions(parseUploadArgs(['a.md'], env));

    // Assess
    expect(options.target).toEqual({
      mode: 'local',
      bucket: 'events',
      endpoint: 'http://localhost:9000',
      forcePathStyle: true,
    });
  });

  it('targets a deployed bucket with no endpoint override when --bucket is given', () => {
    // Prepare
    const argv = ['samples', '--bucket', 'context-feeds-events-123', 'more.md'];
    const env = { S3_PORT: '4600', UPLOAD_ENDPOINT: 'http://localhost:9000' };

    // Act
    const options = uploadOptions(parseUploadArgs(argv, env));

    // Assess
    expect(options.inputs).toEqual(['samples', 'more.md']);
    expect(options.target).toEqual({
      mode: 'aws',
      bucket: 'context-feeds-events-123',
      forcePathStyle: false,
    });
  });

  it('uses --endpoint with --bucket, path-style', () => {
    // Prepare
    const argv = ['--bucket=my-bucket', '--endpoint', 'https://minio.example.com:9000', 'x.md'];

    // Act
    const options = uploadOptions(parseUploadArgs(argv));

    // Assess
    expect(options.target).toEqual({
      mode: 'aws',
      bucket: 'my-bucket',
      endpoint: 'https://minio.example.com:9000',
      forcePathStyle: true,
    });
  });

  it('reads --prefix, --dry-run and --concurrency', () => {
    // Prepare
    const argv = ['--dry-run', '--prefix', '/staging/run-1/', '--concurrency', '3', 'samples'];

    // Act
    const options = uploadOptions(parseUploadArgs(argv));

    // Assess
    expect(options.dryRun).toBe(true);
    expect(options.prefix).toBe('staging/run-1/');
    expect(options.concurrency).toBe(3);
  });

  it('returns help for -h and --help, even without inputs', () => {
    // Prepare
    const variants = [['-h'], ['--help', 'samples']];

    // Act
    const commands = variants.map((argv) => parseUploadArgs(argv));

    // Assess
    expect(commands).toEqual([{ kind: 'help' }, { kind: 'help' }]);
  });

  it.each([
    { case: 'no inputs', argv: [], env: {}, message: /no files or folders/ },
    { case: 'an unknown option', argv: ['--bukket', 'x', 'a.md'], env: {}, message: /bukket/ },
    { case: '--bucket without a value', argv: ['a.md', '--bucket'], env: {}, message: /bucket/ },
    {
      case: 'a bad bucket name',
      argv: ['--bucket', 'Not_A_Bucket', 'a.md'],
      env: {},
      message: /bucket name/,
    },
    { case: 'a non-URL endpoint', argv: ['--endpoint', 'localhost:4569', 'a.md'], env: {}, message: /http/ },
    { case: 'an ftp endpoint', argv: ['--endpoint', 'ftp://example.com', 'a.md'], env: {}, message: /http/ },
    { case: 'a bad S3_PORT', argv: ['a.md'], env: { S3_PORT: '45a9' }, message: /S3_PORT/ },
    { case: 'an out-of-range S3_PORT', argv: ['a.md'], env: { S3_PORT: '70000' }, message: /S3_PORT/ },
    {
      case: 'a bad UPLOAD_ENDPOINT',
      argv: ['a.md'],
      env: { UPLOAD_ENDPOINT: 'nope' },
      message: /UPLOAD_ENDPOINT/,
    },
    { case: 'a zero concurrency', argv: ['--concurrency', '0', 'a.md'], env: {}, message: /concurrency/ },
    { case: 'a .. prefix', argv: ['--prefix', 'a/../b', 'a.md'], env: {}, message: /prefix/ },
  ])('rejects $case with a UsageError', ({ argv, env, message }) => {
    // Prepare
    const parse = () => parseUploadArgs(argv, env);

    // Act
    let thrown: unknown;
    try {
      parse();
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('normalizePrefix', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['staging', 'staging/'],
    ['/a//b/', 'a/b/'],
    ['a\\b', 'a/b/'],
  ])('normalizes %j to %j', (raw, expected) => {
    // Prepare
    const input = raw;

    // Act
    const prefix = normalizePrefix(input);

    // Assess
    expect(prefix).toBe(expected);
  });
});
