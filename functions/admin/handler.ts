// Admin Lambda: /stats and /rejections, IAM-authorized in AWS.
import { Logger } from '@aws-lambda-powertools/logger';
import { adminRoutes } from '../../shared/api/admin-routes';
import { dynamo } from '../../shared/aws/dynamo-client';
import { adminConfigSchema, loadConfig } from '../../shared/config';
import { http } from '../../shared/http/handler';
import { EventsTable } from '../../shared/store/events-table';
import { RejectionQueries } from '../../shared/store/rejection-queries';

const config = loadConfig(adminConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'admin' } });
const store = new EventsTable(dynamo, config.TABLE_NAME);

const rejections = new RejectionQueries(dynamo, config.TABLE_NAME);

export const handler = http(adminRoutes(store, { rejections }), {
  logError: (error) => logger.error('unhandled error', { error }),
});
