// Ingest Lambda: SQS batch of S3 notifications → events in DynamoDB, with partial batch failures.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { clients } from '../../shared/aws/clients';
import { ingestConfigSchema, loadConfig } from '../../shared/config';
import { processMessage } from '../../shared/ingest/process-message';
import { parseEventObject } from '../../shared/parse';
import { EventsTable } from '../../shared/store/events-table';

const config = loadConfig(ingestConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'ingest' } });
const processor = new BatchProcessor(EventType.SQS);
const deps = {
  store: new EventsTable(clients.dynamo, config.TABLE_NAME),
  s3: clients.s3,
  parse: parseEventObject,
  maxObjectBytes: config.MAX_OBJECT_BYTES,
};

const recordHandler = async (record: SQSRecord) => {
  try {
    return await processMessage(deps, { messageId: record.messageId, body: record.body }, logger);
  } catch (error) {
    logger.error('transient failure; message will be retried', { messageId: record.messageId, error });
    throw error;
  }
};

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, processor, { throwOnFullBatchFailure: false });
