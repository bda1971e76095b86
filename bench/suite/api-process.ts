// The public API handler alone in a process of its own, over a table in a running dynalite: the stores
// step serves the store it grows and a reference store of the first size from two of these, alike in
// everything but the store behind them, so that a growth ratio compares the two stores at the same moment.
// Forked by `startApiProcess`; reports its port over IPC and exits when its parent goes or says 'close'.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { forkService, localCredentials, localRegion } from '../../infra/local/services';

export interface ApiProcess {
  baseUrl: string;
  close(): Promise<void>;
}

/** Forks this file as an API server over `tableName` in the dynalite at `dynamoEndpoint`. */
export async function startApiProcess(dynamoEndpoint: string, tableName: string): Promise<ApiProcess> {
  const service = await forkService('API process', join(import.meta.dirname, 'api-process.ts'), ['serve'], {
    // tsx's loader runs this TypeScript file as it is, whatever started the parent (the bench, or vitest).
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      CURSOR_KEY: 'bench-api-process-cursor-key-not-a-secret',
    },
  });
  return { baseUrl: service.endpoint, close: service.close };
}

async function serve(): Promise<void> {
  // Imported here, after the parent set this process's environment: the handler reads it at load.
  const { toApiGatewayEvent, writeLambdaResult } = await import('../../infra/local/http-adapter');
  const { handler } = await import('../../functions/api/handler');
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    toApiGatewayEvent(req)
      .then((event) => handler(event))
      .then((result) => writeLambdaResult(res, result))
      .catch(() => {
        res.statusCode = 500;
        res.end();
      });
  });
  server.once('error', (error) => {
    process.send?.({ error: String(error) });
    process.exit(1);
  });
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on('message', (message) => {
    if (message === 'close') server.close(() => process.exit(0));
  });
  // Never outlive the benchmark, even one that was killed.
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[2] === 'serve' && process.send) await serve();
