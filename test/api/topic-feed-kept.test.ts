// A topic feed's first page, kept while the topic item's `updated` holds: through the API routes against
// dynalite, an unchanged feed costs one GetItem and answers the same bytes; any change shows at once.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { NewsEvent } from '../../shared/domain/event';
import { EventsTable } from '../../shared/store/events-table';
import { fileContribution, makeEvent, steppingClock } from '../support/events';
import { withFreshTable } from '../support/local-aws';
import { type InProcessApi, inProcessApi } from './support';

let store: EventsTable;
let api: InProcessApi;
let sent: string[];

withFreshTable((engine, tableName) => {
  sent = [];
  const recording = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return (engine.doc.send as (c: unknown) => Promise<unknown>)(command);
    },
  } as unknown as DynamoDBDocumentClient;
  // Writers and the reader share one clock that steps a second a reading, as synced Lambda clocks run on.
  store = new EventsTable(recording, tableName, { now: steppingClock('2026-01-10T08:00:00.000Z') });
  api = inProcessApi(store, () => new Date('2026-05-01T12:00:00.000Z'));
});

async function put(event: NewsEvent, sequencer = '01'): Promise<void> {
  await store.putEvents({ key: event.id, sequencer }, [fileContribution(event.id, event)]);
}

const older = makeEvent('2010-05-01/older', { topics: ['Harbor'] });
const newer = makeEvent('2011-05-02/newer', { topics: ['Harbor'] });

describe('a kept topic feed page', () => {
  it('answers an unchanged feed with one GetItem and the same response', async () => {
    // Prepare
    await put(older);
    await put(newer);
    const first = await api.get('/topics/harbor/feed.atom');
    sent.length = 0;

    // Act
    const again = await api.get('/topics/harbor/feed.atom');

    // Assess
    expect(sent).toEqual(['GetCommand']);
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['last-modified']).toBe(first.headers['last-modified']);
  });

  it('shows a change at the next request, with a later Last-Modified', async () => {
    // Prepare
    await put(older);
    const first = await api.get('/topics/harbor/feed.json');
    await api.get('/topics/harbor/feed.json');

    // Act
    await put(newer);
    const again = await api.get('/topics/harbor/feed.json', {
      'if-modified-since': first.headers['last-modified'] as string,
    });

    // Assess
    expect(again.status).toBe(200);
    expect(again.body).toContain(newer.id);
    expect(Date.parse(again.headers['last-modified'] as string)).toBeGreaterThan(
      Date.parse(first.headers['last-modified'] as string),
    );
  });

  it('shows an event removed from the page', async () => {
    // Prepare
    await put(older);
    await put(newer);
    await api.get('/topics/harbor/feed.rss');

    // Act
    await store.deleteObject({ key: newer.id, sequencer: '02' });
    const again = await api.get('/topics/harbor/feed.rss');

    // Assess
    expect(again.status).toBe(200);
    expect(again.body).toContain(older.id);
    expect(again.body).not.toContain(newer.id);
  });

  it('is a 404 once the topic is gone', async () => {
    // Prepare
    await put(older);
    await api.get('/topics/harbor/feed.atom');

    // Act
    await store.deleteObject({ key: older.id, sequencer: '02' });
    const gone = await api.get('/topics/harbor/feed.atom');

    // Assess
    expect(gone.status).toBe(404);
  });
});
