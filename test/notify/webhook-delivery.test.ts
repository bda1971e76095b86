// Webhook delivery end to end against real HTTP receivers on loopback: the notifier queues, the local queue
// hands SQS-shaped batches to the delivery code, which signs (verified with the standardwebhooks library),
// retries a 500, lets one hung receiver hold up nobody, and sends nothing new on a replay.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalDeliveryQueue } from '../../infra/local/delivery-queue';
import { deliverBatch } from '../../shared/notify/delivery-batch';
import { Notifier } from '../../shared/notify/notifier';
import { guardedPost, WebhookDelivery } from '../../shared/notify/webhook-delivery';
import { newSealingKeyPair, SecretOpener, SecretSealer } from '../../shared/subscriptions/secrets';
import { makeEvent } from '../support/events';
import { withFreshTable } from '../support/local-aws';
import { addWebhook, links, putEvents, type Tables, tablesOn } from './support';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  /** Requests accepted and not answered yet. */
  open: number;
  /** When the first unanswered request was closed (by the sender's timeout). */
  firstClosedAt?: number;
  server: Server;
}

let tables: Tables;
let sealer: SecretSealer;
let opener: SecretOpener;
const servers: Server[] = [];

beforeAll(() => {
  const keys = newSealingKeyPair();
  sealer = new SecretSealer(keys.publicKeyPem);
  opener = new SecretOpener(keys.privateKeyPem);
});

withFreshTable((dynamo, tableName) => {
  tables = tablesOn(dynamo.doc, tableName);
});

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A receiver answering each request with the next status of `statuses` (the last one repeats); `hang` never answers. */
async function receiver(statuses: (number | 'hang')[], onRequest?: () => void): Promise<Receiver> {
  const state: Receiver = { url: '', received: [], open: 0, server: createServer() };
  state.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      state.received.push({ headers: req.headers, body });
      onRequest?.();
      const status = statuses[Math.min(state.received.length - 1, statuses.length - 1)] ?? 200;
      if (status === 'hang') {
        state.open++;
        res.on('close', () => {
          state.open--;
          state.firstClosedAt ??= performance.now();
        });
        return;
      }
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  servers.push(state.server);
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/hook`;
  return state;
}

function rig(maxReceiveCount = 3) {
  const delivery = new WebhookDelivery({
    subscriptions: tables.subscriptions,
    markers: tables.markers,
    opener,
    post: guardedPost({ allowLoopback: true }, 400),
    now: () => new Date(),
  });
  const queue = new LocalDeliveryQueue({
    handler: (event) => deliverBatch(event.Records, delivery, { maxReceiveCount, log: () => undefined }),
    maxReceiveCount,
    retryDelayMs: () => 5,
    deadLetter: () => undefined,
  });
  const notifier = new Notifier({
    store: tables.store,
    subscriptions: tables.subscriptions,
    markers: tables.markers,
    queue,
    links,
    timeZone: 'UTC',
    leap: 'feb28',
    now: () => new Date('2026-07-09T07:00:00.000Z'),
    staleClaimMs: 600_000,
  });
  return {
    async run() {
      const report = await notifier.run();
      await queue.drain();
      return report;
    },
  };
}

const channelOf = (id: string) => `webhook#${id}`;

describe('webhook delivery', () => {
  it('signs each digest so that the Standard Webhooks library verifies it, and names all its topics', async () => {
    // Prepare
    await putEvents(
      tables.store,
      makeEvent('2024-07-09/both', { title: 'Both topics', topics: ['Alpha', 'Beta'] }),
      makeEvent('2021-07-09/beta', { topics: ['Beta'] }),
    );
    const ok = await receiver([200]);
    const secret = await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_okokokokokokokokokokok',
      endpoint: ok.url,
      topics: ['alpha', 'beta'],
    });

    // Act
    await rig().run();

    // Assess
    expect(ok.received).toHaveLength(1);
    const [request] = ok.received;
    const headers = request?.headers as Record<string, string>;
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const verified = new Webhook(secret).verify(request?.body ?? '', headers) as {
      type: string;
      data: { date: string; topics: { slug: string }[]; events: { id: string }[] };
    };
    expect(verified.type).toBe('anniversaries.digest');
    expect(verified.data.date).toBe('2026-07-09');
    expect(verified.data.topics.map((topic) => topic.slug)).toEqual(['alpha', 'beta']);
    expect(verified.data.events.map((event) => event.id)).toEqual(['2024-07-09/both', '2021-07-09/beta']);
    // A signature made with another secret does not verify.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request?.body ?? '', headers),
    ).toThrow();
    const [marker] = await tables.markers.ofDay('2026-07-09');
    expect(marker).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200 });
  });

  it('retries a 500 with the same webhook-id, and records each outcome', async () => {
    // Prepare
    await putEvents(tables.store, makeEvent('2024-07-09/alpha', { topics: ['Alpha'] }));
    const flaky = await receiver([500, 200]);
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_flakyflakyflakyflaky',
      endpoint: flaky.url,
      topics: ['alpha'],
    });

    // Act
    await rig().run();

    // Assess
    expect(flaky.received.map((request) => request.headers['webhook-id'])).toEqual([
      flaky.received[0]?.headers['webhook-id'],
      flaky.received[0]?.headers['webhook-id'],
    ]);
    expect(flaky.received).toHaveLength(2);
    const [marker] = await tables.markers.ofDay('2026-07-09');
    expect(marker).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 });
  });

  it('delivers to the others while one receiver hangs, and gives the dead one up after its receives', async () => {
    // Prepare
    await putEvents(tables.store, makeEvent('2024-07-09/alpha', { topics: ['Alpha'] }));
    const hung = await receiver(['hang']);
    let okAnsweredAt = Number.POSITIVE_INFINITY;
    const ok = await receiver([200], () => {
      okAnsweredAt = Math.min(okAnsweredAt, performance.now());
    });
    const refused = await receiver([200]);
    const refusedUrl = refused.url;
    await new Promise((resolve) => refused.server.close(resolve));
    // The hung receiver sorts first, so it is in the same batch as the others, ahead of them.
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_aaaahunghunghunghung',
      endpoint: hung.url,
      topics: ['alpha'],
    });
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_bbbbrefusedrefusedre',
      endpoint: refusedUrl,
      topics: ['alpha'],
    });
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_ccccokokokokokokokok',
      endpoint: ok.url,
      topics: ['alpha'],
    });

    // Act
    await rig(3).run();

    // Assess
    expect(ok.received).toHaveLength(1);
    // Sent side by side: the good receiver was answered before the hung one's first request timed out.
    expect(okAnsweredAt).toBeLessThan(hung.firstClosedAt ?? 0);
    const markers = Object.fromEntries((await tables.markers.ofDay('2026-07-09')).map((m) => [m.channel, m]));
    expect(markers[channelOf('wh_ccccokokokokokokokok')]).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(markers[channelOf('wh_aaaahunghunghunghung')]).toMatchObject({ state: 'failed', attempts: 3 });
    expect(markers[channelOf('wh_aaaahunghunghunghung')]?.lastError).toContain('no answer within 400 ms');
    expect(markers[channelOf('wh_bbbbrefusedrefusedre')]).toMatchObject({ state: 'failed', attempts: 3 });
    expect(hung.received).toHaveLength(3);
  });

  it('sends nothing new when the day runs again', async () => {
    // Prepare
    await putEvents(tables.store, makeEvent('2024-07-09/alpha', { topics: ['Alpha'] }));
    const ok = await receiver([200]);
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_replayreplayreplayre',
      endpoint: ok.url,
      topics: ['alpha'],
    });
    const delivery = rig();
    await delivery.run();

    // Act
    const replay = await delivery.run();

    // Assess
    expect(replay.webhooks.skipped).toEqual(['wh_replayreplayreplayre']);
    expect(ok.received).toHaveLength(1);
  });

  it('does not POST a redelivered queue message whose digest was delivered', async () => {
    // Prepare: deliver once, then hand the same message to the delivery code again (SQS at-least-once).
    await putEvents(tables.store, makeEvent('2024-07-09/alpha', { topics: ['Alpha'] }));
    const ok = await receiver([200]);
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_redeliverredeliverr',
      endpoint: ok.url,
      topics: ['alpha'],
    });
    const captured: string[] = [];
    const delivery = new WebhookDelivery({
      subscriptions: tables.subscriptions,
      markers: tables.markers,
      opener,
      post: guardedPost({ allowLoopback: true }, 400),
      now: () => new Date(),
    });
    const queue = {
      async send(messages: { payload: string }[]) {
        captured.push(...messages.map((message) => JSON.stringify(message)));
        return { failed: [] };
      },
    };
    await new Notifier({
      store: tables.store,
      subscriptions: tables.subscriptions,
      markers: tables.markers,
      queue: queue as never,
      links,
      timeZone: 'UTC',
      leap: 'feb28',
      now: () => new Date('2026-07-09T07:00:00.000Z'),
      staleClaimMs: 600_000,
    }).run();
    const record = (body: string, receiveCount: number) => ({
      messageId: `m${receiveCount}`,
      receiptHandle: 'r',
      body,
      attributes: { ApproximateReceiveCount: String(receiveCount) },
    });
    const batch = (receiveCount: number) =>
      deliverBatch(captured.map((body) => record(body, receiveCount)) as never, delivery, {
        maxReceiveCount: 3,
        log: () => undefined,
      });

    // Act
    const first = await batch(1);
    const redelivered = await batch(2);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(ok.received).toHaveLength(1);
  });
});
