// Ingest Lambda: SQS batch of S3 notifications → events in DynamoDB, with partial batch failures.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamo } from '../../shared/aws/dynamo-client';
import { s3 } from '../../shared/aws/s3-client';
import { ingestConfigSchema, loadConfig } from '../../shared/config';
import { BatchedIngestStore } from '../../shared/ingest/batched-store';
import { INGEST_METRICS, IngestTally, publishIngestCounts } from '../../shared/ingest/ingest-metrics';
import { processMessage } from '../../shared/ingest/process-message';
import { latestAcceptedDate } from '../../shared/parse/limits';
import { parseEventObjectOnDemand } from '../../shared/parse/on-demand';
import { EventsTable } from '../../shared/store/events-table';

const config = loadConfig(ingestConfigSchema);
const logger = new Logger({ persistentKeys: { handler: 'ingest' } });
const metrics = new Metrics({
  namespace: INGEST_METRICS.namespace,
  serviceName: config.POWERTOOLS_SERVICE_NAME,
});
const processor = new BatchProcessor(EventType.SQS);
const deps = {
  store: new EventsTable(dynamo, config.TABLE_NAME, {
    markersDeadBefore: config.SOLE_WRITER_SINCE ? new Date(config.SOLE_WRITER_SINCE) : undefined,
  }),
  s3: s3,
  // Front matter's parser is loaded by the first file that has front matter, not at cold start.
  parse: (key: string, body: Uint8Array) =>
    parseEventObjectOnDemand(key, body, {
      maxObjectBytes: config.MAX_OBJECT_BYTES,
      // The handler is the clock's edge: shared/ never reads it.
      latestDate: latestAcceptedDate(new Date()),
    }),
  maxObjectBytes: config.MAX_OBJECT_BYTES,
  maxReceiveCount: config.MAX_RECEIVE_COUNT,
};

const recordHandler = (tally: IngestTally, batch: BatchedIngestStore) => async (record: SQSRecord) => {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  try {
    return await batch.participate((store) =>
      processMessage(
        { ...deps, store, onOutcome: (outcome) => tally.count(outcome) },
        { messageId: record.messageId, body: record.body, receiveCount },
        logger,
      ),
    );
  } catch (error) {
    // processMessage logged it, on a line with the object's key and sequencer.
    tally.retried++;
    throw error;
  }
};

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const tally = new IngestTally();
  // The records' writes go out together once each record has read and parsed its object. This relies on
  // the records running concurrently: run one at a time, the first would wait for the others forever.
  const batch = new BatchedIngestStore(deps.store, event.Records.length);
  try {
    return await processPartialResponse(event, recordHandler(tally, batch), processor, {
      throwOnFullBatchFailure: false,
      processInParallel: true,
    });
  } finally {
    publishIngestCounts(metrics, tally);
  }
};
