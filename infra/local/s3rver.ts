// s3rver 3.7.1, loaded so that its ListObjectsV2 continuation tokens work under OpenSSL 3 (Node 17+), and
// without the request log that it formats even when silent (below).
//
// s3rver encrypts each continuation token with single DES (`createCipheriv('des', …)` in
// lib/controllers/bucket.js). OpenSSL 3 moved DES to its legacy provider, so every second page of a
// listing was a 500 (ERR_OSSL_EVP_UNSUPPORTED): `npm start` died in its reconcile once the bucket held
// more than 1,000 objects, and `aws s3 ls`/`sync` failed the same way. No release or fork fixes it
// (3.7.1 is the last; @20minutes/s3rver still uses DES).
//
// Why this shim rather than the alternatives:
// - npm here skips install scripts, so a patch applied at postinstall would silently not run.
// - `--openssl-legacy-provider` is a process-wide start-up flag. s3rver runs in-process (its object events
//   must reach the local queue before the PutObject response does, or `drain()` could miss them), so the
//   flag would mean a child process plus an acknowledged event relay — and it needs a Node build that
//   ships the legacy provider.
// - The codec is private to bucket.js (module-level functions, not exports), so it cannot be replaced
//   from outside. What can be replaced is the `crypto` that bucket.js, and only bucket.js, requires.
//
// That `crypto` computes DES-CBC as 3DES-EDE-CBC with the key repeated three times (K1 = K2 = K3), which
// is single DES by construction and is in OpenSSL 3's default provider: the tokens are byte for byte
// what s3rver has always made, and nothing else in the process sees a different `crypto`.
import type * as NodeCrypto from 'node:crypto';
import Module, { createRequire } from 'node:module';
import type S3rverClass from 's3rver';

const require = createRequire(import.meta.url);
const bucketController = require.resolve('s3rver/lib/controllers/bucket.js');
/** Marks bucket.js's exports once it was loaded with the shim (Symbol.for: shared across module graphs). */
const shimmed = Symbol.for('context-feeds.s3rver-des-as-3des');

const crypto = require('node:crypto') as typeof NodeCrypto;

const asTripleDes = (algorithm: string, key: Buffer): [string, Buffer] =>
  ['des', 'des-cbc'].includes(algorithm.toLowerCase())
    ? ['des-ede3-cbc', Buffer.concat([key, key, key])]
    : [algorithm, key];

/** Node's `crypto` with DES-CBC made of 3DES; every other member is inherited unchanged. */
const desCompatibleCrypto: typeof NodeCrypto = Object.create(crypto, {
  createCipheriv: {
    value: (algorithm: string, key: Buffer, iv: Buffer) =>
      crypto.createCipheriv(...asTripleDes(algorithm, key), iv),
  },
  createDecipheriv: {
    value: (algorithm: string, key: Buffer, iv: Buffer) =>
      crypto.createDecipheriv(...asTripleDes(algorithm, key), iv),
  },
});

/**
 * s3rver runs silent here (services.ts), but its koa-logger middleware still timed and colour-formatted
 * every request before the silent transport dropped the line: about 3 % of the ingest process's CPU in
 * `bench/suite/profile-ingest.ts`. Its request log is replaced with a pass-through, in the same way and in
 * the same window as the `crypto` above, for lib/middleware/logger.js only.
 */
const loggerMiddleware = require.resolve('s3rver/lib/middleware/logger.js');
const noRequestLog = () => (_context: unknown, next: () => Promise<void>) => next();

const replacements = new Map<string, Map<string, unknown>>([
  [bucketController, new Map([['crypto', desCompatibleCrypto]])],
  [loggerMiddleware, new Map([['koa-logger', noRequestLog]])],
]);

function loadS3rver(): typeof S3rverClass {
  const cached = require.cache[bucketController];
  if (cached && !(shimmed in (cached.exports as object)))
    throw new Error(
      's3rver was loaded before infra/local/s3rver.ts could fix its continuation tokens; import S3rver from there',
    );
  const { require: originalRequire } = Module.prototype;
  Module.prototype.require = function requireWithShim(this: Module, id: string) {
    const replacement = replacements.get(this.filename)?.get(id);
    return replacement ?? originalRequire.call(this, id);
  } as typeof originalRequire;
  try {
    const exports = require(bucketController) as object;
    if (!(shimmed in exports)) Object.defineProperty(exports, shimmed, { value: true });
    return require('s3rver') as typeof S3rverClass;
  } finally {
    Module.prototype.require = originalRequire;
  }
}

const S3rver = loadS3rver();
export default S3rver;
