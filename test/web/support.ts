// Hostile event files for the page tests, and helpers to upload them and to read pages.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { LocalStack } from '../../infra/local/stack';

/** What a browser sends for a top-level navigation (Chromium's Accept). */
export const browserAccept =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';

/**
 * The parser strips tags from titles and labels, but not every tag-shaped text: these nested ones survive it as
 * a `<script>` element, an unclosed `<img onerror>` and a `<b onmouseover>`, so only the pages' escaping stands
 * between them and the browser.
 */
const rawTitle = `<<script>script>alert("title")<</script>/script> "><img src=x onerror=alert(1)// & more`;
const rawTopic = '<<b>b onmouseover=alert(2)>Hostile<</b>/b> topic';
/** The headline and topic as stored and served. */
export const hostileTitle = `<script>alert("title")</script> "><img src=x onerror=alert(1)// & more`;
export const hostileTopic = '<b onmouseover=alert(2)>Hostile</b> topic';
export const hostileId = '2023-07-09/hostile-headline';

/** Front matter files whose every text field tries to break out of its HTML context. */
export const hostileFiles: { key: string; body: string }[] = [
  {
    key: 'news/2023/07/9/hostile-headline.md',
    body: [
      '---',
      `title: '${rawTitle.replace(/'/g, "''")}'`,
      'date: 2023-07-09',
      'topics:',
      `  - '${rawTopic}'`,
      '  - Riverton',
      'sources:',
      "  - name: '<</a>/a><<script>script>alert(3)<</script>/script>'",
      "    url: https://example.org/?q='onmouseover=alert(4)&x=1",
      '---',
      '</p><script>alert(5)</script><p>Description with a </textarea> and a <style>body{display:none}</style>.',
      '',
    ].join('\n'),
  },
];

export async function uploadHostileFiles(stack: LocalStack): Promise<void> {
  for (const file of hostileFiles) {
    await stack.s3.send(new PutObjectCommand({ Bucket: 'events', Key: file.key, Body: file.body }));
  }
  await stack.drain();
}

/** The `href`s of `<link rel="alternate">` in a page. */
export function alternateLinks(html: string): { type: string; href: string }[] {
  return [...html.matchAll(/<link rel="alternate" type="([^"]+)"[^>]* href="([^"]+)"/g)].map((m) => ({
    type: m[1] ?? '',
    href: m[2] ?? '',
  }));
}
