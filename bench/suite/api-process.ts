// The public API handler in a process of its own, serving one or more stores (each a table in a running
// dynalite): the stores step serves the store it grows and a reference store of the first size from one of
// these, so that a growth ratio compares the two stores under the same process. Served from two processes,
// one per store, two copies of the same 10k store differed by 0.72-1.29x in the hot topic feed's p50, pair
// of processes by pair (docs/benchmarks.md, section of 2026-12-02 from 08:23 UTC): each fresh process
// settles at its own speed for that byte-heavy route, and that spread is the size of the whole target.
// Store `i` answers under `/stores/<i>/`, from a handler of its own built as functions/api/handler.ts builds
// its one (shared/api/app.ts), with a DynamoDB client of its own.
// Forked by `startApiProcess`; reports its port over IPC and exits when its parent goes or says 'close'.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FUNCTION_MEMORY_MB, lambdaHeapFlags } from '../../infra/constructs/function-memory';
import { forkService, localCredentials, localRegion } from '../../infra/local/services';

export interface ApiProcess {
  /** One base URL per store, in the order the stores were given. */
  baseUrls: string[];
  close(): Promise<void>;
}

const STORE_PREFIX = /^\/stores\/(\d+)(\/.*)$/;

/** Forks this file as an API server over `tableName` in each dynalite of `dynamoEndpoints`. */
export async function startApiProcess(
  dynamoEndpoints: readonly string[],
  tableName: string,
): Promise<ApiProcess> {
  const service = await forkService('API process', join(import.meta.dirname, 'api-process.ts'), ['serve'], {
    // tsx's loader runs this TypeScript file as it is, whatever started the parent (the bench, or vitest);
    // the heap is the one Lambda gives the API function.
    execArgv: [...lambdaHeapFlags(FUNCTION_MEMORY_MB.api), '--import', 'tsx'],
    env: {
      ...process.env,
      TABLE_NAME: tableName,
      BENCH_STORE_ENDPOINTS: JSON.stringify(dynamoEndpoints),
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      CURSOR_KEY: 'bench-api-process-cursor-key-not-a-secret',
    },
  });
  return {
    baseUrls: dynamoEndpoints.map((_, index) => `${service.endpoint}/stores/${index}`),
    close: service.close,
  };
}

async function serve(): Promise<void> {
  // Imported here, after the parent set this process's environment: the config is read at load.
  const { toApiGatewayEvent, writeLambdaResult } = await import('../../infra/local/http-adapter');
  const { publicApiHandler } = await import('../../shared/api/app');
  const { makeDocumentClient } = await import('../../shared/aws/dynamo-client');
  const { sns } = await import('../../shared/aws/sns-client');
  const { loadConfig, publicApiConfigSchema } = await import('../../shared/config');
  const { Logger } = await import('@aws-lambda-powertools/logger');
  const config = loadConfig(publicApiConfigSchema);
  const logger = new Logger({ persistentKeys: { handler: 'bench-api' } });
  const endpoints = JSON.parse(process.env.BENCH_STORE_ENDPOINTS ?? '[]') as string[];
  const handlers = endpoints.map((endpoint) =>
    publicApiHandler({ dynamo: makeDocumentClient(endpoint), sns, config, logger }),
  );
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const [, index, path] = STORE_PREFIX.exec(req.url ?? '') ?? [];
    const handler = handlers[Number(index)];
    if (handler === undefined || path === undefined) {
      res.statusCode = 404;
      res.end();
      return;
    }
    req.url = path;
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
