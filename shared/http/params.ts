// Query parameter parsers shared by the API routes; each throws BadRequest naming the parameter.
import { BadRequest } from './errors';

export interface LimitOptions {
  default: number;
  max: number;
  /** Name reported in the problem; `limit` unless told. */
  param?: string;
}

/** A page size: absent → default; otherwise a plain decimal integer in 1..max. */
export function parseLimit(raw: string | undefined, options: LimitOptions): number {
  const param = options.param ?? 'limit';
  if (raw === undefined) return options.default;
  const value = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > options.max) {
    throw new BadRequest(`${param} must be an integer from 1 to ${options.max}.`, param);
  }
  return value;
}

/** An IANA time zone name that Intl knows (absent → `UTC`), returned in its canonical spelling. */
export function parseTimeZone(raw: string | undefined, param = 'tz'): string {
  if (raw === undefined) return 'UTC';
  // Names only (Area/Location, Etc/GMT+5, UTC): no offsets like +05:30, nothing long or exotic.
  if (raw.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(raw)) {
    throw new BadRequest(`${param} must be an IANA time zone name such as Europe/Berlin.`, param);
  }
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    throw new BadRequest(`${param} must be an IANA time zone name such as Europe/Berlin.`, param);
  }
}
