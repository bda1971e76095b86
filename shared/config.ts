// Configuration, read once from the environment, typed and validated so a bad deploy fails at cold start.
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env` with `schema`, or throws one readable error naming every bad variable. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

const tableName = z.string().min(1, 'TABLE_NAME is required');

export const ingestConfigSchema = z.object({
  TABLE_NAME: tableName,
  MAX_OBJECT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /**
   * The ingest queue's redrive `maxReceiveCount` (set by CDK from the same constant as the queue): on that
   * receive a message that fails again goes to the DLQ, so the ingest records it as a rejection first.
   */
  MAX_RECEIVE_COUNT: z.coerce
    .number({ error: 'MAX_RECEIVE_COUNT is required: the ingest queue’s redrive maxReceiveCount' })
    .int()
    .positive(),
  /** Set by CDK on every function; the `service` dimension of the ingest metrics (Powertools' default). */
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default('service_undefined'),
  /**
   * Only where one process is the only writer (the local stack): when it started. Merge markers written
   * before then have no live writer, so a restart after a crash finishes them at once instead of waiting.
   */
  SOLE_WRITER_SINCE: z.iso.datetime().optional(),
});

export const apiConfigSchema = z.object({
  TABLE_NAME: tableName,
  /** Absolute base URL for links in feeds; when unset it is derived from the request's host. */
  PUBLIC_BASE_URL: z.url().optional(),
  /**
   * Secret that signs paging cursors (HMAC-SHA256); every instance must share it, so that a cursor issued
   * by one container is accepted by the next. When unset, each container makes its own (local use only).
   */
  CURSOR_KEY: z.string().min(32, 'CURSOR_KEY must be at least 32 characters').optional(),
});

export const adminConfigSchema = z.object({ TABLE_NAME: tableName });

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
export type ApiConfig = z.infer<typeof apiConfigSchema>;
