// One bounded memo for the pure string functions that see the same inputs over and over (labels, link texts,
// link paths, URLs), file after file and feed after feed. Long inputs (a hostile file's lines) are computed but
// not kept, and the memo's size has a fixed bound whatever arrives: it knows every input of the last `entries`
// it remembered, and never more than twice that many.
//
// The bound is kept by generations, not by evicting the oldest entry: a Map evicted from the front keeps its
// deleted slots until it rehashes, and `keys().next()` walks over all of them, so under a stream of new
// inputs every miss cost a scan of thousands of holes (a fifth of the parser's time over the zh corpus).
// A generation holds `entries`, not half of it: the zh corpus has about 18,000 distinct link targets and 19,700
// distinct cleaned texts against a bound of 20,000, and half-size generations turned that working set into a
// stream of misses and promotions (parse median 880 ms against 710 ms over the zh corpus).

/** `compute`, remembered for inputs of at most `maxChars` characters: the last `entries` of them at least, twice that at most. */
export function stringMemo<T>(
  compute: (input: string) => T,
  { entries, maxChars }: { entries: number; maxChars: number },
): (input: string) => T {
  const generation = Math.max(1, entries);
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
