// Public API Lambda: topics, feeds, events and on-this-day, behind API Gateway HTTP API (payload 2.0).
import { Logger } from '@aws-lambda-powertools/logger';
import { apiRoutes } from '../../shared/api/routes';
import { clients } from '../../shared/aws/clients';
import { apiConfigSchema, loadConfig } from '../../shared/config';
import { http } from '../../shared/http/handler';
import { EventsTable } from '../../shared/store/events-table';

const config = loadConfig(apiConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'api' } });
const store = new EventsTable(clients.dynamo, config.TABLE_NAME);

export const handler = http(
  apiRoutes({ store, publicBaseUrl: config.PUBLIC_BASE_URL, now: () => new Date() }),
  { logError: (error) => logger.error('unhandled error', { error }) },
);
