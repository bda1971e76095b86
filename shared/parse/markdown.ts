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

/** Index of the `)` closing a `(` just before `from`, with nested parentheses balanced; -1 if it never closes. */
function closingParen(line: string, from: number): number {
  let depth = 1;
  for (let i = from; i < line.length; i += 1) {
    const char = line[i];
    if (char === '(') depth += 1;
    else if (char === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Index of the `]` closing a `[` just before `from`, with nested brackets balanced; -1 if it never closes. */
function closingBracket(line: string, from: number): number {
  let depth = 1;
  for (let i = from; i < line.length; i += 1) {
    const char = line[i];
    if (char === '[') depth += 1;
    else if (char === ']') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
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
  let from = 0;
  while (from < line.length) {
    const open = line.indexOf('[', from);
    if (open === -1) break;
    const close = closingBracket(line, open + 1);
    if (close !== -1 && line[close + 1] === '(') {
      const end = closingParen(line, close + 2);
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
  if (open === -1) return undefined;
  let search = line.length;
  while (search > open) {
    const at = line.lastIndexOf('](', search);
    if (at <= open) return undefined;
    const end = closingParen(line, at + 2);
    const target = end === -1 ? '' : line.slice(at + 2, end);
    if (end !== -1 && target.trim() !== '' && !/\s/.test(target.trim())) {
      return { text: line.slice(open + 1, at), href: cleanHref(target), tail: line.slice(end + 1) };
    }
    search = at - 1;
  }
  return undefined;
}
