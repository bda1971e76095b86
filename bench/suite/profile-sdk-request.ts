// Profiling aid for the ingest throughput target: `npx tsx bench/suite/profile-sdk-request.ts [requests]
// [rounds]` measures the CPU that one request costs in the client process, through the very clients the
// handlers use (shared/aws) and through plain node:http with the same JSON body, against a stub server in
// another process that answers at once (so no engine's work is in the figure). Each round sends `requests`
// of each kind, 32 at once, the kinds in turn (the order rotated each round, as the noisy machine asks);
// it prints each kind's median CPU per request over the rounds, and its ratio to node:http's. The ingest
// makes about 4.2 requests per file (docs/benchmarks.md), so this is the part of a file's CPU the
// handler's own code cannot reach.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { localCredentials, localRegion } from '../../infra/local/services';
import { summarize } from './figures';

const requests = Number(process.argv[2] ?? 2_000);
const rounds = Number(process.argv[3] ?? 12);
const inFlight = 32;

process.env.AWS_ACCESS_KEY_ID ??= localCredentials.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY ??= localCredentials.secretAccessKey;
process.env.AWS_REGION ??= localRegion;

// GET (S3's GetObject) answers a 4 KB object, as a zh event file is; POST (DynamoDB) an empty JSON object.
const stubSource = `
const body = Buffer.alloc(4096, 'x');
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const get = req.method === 'GET';
    const out = get ? body : Buffer.from('{}');
    res.writeHead(200, {
      'content-type': get ? 'text/markdown' : 'application/x-amz-json-1.0',
      'content-length': out.byteLength,
      ...(get ? { etag: '"0123456789abcdef0123456789abcdef"' } : {}),
      'x-amzn-requestid': 'stub',
    });
    res.end(out);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startStub(): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, ['-e', stubSource], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<string>((resolve) => lines.once('line', resolve));
  return { child, endpoint: `http://127.0.0.1:${port}` };
}

const { child, endpoint } = await startStub();
const { makeDocumentClient } = await import('../../shared/aws/dynamo-client');
const { makeS3Client } = await import('../../shared/aws/s3-client');
const dynamo = makeDocumentClient(endpoint);
const s3 = makeS3Client(endpoint);

// Shaped like the ingest's claim (shared/store/object-ledger.ts): an update by key, conditional, ALL_OLD.
const claimInput = (index: number) => ({
  TableName: 'events',
  Key: { pk: `OBJ#zh/news/2010/01/${index}.md`, sk: 'OBJ' },
  UpdateExpression: 'SET seq = :seq, #state = :state, eventIds = :ids, at = :at',
  ConditionExpression: 'attribute_not_exists(seq) OR seq < :seq',
  ExpressionAttributeNames: { '#state': 'state' },
  ExpressionAttributeValues: {
    ':seq': '0000000000000000000000000000000001',
    ':state': 'events',
    ':ids': [`2010-01-01-event-${index}`],
    ':at': '2026-12-02T00:00:00.000Z',
  },
  ReturnValues: 'ALL_OLD' as const,
});

const plainAgent = new Agent({ keepAlive: true, maxSockets: 50 });
/** The claim's wire body and headers, sent with node:http alone: what any client has to do at least. */
function plainPost(index: number): Promise<void> {
  const { Key, ExpressionAttributeValues, ...rest } = claimInput(index);
  const body = JSON.stringify({
    ...rest,
    Key: marshall(Key),
    ExpressionAttributeValues: marshall(ExpressionAttributeValues),
  });
  return new Promise((resolve, reject) => {
    const req = request(
      `${endpoint}/`,
      {
        method: 'POST',
        agent: plainAgent,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(body),
          'x-amz-target': 'DynamoDB_20120810.UpdateItem',
          'x-amz-date': '20261202T000000Z',
          authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/20261202/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const kinds: { name: string; send: (index: number) => Promise<unknown> }[] = [
  { name: 'node:http POST, same body', send: plainPost },
  {
    name: 'DynamoDB UpdateItem (shared/aws)',
    send: (index) => dynamo.send(new UpdateCommand(claimInput(index))),
  },
  {
    name: 'S3 GetObject, 4 KB (shared/aws)',
    send: async (index) => {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: 'events', Key: `zh/news/2010/01/${index}.md` }),
      );
      await object.Body?.transformToByteArray();
    },
  },
];

/** CPU microseconds per request of this process while it sends `count` requests, `inFlight` at once. */
async function cpuPerRequest(send: (index: number) => Promise<unknown>, count: number): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await send(next++);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

try {
  for (const kind of kinds) await cpuPerRequest(kind.send, requests);
  const samples = kinds.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < kinds.length; turn++) {
      const index = (turn + round) % kinds.length;
      samples[index]?.push(await cpuPerRequest((kinds[index] as (typeof kinds)[number]).send, requests));
    }
  }
  const summaries = samples.map((values) => summarize(values));
  const baseline = summaries[0]?.median ?? Number.NaN;
  for (const [index, kind] of kinds.entries()) {
    const { median, min, max } = summaries[index] as (typeof summaries)[number];
    console.log(
      `${kind.name.padEnd(34)} ${median.toFixed(0).padStart(5)} µs CPU per request ` +
        `(min ${min.toFixed(0)}, max ${max.toFixed(0)}; ${(median / baseline).toFixed(1)}× node:http)`,
    );
  }
} finally {
  dynamo.destroy();
  s3.destroy();
  plainAgent.destroy();
  child.kill();
}
