// `npm run upload -- <files or folders> [--bucket NAME] [--endpoint URL] [--prefix P] [--dry-run]`
// Uploads event files under their canonical keys to the local s3rver bucket or a deployed bucket.
// The decisions (arguments, walking, keys, retries) live in shared/upload/; this file only does the I/O.
import { readFile } from 'node:fs/promises';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import cliProgress from 'cli-progress';
import {
  helpText,
  LOCAL_REGION,
  parseUploadArgs,
  type UploadOptions,
  type UploadTarget,
  UsageError,
  usage,
} from '../shared/upload/args';
import { formatBytes, formatRate, formatSummary } from '../shared/upload/format';
import { type PlannedUpload, planUploads } from '../shared/upload/keys';
import { isFatalUploadError, isRetryableUploadError, runPool, withRetry } from '../shared/upload/pool';
import { collectFiles } from '../shared/upload/walk';

// The SDK warns about Node 20's end of support on every run; the README states the Node requirement.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CONTENT_TYPE = 'text/markdown; charset=utf-8';
const ATTEMPTS = 4;
const BASE_DELAY_MS = 250;

/** Exit codes: 0 done, 1 some uploads failed, 2 bad usage or nothing to do. */
async function main(argv: string[]): Promise<number> {
  let options: UploadOptions;
  try {
    const command = parseUploadArgs(argv, process.env);
    if (command.kind === 'help') {
      console.log(helpText);
      return 0;
    }
    options = command.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`upload: ${error.message}\n${usage}`);
    return 2;
  }

  const { files, missing } = await collectFiles(options.inputs);
  if (missing.length > 0) {
    console.error(`upload: not a file or folder: ${missing.join(', ')}`);
    return 2;
  }
  const { uploads, conflicts } = planUploads(files, options.prefix);
  if (conflicts.length > 0) {
    console.error('upload: several files map to the same key; upload them separately:');
    for (const { key, paths } of conflicts) console.error(`  ${key} <- ${paths.join(', ')}`);
    return 2;
  }
  if (uploads.length === 0) {
    console.error('upload: no .md, .txt or extension-less files found');
    return 2;
  }

  const where = describeTarget(options.target);
  if (options.dryRun) {
    for (const upload of uploads) console.log(`${upload.path} -> ${upload.key}`);
    const bytes = uploads.reduce((sum, upload) => sum + (upload.size ?? 0), 0);
    console.log(`dry run: ${uploads.length} files (${formatBytes(bytes)}) would be uploaded to ${where}`);
    return 0;
  }

  const client = makeClient(options.target);
  try {
    const problem = await preflight(client, options.target);
    if (problem) {
      console.error(`upload: ${problem}`);
      return 2;
    }
    console.error(`uploading ${uploads.length} files to ${where}`);
    return await uploadAll(client, options, uploads);
  } finally {
    client.destroy();
  }
}

function describeTarget(target: UploadTarget): string {
  return `s3://${target.bucket}/${target.endpoint ? ` at ${target.endpoint}` : ''}`;
}

function makeClient(target: UploadTarget): S3Client {
  // Retries are ours (withRetry), so the SDK makes one attempt per call.
  const common = { maxAttempts: 1, forcePathStyle: target.forcePathStyle };
  if (target.mode === 'local') {
    return new S3Client({
      ...common,
      endpoint: target.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  }
  // Default credential chain and region (environment, profile, SSO, instance role).
  return new S3Client({ ...common, ...(target.endpoint ? { endpoint: target.endpoint } : {}) });
}

/** A readable reason the upload cannot start, before a progress bar full of identical failures. */
async function preflight(client: S3Client, target: UploadTarget): Promise<string | undefined> {
  if (target.mode === 'local') {
    try {
      await client.send(new HeadBucketCommand({ Bucket: target.bucket }));
      return undefined;
    } catch (error) {
      return `the local bucket "${target.bucket}" at ${target.endpoint} is not reachable (${describeError(error)}); start it with \`npm start\` or pass --bucket`;
    }
  }
  try {
    await client.config.region();
  } catch {
    return 'no AWS region configured: set AWS_REGION or a region in your AWS profile';
  }
  try {
    await client.config.credentials();
  } catch (error) {
    return `no AWS credentials found (${describeError(error)})`;
  }
  return undefined;
}

async function uploadAll(
  client: S3Client,
  options: UploadOptions,
  uploads: PlannedUpload[],
): Promise<number> {
  const started = Date.now();
  const failures: { upload: PlannedUpload; error: unknown }[] = [];
  let fatal: unknown;
  let done = 0;
  let bytes = 0;

  const bar = new cliProgress.SingleBar(
    {
      format:
        'uploading [{bar}] {percentage}% | {value}/{total} files | {rate} files/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(uploads.length, 0, { rate: '0.0' });

  const attempted = await runPool(
    uploads,
    options.concurrency,
    async (upload) => {
      try {
        const body = await readFile(upload.path);
        await withRetry(
          () =>
            client.send(
              new PutObjectCommand({
                Bucket: options.target.bucket,
                Key: upload.key,
                Body: body,
                ContentType: CONTENT_TYPE,
              }),
            ),
          { attempts: ATTEMPTS, baseDelayMs: BASE_DELAY_MS, isRetryable: isRetryableUploadError },
        );
        bytes += body.length;
      } catch (error) {
        failures.push({ upload, error });
        if (isFatalUploadError(error)) fatal ??= error;
      } finally {
        done += 1;
        bar.increment(1, { rate: formatRate(done, Date.now() - started) });
      }
    },
    () => fatal !== undefined,
  );
  bar.stop();

  const uploaded = done - failures.length;
  console.log(formatSummary(uploaded, bytes, Date.now() - started));
  const skipped = uploads.length - attempted;
  if (failures.length === 0 && skipped === 0) return 0;

  if (fatal !== undefined) console.error(`upload: stopped early: ${describeError(fatal)}`);
  if (failures.length > 0) {
    console.error(`failed ${failures.length} files:`);
    for (const { upload, error } of failures) {
      console.error(`  ${upload.path} -> ${upload.key}: ${describeError(error)}`);
    }
  }
  if (skipped > 0) console.error(`not attempted: ${skipped} files`);
  return 1;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: unknown }).code;
  const detail = [
    error.name,
    typeof code === 'string' ? code : undefined,
    status ? `HTTP ${status}` : undefined,
  ]
    .filter((part) => part !== undefined && part !== 'Error')
    .join(', ');
  const message = error.message || '(no message)';
  return detail ? `${message} [${detail}]` : message;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('upload: unexpected error:', error);
    process.exitCode = 1;
  },
);
