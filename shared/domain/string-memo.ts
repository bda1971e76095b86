// One bounded memo for the pure string functions that see the same inputs over and over (labels, link texts,
// link paths, URLs), file after file and feed after feed. Long inputs (a hostile file's lines) are computed but
// not kept, and the memo's size has a fixed bound whatever arrives.
//
// The bound is kept by generations, not by evicting the oldest entry: a Map evicted from the front keeps its
// deleted slots until it rehashes, and `keys().next()` walks over all of them, so under a stream of new
// inputs every miss cost a scan of thousands of holes (a fifth of the parser's time over the zh corpus).

/** `compute`, remembered for inputs of at most `maxChars` characters, `entries` of them at most. */
export function stringMemo<T>(
  compute: (input: string) => T,
  { entries, maxChars }: { entries: number; maxChars: number },
): (input: string) => T {
  const generation = Math.max(1, Math.floor(entries / 2));
  // Lookups go to `young`, then `old`; when `young` is full it becomes `old`, and the old `old` is dropped.
  let young = new Map<string, T>();
  let old = new Map<string, T>();
  const remember = (input: string, value: T) => {
    if (young.size >= generation) {
      old = young;
      young = new Map();
    }
    young.set(input, value);
  };
  return (input) => {
    const known = young.get(input);
    if (known !== undefined || young.has(input)) return known as T;
    if (old.has(input)) {
      const kept = old.get(input) as T;
      remember(input, kept);
      return kept;
    }
    const value = compute(input);
    if (input.length <= maxChars) remember(input, value);
    return value;
  };
}
