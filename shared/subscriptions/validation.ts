// Validates a subscription request; every refusal is a BadRequest naming the field at fault.
import { BadRequest } from '../http/errors';
import { parseTimeZone } from '../http/params';
import {
  checkEndpointUrl,
  checkResolved,
  type EndpointPolicy,
  ForbiddenEndpoint,
} from '../net/endpoint-guard';

export const protocols = ['webhook', 'email', 'https', 'sqs'] as const;
export type Protocol = (typeof protocols)[number];

export const maxTopics = 100;

export interface SubscriptionRequest {
  protocol: Protocol;
  endpoint: string;
  topics: string[];
  tz?: string | undefined;
}

export interface ValidationDeps {
  policy: EndpointPolicy;
  topicExists(slug: string): Promise<boolean>;
  /** The DNS check of an endpoint's host (injected so tests need no resolver). */
  checkResolved?: typeof checkResolved;
}

// A pragmatic address check (the WHATWG "valid e-mail address" shape); SNS confirms that it works.
const emailShape =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const sqsArnShape = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function validateSubscription(
  raw: string | undefined,
  deps: ValidationDeps,
): Promise<SubscriptionRequest> {
  let body: unknown;
  try {
    body = JSON.parse(raw ?? '');
  } catch {
    throw new BadRequest('The body must be a JSON object.', 'body');
  }
  if (!isRecord(body)) throw new BadRequest('The body must be a JSON object.', 'body');
  const { protocol, endpoint, topics, tz } = body;
  if (typeof protocol !== 'string' || !(protocols as readonly string[]).includes(protocol)) {
    throw new BadRequest(`protocol must be one of ${protocols.join(', ')}.`, 'protocol');
  }
  if (typeof endpoint !== 'string' || endpoint === '')
    throw new BadRequest('endpoint is required.', 'endpoint');
  await validateEndpoint(protocol as Protocol, endpoint, deps);
  const slugs = await validateTopics(topics, deps);
  const zone = tz === undefined ? undefined : typeof tz === 'string' ? parseTimeZone(tz, 'tz') : undefined;
  if (tz !== undefined && zone === undefined)
    throw new BadRequest('tz must be an IANA time zone name.', 'tz');
  return { protocol: protocol as Protocol, endpoint, topics: slugs, ...(zone ? { tz: zone } : {}) };
}

async function validateEndpoint(protocol: Protocol, endpoint: string, deps: ValidationDeps): Promise<void> {
  try {
    if (protocol === 'email') {
      if (endpoint.length > 254 || !emailShape.test(endpoint)) {
        throw new BadRequest('endpoint must be an e-mail address.', 'endpoint');
      }
      return;
    }
    if (protocol === 'sqs') {
      if (!sqsArnShape.test(endpoint)) throw new BadRequest('endpoint must be an SQS queue ARN.', 'endpoint');
      return;
    }
    const url = checkEndpointUrl(endpoint, deps.policy);
    // SNS delivers https itself, from AWS's network; the guard matters as much there (it is our topic).
    await (deps.checkResolved ?? checkResolved)(url, deps.policy);
  } catch (error) {
    if (error instanceof ForbiddenEndpoint) throw new BadRequest(`${error.message}.`, 'endpoint');
    throw error;
  }
}

async function validateTopics(topics: unknown, deps: ValidationDeps): Promise<string[]> {
  if (!Array.isArray(topics) || topics.length === 0) {
    throw new BadRequest('topics must be a non-empty array of topic slugs.', 'topics');
  }
  if (topics.length > maxTopics)
    throw new BadRequest(`topics may name at most ${maxTopics} topics.`, 'topics');
  if (
    !topics.every(
      (topic): topic is string => typeof topic === 'string' && topic !== '' && topic.length <= 200,
    )
  ) {
    throw new BadRequest('topics must be topic slugs (strings).', 'topics');
  }
  const unique = [...new Set(topics)];
  const exists = await Promise.all(unique.map((slug) => deps.topicExists(slug)));
  const unknown = unique.filter((_, i) => !exists[i]);
  if (unknown.length > 0) {
    throw new BadRequest(
      `topics names topics that do not exist: ${unknown.slice(0, 5).join(', ')}.`,
      'topics',
    );
  }
  return unique;
}
