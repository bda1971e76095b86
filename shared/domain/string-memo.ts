// One bounded memo for the pure string functions that see the same inputs over and over (labels, link texts,
// link paths, URLs), file after file and feed after feed. Long inputs (a hostile file's lines) are computed but
// not kept, and the oldest entry goes first, so the memo's size has a fixed bound whatever arrives.

/** `compute`, remembered for inputs of at most `maxChars` characters, `entries` of them at most. */
export function stringMemo<T>(
  compute: (input: string) => T,
  { entries, maxChars }: { entries: number; maxChars: number },
): (input: string) => T {
  const known = new Map<string, T>();
  return (input) => {
    if (known.has(input)) return known.get(input) as T;
    const value = compute(input);
    if (input.length <= maxChars) {
      if (known.size >= entries) known.delete(known.keys().next().value as string);
      known.set(input, value);
    }
    return value;
  };
}
