// Step 8: the monthly AWS bill, from the per-operation figures the run measured (write and read units,
// durations, bytes) and list prices. Pure: it reads figures and returns figures.
import { FUNCTION_MEMORY_MB } from '../../infra/constructs/function-memory';
import { tableSchema } from '../../shared/store/table-schema';
import { type Figure, plainFigure } from './figures';

/**
 * us-east-1 list prices, free tiers ignored. Read 2026-11-30 from the AWS pricing pages as published in
 * 2025 (DynamoDB after its November 2024 on-demand price cut). docs/benchmarks.md repeats them.
 */
export const prices = {
  date: '2025 list prices, read 2026-11-30',
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  sqsRequest: 0.4 / 1e6,
  cloudFrontHttpsRequest: 0.01 / 10_000,
  cloudFrontGb: 0.085,
  httpApiRequest: 1.0 / 1e6,
} as const;

/** The workload the issue prices. */
export const workload = {
  eventCounts: [10_000, 100_000, 1_000_000],
  filesPerDay: 1_000,
  feedRequestsPerMonth: 1_000_000,
  /** Share of feed requests CloudFront answers from its cache (feeds say max-age=300). */
  cacheHitRate: 0.8,
  /** Memory of the functions as deployed (infra/constructs/function-memory.ts), in GB. */
  ingestMemoryGb: FUNCTION_MEMORY_MB.ingest / 1024,
  apiMemoryGb: FUNCTION_MEMORY_MB.api / 1024,
  sqsBatchSize: 10,
  /** Invocations at once in the ingest bench: a file's share of an invocation's time is this / files/s. */
  ingestConcurrency: 4,
  /** SQS requests per file: S3's SendMessage, plus a share of the batched Receive and Delete. */
  sqsRequestsPerFile: 1.2,
  /** Lambda's SQS pollers long-poll even an idle queue: 5 pollers, one 20 s ReceiveMessage each at a time. */
  idlePollsPerMonth: 5 * 3 * 60 * 24 * 30,
} as const;

export interface CostInputs {
  writeUnitsPerFile: number;
  readUnitsPerFile: number;
  ingestFilesPerSecond: number;
  readUnitsPerFeedRequest: number;
  feedLatencyMs: number;
  feedResponseBytes: number;
  storedBytesPerEvent: number;
}

export type CostLine = { service: string; usdPerMonth: number; basis: string };

export function monthlyCost(inputs: CostInputs, events: number): CostLine[] {
  const files = workload.filesPerDay * 30;
  const origin = workload.feedRequestsPerMonth * (1 - workload.cacheHitRate);
  const ingestSeconds = files * (workload.ingestConcurrency / inputs.ingestFilesPerSecond);
  const storageGb = (events * inputs.storedBytesPerEvent) / 1e9;
  return [
    {
      service: 'DynamoDB on-demand',
      usdPerMonth:
        files * inputs.writeUnitsPerFile * prices.dynamoWriteUnit +
        (files * inputs.readUnitsPerFile + origin * inputs.readUnitsPerFeedRequest) * prices.dynamoReadUnit +
        storageGb * prices.dynamoStorageGbMonth,
      basis: `${files} files × ${inputs.writeUnitsPerFile} WRU + ${inputs.readUnitsPerFile} RRU; ${origin} origin requests × ${inputs.readUnitsPerFeedRequest} RRU; ${storageGb.toFixed(3)} GB stored`,
    },
    {
      service: 'Lambda arm64',
      usdPerMonth:
        (files / workload.sqsBatchSize + origin) * prices.lambdaRequest +
        (ingestSeconds * workload.ingestMemoryGb +
          origin * (inputs.feedLatencyMs / 1000) * workload.apiMemoryGb) *
          prices.lambdaArmGbSecond,
      basis: `${files / workload.sqsBatchSize} ingest invocations (${ingestSeconds.toFixed(0)} s at ${workload.ingestMemoryGb.toFixed(2)} GB) + ${origin} API invocations × ${inputs.feedLatencyMs} ms at ${workload.apiMemoryGb.toFixed(2)} GB`,
    },
    {
      service: 'SQS',
      usdPerMonth: (files * workload.sqsRequestsPerFile + workload.idlePollsPerMonth) * prices.sqsRequest,
      basis: `${files * workload.sqsRequestsPerFile} message requests + ${workload.idlePollsPerMonth} long polls`,
    },
    {
      service: 'CloudFront',
      usdPerMonth:
        workload.feedRequestsPerMonth * prices.cloudFrontHttpsRequest +
        ((workload.feedRequestsPerMonth * inputs.feedResponseBytes) / 1e9) * prices.cloudFrontGb,
      basis: `${workload.feedRequestsPerMonth} HTTPS requests, ${inputs.feedResponseBytes} bytes each (the hot topic's page, gzip'd)`,
    },
    {
      service: 'API Gateway HTTP API',
      usdPerMonth: origin * prices.httpApiRequest,
      basis: `${origin} origin requests (${(1 - workload.cacheHitRate) * 100} % cache misses)`,
    },
  ];
}

/** The value of the last figure whose name starts with `prefix` (the largest store measured). */
function lastValue(figures: readonly Figure[], prefix: string): number | undefined {
  return figures.filter((figure) => figure.name.startsWith(prefix)).at(-1)?.value;
}

export function costInputsOf(figures: readonly Figure[]): CostInputs | undefined {
  const inputs = {
    writeUnitsPerFile: lastValue(figures, 'ingest: write units per file'),
    readUnitsPerFile: lastValue(figures, 'ingest: read units per file'),
    ingestFilesPerSecond: lastValue(figures, 'ingest: files/s'),
    // As if every origin request found no kept page (a container serving a topic once in five minutes).
    readUnitsPerFeedRequest:
      lastValue(figures, 'topic feed (hot), page not kept: read units per request') ??
      lastValue(figures, 'topic feed (hot): read units per request'),
    feedLatencyMs: lastValue(figures, 'topic feed (hot) p50 @'),
    feedResponseBytes: lastValue(figures, "topic feed (hot): response bytes gzip'd"),
    storedBytesPerEvent: lastValue(figures, 'store: bytes per event'),
  };
  if (Object.values(inputs).some((value) => value === undefined)) return undefined;
  return inputs as CostInputs;
}

const label = (events: number) => (events >= 1e6 ? `${events / 1e6}M` : `${events / 1e3}k`);

/** Cost figures per store size (one per service and a total); none when a step they need did not run. */
export function costFigures(figures: readonly Figure[]): Figure[] {
  const inputs = costInputsOf(figures);
  if (!inputs) return [];
  const how = `${workload.filesPerDay} files/day, ${workload.feedRequestsPerMonth} feed requests/month at a ${workload.cacheHitRate * 100} % cache hit rate; ${prices.date}, us-east-1, free tiers ignored (bench/suite/cost.ts)`;
  return workload.eventCounts.flatMap((events) => {
    const lines = monthlyCost(inputs, events);
    const total = lines.reduce((sum, line) => sum + line.usdPerMonth, 0);
    return [
      ...lines.map((line) =>
        plainFigure(`cost @${label(events)} events: ${line.service}`, 'USD/month', [line.usdPerMonth], {
          how: `${line.basis}; ${how}`,
        }),
      ),
      plainFigure(`cost @${label(events)} events: total`, 'USD/month', [total], { how }),
    ];
  });
}

/**
 * DynamoDB's item size: attribute names and values, plus 100 bytes, plus each index copy (its keys and the
 * attributes it projects).
 */
export function storedItemBytes(
  item: Record<string, unknown>,
  indexKeyPairs: readonly (readonly [string, string, ...string[]])[],
): number {
  const valueBytes = (value: unknown): number => {
    if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
    if (typeof value === 'number') return Math.ceil(String(value).replace(/^-|\./g, '').length / 2) + 1;
    if (typeof value === 'boolean' || value === null) return 1;
    if (value instanceof Uint8Array) return value.byteLength;
    if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueBytes(v), 0);
    if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
    if (typeof value === 'object')
      return (
        3 +
        Object.entries(value as object).reduce(
          (sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueBytes(v),
          0,
        )
      );
    return 0;
  };
  const attributes = (entries: [string, unknown][]) =>
    entries.reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
  const base = attributes(Object.entries(item)) + 100;
  const keys = [tableSchema.partitionKey, tableSchema.sortKey];
  const indexes = indexKeyPairs
    .filter(([partition]) => item[partition] !== undefined)
    .map(
      // An index keyed on a table key (the month-day index sorts by SK) stores that attribute once.
      ([partition, sort, ...projected]) =>
        attributes(
          [...new Set([...keys, partition, sort, ...projected])]
            .filter((name) => item[name] !== undefined)
            .map((name) => [name, item[name]]),
        ) + 100,
    );
  return base + indexes.reduce((sum, bytes) => sum + bytes, 0);
}
