import { describe, expect, it, vi } from 'vitest';
import { InvalidMonthDay } from '../../shared/domain/calendar';
import { BadRequest, MethodNotAllowed, NotFound } from '../../shared/http/errors';
import { invalidParameterType, problemResponse } from '../../shared/http/problems';

describe('problemResponse', () => {
  it.each([
    [
      new NotFound('There is no topic "x".'),
      404,
      { type: 'about:blank', title: 'Not Found', detail: 'There is no topic "x".' },
    ],
    [
      new BadRequest('Malformed body.'),
      400,
      { type: 'about:blank', title: 'Bad Request', detail: 'Malformed body.' },
    ],
    [
      new BadRequest('limit must be an integer from 1 to 200.', 'limit'),
      400,
      {
        type: invalidParameterType,
        title: 'Invalid parameter',
        detail: 'limit must be an integer from 1 to 200.',
        param: 'limit',
      },
    ],
    [
      new InvalidMonthDay('02-30'),
      400,
      {
        type: invalidParameterType,
        title: 'Invalid parameter',
        detail: 'The month-day must be a calendar day as MM-DD, e.g. 07-09.',
        param: 'monthDay',
      },
    ],
  ])('maps %o to %i problem+json', (error, status, expected) => {
    // Prepare
    const log = vi.fn();

    // Act
    const res = problemResponse(error, { instance: '/topics/x/feed.rss', log });

    // Assess
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.body ?? '')).toEqual({ ...expected, status, instance: '/topics/x/feed.rss' });
    expect(log).not.toHaveBeenCalled();
  });

  it('maps MethodNotAllowed to 405 with an Allow header', () => {
    // Act
    const res = problemResponse(new MethodNotAllowed(['GET', 'HEAD']), { log: vi.fn() });

    // Assess
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(res.body ?? '')).toMatchObject({ title: 'Method Not Allowed', status: 405 });
  });

  it('turns anything unexpected into a generic 500 and logs the error itself', () => {
    // Prepare
    const error = new Error('ConditionalCheckFailed on table events-prod key PK=EVENT#secret');
    const log = vi.fn();

    // Act
    const res = problemResponse(error, { instance: '/feed.rss', log });

    // Assess
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body ?? '')).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/feed.rss',
    });
    expect(res.body).not.toMatch(/secret|events-prod|ConditionalCheck|\.ts:\d/);
    expect(log).toHaveBeenCalledExactlyOnceWith(error);
  });

  it('still answers 500 when the logger itself throws, or the thrown value is not an Error', () => {
    // Prepare
    const log = vi.fn(() => {
      throw new Error('logger down');
    });

    // Act
    const res = problemResponse('a string was thrown', { log });

    // Assess
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('a string was thrown');
  });
});
