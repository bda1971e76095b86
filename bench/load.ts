// Load on the local stack with autocannon, loopback only, for a fixed and bounded time per scenario.
// bench/suite/stores-step.ts runs it in a child process (`node --import tsx bench/load.ts '<json>'`), so the
// load generator does not share the server's event loop; it prints one JSON result per scenario.
import autocannon from 'autocannon';

export interface LoadRequest {
  path: string;
  headers?: Record<string, string>;
}

export interface LoadScenario {
  name: string;
  requests: LoadRequest[];
}

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts, 4xx and 5xx (a 304 is an answer, not an error). */
  errors: number;
  notModified: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Upper bound of one scenario, whatever the caller asks: this machine is shared. */
const MAX_SECONDS = 60;

export async function runLoad(
  baseUrl: string,
  scenario: LoadScenario,
  options: { seconds: number; connections: number },
): Promise<LoadResult> {
  if (!LOOPBACK.has(new URL(baseUrl).hostname)) throw new Error(`load only on loopback, not ${baseUrl}`);
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: Math.min(MAX_SECONDS, options.seconds),
    requests: scenario.requests.map(({ path, headers }) => ({ method: 'GET', path, headers: headers ?? {} })),
  });
  return {
    name: scenario.name,
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result['4xx'] + result['5xx'],
    notModified: result['3xx'],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { baseUrl, scenarios, seconds, connections } = JSON.parse(process.argv[2] ?? '{}') as {
    baseUrl: string;
    scenarios: LoadScenario[];
    seconds: number;
    connections: number;
  };
  const results: LoadResult[] = [];
  for (const scenario of scenarios) {
    process.stderr.write(`  load: ${scenario.name}, ${seconds} s, ${connections} connections\n`);
    results.push(await runLoad(baseUrl, scenario, { seconds, connections }));
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}
