// One Lambda execution environment of a LambdaPool (lambda-pool.ts): imports the handler once, with the
// environment the pool gave it, then runs one invocation at a time, as Lambda does. Plain JavaScript, so
// it starts whatever loader the parent runs under; TypeScript handlers load through tsx's API.
import { parentPort, workerData } from 'node:worker_threads';

const { modulePath, exportName } = workerData;
if (/\.[cm]?tsx?$/.test(modulePath)) (await import('tsx/esm/api')).register();
const handler = (await import(modulePath))[exportName];
if (typeof handler !== 'function') throw new Error(`${modulePath} exports no function ${exportName}`);

parentPort.on('message', async ({ id, event }) => {
  try {
    parentPort.postMessage({ id, result: await handler(event) });
  } catch (error) {
    const { name = 'Error', message = String(error), stack } = error instanceof Error ? error : {};
    parentPort.postMessage({ id, error: { name, message, stack } });
  }
});
parentPort.postMessage({ ready: true });
