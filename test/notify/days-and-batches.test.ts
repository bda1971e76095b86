// Pure parts of anniversary delivery: delivery days and local midnights across zones and DST, the local
// daily schedule, PublishBatch packing within SNS's limits, and size caps of messages and digests.
import { describe, expect, it } from 'vitest';
import { nextRunAt } from '../../infra/local/notifier';
import {
  type Anniversary,
  explicitDay,
  InvalidDeliveryDate,
  startOfDayIn,
} from '../../shared/notify/anniversaries';
import { snsMessage, webhookDigest } from '../../shared/notify/messages';
import { batchesOf } from '../../shared/notify/sns-publisher';
import { makeEvent } from '../support/events';
import { links } from './support';

const now = new Date('2026-07-09T12:00:00.000Z');

function anniversary(id: string, title = 'A headline'): Anniversary {
  const event = { ...makeEvent(id, { title, topics: ['Alpha'] }), updatedAt: '2026-01-01T00:00:00.000Z' };
  return { event, yearsAgo: 2026 - Number(id.slice(0, 4)), topics: [{ slug: 'alpha', label: 'Alpha' }] };
}

describe('delivery days', () => {
  it('takes MM-DD in the current year of the zone, or a full date, and refuses days that do not exist', () => {
    expect(explicitDay('07-09', 'UTC', now)).toEqual({ day: '2026-07-09', year: 2026, monthDay: '07-09' });
    expect(explicitDay('2024-02-29', 'UTC', now).day).toBe('2024-02-29');
    // 23:30 UTC on 31 Dec 2026 is already 2027 in Auckland.
    expect(explicitDay('01-01', 'Pacific/Auckland', new Date('2026-12-31T23:30:00.000Z')).day).toBe(
      '2027-01-01',
    );
    for (const bad of ['02-29', '13-01', '7-9', '2026-02-30', 'tomorrow']) {
      expect(() => explicitDay(bad, 'UTC', now), bad).toThrow(InvalidDeliveryDate);
    }
  });

  it('finds local midnight, on DST change days too', () => {
    expect(startOfDayIn('2026-07-09', 'Europe/Berlin').toISOString()).toBe('2026-07-08T22:00:00.000Z');
    expect(startOfDayIn('2026-01-09', 'Europe/Berlin').toISOString()).toBe('2026-01-08T23:00:00.000Z');
    // Berlin moves to summer time at 02:00 on 29 March 2026: midnight is still winter time.
    expect(startOfDayIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDayIn('2026-07-10', 'Pacific/Auckland').toISOString()).toBe('2026-07-09T12:00:00.000Z');
    expect(startOfDayIn('2026-07-09', 'America/Los_Angeles').toISOString()).toBe('2026-07-09T07:00:00.000Z');
  });

  it('schedules the local daily run at the next HH:MM in the zone', () => {
    expect(nextRunAt('07:00', 'UTC', new Date('2026-07-09T06:59:00.000Z')).toISOString()).toBe(
      '2026-07-09T07:00:00.000Z',
    );
    expect(nextRunAt('07:00', 'UTC', new Date('2026-07-09T07:00:00.000Z')).toISOString()).toBe(
      '2026-07-10T07:00:00.000Z',
    );
    expect(nextRunAt('07:00', 'Europe/Berlin', new Date('2026-07-09T06:00:00.000Z')).toISOString()).toBe(
      '2026-07-10T05:00:00.000Z',
    );
  });
});

describe('PublishBatch packing', () => {
  const message = (topic: string, bytes: number) => ({
    topic,
    subject: 's',
    message: 'x'.repeat(bytes),
    events: 1,
    truncated: 0,
  });

  it('closes a batch at 10 entries', () => {
    const batches = batchesOf(Array.from({ length: 23 }, (_, i) => message(`t${i}`, 10)));

    expect(batches.map((batch) => batch.entries.length)).toEqual([10, 10, 3]);
    expect(new Set(batches.flatMap((batch) => batch.entries.map((entry) => entry.Id))).size).toBe(23);
  });

  it('closes a batch before it would pass 256 KiB', () => {
    const batches = batchesOf([message('a', 150_000), message('b', 100_000), message('c', 120_000)]);

    expect(batches.map((batch) => batch.messages.map((m) => m.topic))).toEqual([['a', 'b'], ['c']]);
  });
});

describe('size caps', () => {
  const many = Array.from({ length: 400 }, (_, i) =>
    anniversary(`${1900 + (i % 120)}-07-09/event-${i}`, `Headline ${i} `.repeat(60)),
  );

  it('cuts an SNS message under the cap and says how many it left out', () => {
    const cut = snsMessage('2026-07-09', { slug: 'alpha', label: 'Alpha' }, many, links, 100_000);

    expect(Buffer.byteLength(cut.message)).toBeLessThanOrEqual(100_000);
    expect(cut.truncated).toBeGreaterThan(0);
    expect(cut.events).toBe(400);
    expect(JSON.parse(cut.message).email).toContain(`…and ${cut.truncated} more.`);
  });

  it('cuts a webhook digest under 200 KB', () => {
    const digest = webhookDigest({ id: 'wh_x', topics: ['alpha'] }, '2026-07-09', many, links, now);

    expect(Buffer.byteLength(JSON.stringify(digest))).toBeLessThanOrEqual(200_000);
    expect((digest?.data.events.length ?? 0) + (digest?.data.truncated ?? 0)).toBe(400);
  });
});
