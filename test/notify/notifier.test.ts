// The daily notifier against dynalite, SNS mocked: one message per topic and a `*` digest in PublishBatch
// calls, one webhook digest per subscription, nothing twice on a rerun; Feb 29 and time-zone boundaries.
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LeapPolicy } from '../../shared/domain/calendar';
import { Notifier } from '../../shared/notify/notifier';
import { snsPublisher } from '../../shared/notify/sns-publisher';
import { newSealingKeyPair, SecretSealer } from '../../shared/subscriptions/secrets';
import { makeEvent } from '../support/events';
import { withFreshTable } from '../support/local-aws';
import { addWebhook, links, putEvents, recordingQueue, type Tables, tablesOn } from './support';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:anniversaries';
const snsClient = new SNSClient({ region: 'us-east-1' });
const sns = mockClient(snsClient);
let tables: Tables;
let sealer: SecretSealer;

beforeAll(() => {
  sealer = new SecretSealer(newSealingKeyPair().publicKeyPem);
});

withFreshTable((dynamo, tableName) => {
  tables = tablesOn(dynamo.doc, tableName);
});

// SNS answers each entry as successful, with a message id per entry id.
const allSuccessful = (input: { PublishBatchRequestEntries: { Id: string }[] }) => ({
  Successful: input.PublishBatchRequestEntries.map((entry) => ({
    Id: entry.Id,
    MessageId: `sns-${entry.Id}`,
  })),
  Failed: [],
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishBatchCommand).callsFake(allSuccessful);
});

afterEach(() => sns.reset());

function notifier(options: {
  now: string;
  timeZone?: string;
  leap?: LeapPolicy;
  queue?: ReturnType<typeof recordingQueue>;
}) {
  const queue = options.queue ?? recordingQueue();
  let tick = 0;
  const start = Date.parse(options.now);
  return {
    queue,
    notifier: new Notifier({
      store: tables.store,
      subscriptions: tables.subscriptions,
      markers: tables.markers,
      sns: snsPublisher(snsClient, topicArn),
      queue,
      links,
      timeZone: options.timeZone ?? 'UTC',
      leap: options.leap ?? 'feb28',
      now: () => new Date(start + 1000 * tick++),
      staleClaimMs: 600_000,
    }),
  };
}

function published() {
  return sns.commandCalls(PublishBatchCommand).map((call) => call.args[0].input);
}

function entries() {
  return published().flatMap((input) => input.PublishBatchRequestEntries ?? []);
}

describe('SNS: one message per topic and a * digest', () => {
  it('publishes in batches of at most 10, each with its topic attribute, a subject and both bodies', async () => {
    // Prepare: 11 topics on 07-09 in earlier years → 11 topic messages + the digest = 12 (two batches).
    const topics = Array.from({ length: 11 }, (_, i) => `Topic ${String.fromCharCode(65 + i)}`);
    await putEvents(
      tables.store,
      makeEvent('2024-07-09/first', { title: 'First headline', topics: topics.slice(0, 6) }),
      makeEvent('2001-07-09/second', { title: 'Second headline', topics: topics.slice(6) }),
      makeEvent('2026-07-09/this-year', { topics: ['Topic A'] }),
      makeEvent('2024-07-10/next-day', { topics: ['Topic A'] }),
    );
    const { notifier: run } = notifier({ now: '2026-07-09T07:00:00.000Z' });

    // Act
    const report = await run.run();

    // Assess
    const batches = published();
    expect(batches.map((batch) => batch.PublishBatchRequestEntries?.length)).toEqual([10, 2]);
    expect(batches.every((batch) => batch.TopicArn === topicArn)).toBe(true);
    const sent = entries();
    expect(sent.map((entry) => entry.MessageAttributes?.topic?.StringValue)).toEqual([
      ...topics.map((label) => label.toLowerCase().replace(' ', '-')),
      '*',
    ]);
    expect(sent.every((entry) => entry.MessageAttributes?.topic?.DataType === 'String')).toBe(true);
    expect(new Set(sent.map((entry) => entry.Id)).size).toBe(12);
    const topicA = sent[0];
    expect(topicA?.Subject).toBe('On this day, 9 July 2026: Topic A');
    expect(topicA?.MessageStructure).toBe('json');
    const bodies = JSON.parse(topicA?.Message ?? '{}') as { default: string; email: string };
    expect(bodies.email).toContain('2 years ago (2024-07-09): First headline');
    expect(bodies.email).toContain('https://feeds.example.net/events/2024-07-09/first.json');
    expect(bodies.email).toContain('https://feeds.example.net/on-this-day/feed.rss?topic=topic-a');
    expect(JSON.parse(bodies.default)).toMatchObject({
      type: 'anniversaries',
      date: '2026-07-09',
      topic: { slug: 'topic-a', label: 'Topic A' },
      events: [{ id: '2024-07-09/first', year: 2024, yearsAgo: 2, title: 'First headline' }],
    });
    const digest = JSON.parse(JSON.parse(sent[11]?.Message ?? '{}').default) as { events: { id: string }[] };
    expect(digest.events.map((event) => event.id)).toEqual(['2024-07-09/first', '2001-07-09/second']);
    expect(JSON.parse(sent[11]?.Message ?? '{}').email).toContain(
      '25 years ago (2001-07-09): Second headline',
    );
    expect(report.sns.published).toHaveLength(12);
  });

  it('sends nothing twice when the same day runs again', async () => {
    // Prepare
    await putEvents(tables.store, makeEvent('2024-07-09/first', { topics: ['Alpha', 'Beta'] }));
    const { notifier: run } = notifier({ now: '2026-07-09T07:00:00.000Z' });
    await run.run();
    const afterFirst = entries().length;

    // Act
    const rerun = await run.run();
    const backfill = await run.run({ date: '07-09' });

    // Assess
    expect(afterFirst).toBe(3);
    expect(entries()).toHaveLength(3);
    expect(rerun.sns.skipped).toEqual(['alpha', 'beta', '*']);
    expect(backfill.sns.published).toEqual([]);
  });

  it('releases an entry SNS refused, so that the rerun sends it and only it', async () => {
    // Prepare
    await putEvents(tables.store, makeEvent('2024-07-09/first', { topics: ['Alpha', 'Beta'] }));
    sns
      .on(PublishBatchCommand)
      .resolvesOnce({
        Successful: [
          { Id: 'm0', MessageId: 'a' },
          { Id: 'm2', MessageId: 'c' },
        ],
        Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
      })
      .callsFake(allSuccessful);
    const { notifier: run } = notifier({ now: '2026-07-09T07:00:00.000Z' });
    const first = await run.run();

    // Act
    const second = await run.run();

    // Assess
    expect(first.sns.failed).toEqual(['beta']);
    expect(second.sns.published).toEqual(['beta']);
    expect(
      published()[1]?.PublishBatchRequestEntries?.map((e) => e.MessageAttributes?.topic?.StringValue),
    ).toEqual(['beta']);
  });

  it('publishes nothing on a day without anniversaries', async () => {
    await putEvents(tables.store, makeEvent('2024-07-10/other', { topics: ['Alpha'] }));
    const { notifier: run } = notifier({ now: '2026-07-09T07:00:00.000Z' });

    const report = await run.run();

    expect(published()).toEqual([]);
    expect(report.sns.published).toEqual([]);
  });
});

describe('Feb 29 in common years', () => {
  const leapDay = makeEvent('2024-02-29/leap', { topics: ['Leap'] });
  const feb28 = makeEvent('2023-02-28/plain', { topics: ['Leap'] });
  const mar1 = makeEvent('2023-03-01/march', { topics: ['Leap'] });
  const digestIds = () =>
    (
      JSON.parse(JSON.parse(entries().at(-1)?.Message ?? '{}').default) as { events: { id: string }[] }
    ).events.map((event) => event.id);

  it('joins Feb 28 under feb28', async () => {
    await putEvents(tables.store, leapDay, feb28, mar1);
    const { notifier: run } = notifier({ now: '2026-02-28T07:00:00.000Z', leap: 'feb28' });

    await run.run();

    expect(digestIds()).toEqual(['2024-02-29/leap', '2023-02-28/plain']);
  });

  it('joins Mar 1 under mar1, and not Feb 28', async () => {
    await putEvents(tables.store, leapDay, feb28, mar1);
    const { notifier: run } = notifier({ now: '2026-02-28T07:00:00.000Z', leap: 'mar1' });

    await run.run();
    await run.run({ date: '03-01' });

    const digests = entries()
      .filter((entry) => entry.MessageAttributes?.topic?.StringValue === '*')
      .map((entry) => JSON.parse(JSON.parse(entry.Message ?? '{}').default) as { events: { id: string }[] });
    expect(digests.map((digest) => digest.events.map((event) => event.id))).toEqual([
      ['2023-02-28/plain'],
      ['2024-02-29/leap', '2023-03-01/march'],
    ]);
  });

  it('stays on Feb 29 in a leap year', async () => {
    await putEvents(tables.store, leapDay, feb28);
    const { notifier: run } = notifier({ now: '2028-02-28T07:00:00.000Z' });

    await run.run();

    expect(digestIds()).toEqual(['2023-02-28/plain']);
  });
});

describe('time zones', () => {
  // 13:00 UTC on 9 July: 01:00 on 10 July in Auckland (UTC+12), 06:00 on 9 July in Los Angeles (UTC-7).
  const instant = '2026-07-09T13:00:00.000Z';

  it('reads the day of the schedule’s zone: the same instant is 07-10 in Auckland and 07-09 in Los Angeles', async () => {
    // Prepare
    await putEvents(
      tables.store,
      makeEvent('2020-07-09/ninth', { topics: ['Alpha'] }),
      makeEvent('2020-07-10/tenth', { topics: ['Alpha'] }),
    );

    // Act
    const auckland = await notifier({ now: instant, timeZone: 'Pacific/Auckland' }).notifier.run();
    const losAngeles = await notifier({ now: instant, timeZone: 'America/Los_Angeles' }).notifier.run();

    // Assess
    expect(auckland.day).toBe('2026-07-10');
    expect(losAngeles.day).toBe('2026-07-09');
    const digests = entries()
      .filter((entry) => entry.MessageAttributes?.topic?.StringValue === '*')
      .map(
        (entry) =>
          JSON.parse(JSON.parse(entry.Message ?? '{}').default) as { date: string; events: { id: string }[] },
      );
    expect(digests.map((digest) => [digest.date, digest.events.map((event) => event.id)])).toEqual([
      ['2026-07-10', ['2020-07-10/tenth']],
      ['2026-07-09', ['2020-07-09/ninth']],
    ]);
  });

  it('gives each webhook subscription the day of its own zone', async () => {
    // Prepare
    await putEvents(
      tables.store,
      makeEvent('2020-07-09/ninth', { topics: ['Alpha'] }),
      makeEvent('2020-07-10/tenth', { topics: ['Alpha'] }),
    );
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_aucklandaucklandauck',
      endpoint: 'https://a.example/hook',
      topics: ['alpha'],
      tz: 'Pacific/Auckland',
    });
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_losangeleslosangeles',
      endpoint: 'https://b.example/hook',
      topics: ['alpha'],
      tz: 'America/Los_Angeles',
    });
    const { notifier: run, queue } = notifier({ now: instant, timeZone: 'UTC' });

    // Act
    await run.run();

    // Assess
    const byId = Object.fromEntries(
      queue.sent.map((message) => [message.subscriptionId, JSON.parse(message.payload).data]),
    ) as Record<string, { date: string; events: { id: string }[] }>;
    expect(byId.wh_aucklandaucklandauck?.date).toBe('2026-07-10');
    expect(byId.wh_aucklandaucklandauck?.events.map((event) => event.id)).toEqual(['2020-07-10/tenth']);
    expect(byId.wh_losangeleslosangeles?.date).toBe('2026-07-09');
    expect(byId.wh_losangeleslosangeles?.events.map((event) => event.id)).toEqual(['2020-07-09/ninth']);
  });
});

describe('webhook digests', () => {
  it('queues one digest per subscription with all its topics, once per day', async () => {
    // Prepare
    await putEvents(
      tables.store,
      makeEvent('2024-07-09/both', { topics: ['Alpha', 'Beta'] }),
      makeEvent('2020-07-09/beta-only', { topics: ['Beta'] }),
      makeEvent('2019-07-09/gamma', { topics: ['Gamma'] }),
    );
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_alphabetaalphabeta00',
      endpoint: 'https://a.example/hook',
      topics: ['alpha', 'beta'],
    });
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_deltadeltadeltadelt',
      endpoint: 'https://b.example/hook',
      topics: ['delta'],
    });
    const { notifier: run, queue } = notifier({ now: '2026-07-09T07:00:00.000Z' });

    // Act
    const first = await run.run();
    const second = await run.run();

    // Assess
    expect(queue.sent).toHaveLength(1);
    const [message] = queue.sent;
    expect(message?.day).toBe('2026-07-09');
    const digest = JSON.parse(message?.payload ?? '{}');
    expect(digest.type).toBe('anniversaries.digest');
    expect(digest.data.topics).toEqual([
      { slug: 'alpha', label: 'Alpha', events: 1 },
      { slug: 'beta', label: 'Beta', events: 2 },
    ]);
    expect(digest.data.events.map((event: { id: string }) => event.id)).toEqual([
      '2024-07-09/both',
      '2020-07-09/beta-only',
    ]);
    expect(first.webhooks.empty).toEqual(['wh_deltadeltadeltadelt']);
    expect(second.webhooks.skipped).toEqual(['wh_alphabetaalphabeta00']);
    const markers = await tables.markers.ofDay('2026-07-09');
    expect(markers.find((marker) => marker.channel === 'webhook#wh_alphabetaalphabeta00')?.state).toBe(
      'queued',
    );
  });

  it('recovers a claim a crashed run left, only when asked to and only once it is stale', async () => {
    // Prepare: a run claimed the marker at 06:00 and crashed before it queued the digest.
    await putEvents(tables.store, makeEvent('2024-07-09/alpha', { topics: ['Alpha'] }));
    await addWebhook(tables.subscriptions, sealer, {
      id: 'wh_crashedcrashedcrashe',
      endpoint: 'https://a.example/hook',
      topics: ['alpha'],
    });
    await tables.markers.claim(
      '2026-07-09',
      { kind: 'webhook', subscriptionId: 'wh_crashedcrashedcrashe' },
      new Date('2026-07-09T06:00:00.000Z'),
    );
    const early = notifier({ now: '2026-07-09T06:05:00.000Z' });
    const later = notifier({ now: '2026-07-09T07:00:00.000Z' });

    // Act
    const plainRerun = await later.notifier.run();
    const tooEarly = await early.notifier.run({ recover: true });
    const recovered = await later.notifier.run({ recover: true });
    const again = await later.notifier.run({ recover: true });

    // Assess
    expect(plainRerun.webhooks.skipped).toEqual(['wh_crashedcrashedcrashe']);
    expect(tooEarly.webhooks.skipped).toEqual(['wh_crashedcrashedcrashe']);
    expect(recovered.webhooks.queued.map((queued) => queued.id)).toEqual(['wh_crashedcrashedcrashe']);
    expect(again.webhooks.skipped).toEqual(['wh_crashedcrashedcrashe']);
    expect(later.queue.sent).toHaveLength(1);
    expect(early.queue.sent).toHaveLength(0);
  });
});
