// Named errors that any layer may throw; problems.ts maps them to HTTP responses in one place.
// Their messages are shown to the client as the problem `detail`: keep them free of internals.

/** The addressed resource does not exist (404). */
export class NotFound extends Error {
  override readonly name = 'NotFound';
}

/** The request is malformed; `param` names the offending path or query parameter (400). */
export class BadRequest extends Error {
  override readonly name = 'BadRequest';
  readonly param: string | undefined;

  constructor(message: string, param?: string) {
    super(message);
    this.param = param;
  }
}

/** The path exists but not for this method; `allow` lists the methods that would be served (405). */
export class MethodNotAllowed extends Error {
  override readonly name = 'MethodNotAllowed';
  readonly allow: readonly string[];

  constructor(allow: readonly string[], message = 'This resource does not support that method.') {
    super(message);
    this.allow = allow;
  }
}

/** The request lacks valid credentials for the resource (401, with a `WWW-Authenticate` challenge). */
export class Unauthorized extends Error {
  override readonly name = 'Unauthorized';
}

/** The request body is larger than this service accepts (413, RFC 9110's "Content Too Large"). */
export class ContentTooLarge extends Error {
  override readonly name = 'ContentTooLarge';
}

/** The client made too many requests; `retryAfterSeconds` says when to try again (429). */
export class TooManyRequests extends Error {
  override readonly name = 'TooManyRequests';
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests from this client; try again later.',
  ) {
    super(message);
  }
}

/** The feature exists but not where this runs, e.g. SNS protocols in the local stack (501). */
export class NotImplemented extends Error {
  override readonly name = 'NotImplemented';
}
