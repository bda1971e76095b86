// `npm run notify -- --date MM-DD [--recover]`: runs the anniversary notifier for that day against the
// running local stack (found through the variables `npm start` reads), delivers the webhook digests
// through the local queue, and prints what it sent.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { localNotifier, prepareDeliveryEnvironment } from '../infra/local/notifier';
import { localCredentials, localRegion } from '../infra/local/services';
import { loadConfig } from '../shared/config';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const config = loadConfig(
  z.object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    DYNAMODB_PORT: z.coerce.number().int().min(1).max(65535).default(4567),
    DATA_DIR: z.string().default('.data'),
    TABLE_NAME: z.string().default('events'),
    PUBLIC_BASE_URL: z.url().optional(),
    NOTIFY_TIME_ZONE: z.string().default('UTC'),
  }),
);

const { values } = parseArgs({
  options: { date: { type: 'string' }, recover: { type: 'boolean', default: false } },
  strict: true,
});

const apiBase = `http://${config.HOST}:${config.PORT}`;
try {
  await fetch(`${apiBase}/`, { signal: AbortSignal.timeout(3_000) });
} catch {
  console.error(
    `No local stack answers at ${apiBase}: start it first with npm start (same PORT and DATA_DIR).`,
  );
  process.exit(1);
}

const dynamoEndpoint = `http://127.0.0.1:${config.DYNAMODB_PORT}`;
Object.assign(process.env, {
  TABLE_NAME: config.TABLE_NAME,
  DYNAMODB_ENDPOINT: dynamoEndpoint,
  AWS_REGION: process.env.AWS_REGION ?? localRegion,
  AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
});
// A key made here would not open the secrets the stack's API sealed: the data dir must be the stack's.
if (!existsSync(join(resolve(config.DATA_DIR), 'webhook-sealing-key.pem'))) {
  console.error(
    `No webhook sealing key in ${resolve(config.DATA_DIR)}: use the DATA_DIR that npm start uses.`,
  );
  process.exit(1);
}
prepareDeliveryEnvironment(resolve(config.DATA_DIR));
const dynamo = new DynamoDBClient({
  endpoint: dynamoEndpoint,
  region: localRegion,
  credentials: localCredentials,
});
const log = (message: string, fields: Record<string, unknown> = {}) =>
  console.log(`[notify] ${message} ${JSON.stringify(fields)}`);
const local = await localNotifier({
  client: DynamoDBDocumentClient.from(dynamo),
  tableName: config.TABLE_NAME,
  publicBaseUrl: config.PUBLIC_BASE_URL ?? apiBase,
  timeZone: config.NOTIFY_TIME_ZONE,
  // Quick local retries (1 s, 2 s, 4 s), so a run with a dead receiver ends in seconds.
  retryDelayMs: (receiveCount) => 1_000 * 2 ** (receiveCount - 1),
  log,
});

const { report, outcomes } = await local.runAndDrain({
  ...(values.date ? { date: values.date } : {}),
  ...(values.recover ? { recover: true } : {}),
});
local.close();
dynamo.destroy();

console.log(`Anniversary notifications for ${report.day}`);
console.log('  SNS: not running locally (in AWS: one message per topic plus the "*" digest)');
for (const queued of report.webhooks.queued) {
  const outcome = outcomes.find((o) => o.channel === `webhook#${queued.id}`);
  const status = outcome?.lastStatus ?? outcome?.lastError ?? '';
  console.log(
    `  webhook ${queued.id}: ${queued.events} anniversaries of ${queued.day} → ${outcome?.state ?? 'unknown'} ${status} (${outcome?.attempts ?? 0} attempts)`,
  );
}
for (const id of report.webhooks.skipped)
  console.log(`  webhook ${id}: already marked for this day (sent or under way), skipped`);
for (const id of report.webhooks.empty) console.log(`  webhook ${id}: no anniversaries in its topics`);
for (const id of report.webhooks.failed)
  console.log(`  webhook ${id}: the queue refused it (rerun to retry)`);
if (report.webhooks.queued.length + report.webhooks.skipped.length + report.webhooks.empty.length === 0) {
  console.log('  no webhook subscriptions');
}
