// The command line of `npm run reprocess`: key or prefix, local stack or a deployment.
import { describe, expect, it } from 'vitest';
import { parseReprocessArgs, ReprocessUsageError } from '../../shared/ingest/reprocess-cli';

describe('parseReprocessArgs', () => {
  it('takes an argument ending in "/" (or given with --prefix) as a prefix, anything else as one key', () => {
    expect(parseReprocessArgs(['news/2007/'])).toEqual({
      kind: 'local',
      target: { prefix: 'news/2007/' },
      limit: 500,
      baseUrl: 'http://127.0.0.1:3000',
    });
    expect(parseReprocessArgs(['news/2007/07/9/a', '--prefix', '--limit', '20'])).toMatchObject({
      target: { prefix: 'news/2007/07/9/a' },
      limit: 20,
    });
    expect(parseReprocessArgs(['news/2007/07/9/a.md'], { PORT: '3100' })).toMatchObject({
      target: { key: 'news/2007/07/9/a.md' },
      baseUrl: 'http://127.0.0.1:3100',
    });
  });

  it('targets a deployment with --aws, from flags or the variables', () => {
    expect(
      parseReprocessArgs(['inbox/', '--aws', '--bucket', 'b', '--queue-url', 'https://q', '--table', 't']),
    ).toEqual({
      kind: 'aws',
      target: { prefix: 'inbox/' },
      limit: 500,
      bucket: 'b',
      queueUrl: 'https://q',
      tableName: 't',
    });
    expect(
      parseReprocessArgs(['inbox/a.md', '--aws'], {
        EVENTS_BUCKET: 'b',
        INGEST_QUEUE_URL: 'https://q',
        TABLE_NAME: 't',
      }),
    ).toMatchObject({ kind: 'aws', target: { key: 'inbox/a.md' } });
  });

  it('refuses what it cannot run', () => {
    for (const argv of [
      [],
      ['a', 'b'],
      ['a', '--limit', '0'],
      ['a', '--limit', '1001'],
      ['a', '--aws'],
      ['a', '--nope'],
    ]) {
      expect(() => parseReprocessArgs(argv), argv.join(' ')).toThrow(ReprocessUsageError);
    }
    expect(parseReprocessArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
