// Concurrent invocations of a Lambda function run in separate execution environments, each with its own
// module state and its own CPU. Locally, an environment is a worker thread that imports the handler once
// (lambda-worker.mjs); environments start on demand, up to `size`, and each runs one invocation at a time.
import { Worker } from 'node:worker_threads';

export interface LambdaPoolOptions {
  /** Absolute path of the handler module (TypeScript is loaded through tsx). */
  modulePath: string;
  exportName?: string;
  /** Environments at most: the function's reserved or maximum concurrency. */
  size: number;
  /** The function's environment variables, read by the handler at import as in Lambda. */
  env: NodeJS.ProcessEnv;
}

export interface LambdaPool<E, R> {
  invoke(event: E): Promise<R>;
  close(): Promise<void>;
}

interface Invocation {
  event: unknown;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** What lambda-worker.mjs posts: once `ready`, then one reply per invocation. */
interface WorkerReply {
  ready?: true;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
}

interface Environment {
  worker: Worker;
  ready: Promise<void>;
  current?: Invocation | undefined;
}

export class InvocationError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

export function startLambdaPool<E, R>(options: LambdaPoolOptions): LambdaPool<E, R> {
  const environments = new Set<Environment>();
  const idle: Environment[] = [];
  const waiting: Invocation[] = [];
  let closed = false;
  let nextId = 0;

  const start = (): Environment => {
    const worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
      workerData: { modulePath: options.modulePath, exportName: options.exportName ?? 'handler' },
      env: options.env,
      // The worker runs plain JavaScript; it registers tsx itself when the handler is TypeScript.
      execArgv: [],
    });
    let markReady: () => void = () => undefined;
    let failStart: (error: Error) => void = () => undefined;
    const environment: Environment = {
      worker,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failStart = reject;
      }),
    };
    worker.on('message', (message: WorkerReply) => {
      if (message.ready) return markReady();
      const invocation = environment.current;
      environment.current = undefined;
      if (message.error) {
        const { name, message: text, stack } = message.error;
        invocation?.reject(new InvocationError(name, text, stack));
      } else invocation?.resolve(message.result);
      release(environment);
    });
    // A crashed environment fails its invocation, as Lambda reports a runtime exit; the next starts fresh.
    const fail = (error: Error) => {
      failStart(error);
      environments.delete(environment);
      const idleAt = idle.indexOf(environment);
      if (idleAt >= 0) idle.splice(idleAt, 1);
      environment.current?.reject(error);
      environment.current = undefined;
      if (!closed && waiting.length > 0) dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the execution environment exited with code ${code}`)));
    environments.add(environment);
    return environment;
  };

  const run = (environment: Environment, invocation: Invocation) => {
    environment.current = invocation;
    environment.ready.then(
      () => environment.worker.postMessage({ id: nextId++, event: invocation.event }),
      () => undefined, // fail() has rejected the invocation
    );
  };

  const release = (environment: Environment) => {
    const invocation = waiting.shift();
    if (invocation) run(environment, invocation);
    else idle.push(environment);
  };

  const dispatch = () => {
    while (waiting.length > 0) {
      const environment = idle.pop() ?? (environments.size < options.size ? start() : undefined);
      if (!environment) return;
      run(environment, waiting.shift() as Invocation);
    }
  };

  return {
    invoke(event: E): Promise<R> {
      if (closed) return Promise.reject(new Error('the pool is closed'));
      return new Promise<R>((resolve, reject) => {
        waiting.push({ event, resolve: resolve as (result: unknown) => void, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const invocation of waiting.splice(0)) invocation.reject(new Error('the pool is closed'));
      await Promise.all([...environments].map((environment) => environment.worker.terminate()));
      environments.clear();
    },
  };
}
