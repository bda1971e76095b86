// The bench suite's pure parts: summaries, paired figures and their targets, the results-file shape the
// issue fixes, the printed table, the store generator and the cost model. Nothing heavy runs here.
import { describe, expect, it } from 'vitest';
import { costFigures, costInputsOf, monthlyCost, storedItemBytes } from '../../bench/suite/cost';
import {
  buildResults,
  type Figure,
  formatTable,
  type Machine,
  pairedFigure,
  percentile,
  plainFigure,
  shapeProblems,
  summarize,
} from '../../bench/suite/figures';
import type { Generator } from '../../bench/suite/generate';
import { resultsMarkdown } from '../../bench/suite/markdown';
import { planFor, sizeLabel } from '../../bench/suite/modes';
import { latencyRoutes, loadScenarios } from '../../bench/suite/routes';
import { pickSubjects, SubjectCounter } from '../../bench/suite/subjects';

const machine: Machine = {
  date: '2026-11-30T06:00:00.000Z',
  node: 'v20.20.2',
  platform: 'linux',
  arch: 'x64',
  cpus: 2,
  cpuModel: 'test',
  memoryGb: 8,
  mode: 'quick',
  sizes: [10_000],
  corpus: 'test',
};

describe('summaries', () => {
  it('takes the median, min and max of the runs', () => {
    // Act
    const summary = summarize([5, 1, 9, 3]);

    // Assess
    expect(summary).toEqual({ median: 4, min: 1, max: 9, runs: 4 });
  });

  it('uses nearest-rank percentiles', () => {
    // Prepare
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);

    // Act + Assess
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('figures', () => {
  it('judges a paired figure on the ratio of the medians', () => {
    // Act
    const figure = pairedFigure(
      'topic feed p50',
      'ms',
      [10, 12, 11],
      { name: 'raw Query', runs: [4, 5, 6] },
      { target: { op: '<=', value: 2 } },
    );

    // Assess
    expect(figure).toMatchObject({
      value: 11,
      min: 10,
      max: 12,
      runs: 3,
      baseline: { name: 'raw Query', value: 5, unit: 'ms' },
      ratio: 2.2,
      target: 'ratio <= 2',
      met: false,
    });
  });

  it('judges the value itself when the target is set on it', () => {
    // Act
    const figure = pairedFigure(
      'init',
      'ms',
      [120],
      { name: 'bare handler', runs: [10] },
      { target: { op: '<=', value: 150 }, targetOn: 'value' },
    );

    // Assess
    expect(figure).toMatchObject({ ratio: 12, target: 'value <= 150', met: true });
  });

  it('leaves baseline, ratio, target and met out of an informational figure', () => {
    // Act
    const figure = plainFigure('bytes per event', 'bytes', [5776]);

    // Assess
    expect(figure).not.toHaveProperty('baseline');
    expect(figure).not.toHaveProperty('ratio');
    expect(figure).toMatchObject({ target: null, met: null });
  });
});

describe('the results file', () => {
  const figures: Figure[] = [
    pairedFigure(
      'parse',
      'files/s',
      [100],
      { name: 'floor', runs: [200] },
      { target: { op: '>=', value: 0.25 } },
    ),
    plainFigure('freshness p99', 'ms', [380], { target: { op: '<=', value: 1000 } }),
  ];

  it('has the shape the issue gives: machine, and figures with name/value/unit/baseline/ratio/target/met', () => {
    // Act
    const results = JSON.parse(JSON.stringify(buildResults(machine, figures)));

    // Assess
    expect(shapeProblems(results)).toEqual([]);
    expect(Object.keys(results)).toEqual(['machine', 'figures']);
    expect(results.figures[0]).toMatchObject({
      name: 'parse',
      value: 100,
      unit: 'files/s',
      ratio: 0.5,
      met: true,
    });
  });

  it('reports a figure that breaks the shape', () => {
    // Prepare
    const broken = {
      machine,
      figures: [{ name: 'x', value: '1', unit: 'ms', ratio: 2, target: 'value <= 1' }],
    };

    // Act
    const problems = shapeProblems(broken);

    // Assess
    expect(problems).toEqual([
      'figures[0]: met missing',
      'figures[0]: value is not a number',
      'figures[0]: min/max missing',
      'figures[0]: baseline and ratio go together',
      'figures[0]: target and met go together',
    ]);
  });

  it('refuses two figures of one name', () => {
    // Act + Assess
    expect(() => buildResults(machine, [figures[1] as Figure, figures[1] as Figure])).toThrow(/two figures/);
  });

  it('prints one table line per figure, saying which targets are not met', () => {
    // Act
    const table = formatTable([
      ...figures,
      plainFigure('load p99', 'ms', [500], { target: { op: '<=', value: 1 } }),
    ]);

    // Assess
    const lines = table.split('\n');
    expect(lines).toHaveLength(2 + 3);
    expect(lines[2]).toMatch(/^parse .*\| 0\.5× .*\| met$/);
    expect(lines[4]).toMatch(/NOT MET$/);
  });
});

describe('the Markdown for docs/benchmarks.md', () => {
  it('puts measured figures in one table and the cost by size in another', () => {
    // Prepare
    const results = buildResults(machine, [
      plainFigure('freshness p99 @10k', 'ms', [380], { target: { op: '<=', value: 1000 } }),
      plainFigure('cost @10k events: SQS', 'USD/month', [0.27]),
      plainFigure('cost @1M events: SQS', 'USD/month', [0.27]),
    ]);

    // Act
    const markdown = resultsMarkdown(results);

    // Assess
    expect(markdown).toContain(
      '| freshness p99 @10k | **380 ms** (380 … 380, 1 runs) |  |  | value <= 1000: met |',
    );
    expect(markdown).toContain('| USD / month | 10k events | 1M events |');
    expect(markdown).toContain('| SQS | $0.27 | $0.27 |');
  });
});

describe('modes', () => {
  it('runs 10k only with --quick, adds 100k by default and 1M with --full', () => {
    // Act + Assess
    expect(planFor(['--quick']).sizes).toEqual([10_000]);
    expect(planFor([]).sizes).toEqual([10_000, 100_000]);
    expect(planFor(['--full']).sizes).toEqual([10_000, 100_000, 1_000_000]);
    expect([10_000, 100_000, 1_000_000].map(sizeLabel)).toEqual(['10k', '100k', '1M']);
  });
});

describe('subjects and routes', () => {
  const subjects = pickSubjects(
    new Map([
      ['busy', { label: 'Busy', events: 90, newest: { id: '2018-07-09/busy-day' } }],
      ['quiet', { label: 'Quiet', events: 1 }],
      ['zürich', { label: 'Zürich', events: 5 }],
    ]),
    new Map([
      ['07-09', 40],
      ['02-29', 2],
    ]),
  );

  it('picks the hot and the cold topic and month-day', () => {
    // Assess
    expect(subjects.hotTopic).toEqual({ slug: 'busy', label: 'Busy', events: 90, page: 90 });
    expect(subjects.coldTopic.slug).toBe('quiet');
    expect(subjects.hotMonthDay.monthDay).toBe('07-09');
    expect(subjects.coldMonthDay.monthDay).toBe('02-29');
  });

  it('asks about the subjects of the first store at every larger size, with their counts there', () => {
    // Prepare: the first 3 events make `busy` hot and `quiet` cold; the next 4 would make `rising` the
    // hottest and `rare` the coldest topic, and 03-01 the busiest and 01-02 the quietest day.
    const events = [
      { date: '2001-07-09', topics: ['Busy', 'Quiet'] },
      { date: '2002-07-09', topics: ['Busy'] },
      { date: '2003-02-29', topics: ['Busy'] },
      ...Array.from({ length: 3 }, (_, i) => ({ date: `201${i}-03-01`, topics: ['Rising', 'Quiet'] })),
      { date: '2020-01-02', topics: ['Rare'] },
    ].map(({ date, topics }, i) => ({ id: `${date}/e${i}`, date, topics }));
    const generator = {
      poolSize: events.length,
      span: 20,
      at: (k: number) => ({ objectKey: `k${k}`, contribution: { event: events[k] } }),
    } as unknown as Generator;
    const counter = new SubjectCounter(generator);

    // Act
    const small = counter.countTo(3);
    const large = counter.countTo(7);

    // Assess
    expect(small.hotTopic).toMatchObject({ slug: 'busy', events: 3 });
    expect(small.coldTopic).toMatchObject({ slug: 'quiet', events: 1, page: 1 });
    expect(large.hotTopic).toMatchObject({ slug: 'busy', events: 3 });
    // The page asked for stays what the subject had where it was picked, so the answer keeps its size.
    expect(large.coldTopic).toMatchObject({ slug: 'quiet', events: 4, page: 1 });
    expect([small.hotMonthDay, large.hotMonthDay]).toEqual([
      { monthDay: '07-09', events: 2, page: 2 },
      { monthDay: '07-09', events: 2, page: 2 },
    ]);
    expect([small.coldMonthDay, large.coldMonthDay]).toEqual([
      { monthDay: '02-29', events: 1, page: 1 },
      { monthDay: '02-29', events: 1, page: 1 },
    ]);
    // Prepare: the routes at the larger size
    const coldRoutes = latencyRoutes(large, new Date('2026-03-02T12:00:00Z')).filter((route) =>
      route.name.endsWith('(cold)'),
    );
    // Assess: every cold route and its floor ask for the picked page, not a default page of 50
    expect(coldRoutes.map(({ path, floor }) => ({ path, limit: floor.limit }))).toEqual([
      { path: '/topics/quiet/feed.atom?limit=1', limit: 1 },
      { path: '/on-this-day/02-29?limit=1', limit: 1 },
      { path: '/topics/quiet?limit=1', limit: 1 },
    ]);
    expect(large.hotEvent).toEqual(small.hotEvent);
    expect(large.topicSample).toEqual(small.topicSample);
  });

  it('measures pages as HTML, and every route against a floor of its page size', () => {
    // Act
    const routes = latencyRoutes(subjects, new Date('2026-03-02T12:00:00Z'));

    // Assess
    expect(routes.find((route) => route.name === 'topic page (hot)')).toMatchObject({
      path: '/topics/busy',
      accept: 'text/html',
      floor: { kind: 'topic', slug: 'busy', limit: 50 },
    });
    // The cold subjects are asked for the events they have (1 and 2), at most a default page.
    expect(routes.find((route) => route.name === 'topic feed (cold)')).toMatchObject({
      path: '/topics/quiet/feed.atom?limit=1',
      floor: { kind: 'topic', slug: 'quiet', limit: 1 },
    });
    expect(routes.find((route) => route.name === 'on this day (cold)')).toMatchObject({
      path: '/on-this-day/02-29?limit=2',
      floor: { kind: 'month-day', monthDay: '02-29', limit: 2 },
    });
    expect(routes.find((route) => route.name === 'event page')).toMatchObject({
      path: '/events/2018-07-09/busy-day',
      accept: 'text/html',
      floor: { kind: 'event', id: '2018-07-09/busy-day', limit: 1 },
    });
    // The anniversary feed reads the last 7 days (across the end of February) at once, up to 200 items.
    expect(routes.find((route) => route.name === 'anniversary feed (hot)')).toMatchObject({
      path: '/on-this-day/feed.rss?topic=busy',
      floor: {
        kind: 'month-days',
        monthDays: ['03-02', '03-01', '02-28', '02-27', '02-26', '02-25', '02-24'],
        topic: 'busy',
        limit: 200,
      },
    });
    expect(routes.filter((route) => route.targeted).map((route) => route.name)).toEqual([
      'topic feed (hot)',
      'topic feed (cold)',
      'on this day (hot)',
      'on this day (cold)',
    ]);
    expect(routes.find((route) => route.name === 'topic list')?.floor).toEqual({
      kind: 'topic-list',
      limit: 100,
    });
  });

  it('sends every path percent-encoded, as the site links it, Chinese slugs and event ids included', () => {
    // Prepare: a Chinese hot topic and hot event. Sent raw by autocannon, such a path stalled each
    // connection at its first request of it.
    const chinese = pickSubjects(
      new Map([
        ['美国', { label: '美国', events: 9, newest: { id: '2016-06-01/青年黨武裝分子襲擊' } }],
        ['黑森', { label: '黑森', events: 1 }],
      ]),
      new Map([['06-01', 9]]),
    );

    // Act
    const paths = [
      ...loadScenarios(chinese, new Map()).flatMap((scenario) => scenario.requests.map((r) => r.path)),
      ...latencyRoutes(chinese, new Date('2026-06-01T12:00:00Z')).map((route) => route.path),
    ];

    // Assess
    expect(paths.filter((path) => !/^[\x21-\x7e]+$/.test(path))).toEqual([]);
    expect(paths).toContain(`/events/2016-06-01/${encodeURIComponent('青年黨武裝分子襲擊')}`);
  });

  it('doubles the requests that have an ETag into conditional ones in the mix', () => {
    // Act
    const scenarios = loadScenarios(subjects, new Map([['/topics', '"abc"']]));

    // Assess
    const mix = scenarios.find((scenario) => scenario.name === 'mix with 304s')?.requests ?? [];
    expect(mix.filter((request) => request.path === '/topics')).toEqual([
      { path: '/topics' },
      { path: '/topics', headers: { 'if-none-match': '"abc"' } },
    ]);
    expect(scenarios.map((scenario) => scenario.name)).toEqual([
      'topic feeds',
      'on this day',
      'pages',
      'mix with 304s',
    ]);
  });
});

describe('cost', () => {
  const inputs = {
    writeUnitsPerFile: 10,
    readUnitsPerFile: 0.5,
    ingestFilesPerSecond: 100,
    readUnitsPerFeedRequest: 2,
    feedLatencyMs: 20,
    feedResponseBytes: 10_000,
    storedBytesPerEvent: 5_000,
  };

  it('prices the month from the measured units', () => {
    // Act
    const lines = monthlyCost(inputs, 1_000_000);

    // Assess: 30,000 files × 10 WRU × $0.625/M + (15,000 + 200,000 × 2) RRU × $0.125/M + 5 GB × $0.25
    const dynamo = lines.find((line) => line.service === 'DynamoDB on-demand')?.usdPerMonth ?? 0;
    expect(dynamo).toBeCloseTo(0.1875 + 0.051875 + 1.25, 6);
    const cloudFront = lines.find((line) => line.service === 'CloudFront')?.usdPerMonth ?? 0;
    expect(cloudFront).toBeCloseTo(1 + 0.85, 6);
  });

  it('prices feed reads at a page the container has not kept', () => {
    // Prepare: the repeated requests read a kept page (0.5 RCU); a first request read 12.5.
    const measured = [
      ['ingest: write units per file', 10],
      ['ingest: read units per file', 0.5],
      ['ingest: files/s', 100],
      ['topic feed (hot): read units per request @10k', 0.5],
      ['topic feed (hot), page not kept: read units per request @10k', 12.5],
      ['topic feed (hot) p50 @10k', 5],
      ["topic feed (hot): response bytes gzip'd @10k", 10_000],
      ['store: bytes per event', 5_000],
    ].map(([name, value]) => plainFigure(name as string, 'x', [value as number], { how: '' }));

    // Act
    const costInputs = costInputsOf(measured);

    // Assess
    expect(costInputs?.readUnitsPerFeedRequest).toBe(12.5);
  });

  it('yields no cost figures until the steps it needs have run', () => {
    // Act + Assess
    expect(costFigures([])).toEqual([]);
  });

  it('sizes an item as DynamoDB does: names and values, 100 bytes, and each key-only index copy', () => {
    // Prepare
    const item = { PK: 'TOPIC#a', SK: '2007#x', GSI2PK: 'MD#07', GSI2SK: '2007#x', n: 12 };

    // Act
    const bytes = storedItemBytes(item, [
      ['GSI1PK', 'GSI1SK'],
      ['GSI2PK', 'GSI2SK'],
    ]);

    // Assess: table item 9+8+11+12+3 + 100 = 143; GSI2 copy 9+8+11+12 + 100 = 140
    expect(bytes).toBe(143 + 140);
  });
});
