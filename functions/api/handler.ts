// Public API Lambda: topics, feeds, events and on-this-day, behind API Gateway HTTP API (payload 2.0).
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { apiRoutes } from '../../shared/api/routes';
import { clients } from '../../shared/aws/clients';
import { apiConfigSchema, loadConfig } from '../../shared/config';
import { http } from '../../shared/http/handler';
import { EventsTable } from '../../shared/store/events-table';

const config = loadConfig(apiConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'api' } });
const store = new EventsTable(clients.dynamo, config.TABLE_NAME);
if (config.CURSOR_KEY === undefined) {
  logger.warn('CURSOR_KEY is not set: paging cursors only work within this instance');
}
const cursorKey = config.CURSOR_KEY ?? randomBytes(32);

export const handler = http(
  apiRoutes({ store, publicBaseUrl: config.PUBLIC_BASE_URL, now: () => new Date(), cursorKey }),
  { logError: (error) => logger.error('unhandled error', { error }) },
);
