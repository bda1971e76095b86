// Cited sources and pictures: http(s)-only URLs, entities decoded, deduplicated, pictures kept out of sources.
import type { Image, Source } from '../domain/event';
import { scanLinks } from './markdown';
import { cleanText, decodeEntities } from './text';

const PICTURE_LABEL = /^(?:img|image|picture|photo|cover|cover image)$/i;
/** `https:http://host/...`: a scheme written twice by the generator. */
const DOUBLED_SCHEME = /^https?:(?=https?:\/\/)/i;

/**
 * An absolute http(s) URL, or undefined. Entities are decoded (`&amp;` → `&`). With a `base`, a root-relative or
 * protocol-relative reference (`/img/x.jpg`, `//cdn/x.jpg`) is resolved against it; other relative text is refused.
 */
export function httpUrl(raw: string, base?: string): string | undefined {
  const text = decodeEntities(raw.trim()).replace(DOUBLED_SCHEME, '');
  if (text === '' || /[\s<>"]/.test(text)) return undefined;
  const relative = text.startsWith('/');
  if (relative && base === undefined) return undefined;
  let url: URL;
  try {
    url = relative ? new URL(text, base) : new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  return relative ? url.href : text;
}

function hostName(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/** A source name: cleaned text; a label that starts with its own URL keeps only the words after it. */
function sourceName(rawText: string, url: string): string {
  // `link|date=…|bot=InternetArchiveBot }} Name`: a template whose opening was cut; only what follows it is a name.
  const closed = rawText.lastIndexOf('}}');
  const text = closed !== -1 && !rawText.includes('{{') ? rawText.slice(closed + 2) : rawText;
  const name = cleanText(text.replace(/^\s*(?:https?|ftp):\/\/\S*\s*/i, ''))
    .replace(/^\(+|\)+$/g, '')
    .trim();
  return name === '' ? hostName(url) : name;
}

/** Accumulates the sources and pictures of one event, deduplicated by URL in first-seen order. */
export class SourceCollector {
  readonly sources: Source[] = [];
  readonly images: Image[] = [];
  private readonly seenSources = new Set<string>();
  private readonly seenImages = new Set<string>();

  addSource(name: string, url: string): void {
    if (this.seenSources.has(url)) return;
    this.seenSources.add(url);
    this.sources.push({ name, url });
  }

  addImage(url: string, caption?: string): void {
    if (this.seenImages.has(url)) return;
    this.seenImages.add(url);
    this.images.push(caption ? { url, caption } : { url });
  }

  /** One line of a Sources section: `1. [Name](url) [IMG](picture)`, `1. [Cover Image](picture)`. */
  readLine(line: string): void {
    let base: string | undefined;
    for (const link of scanLinks(line)) {
      const label = cleanText(link.text);
      if (PICTURE_LABEL.test(label)) {
        const url = httpUrl(link.href, base);
        if (url) this.addImage(url);
        continue;
      }
      const url = httpUrl(link.href);
      if (!url) continue;
      base = url;
      this.addSource(sourceName(link.text, url), url);
    }
  }
}
