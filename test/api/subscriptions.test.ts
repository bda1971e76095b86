// The subscriptions API against dynalite: every refusal is a 400 problem naming its field, tokens and
// secrets are shown once and stored only hashed or sealed, GET and DELETE need the token, SNS protocols
// subscribe with a filter policy (SNS mocked) or answer 501 where SNS does not run, and writes are rate-limited.
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../shared/api/routes';
import { http } from '../../shared/http/handler';
import { ForbiddenEndpoint } from '../../shared/net/endpoint-guard';
import { EventsTable } from '../../shared/store/events-table';
import { subscriptionKeys } from '../../shared/subscriptions/keys';
import { tableRateLimiter } from '../../shared/subscriptions/rate-limit';
import { newSealingKeyPair, SecretOpener, SecretSealer } from '../../shared/subscriptions/secrets';
import { snsSubscriptions } from '../../shared/subscriptions/sns-subscriptions';
import { SubscriptionStore } from '../../shared/subscriptions/subscription-store';
import { apiEvent } from '../http/support';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { type LocalDynamo, withFreshTable } from '../support/local-aws';
import { testBaseUrl, testCursorKey } from './support';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:anniversaries';
const snsClient = new SNSClient({ region: 'us-east-1' });
const sns = mockClient(snsClient);
let keys: { publicKeyPem: string; privateKeyPem: string };
let dynamo: LocalDynamo;
let tableName: string;
let store: EventsTable;

beforeAll(() => {
  keys = newSealingKeyPair();
});

withFreshTable(async (engine, name) => {
  dynamo = engine;
  tableName = name;
  store = new EventsTable(engine.doc, name, { now: steppingClock('2026-01-10T08:00:00.000Z') });
  for (const event of [makeEvent('2024-07-09/a', { topics: ['Alpha', 'Beta'] })]) {
    await store.putEvents({ key: event.id, sequencer: '01' }, [fileContribution(event.id, event)]);
  }
});

afterEach(() => sns.reset());

interface Options {
  local?: boolean;
  rateLimit?: number;
  /** DNS answers for hostnames, instead of the system resolver. */
  dns?: Record<string, string[]>;
}

function api(options: Options = {}) {
  const local = options.local ?? false;
  const now = () => new Date('2026-07-09T07:00:00.000Z');
  const handler = http(
    apiRoutes({
      store,
      now,
      publicBaseUrl: testBaseUrl,
      cursorKey: testCursorKey,
      subscriptions: {
        subscriptions: new SubscriptionStore(dynamo.doc, tableName),
        sealer: new SecretSealer(keys.publicKeyPem),
        sns: local ? undefined : snsSubscriptions(snsClient, topicArn),
        rateLimiter: tableRateLimiter(dynamo.doc, tableName, options.rateLimit ?? 100, now),
        policy: { allowLoopback: local },
        checkResolved: async (url, policy) => {
          const { forbiddenAddress } = await import('../../shared/net/endpoint-guard');
          const addresses = options.dns?.[url.hostname] ?? ['203.0.114.10'];
          for (const address of addresses) {
            const why = forbiddenAddress(address, policy);
            if (why) throw new ForbiddenEndpoint(`endpoint resolves to ${why}`);
          }
        },
      },
    }),
    { logError: (error) => console.error(error) },
  );
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const result = await handler(
      apiEvent({
        method,
        rawPath: path,
        headers: { 'x-forwarded-for': '198.51.100.7, 203.0.114.1', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
    return {
      status: result.statusCode ?? 200,
      headers: (result.headers ?? {}) as Record<string, string>,
      json: result.body ? (JSON.parse(String(result.body)) as Record<string, unknown>) : {},
    };
  };
  return {
    call,
    post: (body: unknown, headers?: Record<string, string>) => call('POST', '/subscriptions', body, headers),
  };
}

const webhook = { protocol: 'webhook', endpoint: 'https://hooks.example.com/in', topics: ['alpha', 'beta'] };

describe('POST /subscriptions refuses, naming the field', () => {
  const refusals: [string, unknown, string, Options?][] = [
    ['a body that is not JSON', '{nope', 'body'],
    ['an unknown protocol', { ...webhook, protocol: 'sms' }, 'protocol'],
    ['a missing endpoint', { ...webhook, endpoint: undefined }, 'endpoint'],
    ['an http endpoint in AWS', { ...webhook, endpoint: 'http://hooks.example.com/in' }, 'endpoint'],
    [
      'an http endpoint off loopback locally',
      { ...webhook, endpoint: 'http://hooks.example.com/in' },
      'endpoint',
      { local: true },
    ],
    ['a loopback endpoint in AWS', { ...webhook, endpoint: 'https://127.0.0.1/in' }, 'endpoint'],
    ['localhost in AWS', { ...webhook, endpoint: 'https://localhost:8443/in' }, 'endpoint'],
    ['a private address', { ...webhook, endpoint: 'https://10.1.2.3/in' }, 'endpoint'],
    [
      'a private address locally too',
      { ...webhook, endpoint: 'http://192.168.1.5/in' },
      'endpoint',
      { local: true },
    ],
    ['a link-local address', { ...webhook, endpoint: 'https://169.254.10.1/in' }, 'endpoint'],
    [
      'the metadata address',
      { ...webhook, endpoint: 'https://169.254.169.254/latest/meta-data' },
      'endpoint',
    ],
    ['an IPv6 unique-local address', { ...webhook, endpoint: 'https://[fd00:ec2::254]/' }, 'endpoint'],
    ['an IPv4-mapped private address', { ...webhook, endpoint: 'https://[::ffff:10.0.0.1]/' }, 'endpoint'],
    [
      'a host that resolves to a private address',
      { ...webhook, endpoint: 'https://internal.example.com/in' },
      'endpoint',
      { dns: { 'internal.example.com': ['93.184.216.34', '10.0.0.8'] } },
    ],
    ['credentials in the URL', { ...webhook, endpoint: 'https://user:pw@hooks.example.com/in' }, 'endpoint'],
    [
      'a malformed e-mail address',
      { protocol: 'email', endpoint: 'someone@', topics: ['alpha'] },
      'endpoint',
    ],
    [
      'an SNS https endpoint over http',
      { protocol: 'https', endpoint: 'http://hooks.example.com/in', topics: ['alpha'] },
      'endpoint',
    ],
    [
      'an sqs endpoint that is not a queue ARN',
      { protocol: 'sqs', endpoint: 'https://sqs.example.com/q', topics: ['alpha'] },
      'endpoint',
    ],
    ['no topics', { ...webhook, topics: [] }, 'topics'],
    ['topics that are not strings', { ...webhook, topics: [1] }, 'topics'],
    ['an unknown topic', { ...webhook, topics: ['alpha', 'nope'] }, 'topics'],
    [
      'more than 100 topics',
      { ...webhook, topics: Array.from({ length: 101 }, (_, i) => `t${i}`) },
      'topics',
    ],
    ['an unknown time zone', { ...webhook, tz: 'Mars/Olympus' }, 'tz'],
    ['a time zone that is not a string', { ...webhook, tz: 5 }, 'tz'],
  ];

  it.each(refusals)('%s', async (_name, body, field, options) => {
    // Act
    const response = await api(options).post(body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json.param).toBe(field);
  });
});

describe('webhook subscriptions', () => {
  it('answers 201 with the token and secret once, and stores only a token hash and a sealed secret', async () => {
    // Act
    const created = await api().post({ ...webhook, tz: 'Europe/Berlin' });

    // Assess
    expect(created.status).toBe(201);
    const { id, token, secret, topics } = created.json as Record<string, string>;
    expect(id).toMatch(/^wh_/);
    expect(token).toMatch(/^st_/);
    expect(secret).toMatch(/^whsec_/);
    expect(topics).toEqual(['alpha', 'beta']);
    expect(created.headers.location).toBe(`${testBaseUrl}/subscriptions/${id}`);
    const { Item } = await dynamo.doc.send(
      new GetCommand({ TableName: tableName, Key: subscriptionKeys.subscription(id ?? '') }),
    );
    const stored = JSON.stringify(Item);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(secret?.slice(6));
    expect(new SecretOpener(keys.privateKeyPem).open(String(Item?.sealedSecret))).toBe(secret);
  });

  it('accepts http on loopback in the local stack', async () => {
    const created = await api({ local: true }).post({ ...webhook, endpoint: 'http://127.0.0.1:9999/hook' });

    expect(created.status).toBe(201);
  });

  it('shows and deletes a subscription with its token only', async () => {
    // Prepare
    const client = api();
    const { id, token } = (await client.post(webhook)).json as Record<string, string>;
    const path = `/subscriptions/${id}`;

    // Act
    const anonymous = await client.call('GET', path);
    const wrongToken = await client.call('GET', path, undefined, { authorization: 'Bearer st_wrong' });
    const shown = await client.call('GET', path, undefined, { authorization: `Bearer ${token}` });
    const deleted = await client.call('DELETE', path, undefined, { authorization: `Bearer ${token}` });
    const afterDelete = await client.call('GET', path, undefined, { authorization: `Bearer ${token}` });

    // Assess
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(wrongToken.status).toBe(404);
    expect(shown.status).toBe(200);
    expect(shown.json).toMatchObject({
      id,
      protocol: 'webhook',
      endpoint: webhook.endpoint,
      topics: ['alpha', 'beta'],
    });
    expect(JSON.stringify(shown.json)).not.toMatch(/whsec_|st_/);
    expect(deleted.status).toBe(204);
    expect(afterDelete.status).toBe(404);
  });
});

describe('SNS protocols', () => {
  it('subscribe through SNS with a filter policy on the topic attribute and answer 202 pending', async () => {
    // Prepare
    const arn = `${topicArn}:0f7c1d5e-1111-2222-3333-444455556666`;
    sns.on(SubscribeCommand).resolves({ SubscriptionArn: arn });
    sns.on(UnsubscribeCommand).resolves({});
    const client = api();

    // Act
    const created = await client.post({
      protocol: 'email',
      endpoint: 'reader@example.com',
      topics: ['alpha'],
    });
    const { id, token } = created.json as Record<string, string>;
    const deleted = await client.call('DELETE', `/subscriptions/${id}`, undefined, {
      authorization: `Bearer ${token}`,
    });

    // Assess
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({ state: 'pending-confirmation', topics: ['alpha'] });
    expect(sns.commandCalls(SubscribeCommand)[0]?.args[0].input).toEqual({
      TopicArn: topicArn,
      Protocol: 'email',
      Endpoint: 'reader@example.com',
      Attributes: { FilterPolicy: '{"topic":["alpha"]}', FilterPolicyScope: 'MessageAttributes' },
      ReturnSubscriptionArn: true,
    });
    expect(deleted.status).toBe(204);
    expect(sns.commandCalls(UnsubscribeCommand)[0]?.args[0].input).toEqual({ SubscriptionArn: arn });
  });

  it('answer 501 problem+json where SNS does not run', async () => {
    const response = await api({ local: true }).post({
      protocol: 'sqs',
      endpoint: 'arn:aws:sqs:us-east-1:123456789012:my-queue',
      topics: ['alpha'],
    });

    expect(response.status).toBe(501);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(String(response.json.detail)).toContain('SNS');
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a client passes its writes per minute, and counts clients apart', async () => {
    // Prepare
    const client = api({ rateLimit: 2 });

    // Act
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await client.post(webhook)).status);
    const limited = await client.post(webhook);
    const otherClient = await client.post(webhook, { 'x-forwarded-for': '198.51.100.99' });

    // Assess
    expect(statuses).toEqual([201, 201, 429]);
    expect(limited.headers['retry-after']).toBe('60');
    expect(otherClient.status).toBe(201);
  });
});
