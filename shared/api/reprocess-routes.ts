// POST /reprocess (an admin route, IAM-authorized in AWS): re-queues the object under a key, or one bounded page
// of the objects under a prefix, so that the ingest parses them again. Returns the keys and a cursor for the rest.

import { json } from '../http/conditional';
import { BadRequest, NotFound, NotImplemented } from '../http/errors';
import type { HttpRequest } from '../http/request';
import { type RouteDefinition, route } from '../http/router';
import { NoSuchObject, type ReprocessDeps, reprocess } from '../ingest/reprocess';
import * as z from '../zod';

export interface ReprocessRouteDeps extends Omit<ReprocessDeps, 'requeue'> {
  /** A fresh sender per request; absent where no ingest queue is configured (the route answers 501). */
  requeue: (() => ReprocessDeps['requeue']) | undefined;
  /** Keys must lie under one of these (the event prefixes): others are never ingested. Absent: any key. */
  prefixes?: readonly string[] | undefined;
}

/** 1,000 keys is one ListObjectsV2 page, and a few seconds of lookups and sends: well inside the 15 s timeout. */
export const reprocessLimit = { default: 500, max: 1_000 };
/** A key or prefix of at most S3's 1,024 bytes, a limit and a cursor fit easily. */
const MAX_BODY_BYTES = 4_096;
const S3_KEY_BYTES = 1_024;

const keyText = z.string().check(
  z.minLength(1),
  z.refine((value) => Buffer.byteLength(value) <= S3_KEY_BYTES, `must be at most ${S3_KEY_BYTES} bytes`),
);
const bodySchema = z.union([
  z.strictObject({ key: keyText }),
  z.strictObject({
    prefix: keyText,
    limit: z.optional(z.number().check(z.int(), z.gte(1), z.lte(reprocessLimit.max))),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4_000))),
  }),
]);
type ReprocessBody = z.infer<typeof bodySchema>;

// The cursor is the last key re-queued, bound to its prefix so that it cannot move a listing elsewhere.
const cursorSchema = z.object({ p: z.string(), a: z.string().check(z.minLength(1)) });
const encodeCursor = (prefix: string, after: string) =>
  Buffer.from(JSON.stringify({ p: prefix, a: after }), 'utf8').toString('base64url');

function decodeCursor(raw: string, prefix: string): string {
  try {
    const cursor = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (cursor.p === prefix && cursor.a.startsWith(prefix)) return cursor.a;
  } catch {
    // Falls through to the one error below.
  }
  throw new BadRequest('cursor is not one this listing issued for this prefix.', 'cursor');
}

function parseBody(req: HttpRequest): ReprocessBody {
  if (req.body === undefined || Buffer.byteLength(req.body) > MAX_BODY_BYTES) {
    throw new BadRequest(`The body must be a JSON object of at most ${MAX_BODY_BYTES} bytes.`, 'body');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(req.body);
  } catch {
    throw new BadRequest('The body must be a JSON object.', 'body');
  }
  const parsed = bodySchema.safeParse(raw);
  if (!parsed.success) {
    throw new BadRequest(
      'The body must be {"key": "<object key>"} or {"prefix": "<key prefix>", "limit"?: 1-1000, "cursor"?: "<next>"}.',
      'body',
    );
  }
  return parsed.data;
}

export function reprocessRoutes(deps: ReprocessRouteDeps): RouteDefinition[] {
  return [
    route('POST', '/reprocess', async (req) => {
      const body = parseBody(req);
      const named = 'key' in body ? body.key : body.prefix;
      if (deps.prefixes && !deps.prefixes.some((prefix) => named.startsWith(prefix))) {
        throw new BadRequest(
          `Only keys under ${deps.prefixes.join(', ')} are ingested.`,
          'key' in body ? 'key' : 'prefix',
        );
      }
      if (!deps.requeue) throw new NotImplemented('Reprocessing needs the ingest queue (INGEST_QUEUE_URL).');
      const { requeue, prefixes: _prefixes, ...rest } = deps;
      try {
        const result = await reprocess(
          { ...rest, requeue: requeue() },
          'key' in body
            ? { key: body.key }
            : {
                prefix: body.prefix,
                limit: body.limit ?? reprocessLimit.default,
                after: body.cursor === undefined ? undefined : decodeCursor(body.cursor, body.prefix),
              },
        );
        return json(
          {
            requeued: result.keys.length,
            keys: result.keys,
            ...(result.next && 'prefix' in body ? { next: encodeCursor(body.prefix, result.next) } : {}),
          },
          202,
          { 'cache-control': 'no-store' },
        );
      } catch (error) {
        if (error instanceof NoSuchObject) throw new NotFound('No object has that key.');
        throw error;
      }
    }),
  ];
}
