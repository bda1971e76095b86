// Each function's memory, and the V8 heap that Lambda's Node.js runtime gives a function of that memory.
// The processes that run the handlers on this machine (`npm start`, the benchmarks) start node with the
// same heap flags, so that garbage collection there behaves as it does in the deployed function.

export type FunctionName = 'api' | 'admin' | 'ingest' | 'notify' | 'deliver' | 'reconcile';

/** ProjectFunction's memory where a function does not say (MB). */
export const DEFAULT_FUNCTION_MEMORY_MB = 512;

/**
 * Lambda allocates CPU in proportion to memory, and at 1,769 MB a function has the equivalent of one vCPU
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
 */
export const ONE_VCPU_MEMORY_MB = 1769;

/** MB per function, as the stacks deploy them (and as the cost table prices the ingest and the API). */
export const FUNCTION_MEMORY_MB = {
  // One vCPU: an ingest batch is CPU-bound on one thread (about 2 ms per file, most of it the SDK's
  // requests; docs/benchmarks.md), so at 1,024 MB (0.58 vCPU) a batch ran about 1.7x its CPU time for the
  // same GB-seconds. More than one vCPU would only serve V8's helper threads.
  ingest: ONE_VCPU_MEMORY_MB,
  api: 1024,
  admin: 512,
  notify: 512,
  deliver: 512,
  reconcile: 512,
} as const satisfies Record<FunctionName, number>;

/**
 * The heap flags Lambda's Node.js runtime starts `node` with for a function of `memoryMb`: its bootstrap
 * script (`/var/runtime/bootstrap`, from AWS_LAMBDA_FUNCTION_MEMORY_SIZE) gives a tenth of the memory to
 * the young generation, half of that to each semi-space, and the rest to the old space, in whole MB. (Read
 * in the nodejs18.x runtime's bootstrap; a later runtime's can be checked by logging `process.execArgv` in
 * a function. This is the one place to change if it differs.) 1,769 MB gives an 88 MB semi-space, where a
 * plain `node` has 16 MB: an ingest invocation keeps a whole SQS batch of files in flight, and with 16 MB
 * the scavenger ran about 290 times over 4,000 files (docs/benchmarks.md, "Lambda's heap").
 */
export function lambdaHeapFlags(memoryMb: number): string[] {
  const youngGenerationMb = Math.floor(memoryMb / 10);
  return [
    `--max-semi-space-size=${Math.floor(youngGenerationMb / 2)}`,
    `--max-old-space-size=${memoryMb - youngGenerationMb}`,
  ];
}

/** The ingest function's: for every local process that runs its batches. */
export const INGEST_HEAP_FLAGS = lambdaHeapFlags(FUNCTION_MEMORY_MB.ingest);

/**
 * The flags of the local stack's one process (`npm start`, package.json), which runs every handler: the
 * ingest function's, whose batches are the heaviest work it does.
 */
export const LOCAL_STACK_HEAP_FLAGS = INGEST_HEAP_FLAGS;
