// Operator routes (IAM-authorized in AWS): rejections one bounded page at a time, filtered by reason and key prefix.

import { json } from '../http/conditional';
import { BadRequest } from '../http/errors';
import { parseLimit } from '../http/params';
import type { HttpRequest } from '../http/request';
import { type RouteDefinition, route } from '../http/router';
import type { RejectionFilter, RejectionPage } from '../store/rejection-queries';
import * as z from '../zod';

export interface OperatorDeps {
  rejections: {
    page(filter: RejectionFilter, page: { limit: number; after?: string }): Promise<RejectionPage>;
  };
}

const noStore = { 'cache-control': 'no-store' };
/** 500 rejections of at most ~2.5 KB each (a 1,024-byte key, a short detail): far below Lambda's 6 MB response. */
export const rejectionLimit = { default: 100, max: 500 };
const REASON = /^[a-z][a-z0-9-]{0,39}$/;
/** S3 keys are at most 1,024 bytes. */
const MAX_PREFIX_BYTES = 1_024;
const cursorSchema = z.object({ k: z.string().check(z.minLength(1), z.maxLength(MAX_PREFIX_BYTES)) });

/**
 * The cursor is the last key returned, base64url'd. Admin routes are IAM-only, and a forged cursor can only start a
 * listing at another key the caller could name as a prefix anyway, so it is not signed.
 */
function decodeCursor(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))).k;
  } catch {
    throw new BadRequest('cursor is not one this listing issued.', 'cursor');
  }
}

function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

function filterOf(req: HttpRequest): RejectionFilter {
  const { reason, prefix } = req.query;
  if (reason !== undefined && !REASON.test(reason)) {
    throw new BadRequest('reason must be a rejection reason such as invalid-date.', 'reason');
  }
  if (prefix !== undefined && (prefix === '' || Buffer.byteLength(prefix) > MAX_PREFIX_BYTES)) {
    throw new BadRequest(`prefix must be 1 to ${MAX_PREFIX_BYTES} bytes.`, 'prefix');
  }
  return { reason, keyPrefix: prefix };
}

export function operatorRoutes(deps: OperatorDeps): RouteDefinition[] {
  return [
    route('GET', '/rejections', async (req) => {
      const filter = filterOf(req);
      const limit = parseLimit(req.query.limit, rejectionLimit);
      const after = decodeCursor(req.query.cursor);
      const page = await deps.rejections.page(filter, { limit, ...(after ? { after } : {}) });
      return json(
        { rejections: page.items, ...(page.next ? { next: encodeCursor(page.next) } : {}) },
        200,
        noStore,
      );
    }),
  ];
}
