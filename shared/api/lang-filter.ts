// `?lang=en|zh`. The all-events listing keeps one partition per language (the store filters it); a
// month-day's events share one index partition, so there the filter is applied on read, page by page,
// with a cursor that always sits at the end of a page the store returned.
import type { Lang } from '../domain/event';
import { BadRequest } from '../http/errors';
import type { Page, PageRequest } from '../store/events-table';

/** Store reads spent at most on one filtered page; a rare edition may get a short page with a `next`. */
const maxReadsPerPage = 6;

export function parseLang(raw: string | undefined): Lang | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'en' || raw === 'zh') return raw;
  throw new BadRequest('lang must be en or zh.', 'lang');
}

/**
 * Up to `request.limit` events of `lang`. Each read asks for only as many events as are still missing, so
 * a page never holds more than fits and the store's own `next` stays exact (no event skipped or repeated).
 */
export async function eventsInLang<T extends { lang: Lang }>(
  read: (page: PageRequest) => Promise<Page<T>>,
  lang: Lang | undefined,
  request: PageRequest,
): Promise<Page<T>> {
  if (lang === undefined) return read(request);
  const items: T[] = [];
  let after = request.after;
  for (let reads = 0; reads < maxReadsPerPage && items.length < request.limit; reads++) {
    const page = await read({ limit: request.limit - items.length, ...(after ? { after } : {}) });
    items.push(...page.items.filter((event) => event.lang === lang));
    after = page.next;
    if (!after) break;
  }
  return after ? { items, next: after } : { items };
}
