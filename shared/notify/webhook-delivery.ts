// Delivers one queued webhook digest: signed the Standard Webhooks way (the `standardwebhooks` library),
// POSTed to the subscriber's pinned, SSRF-checked address, and its outcome recorded on the day's marker.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import { type EndpointPolicy, guardedLookup } from '../net/endpoint-guard';
import type { DeliveryMarkers } from '../subscriptions/delivery-markers';
import type { Channel } from '../subscriptions/keys';
import type { SecretOpener } from '../subscriptions/secrets';
import type { SubscriptionStore } from '../subscriptions/subscription-store';
import type { DeliveryMessage } from './delivery-queue';

/** `delivered`; `skipped` (done before, or unsubscribed); `retry` (try again later); `failed` (gave up). */
export type DeliveryOutcome = 'delivered' | 'skipped' | 'retry' | 'failed';

export interface PostResult {
  status?: number | undefined;
  error?: string | undefined;
}

export type Post = (url: string, headers: Record<string, string>, body: string) => Promise<PostResult>;

export interface WebhookDeliveryDeps {
  subscriptions: Pick<SubscriptionStore, 'get'>;
  markers: DeliveryMarkers;
  opener: SecretOpener;
  post: Post;
  now: () => Date;
}

export class WebhookDelivery {
  constructor(private readonly deps: WebhookDeliveryDeps) {}

  /** One attempt; `lastAttempt` turns a failure into `failed` instead of `retry`. */
  async deliver(message: DeliveryMessage, lastAttempt: boolean): Promise<DeliveryOutcome> {
    const { markers } = this.deps;
    const channel: Channel = { kind: 'webhook', subscriptionId: message.subscriptionId };
    const subscription = await this.deps.subscriptions.get(message.subscriptionId);
    if (!(await markers.startAttempt(message.day, channel))) return 'skipped';
    if (subscription?.sealedSecret === undefined) {
      await markers.recordAttempt(message.day, channel, 'failed', { error: 'unsubscribed' }, this.deps.now());
      return 'skipped';
    }
    const signer = new Webhook(this.deps.opener.open(subscription.sealedSecret));
    const timestamp = this.deps.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'context-feeds-webhooks/1',
      'webhook-id': message.webhookId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signer.sign(message.webhookId, timestamp, message.payload),
    };
    const result = await this.deps.post(subscription.endpoint, headers, message.payload);
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    const state = ok ? 'delivered' : lastAttempt ? 'failed' : 'retrying';
    await markers.recordAttempt(message.day, channel, state, result, this.deps.now());
    return ok ? 'delivered' : lastAttempt ? 'failed' : 'retry';
  }
}

/**
 * POSTs with node:http(s): no redirects followed, the address checked by the guard is the one connected
 * to, and a whole-request timeout so that one slow receiver cannot hold the batch.
 */
export function guardedPost(policy: EndpointPolicy, timeoutMs: number): Post {
  const lookup = guardedLookup(policy);
  return (url, headers, body) =>
    new Promise((resolve) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup,
          timeout: timeoutMs,
        },
        (res) => {
          // Only the status matters; the body is drained (and capped by the timeout) so the socket is freed.
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode }));
          res.on('error', (error) => resolve({ status: res.statusCode, error: error.message }));
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error) => resolve({ error: error.message }));
      req.end(body);
    });
}
