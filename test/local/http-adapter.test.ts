// The local HTTP adapter keeps a request body only up to one byte past the handler's bound, so an oversized
// upload is still a 413 from the handler while the adapter holds no more than that in memory.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { toApiGatewayEvent } from '../../infra/local/http-adapter';
import { http } from '../../shared/http/handler';
import { REQUEST_LIMITS } from '../../shared/http/security-headers';

function postOf(chunks: Buffer[]): IncomingMessage {
  return Object.assign(Readable.from(chunks), {
    method: 'POST',
    url: '/subscriptions',
    httpVersion: '1.1',
    headers: { host: '127.0.0.1:3000', 'content-type': 'application/json' },
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;
}

describe('local HTTP adapter bodies', () => {
  it('keeps a body within the bound whole, and only the bound plus one byte of a larger one', async () => {
    // Prepare
    const fits = Buffer.alloc(REQUEST_LIMITS.bodyBytes, 'a');
    const huge = Array.from({ length: 64 }, () => Buffer.alloc(64 * 1024, 'b'));
    const handler = http(async () => ({ statusCode: 201, headers: {}, body: 'created' }));

    // Act
    const small = await toApiGatewayEvent(postOf([fits.subarray(0, 1000), fits.subarray(1000)]));
    const large = await toApiGatewayEvent(postOf(huge));

    // Assess
    expect(Buffer.from(small.body ?? '', 'base64')).toEqual(fits);
    expect(Buffer.from(large.body ?? '', 'base64').length).toBe(REQUEST_LIMITS.bodyBytes + 1);
    expect((await handler(small)).statusCode).toBe(201);
    expect((await handler(large)).statusCode).toBe(413);
  });
});
