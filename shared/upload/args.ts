// Command line of `npm run upload`: parsed with node:util parseArgs into a typed, validated plan of where to upload.
import { parseArgs } from 'node:util';

export const usage =
  'Usage: npm run upload -- <files or folders> [--bucket NAME] [--endpoint URL] [--prefix P] [--dry-run]';

export const helpText = `${usage}

Uploads Markdown event files under their canonical keys (news/YYYY/MM/D/<slug>.md, zh/news/..., inbox/...).
Folders are walked recursively (.md, .txt and extension-less files; dotfiles and README files are skipped).

  (no --bucket)      the local bucket "events" at http://127.0.0.1:$S3_PORT (default 4569) or $UPLOAD_ENDPOINT,
                     with the local credentials S3RVER/S3RVER (start it with \`npm start\`)
  --bucket NAME      a deployed bucket, with the default AWS credential chain and region
  --endpoint URL     S3 endpoint override (path-style addressing), e.g. MinIO or LocalStack
  --prefix P         prepend P/ to every key
  --concurrency N    parallel uploads (default 8)
  --dry-run          print the key mapping only
  -h, --help         show this help`;

export const LOCAL_BUCKET = 'events';
export const LOCAL_PORT = 4569;
export const LOCAL_REGION = 'us-east-1';
export const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 64;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface UploadTarget {
  /** `local`: s3rver with its fixed credentials; `aws`: the default credential chain. */
  mode: 'local' | 'aws';
  bucket: string;
  /** Absent: the SDK's regional endpoint. */
  endpoint?: string;
  /** Path-style addressing whenever an endpoint is given (s3rver, MinIO, LocalStack). */
  forcePathStyle: boolean;
}

export interface UploadOptions {
  inputs: string[];
  target: UploadTarget;
  /** `''` or a normalized folder prefix ending in `/`. */
  prefix: string;
  dryRun: boolean;
  concurrency: number;
}

export type UploadCommand = { kind: 'help' } | { kind: 'upload'; options: UploadOptions };

type Env = Readonly<Record<string, string | undefined>>;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `argv` (without node and script) and the environment (`S3_PORT`, `UPLOAD_ENDPOINT`). Throws UsageError. */
export function parseUploadArgs(argv: readonly string[], env: Env = {}): UploadCommand {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };

  const inputs = positionals.filter((input) => input !== '');
  if (inputs.length === 0) throw new UsageError('no files or folders given');

  const endpointOption =
    values.endpoint === undefined ? undefined : parseEndpoint(values.endpoint, '--endpoint');
  let target: UploadTarget;
  if (values.bucket !== undefined) {
    const bucket = values.bucket.trim();
    if (!BUCKET_NAME.test(bucket)) throw new UsageError(`invalid bucket name: "${values.bucket}"`);
    target = {
      mode: 'aws',
      bucket,
      ...(endpointOption ? { endpoint: endpointOption } : {}),
      forcePathStyle: endpointOption !== undefined,
    };
  } else {
    target = {
      mode: 'local',
      bucket: LOCAL_BUCKET,
      endpoint: endpointOption ?? localEndpoint(env),
      forcePathStyle: true,
    };
  }

  return {
    kind: 'upload',
    options: {
      inputs,
      target,
      prefix: normalizePrefix(values.prefix ?? ''),
      dryRun: values['dry-run'] ?? false,
      concurrency: parseConcurrency(values.concurrency),
    },
  };
}

function parseCli(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      bucket: { type: 'string' },
      endpoint: { type: 'string' },
      prefix: { type: 'string' },
      concurrency: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function localEndpoint(env: Env): string {
  const override = env.UPLOAD_ENDPOINT?.trim();
  if (override) return parseEndpoint(override, 'UPLOAD_ENDPOINT');
  const rawPort = env.S3_PORT?.trim();
  if (!rawPort) return `http://127.0.0.1:${LOCAL_PORT}`;
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 1 || port > 65_535) {
    throw new UsageError(`S3_PORT must be a port number (1-65535), got "${rawPort}"`);
  }
  return `http://127.0.0.1:${port}`;
}

function parseEndpoint(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`${what} must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what} must be an http(s) URL, got "${raw}"`);
  }
  // The SDK wants the origin (plus an optional base path), without a trailing slash.
  return url.href.replace(/\/+$/, '');
}

/** `/a//b/` → `a/b/`; `''` stays `''`. Rejects `.`/`..` segments, which S3 would keep literally. */
export function normalizePrefix(raw: string): string {
  const segments = raw
    .replaceAll('\\', '/')
    .split('/')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new UsageError(`--prefix must not contain "." or ".." segments, got "${raw}"`);
  }
  return segments.length === 0 ? '' : `${segments.join('/')}/`;
}

function parseConcurrency(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_CONCURRENCY;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got "${raw}"`);
  }
  return value;
}
