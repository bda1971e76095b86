// dynalite enforces no IAM, so this records every request the ingest, API and admin code sends to the table in
// one run over the samples (ingest, edit, delete, rejection; every public route and page, subscriptions, the
// operator routes) and checks each against its function's statements in the synthesized stack: the action,
// the table or index, and every partition key against `dynamodb:LeadingKeys`. A read of a new partition, or
// a new kind of request, fails here before it fails in AWS with AccessDenied. It also checks the converse:
// each partition a role is granted is used by the run, so no grant outlives its last use unnoticed.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDeliveryQueue } from '../../infra/local/delivery-queue';
import { adminRoutes } from '../../shared/api/admin-routes';
import { apiRoutes } from '../../shared/api/routes';
import { http } from '../../shared/http/handler';
import { deliverBatch } from '../../shared/notify/delivery-batch';
import { Notifier } from '../../shared/notify/notifier';
import { guardedPost, WebhookDelivery } from '../../shared/notify/webhook-delivery';
import { EventsTable } from '../../shared/store/events-table';
import { RejectionQueries } from '../../shared/store/rejection-queries';
import { DeliveryMarkers } from '../../shared/subscriptions/delivery-markers';
import { tableRateLimiter } from '../../shared/subscriptions/rate-limit';
import { newSealingKeyPair, SecretOpener, SecretSealer } from '../../shared/subscriptions/secrets';
import { SubscriptionStore } from '../../shared/subscriptions/subscription-store';
import { testBaseUrl, testCursorKey } from '../api/support';
import { apiEvent } from '../http/support';
import { addWebhook, links } from '../notify/support';
import { type IngestRig, startIngestRig } from '../support/local-aws';
import { s3Message, sqsEvent } from '../support/sqs';
import {
  isAllowed,
  type PolicyStatement,
  recordRequests,
  stringLike,
  type TableRequest,
} from '../support/table-requests';
import { fixtureNotifierEntry, importOf, resourceOf, synthService } from './support';

const samplesDir = join(import.meta.dirname, '..', '..', 'samples');
const now = () => new Date('2026-07-09T07:00:00.000Z');
const resources = {
  table: importOf('TableArn'),
  index: (name: string) => ({ 'Fn::Join': ['', [importOf('TableArn'), `/index/${name}`]] }),
};

let statements: Record<'ingest' | 'api' | 'admin' | 'notifier' | 'delivery', PolicyStatement[]>;
let rig: IngestRig;
let ingestRequests: TableRequest[];
let sequence = 0;

function sampleFiles(dir = samplesDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sampleFiles(join(dir, entry.name))
      : entry.name.endsWith('.md') && entry.name !== 'README.md'
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The statements of the execution role of the function whose logical id starts with `prefix`. */
function roleStatements(template: ReturnType<typeof synthService>['statelessTemplate'], prefix: string) {
  const fn = resourceOf(template, 'AWS::Lambda::Function', prefix).props;
  const roleId = (fn.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}

async function ingest(changes: { key: string; body?: string }[]): Promise<void> {
  const records = [];
  for (const { key, body } of changes) {
    const seq = String(++sequence).padStart(8, '0');
    if (body === undefined) {
      await rig.s3.client.send(new DeleteObjectCommand({ Bucket: rig.s3.bucket, Key: key }));
      records.push(s3Message({ key, sequencer: seq, eventName: 'ObjectRemoved:Delete' }));
    } else {
      await rig.s3.client.send(new PutObjectCommand({ Bucket: rig.s3.bucket, Key: key, Body: body }));
      records.push(s3Message({ key, sequencer: seq, size: Buffer.byteLength(body) }));
    }
  }
  const response = await rig.handler(sqsEvent(records));
  expect(response.batchItemFailures).toEqual([]);
}

beforeAll(async () => {
  const { statelessTemplate } = synthService({ notifierEntry: fixtureNotifierEntry });
  statements = {
    ingest: roleStatements(statelessTemplate, 'IngestFunction'),
    api: roleStatements(statelessTemplate, 'ApiFunction'),
    admin: roleStatements(statelessTemplate, 'AdminFunction'),
    notifier: roleStatements(statelessTemplate, 'NotifierFunction'),
    delivery: roleStatements(statelessTemplate, 'DeliveryFunction'),
  };
  rig = await startIngestRig();
  // The handler's own client (shared/aws/clients.ts, configured from the rig's environment), recorded from here on.
  const { clients } = await import('../../shared/aws/clients');
  ingestRequests = recordRequests(clients.dynamo);
  const files = sampleFiles().map((path) => ({
    key: relative(samplesDir, path),
    body: readFileSync(path, 'utf8'),
  }));
  await ingest(files);
  const [edited, deleted] = files.filter((file) => !file.key.endsWith('index.md'));
  if (!edited || !deleted) throw new Error('samples/ holds too few event files');
  await ingest([
    { key: edited.key, body: edited.body.replace(/^##### .*$/m, '##### A topic of its own') },
    { key: deleted.key },
    { key: 'inbox/empty.md', body: '' },
  ]);
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

/** A fresh document client over the rig's table, recording what it sends. */
function recordedClient(): { doc: DynamoDBDocumentClient; requests: TableRequest[] } {
  const doc = DynamoDBDocumentClient.from(rig.dynamo.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { doc, requests: recordRequests(doc) };
}

function expectAllAllowed(role: keyof typeof statements, requests: TableRequest[]): void {
  expect(requests.length).toBeGreaterThan(0);
  const denied = requests.filter((request) => !isAllowed(statements[role], request, resources));
  expect(denied, `${role}: requests its role does not allow`).toEqual([]);
}

/** Every LeadingKeys pattern the role grants on the table or index, and whether some request used it. */
function unusedPatterns(role: keyof typeof statements, requests: TableRequest[]): string[] {
  const patterns = statements[role].flatMap((statement) =>
    Object.values(statement.Condition?.['ForAllValues:StringLike'] ?? {}).flat(),
  );
  return [...new Set(patterns)].filter(
    (pattern) => !requests.some((request) => request.leadingKeys.some((key) => stringLike(pattern, key))),
  );
}

describe('every table request of a run is allowed by its function’s role', () => {
  it('the ingest: new files (a batch with a journal), an edit, a delete and a rejection', () => {
    expectAllAllowed('ingest', ingestRequests);
    expect(unusedPatterns('ingest', ingestRequests)).toEqual([]);
  });

  it('the public API: every route and page, paged, filtered, and the subscriptions', async () => {
    // Prepare
    const { doc, requests } = recordedClient();
    const tableName = rig.tableName;
    const keys = newSealingKeyPair();
    const handler = http(
      apiRoutes({
        store: new EventsTable(doc, tableName),
        now,
        publicBaseUrl: testBaseUrl,
        cursorKey: testCursorKey,
        subscriptions: {
          subscriptions: new SubscriptionStore(doc, tableName),
          sealer: new SecretSealer(keys.publicKeyPem),
          sns: undefined,
          rateLimiter: tableRateLimiter(doc, tableName, 100, now),
          policy: { allowLoopback: false },
          checkResolved: async () => undefined,
        },
      }),
      { logError: (error) => console.error(error) },
    );
    const call = async (
      method: string,
      path: string,
      options: { body?: unknown; headers?: Record<string, string> } = {},
    ) => {
      const [rawPath = '/', rawQueryString = ''] = path.split('?');
      const result = await handler(
        apiEvent({
          method,
          rawPath,
          rawQueryString,
          headers: { 'x-forwarded-for': '198.51.100.7', ...options.headers },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        }),
      );
      expect(result.statusCode, `${method} ${path}: ${String(result.body).slice(0, 200)}`).toBeLessThan(300);
      return JSON.parse(
        String(result.body || '{}').startsWith('{') ? String(result.body || '{}') : '{}',
      ) as Record<string, unknown>;
    };
    const html = { accept: 'text/html' };

    // Act: every read route, as JSON and as a page, with filters and a second page.
    const listed = (await call('GET', '/topics?limit=2')) as { topics: { slug: string }[]; next: string };
    await call('GET', `/topics?limit=2&cursor=${listed.next}`);
    await call('GET', '/topics?q=riv');
    const topic = listed.topics[0]?.slug ?? '';
    for (const format of ['rss', 'atom', 'json']) {
      await call('GET', `/topics/${topic}/feed.${format}`);
      await call('GET', `/feed.${format}`);
      await call('GET', `/on-this-day/feed.${format}?topic=${topic}`);
    }
    const firstPage = (await call('GET', '/feed.json?limit=1')) as {
      next_url: string;
      items: { id: string }[];
    };
    await call('GET', new URL(firstPage.next_url).pathname + new URL(firstPage.next_url).search);
    await call('GET', '/feed.json?lang=zh');
    const all = (await call('GET', '/feed.json?limit=200')) as { items: { url: string }[] };
    for (const item of all.items) {
      const path = new URL(item.url).pathname;
      await call('GET', `${path}.json`);
      await call('GET', path, { headers: html });
    }
    for (const path of [
      '/on-this-day',
      '/on-this-day/07-09',
      '/on-this-day/02-29?leap=mar1',
      `/on-this-day/07-09?topic=${topic}`,
    ]) {
      await call('GET', path);
      await call('GET', path, { headers: html });
    }
    await call('GET', '/on-this-day/07-09?limit=1');
    await call('GET', '/opml');
    for (const path of ['/', '/topics', `/topics/${topic}`]) await call('GET', path, { headers: html });
    const created = await call('POST', '/subscriptions', {
      body: { protocol: 'webhook', endpoint: 'https://hooks.example.com/in', topics: [topic] },
    });
    const auth = { authorization: `Bearer ${String(created.token)}` };
    await call('GET', `/subscriptions/${String(created.id)}`, { headers: auth });
    await call('DELETE', `/subscriptions/${String(created.id)}`, { headers: auth });

    // Assess
    expectAllAllowed('api', requests);
    expect(unusedPatterns('api', requests)).toEqual([]);
  });

  it('the admin function: /stats and /rejections, filtered and paged, and POST /reprocess', async () => {
    // Prepare
    const { doc, requests } = recordedClient();
    const store = new EventsTable(doc, rig.tableName);
    const requeued: string[] = [];
    const handler = http(
      adminRoutes(
        store,
        { rejections: new RejectionQueries(doc, rig.tableName) },
        {
          s3: rig.s3.client,
          bucket: rig.s3.bucket,
          heldSequencer: async (key) => (await store.objectState(key))?.seq,
          requeue: () => ({ send: async ({ key }) => void requeued.push(key), flush: async () => undefined }),
        },
      ),
    );
    const [sample] = sampleFiles();
    if (!sample) throw new Error('samples/ is empty');
    const sampleKey = relative(samplesDir, sample);

    // Act
    for (const path of ['/stats', '/rejections', '/rejections?reason=empty&prefix=inbox/&limit=1']) {
      const [rawPath = '/', rawQueryString = ''] = path.split('?');
      const result = await handler(apiEvent({ rawPath, rawQueryString }));
      expect(result.statusCode, path).toBe(200);
    }
    const reprocessed = await handler(
      apiEvent({
        method: 'POST',
        rawPath: '/reprocess',
        body: JSON.stringify({ key: sampleKey }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(reprocessed.statusCode).toBe(202);
    expect(requeued).toEqual([sampleKey]);

    // Assess
    expectAllAllowed('admin', requests);
    expect(unusedPatterns('admin', requests)).toEqual([]);
  });
});

describe('every table request of a notifier and delivery run is allowed by their roles', () => {
  it('the notifier (a run and a rerun) and the delivery function (a 500, its retry, a 200)', async () => {
    // Prepare: a webhook subscription to a topic with anniversaries on 07-09, and a receiver that fails once.
    const setup = recordedClient().doc;
    const keys = newSealingKeyPair();
    const topic = 'riverton-light-rail';
    const statuses = [500, 200];
    const server = createServer((_req, res) => {
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await addWebhook(new SubscriptionStore(setup, rig.tableName), new SecretSealer(keys.publicKeyPem), {
      id: 'wh_tableaccesstableaccess',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      topics: [topic],
    });
    const notifierClient = recordedClient();
    const deliveryClient = recordedClient();
    const delivery = new WebhookDelivery({
      subscriptions: new SubscriptionStore(deliveryClient.doc, rig.tableName),
      markers: new DeliveryMarkers(deliveryClient.doc, rig.tableName),
      opener: new SecretOpener(keys.privateKeyPem),
      post: guardedPost({ allowLoopback: true }, 2_000),
      now,
    });
    const queue = new LocalDeliveryQueue({
      handler: (event) => deliverBatch(event.Records, delivery, { maxReceiveCount: 3, log: () => undefined }),
      maxReceiveCount: 3,
      retryDelayMs: () => 5,
      deadLetter: () => undefined,
    });
    const notifier = new Notifier({
      store: new EventsTable(notifierClient.doc, rig.tableName),
      subscriptions: new SubscriptionStore(notifierClient.doc, rig.tableName),
      markers: new DeliveryMarkers(notifierClient.doc, rig.tableName),
      queue,
      links,
      timeZone: 'UTC',
      leap: 'feb28',
      now,
      staleClaimMs: 600_000,
    });

    // Act
    try {
      const first = await notifier.run();
      await queue.drain();
      await notifier.run();
      await queue.drain();
      expect(first.webhooks.queued.map((queued) => queued.id)).toEqual(['wh_tableaccesstableaccess']);
    } finally {
      server.close();
    }

    // Assess
    expect(statuses).toEqual([]);
    expectAllAllowed('notifier', notifierClient.requests);
    expect(unusedPatterns('notifier', notifierClient.requests)).toEqual([]);
    expectAllAllowed('delivery', deliveryClient.requests);
    expect(unusedPatterns('delivery', deliveryClient.requests)).toEqual([]);
  });
});

describe('the request check itself', () => {
  it('refuses a read of a partition the role does not grant, a Scan, and a request on the wrong resource', () => {
    const api = () => statements.api;
    const denied: TableRequest[] = [
      { action: 'dynamodb:GetItem', leadingKeys: ['OBJECT#news/x.md'] },
      { action: 'dynamodb:Query', leadingKeys: ['REJECTION'] },
      { action: 'dynamodb:BatchGetItem', leadingKeys: ['EVENT#2024-07-09/a', 'STATS'] },
      { action: 'dynamodb:Scan', leadingKeys: [] },
      { action: 'dynamodb:Query', index: 'ByMonthDayBrief', leadingKeys: ['EVENT#2024-07-09/a'] },
      { action: 'dynamodb:Query', leadingKeys: ['MD#07-09'] },
      { action: 'dynamodb:PutItem', leadingKeys: ['EVENT#2024-07-09/a'] },
    ];
    for (const request of denied)
      expect(isAllowed(api(), request, resources), JSON.stringify(request)).toBe(false);
    expect(
      isAllowed(
        api(),
        { action: 'dynamodb:Query', index: 'ByMonthDayBrief', leadingKeys: ['MD#07-09#T#riverton'] },
        resources,
      ),
    ).toBe(true);
    // The notifier reads only the all-events month-days: `MD#??-??` is exactly five characters after `MD#`.
    const index = (key: string) => ({
      action: 'dynamodb:Query',
      index: 'ByMonthDayBrief',
      leadingKeys: [key],
    });
    expect(isAllowed(statements.notifier, index('MD#07-09'), resources)).toBe(true);
    expect(isAllowed(statements.notifier, index('MD#07-09#T#riverton'), resources)).toBe(false);
  });
});
