// S3 sequencer ordering, in one place: normalized once so that stored values order as plain strings do.

/**
 * Wider than any sequencer S3 issues (16–18 hex digits seen), so padding never truncates. Every stored
 * sequencer has exactly this width, which lets DynamoDB condition expressions (`seq <= :seq`) compare them
 * as strings and agree with the code.
 */
export const SEQUENCER_WIDTH = 48;

/** A sequencer that is not hex, or longer than any S3 issues. */
export class InvalidSequencer extends Error {
  override name = 'InvalidSequencer';
}

/**
 * The canonical form of an S3 `sequencer`: upper-case hex, right-padded with zeros to a fixed width.
 * S3's rule (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html):
 * to order two events of the same key, pad the shorter sequencer with zeros on the right, then compare
 * lexicographically. (Older revisions of that page said left-pad; the current text says right.) Idempotent.
 */
export function normalizeSequencer(raw: string): string {
  if (!/^[0-9A-Fa-f]+$/.test(raw)) throw new InvalidSequencer(`sequencer must be hex: ${raw.slice(0, 80)}`);
  if (raw.length > SEQUENCER_WIDTH) {
    throw new InvalidSequencer(`sequencer is longer than ${SEQUENCER_WIDTH} hex digits`);
  }
  return raw.toUpperCase().padEnd(SEQUENCER_WIDTH, '0');
}

/** Orders two sequencers of one key by S3's rule; negative when `a` is older. */
export function compareSequencers(a: string, b: string): number {
  const left = normalizeSequencer(a);
  const right = normalizeSequencer(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
