// POST /subscriptions, GET and DELETE /subscriptions/{id}: webhook subscriptions delivered by this
// service, SNS subscriptions (email, https, sqs) confirmed by SNS. Tokens and secrets are shown once.
import { json } from '../http/conditional';
import { NotFound, NotImplemented, TooManyRequests, Unauthorized } from '../http/errors';
import type { HttpRequest, HttpResponse } from '../http/request';
import { type RouteDefinition, route } from '../http/router';
import type { EndpointPolicy } from '../net/endpoint-guard';
import type { ReadStore } from '../store/events-table';
import { subscriptionIdOf } from '../subscriptions/keys';
import type { RateLimiter } from '../subscriptions/rate-limit';
import {
  hashToken,
  newToken,
  newWebhookSecret,
  randomId,
  type SecretSealer,
  tokenMatches,
} from '../subscriptions/secrets';
import type { SnsSubscriptions } from '../subscriptions/sns-subscriptions';
import type { Subscription, SubscriptionStore } from '../subscriptions/subscription-store';
import { type ValidationDeps, validateSubscription } from '../subscriptions/validation';
import { baseUrlOf } from './links';

export interface SubscriptionRouteDeps {
  subscriptions: Pick<SubscriptionStore, 'create' | 'get' | 'delete'>;
  store: Pick<ReadStore, 'getTopic'>;
  /** Absent: webhook subscriptions cannot be sealed here, and answer 501. */
  sealer?: SecretSealer | undefined;
  /** Absent where SNS does not run (the local stack): the SNS protocols answer 501. */
  sns?: SnsSubscriptions | undefined;
  rateLimiter: RateLimiter;
  policy: EndpointPolicy;
  publicBaseUrl?: string | undefined;
  now: () => Date;
  /** Tests inject a resolver; by default the system's. */
  checkResolved?: ValidationDeps['checkResolved'];
}

const noStore = { 'cache-control': 'no-store' };

/**
 * The client a rate limit counts: the address CloudFront (or the local adapter) saw, the last entry it
 * appended to X-Forwarded-For; entries before it are whatever the client claimed.
 */
function clientOf(req: HttpRequest): string {
  return req.headers['x-forwarded-for']?.split(',').at(-1)?.trim() || 'unknown';
}

function bearerOf(req: HttpRequest): string {
  const found = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!found?.[1])
    throw new Unauthorized('This needs the subscription token: Authorization: Bearer <token>.');
  return found[1];
}

function publicView(subscription: Subscription) {
  return {
    id: subscription.id,
    protocol: subscription.protocol,
    endpoint: subscription.endpoint,
    topics: subscription.topics,
    tz: subscription.tz ?? null,
    createdAt: subscription.createdAt,
    // SNS holds the confirmation state; its subscription ARN lets the owner look it up there.
    ...(subscription.snsSubscriptionArn ? { snsSubscriptionArn: subscription.snsSubscriptionArn } : {}),
  };
}

export function subscriptionRoutes(deps: SubscriptionRouteDeps): RouteDefinition[] {
  async function limit(req: HttpRequest): Promise<void> {
    const wait = await deps.rateLimiter.take(clientOf(req));
    if (wait !== undefined) throw new TooManyRequests(wait);
  }

  /** The subscription if the token is its token; the same 404 otherwise, so ids cannot be probed. */
  async function authorized(req: HttpRequest<{ id: string }>): Promise<Subscription> {
    const token = bearerOf(req);
    const subscription = await deps.subscriptions.get(req.params.id);
    if (!subscription || !tokenMatches(token, subscription.tokenHash)) {
      throw new NotFound('There is no subscription with this id and token.');
    }
    return subscription;
  }

  return [
    route('POST', '/subscriptions', async (req): Promise<HttpResponse> => {
      await limit(req);
      const request = await validateSubscription(req.body, {
        policy: deps.policy,
        topicExists: async (slug) => (await deps.store.getTopic(slug)) !== undefined,
        ...(deps.checkResolved ? { checkResolved: deps.checkResolved } : {}),
      });
      const token = newToken();
      const createdAt = deps.now().toISOString();
      const base = baseUrlOf(req, deps.publicBaseUrl);
      if (request.protocol === 'webhook') {
        if (!deps.sealer) throw new NotImplemented('Webhook subscriptions are not configured here.');
        const secret = newWebhookSecret();
        const id = subscriptionIdOf('webhook', randomId());
        await deps.subscriptions.create({
          id,
          ...request,
          tokenHash: hashToken(token),
          sealedSecret: deps.sealer.seal(secret),
          createdAt,
        });
        return json(
          { id, token, secret, topics: request.topics, ...(request.tz ? { tz: request.tz } : {}) },
          201,
          {
            ...noStore,
            location: `${base}/subscriptions/${id}`,
          },
        );
      }
      if (!deps.sns) {
        throw new NotImplemented(
          `The ${request.protocol} protocol is delivered by SNS, which does not run here (the local stack); use a webhook.`,
        );
      }
      const snsSubscriptionArn = await deps.sns.subscribe(request.protocol, request.endpoint, request.topics);
      const id = subscriptionIdOf('sns', randomId());
      await deps.subscriptions.create({
        id,
        ...request,
        tokenHash: hashToken(token),
        snsSubscriptionArn,
        createdAt,
      });
      return json({ id, token, topics: request.topics, state: 'pending-confirmation' }, 202, {
        ...noStore,
        location: `${base}/subscriptions/${id}`,
      });
    }),
    route('GET', '/subscriptions/{id}', async (req) => json(publicView(await authorized(req)), 200, noStore)),
    // Unsubscribing takes a DELETE with the token: no GET link that a mail scanner could follow.
    route('DELETE', '/subscriptions/{id}', async (req) => {
      await limit(req);
      const subscription = await authorized(req);
      if (subscription.snsSubscriptionArn) {
        if (!deps.sns) throw new NotImplemented('SNS does not run here.');
        await deps.sns.unsubscribe(subscription.snsSubscriptionArn);
      }
      await deps.subscriptions.delete(subscription.id);
      return { statusCode: 204, headers: noStore };
    }),
  ];
}
