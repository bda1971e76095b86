// The few Markdown pieces the format uses: headings and inline links whose text may hold wiki brackets.

export interface Heading {
  level: number;
  /** Heading text, trimmed. */
  text: string;
  /** Everything after the `#`s and ONE space or tab: the generator wrote `# ` + raw title. */
  raw: string;
}

const HEADING = /^ {0,3}(#{1,6})(?=[ \t]|\[|$)/;

export function readHeading(line: string): Heading | undefined {
  const match = HEADING.exec(line);
  if (!match) return undefined;
  const after = line.slice(match[0].length);
  const raw = after.startsWith(' ') || after.startsWith('\t') ? after.slice(1) : after;
  return { level: match[1]?.length ?? 0, text: after.trim(), raw };
}

export interface MdLink {
  text: string;
  href: string;
}

/**
 * For every `open` character in the line, the index of the `close` that balances it (nesting counted), or -1 when it
 * never closes. One pass with a stack: scanning forward from each bracket instead would be quadratic, and a hostile
 * line of 100,000 `[` would hold the ingest for minutes.
 */
function matchingPairs(line: string, open: string, close: string): Map<number, number> {
  const matches = new Map<number, number>();
  const first = line.indexOf(open);
  if (first === -1) return matches;
  // Char codes, not `line[i]`: this runs over every character of every link line.
  const openCode = open.charCodeAt(0);
  const closeCode = close.charCodeAt(0);
  const stack: number[] = [];
  for (let i = first; i < line.length; i += 1) {
    const code = line.charCodeAt(i);
    if (code === openCode) stack.push(i);
    else if (code === closeCode) {
      const opened = stack.pop();
      if (opened !== undefined) matches.set(opened, i);
    }
  }
  return matches;
}

/** Link destination without `<...>` and without a trailing `"title"`. */
function cleanHref(inner: string): string {
  let href = inner.trim();
  if (!/\s/.test(href) && !href.startsWith('<')) return href;
  const titled = /^(\S+)\s+(?:"[^"]*"|'[^']*')$/.exec(href);
  if (titled?.[1]) href = titled[1];
  if (href.startsWith('<') && href.endsWith('>')) href = href.slice(1, -1).trim();
  return href;
}

/** Every `[text](href)` in a line, left to right. Brackets nest in the text; parentheses balance in the href. */
export function scanLinks(line: string): MdLink[] {
  const links: MdLink[] = [];
  if (!line.includes('[')) return links;
  const brackets = matchingPairs(line, '[', ']');
  const parens = matchingPairs(line, '(', ')');
  let from = 0;
  while (from < line.length) {
    const open = line.indexOf('[', from);
    if (open === -1) break;
    const close = brackets.get(open) ?? -1;
    if (close !== -1 && line[close + 1] === '(') {
      const end = parens.get(close + 1) ?? -1;
      if (end !== -1) {
        links.push({ text: line.slice(open + 1, close), href: cleanHref(line.slice(close + 2, end)) });
        from = end + 1;
        continue;
      }
    }
    // Not a link at this `[` (a bare `[BBC]`, an unbalanced wiki bracket): look for one further on.
    from = open + 1;
  }
  return links;
}

export interface ItemLink extends MdLink {
  /** What follows the link on the line (`_Context: a, b_`). */
  tail: string;
}

/**
 * The link an item line is about (`N. [ headline ](/news/...) _Context: ..._`, `### [ headline ](/news/...)`):
 * the LAST `](target)` whose target has no spaces, with text from the line's first `[`. Headlines may hold
 * unbalanced wiki brackets, so the text is not required to nest.
 */
export function itemLink(line: string): ItemLink | undefined {
  const open = line.indexOf('[');
  if (open === -1 || line.lastIndexOf('](') <= open) return undefined;
  const parens = matchingPairs(line, '(', ')');
  let search = line.length;
  while (search > open) {
    const at = line.lastIndexOf('](', search);
    if (at <= open) return undefined;
    const end = parens.get(at + 1) ?? -1;
    const target = end === -1 ? '' : line.slice(at + 2, end);
    if (end !== -1 && target.trim() !== '' && !/\s/.test(target.trim())) {
      return { text: line.slice(open + 1, at), href: cleanHref(target), tail: line.slice(end + 1) };
    }
    search = at - 1;
  }
  return undefined;
}
