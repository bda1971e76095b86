// Configuration, read once from the environment, typed and validated so a bad deploy fails at cold start.
import * as z from './zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * A function's config schema, built when its function loads config. Each schema is a factory, not a
 * module-level constant: esbuild keeps every top-level call (it cannot know zod's are pure), so constants
 * put every function's schemas in every bundle, and building the unused ones cost the ingest's init ~8 ms
 * (docs/benchmarks.md, "the ingest's rare paths out of its cold start").
 */
export type ConfigSchema<S extends z.ZodMiniType> = () => S;

/** Parses `env` with the schema (or the one its factory builds), or throws one readable error naming every bad variable. */
export function loadConfig<S extends z.ZodMiniType>(
  schema: S | ConfigSchema<S>,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const parsed = (typeof schema === 'function' ? schema() : schema).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

const nonEmpty = () => z.string().check(z.minLength(1));
/** A whole number above zero, from its decimal text in the environment. */
const positiveInt = (params?: { error: string }) => z.coerce.number(params).check(z.int(), z.positive());

const tableName = () => z.string().check(z.minLength(1, 'TABLE_NAME is required'));

export const ingestConfigSchema = () =>
  z.object({
    TABLE_NAME: tableName(),
    MAX_OBJECT_BYTES: z._default(positiveInt(), 1_048_576),
    /**
     * The ingest queue's redrive `maxReceiveCount` (set by CDK from the same constant as the queue): on that
     * receive a message that fails again goes to the DLQ, so the ingest records it as a rejection first.
     */
    MAX_RECEIVE_COUNT: positiveInt({
      error: 'MAX_RECEIVE_COUNT is required: the ingest queue’s redrive maxReceiveCount',
    }),
    /** Set by CDK on every function; the `service` dimension of the ingest metrics (Powertools' default). */
    POWERTOOLS_SERVICE_NAME: z._default(nonEmpty(), 'service_undefined'),
    /**
     * Only where one process is the only writer (the local stack): when it started. Merge markers written
     * before then have no live writer, so a restart after a crash finishes them at once instead of waiting.
     */
    SOLE_WRITER_SINCE: z.optional(z.iso.datetime()),
  });

export const apiConfigSchema = () =>
  z.object({
    TABLE_NAME: tableName(),
    /** Absolute base URL for links in feeds; when unset it is derived from the request's host. */
    PUBLIC_BASE_URL: z.optional(z.url()),
    /**
     * Secret that signs paging cursors (HMAC-SHA256); every instance must share it, so that a cursor issued
     * by one container is accepted by the next. When unset, each container makes its own (local use only).
     */
    CURSOR_KEY: z.optional(z.string().check(z.minLength(32, 'CURSOR_KEY must be at least 32 characters'))),
  });

// --- Reconcile and reprocess (issue 11): re-queued objects go to the ingest queue as S3-shaped notifications.
/** Comma-separated key prefixes (`news/,zh/news/`): the keys S3 notifies the ingest about. */
const keyPrefixList = () =>
  z.pipe(
    z.pipe(
      nonEmpty(),
      z.transform((value) =>
        value
          .split(',')
          .map((prefix) => prefix.trim())
          .filter(Boolean),
      ),
    ),
    z.array(nonEmpty()).check(z.minLength(1, 'EVENT_PREFIXES must name at least one prefix')),
  );

export const reconcileConfigSchema = () =>
  z.object({
    TABLE_NAME: tableName(),
    EVENTS_BUCKET: z
      .string()
      .check(z.minLength(1, 'EVENTS_BUCKET is required: the bucket to compare with the table')),
    INGEST_QUEUE_URL: z.url({ error: 'INGEST_QUEUE_URL is required: re-queued objects go there' }),
    RECONCILE_QUEUE_URL: z.url({
      error: 'RECONCILE_QUEUE_URL is required: a run too long for one invocation continues through it',
    }),
    EVENT_PREFIXES: keyPrefixList(),
  });

export const adminConfigSchema = () =>
  z.object({
    TABLE_NAME: tableName(),
    /** For `POST /reprocess`. Unset only in the local stack, which hands the admin handler its own queue. */
    EVENTS_BUCKET: z.optional(nonEmpty()),
    INGEST_QUEUE_URL: z.optional(z.url()),
    /** Keys outside these prefixes are refused by /reprocess; unset (the local stack): any key. */
    EVENT_PREFIXES: z.optional(keyPrefixList()),
  });

export type IngestConfig = z.infer<ReturnType<typeof ingestConfigSchema>>;
export type ApiConfig = z.infer<ReturnType<typeof apiConfigSchema>>;

// --- Anniversary delivery (issue 8): the notifier, the webhook delivery function and the subscriptions API.
const booleanFlag = () =>
  z.pipe(
    z._default(z.enum(['true', 'false']), 'false'),
    z.transform((value) => value === 'true'),
  );
const pem = (name: string) =>
  z.string().check(z.includes('-----BEGIN ', { message: `${name} must be a PEM key` }));

export const notifyConfigSchema = () =>
  z.object({
    TABLE_NAME: tableName(),
    /** The schedule's zone: "today" for SNS and for subscriptions that name no zone. */
    NOTIFY_TIME_ZONE: z._default(z.string(), 'UTC'),
    NOTIFY_LEAP: z._default(z.enum(['feb28', 'mar1', 'strict']), 'feb28'),
    /** Links in messages must be absolute and must not depend on a request. */
    PUBLIC_BASE_URL: z.url({ error: 'PUBLIC_BASE_URL is required: links in notifications are absolute' }),
    /** The SNS topic (set by `bindTopicPublish`); unset where SNS does not run (the local stack): nothing is published. */
    TOPIC_ARN: z.optional(nonEmpty()),
    DELIVERY_QUEUE_URL: z.url({ error: 'DELIVERY_QUEUE_URL is required: webhook digests go through it' }),
    /** A claim this old has no live run behind it (the notifier times out after 2 minutes). */
    STALE_CLAIM_MS: z._default(positiveInt(), 600_000),
  });

export const deliveryConfigSchema = () =>
  z.object({
    TABLE_NAME: tableName(),
    WEBHOOK_SEALING_PRIVATE_KEY: pem('WEBHOOK_SEALING_PRIVATE_KEY'),
    /** The delivery queue's redrive `maxReceiveCount`: the attempt that ends in the DLQ is recorded as failed. */
    MAX_RECEIVE_COUNT: positiveInt(),
    WEBHOOK_TIMEOUT_MS: z._default(positiveInt(), 10_000),
    /** The local stack only: receivers on loopback. */
    WEBHOOK_ALLOW_LOOPBACK: booleanFlag(),
    /** When set, failed messages come back after an exponential backoff (ChangeMessageVisibility). */
    DELIVERY_QUEUE_URL: z.optional(z.url()),
  });

export const subscriptionApiConfigFields = () => ({
  /** Seals webhook secrets; only the delivery function holds the private half. Unset: webhooks answer 501. */
  WEBHOOK_SEALING_PUBLIC_KEY: z.optional(pem('WEBHOOK_SEALING_PUBLIC_KEY')),
  /** Where SNS protocols subscribe; unset (the local stack): they answer 501. */
  NOTIFICATION_TOPIC_ARN: z.optional(nonEmpty()),
  WEBHOOK_ALLOW_LOOPBACK: booleanFlag(),
  /** Subscription writes (POST, DELETE) a client may make per minute. */
  SUBSCRIBE_RATE_LIMIT: z._default(positiveInt(), 10),
});

/** The public API's whole config: its own fields and the subscription routes'. */
export const publicApiConfigSchema = () => z.extend(apiConfigSchema(), subscriptionApiConfigFields());
export type PublicApiConfig = z.infer<ReturnType<typeof publicApiConfigSchema>>;
export type NotifyConfig = z.infer<ReturnType<typeof notifyConfigSchema>>;
export type DeliveryConfig = z.infer<ReturnType<typeof deliveryConfigSchema>>;
