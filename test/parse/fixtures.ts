// Small hand-written fixtures for the parser tests (test/fixtures/parse), read as the ingest layer would: bytes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { NewsEvent, ParseResult } from '../../shared/domain/event';

const dir = resolve(import.meta.dirname, '..', 'fixtures', 'parse');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(dir, name)));
}

export function fixtureText(name: string): string {
  return readFileSync(resolve(dir, name), 'utf8');
}

/** The event of an `event` result; fails the test with the rejection detail otherwise. */
export function eventOf(result: ParseResult): NewsEvent {
  if (result.kind !== 'event') expect.fail(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

/** The listing of a `listing` result; fails the test otherwise. */
export function listingOf(result: ParseResult): Extract<ParseResult, { kind: 'listing' }> {
  if (result.kind !== 'listing') expect.fail(`expected a listing, got ${JSON.stringify(result)}`);
  return result;
}
