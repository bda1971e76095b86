// Public API Lambda: topics, feeds, events, on-this-day and subscriptions, behind API Gateway HTTP API (payload 2.0).
import { Logger } from '@aws-lambda-powertools/logger';
import { publicApiHandler } from '../../shared/api/app';
import { dynamo } from '../../shared/aws/dynamo-client';
import { sns } from '../../shared/aws/sns-client';
import { loadConfig, publicApiConfigSchema } from '../../shared/config';

const config = loadConfig(publicApiConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'api' } });

export const handler = publicApiHandler({ dynamo, sns, config, logger });
