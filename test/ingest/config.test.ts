// The ingest function's configuration: MAX_RECEIVE_COUNT (the queue's redrive limit) is required and checked.
import { describe, expect, it } from 'vitest';
import { ConfigError, ingestConfigSchema, loadConfig } from '../../shared/config';

describe('ingest config', () => {
  it('reads the queue’s maxReceiveCount as a number', () => {
    const config = loadConfig(ingestConfigSchema, { TABLE_NAME: 'events', MAX_RECEIVE_COUNT: '4' });
    expect(config.MAX_RECEIVE_COUNT).toBe(4);
  });

  it.each([
    ['missing', {}],
    ['not a number', { MAX_RECEIVE_COUNT: 'four' }],
    ['zero', { MAX_RECEIVE_COUNT: '0' }],
    ['fractional', { MAX_RECEIVE_COUNT: '2.5' }],
  ])('stops the cold start when MAX_RECEIVE_COUNT is %s', (_case, env) => {
    expect(() => loadConfig(ingestConfigSchema, { TABLE_NAME: 'events', ...env })).toThrow(ConfigError);
    expect(() => loadConfig(ingestConfigSchema, { TABLE_NAME: 'events', ...env })).toThrow(
      /MAX_RECEIVE_COUNT/,
    );
  });
});
