// Turns a Node HTTP request into an API Gateway HTTP API (payload 2.0) event and writes the Lambda's result.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { REQUEST_LIMITS } from '../../shared/http/security-headers';

export type HttpLambda = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The body, kept up to one byte past the handler's bound (so the handler still answers 413) and drained
 * beyond it: a huge upload costs this process no memory. API Gateway caps bodies at 10 MB in AWS.
 */
async function readBody(req: IncomingMessage, keepBytes = REQUEST_LIMITS.bodyBytes + 1): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of req) {
    const room = keepBytes - kept;
    if (room <= 0) continue;
    const part = (chunk as Buffer).subarray(0, room);
    chunks.push(part);
    kept += part.length;
  }
  return Buffer.concat(chunks);
}

export async function toApiGatewayEvent(
  req: IncomingMessage,
  routeKey = '$default',
): Promise<APIGatewayProxyEventV2> {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway always tells the function the scheme; this server speaks plain HTTP unless a proxy says otherwise.
  headers['x-forwarded-proto'] ??= 'http';
  // As CloudFront does: the address this server saw goes last, after whatever the client claimed.
  const remote = req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${remote}`
    : remote;
  const cookies = headers.cookie?.split(';').map((c) => c.trim());
  delete headers.cookie;
  const body = await readBody(req);
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0,
  };
}

export async function writeLambdaResult(
  res: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
): Promise<void> {
  res.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  if (body) res.setHeader('content-length', body.length);
  res.end(body);
}
