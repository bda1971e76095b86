// Whether an object opens with front matter, apart from the front matter parser: the ingest's cold start
// loads that parser (gray-matter, js-yaml and its schema) only once an object needs it (./on-demand.ts).

/** First line `---`, optionally followed by a language name (`---yaml`, `---js`). */
export const FRONT_MATTER_OPENING = /^---[ \t]*([^\s-][^\n]*?)?[ \t]*\n/;

/** True when the text opens a front matter block (first line `---` or `---<language>`). */
export function hasFrontMatter(text: string): boolean {
  return FRONT_MATTER_OPENING.test(text);
}
