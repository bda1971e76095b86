// `npm start`: runs the whole service on this machine — no AWS account needed.
import { resolve } from 'node:path';
import * as z from 'zod';
import { loadConfig } from '../../shared/config';
import { localCredentials } from './services';
import { startLocalStack } from './stack';

// The SDK warns about Node 20's end of support on every start; the README states the Node requirement.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const config = loadConfig(
  z.object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    S3_PORT: z.coerce.number().int().min(0).max(65535).default(4569),
    DYNAMODB_PORT: z.coerce.number().int().min(0).max(65535).default(4567),
    DATA_DIR: z.string().default('.data'),
    BUCKET: z.string().default('events'),
    TABLE_NAME: z.string().default('events'),
    PUBLIC_BASE_URL: z.url().optional(),
    LOAD_SAMPLES: z.enum(['true', 'false']).default('true'),
    /** The daily anniversary run: HH:MM in NOTIFY_TIME_ZONE (AWS: the notifySchedule context). */
    NOTIFY_AT: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'NOTIFY_AT must be HH:MM')
      .default('07:00'),
    NOTIFY_TIME_ZONE: z.string().default('UTC'),
  }),
);

const log = (message: string, fields: Record<string, unknown> = {}) =>
  console.log(`[local] ${message}${Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`);

const stack = await startLocalStack({
  port: config.PORT,
  host: config.HOST,
  s3Port: config.S3_PORT,
  dynamoPort: config.DYNAMODB_PORT,
  dataDir: resolve(config.DATA_DIR),
  bucket: config.BUCKET,
  tableName: config.TABLE_NAME,
  publicBaseUrl: config.PUBLIC_BASE_URL,
  samplesDir:
    config.LOAD_SAMPLES === 'true' ? resolve(import.meta.dirname, '..', '..', 'samples') : undefined,
  notify: { at: config.NOTIFY_AT, timeZone: config.NOTIFY_TIME_ZONE },
  log,
});
await stack.drain();
const stats = await stack.store.stats();
const base = config.PUBLIC_BASE_URL ?? stack.baseUrl;

console.log(`
the Context event feeds — running locally (${stats.events} events, ${stats.topics} topics, ${stats.rejected} rejected)

  Web pages      ${base}/   (in a browser; API clients get JSON on the same paths)
  API            ${base}/
  Topics         ${base}/topics
  All events     ${base}/feed.rss   ${base}/feed.atom   ${base}/feed.json
  On this day    ${base}/on-this-day      (or /on-this-day/07-09?tz=Europe/Berlin)
  OPML           ${base}/opml
  Anniversaries  ${base}/on-this-day/feed.rss   (?topic=<slug>&tz=<zone>&days=7)
  Subscriptions  POST ${base}/subscriptions; notifier daily at ${config.NOTIFY_AT} ${config.NOTIFY_TIME_ZONE}, or: npm run notify -- --date MM-DD
  Stats          ${base}/stats   ${base}/rejections

  S3 bucket      s3://${config.BUCKET} at ${stack.s3Endpoint}
  DynamoDB       ${stack.dynamoEndpoint} (table ${config.TABLE_NAME}), data in ${resolve(config.DATA_DIR)}

Upload events with the aws CLI (s3rver accepts these credentials):
  AWS_ACCESS_KEY_ID=${localCredentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${localCredentials.secretAccessKey} AWS_DEFAULT_REGION=us-east-1 \\
    aws --endpoint-url ${stack.s3Endpoint} s3 cp x.md s3://${config.BUCKET}/news/2007/07/9/x.md
or: npm run upload -- path/to/news   (keeps news/... and zh/news/... keys)

Ctrl-C stops.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    stack
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  });
}
