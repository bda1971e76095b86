// Content negotiation between the JSON API and the HTML pages on the paths that serve both (RFC 9110 §12.5.1).

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function mediaRanges(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) && q >= 0 && q <= 1 ? [{ type, subtype, q }] : [];
  });
}

/** The q-value `ranges` give a media type: the most specific matching range decides (RFC 9110 §12.5.1). */
function qualityOf(ranges: MediaRange[], type: string, subtype: string): number {
  const exact = ranges.find((r) => r.type === type && r.subtype === subtype);
  if (exact) return exact.q;
  const typeWide = ranges.find((r) => r.type === type && r.subtype === '*');
  if (typeWide) return typeWide.q;
  return ranges.find((r) => r.type === '*' && r.subtype === '*')?.q ?? 0;
}

/**
 * True when the client ranks `text/html` strictly above `application/json`. Ties go to JSON, so an API
 * client sending a bare wildcard, `application/json` or no Accept at all gets exactly the JSON it got
 * before pages existed; a browser (`text/html,…` with the wildcard at q=0.8) gets the page.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return false;
  const ranges = mediaRanges(accept);
  return qualityOf(ranges, 'text', 'html') > qualityOf(ranges, 'application', 'json');
}
