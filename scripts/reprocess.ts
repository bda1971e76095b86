// `npm run reprocess -- <key or prefix> [--aws ...]`: re-queues objects so the ingest parses them again.
// The decisions live in shared/ingest/reprocess-cli.ts; this file only does the I/O.
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { makeDocumentClient } from '../shared/aws/clients';
import {
  parseReprocessArgs,
  type ReprocessCommand,
  ReprocessUsageError,
  reprocessInAws,
  reprocessUsage,
  reprocessViaHttp,
} from '../shared/ingest/reprocess-cli';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Exit codes: 0 done, 1 failed, 2 bad usage. */
async function main(argv: string[]): Promise<number> {
  let command: ReprocessCommand;
  try {
    command = parseReprocessArgs(argv, process.env);
  } catch (error) {
    if (!(error instanceof ReprocessUsageError)) throw error;
    console.error(`reprocess: ${error.message}\n${reprocessUsage}`);
    return 2;
  }
  if (command.kind === 'help') {
    console.log(reprocessUsage);
    return 0;
  }
  const progress = (keys: string[]) => {
    for (const key of keys) console.log(`queued ${key}`);
  };
  try {
    if (command.kind === 'local') {
      const total = await reprocessViaHttp(command.baseUrl, command.target, command.limit, progress);
      console.error(`re-queued ${total} objects on the local stack (${command.baseUrl})`);
      return 0;
    }
    const clients = { s3: new S3Client({}), sqs: new SQSClient({}), dynamo: makeDocumentClient() };
    const total = await reprocessInAws(clients, command, progress);
    console.error(`re-queued ${total} objects to ${command.queueUrl}`);
    return 0;
  } catch (error) {
    console.error(`reprocess: ${error instanceof Error ? error.message : String(error)}`);
    // fetch throws a TypeError when nothing answers at all.
    if (command.kind === 'local' && error instanceof TypeError)
      console.error('Is the local stack running (npm start, same HOST and PORT)?');
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
