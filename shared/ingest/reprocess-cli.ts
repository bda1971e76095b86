// `npm run reprocess`: the command line, and the two ways it runs. Locally it calls the running stack's
// POST /reprocess (the queue lives in that process); against AWS it re-queues straight to the ingest queue with
// the caller's credentials, through the same shared code as the admin route.
import { parseArgs } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventsTable } from '../store/events-table';
import { reprocess } from './reprocess';
import { SqsRequeue } from './sqs-requeue';

export const reprocessUsage = `Usage: npm run reprocess -- <key or prefix> [--prefix] [--limit N]
       npm run reprocess -- <key or prefix> --aws --bucket NAME --queue-url URL --table NAME

Re-queues objects so that the ingest parses them again (after a parser fix). An argument ending in "/" (or
given with --prefix) is a key prefix; otherwise it is one object's key.

  (default)        the local stack started by \`npm start\`, at http://$HOST:$PORT (127.0.0.1:3000)
  --aws            a deployment, with the default AWS credential chain and region; --bucket, --queue-url and
                   --table (or EVENTS_BUCKET, INGEST_QUEUE_URL, TABLE_NAME) name the stateful resources
  --limit N        keys per request (1-1000, default 500)`;

export class ReprocessUsageError extends Error {
  override name = 'ReprocessUsageError';
}

export type ReprocessTargetArg = { key: string } | { prefix: string };

export type ReprocessCommand =
  | { kind: 'help' }
  | { kind: 'local'; target: ReprocessTargetArg; limit: number; baseUrl: string }
  | {
      kind: 'aws';
      target: ReprocessTargetArg;
      limit: number;
      bucket: string;
      queueUrl: string;
      tableName: string;
    };

type Env = Readonly<Record<string, string | undefined>>;

export function parseReprocessArgs(argv: readonly string[], env: Env = {}): ReprocessCommand {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    throw new ReprocessUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length !== 1 || !positionals[0]) throw new ReprocessUsageError('give one key or prefix');
  const named = positionals[0];
  const target = values.prefix || named.endsWith('/') ? { prefix: named } : { key: named };
  const limit = Number(values.limit ?? 500);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000)
    throw new ReprocessUsageError('--limit must be an integer from 1 to 1000');
  if (!values.aws) {
    const host = env.HOST?.trim() || '127.0.0.1';
    const port = env.PORT?.trim() || '3000';
    return { kind: 'local', target, limit, baseUrl: `http://${host}:${port}` };
  }
  const bucket = values.bucket ?? env.EVENTS_BUCKET;
  const queueUrl = values['queue-url'] ?? env.INGEST_QUEUE_URL;
  const tableName = values.table ?? env.TABLE_NAME;
  if (!bucket || !queueUrl || !tableName)
    throw new ReprocessUsageError('--aws needs --bucket, --queue-url and --table (or their variables)');
  return { kind: 'aws', target, limit, bucket, queueUrl, tableName };
}

function parseCli(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      prefix: { type: 'boolean' },
      limit: { type: 'string' },
      aws: { type: 'boolean' },
      bucket: { type: 'string' },
      'queue-url': { type: 'string' },
      table: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export type ReprocessProgress = (keys: string[]) => void;

/** Calls POST /reprocess until the prefix is done; returns how many objects were re-queued. */
export async function reprocessViaHttp(
  baseUrl: string,
  target: ReprocessTargetArg,
  limit: number,
  onPage: ReprocessProgress = () => undefined,
): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const body = 'key' in target ? target : { ...target, limit, ...(cursor ? { cursor } : {}) };
    const response = await fetch(`${baseUrl}/reprocess`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { keys?: string[]; next?: string; detail?: string };
    if (response.status !== 202) throw new Error(`POST /reprocess: ${response.status} ${json.detail ?? ''}`);
    total += json.keys?.length ?? 0;
    onPage(json.keys ?? []);
    cursor = json.next;
  } while (cursor);
  return total;
}

/** Re-queues straight to the ingest queue of a deployment, a page of the prefix at a time. */
export async function reprocessInAws(
  clients: { s3: S3Client; sqs: SQSClient; dynamo: DynamoDBDocumentClient },
  command: Extract<ReprocessCommand, { kind: 'aws' }>,
  onPage: ReprocessProgress = () => undefined,
): Promise<number> {
  const store = new EventsTable(clients.dynamo, command.tableName);
  const deps = {
    s3: clients.s3,
    bucket: command.bucket,
    heldSequencer: async (key: string) => (await store.objectState(key))?.seq,
    requeue: new SqsRequeue({
      sqs: clients.sqs,
      queueUrl: command.queueUrl,
      bucket: command.bucket,
      source: 'context-feeds:reprocess',
      now: () => new Date(),
    }),
  };
  let total = 0;
  let after: string | undefined;
  do {
    const result = await reprocess(
      deps,
      'key' in command.target ? command.target : { ...command.target, limit: command.limit, after },
    );
    total += result.keys.length;
    onPage(result.keys);
    after = result.next;
  } while (after);
  return total;
}
