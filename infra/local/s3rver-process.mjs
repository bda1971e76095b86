// s3rver 3.7.1 in a process of its own, as S3 is a service of its own: its HTTP parsing, XML and file I/O
// take the second core instead of the handlers' event loop (about 9 % of the ingest process's CPU in
// `bench/suite/profile-ingest.ts`, before its share of the HTTP work). Started by startS3rver (fork).
//
// Object events go to the parent over IPC, and a PutObject/DeleteObject response leaves only after the
// parent has acknowledged every event sent so far (`relayBarrier` below). So, as when s3rver ran in the
// handlers' process, an event has reached the local queue before the client sees its response, and the
// local stack's `drain()` cannot miss it.
//
// Two things in s3rver are replaced, for one of its files each, while it loads:
//
// 1. Continuation tokens. s3rver encrypts each ListObjectsV2 continuation token with single DES
//    (`createCipheriv('des', …)` in lib/controllers/bucket.js). OpenSSL 3 moved DES to its legacy provider,
//    so every second page of a listing was a 500 (ERR_OSSL_EVP_UNSUPPORTED): `npm start` died in its
//    reconcile once the bucket held more than 1,000 objects, and `aws s3 ls`/`sync` failed the same way.
//    No release or fork fixes it (3.7.1 is the last; @20minutes/s3rver still uses DES). npm here skips
//    install scripts, so a patch applied at postinstall would silently not run, and
//    `--openssl-legacy-provider` needs a Node build that ships the legacy provider. The codec is private to
//    bucket.js, so what is replaced is the `crypto` that bucket.js, and only bucket.js, requires: DES-CBC
//    computed as 3DES-EDE-CBC with the key repeated three times (K1 = K2 = K3), which is single DES by
//    construction and is in OpenSSL 3's default provider. The tokens are byte for byte what s3rver has
//    always made.
// 2. The request log. s3rver runs silent, but its koa-logger middleware still timed and colour-formatted
//    every request (about 3 % of CPU). lib/middleware/logger.js gets the relay barrier in its place: it is
//    the outermost middleware, so it sees every response before Koa writes it.
import crypto from 'node:crypto';
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const asTripleDes = (algorithm, key) =>
  ['des', 'des-cbc'].includes(algorithm.toLowerCase())
    ? ['des-ede3-cbc', Buffer.concat([key, key, key])]
    : [algorithm, key];

/** Node's `crypto` with DES-CBC made of 3DES; every other member is inherited unchanged. */
const desCompatibleCrypto = Object.create(crypto, {
  createCipheriv: {
    value: (algorithm, key, iv) => crypto.createCipheriv(...asTripleDes(algorithm, key), iv),
  },
  createDecipheriv: {
    value: (algorithm, key, iv) => crypto.createDecipheriv(...asTripleDes(algorithm, key), iv),
  },
});

// Events sent to the parent, numbered; the parent answers `{ ack: n }` once its listeners have settled,
// not necessarily in order. `acknowledged` is the highest n with every event up to it acknowledged.
let sent = 0;
let acknowledged = 0;
const acknowledgedAhead = new Set();
const waiting = [];

function relay(event) {
  sent++;
  process.send?.({ event, seq: sent });
}

function onAcknowledged(seq) {
  acknowledgedAhead.add(seq);
  while (acknowledgedAhead.delete(acknowledged + 1)) acknowledged++;
  while (waiting.length > 0 && waiting[0].seq <= acknowledged) waiting.shift().resolve();
}

/** Resolves once the parent has acknowledged every event sent so far. */
function relayed() {
  if (acknowledged >= sent) return undefined;
  return new Promise((resolve) => waiting.push({ seq: sent, resolve }));
}

const relayBarrier = () => async (_context, next) => {
  const sentBefore = sent;
  await next();
  // A request that sent no event (a GET) need not wait for other requests' events.
  if (sent !== sentBefore) await relayed();
};

const replacements = new Map([
  [require.resolve('s3rver/lib/controllers/bucket.js'), new Map([['crypto', desCompatibleCrypto]])],
  [require.resolve('s3rver/lib/middleware/logger.js'), new Map([['koa-logger', relayBarrier]])],
]);

function loadS3rver() {
  const { require: originalRequire } = Module.prototype;
  Module.prototype.require = function requireWithReplacements(id) {
    return replacements.get(this.filename)?.get(id) ?? originalRequire.call(this, id);
  };
  try {
    return require('s3rver');
  } finally {
    Module.prototype.require = originalRequire;
  }
}

const S3rver = loadS3rver();
const { port, directory, bucket } = JSON.parse(process.argv[2] ?? '{}');
const instance = new S3rver({
  address: '127.0.0.1',
  port,
  directory,
  silent: true,
  allowMismatchedSignatures: true,
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [] }],
});
instance.on('event', relay);

try {
  const address = await instance.run();
  process.send?.({ port: address.port });
} catch (error) {
  process.send?.({ error: String(error) });
  process.exit(1);
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  instance.close().finally(() => process.exit(0));
};
process.on('message', (message) => {
  if (message === 'close') stop();
  else if (typeof message?.ack === 'number') onAcknowledged(message.ack);
});
process.on('disconnect', stop);

// Ctrl-C in a terminal signals the whole process group, this child too. The parent then drains its queue,
// which still needs this service, and sends 'close' when it is done; so the signal is the parent's to act
// on. A parent that dies (even by SIGKILL) disconnects, and that stops this process.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
