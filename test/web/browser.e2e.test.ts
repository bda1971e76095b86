// End to end in headless Chromium (Debian's `chromium`, driven by playwright-core) against the local stack,
// after a held-back real set (the English corpus and part of the Chinese one, when present) and hostile files.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFiles, hasCorpus } from '../support/corpus';
import { startTestStack, type TestStack } from '../support/local-stack';
import { hostileId, hostileTitle, uploadHostileFiles } from './support';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const skipMessage = `Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH): browser tests skipped`;
if (!hasChromium) console.warn(`[browser] ${skipMessage}`);

/** Where the screenshots of every page go (kept for a look; docs/ holds two of them). */
const screenshotDir = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'context-feeds-screenshots');

const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 740 },
} as const;

const samplePaths = {
  topic: '/topics/riverton-winter-storms',
  event:
    '/events/2024-12-25/riverton-opens-six-emergency-warming-centres-as-overnight-temperatures-fall-to-minus-25-degrees-celsius',
  day: '/on-this-day/07-09',
} as const;

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let base: string;

async function uploadHeldBackSet(api: TestStack): Promise<void> {
  if (!hasCorpus) return;
  const files = [...corpusFiles('en'), ...corpusFiles('zh').slice(0, 40)];
  for (const file of files) {
    await api.stack.s3.send(
      new PutObjectCommand({ Bucket: 'events', Key: file.key, Body: readFileSync(file.path) }),
    );
  }
  await api.stack.drain();
}

/** A fresh page that fails the test on any script dialog (an escaped payload must never run). */
async function openPage(path: string, viewport: { width: number; height: number } = viewports.desktop) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const response = await page.goto(`${base}${path}`);
  return { page, response, dialogs };
}

describe.skipIf(!hasChromium)('pages in headless Chromium', () => {
  beforeAll(async () => {
    stack = await startTestStack({ samples: true });
    base = stack.stack.baseUrl;
    await uploadHostileFiles(stack.stack);
    await uploadHeldBackSet(stack);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    context = await browser.newContext();
    mkdirSync(screenshotDir, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the search filters topics as you type', async () => {
    // Prepare
    const { page } = await openPage('/');
    const results = page.locator('#topic-results li a');

    // Act
    await page.getByLabel('Find a topic').pressSequentially('Riverton w');

    // Assess
    await expect.poll(() => results.allTextContents()).toEqual(['Riverton winter storms (3)']);
    await expect.poll(() => page.locator('#topic-status').textContent()).toBe('1 topic');
    await page.close();
  });

  it('without JavaScript, the search form submits to the topics page', async () => {
    // Prepare
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(`${base}/`);

    // Act
    await page.getByLabel('Find a topic').fill('Riverton w');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/topics\?q=Riverton\+w$/);

    // Assess
    expect(await page.locator('#topic-results li a').allTextContents()).toEqual([
      'Riverton winter storms (3)',
    ]);
    await noScript.close();
  });

  it('from a topic to an event to a related event; subscribe links return feeds of the right types', async () => {
    // Prepare
    const { page } = await openPage('/');
    await page.getByLabel('Find a topic').pressSequentially('Riverton w');

    // Act: search → topic page
    await page.locator('#topic-results a', { hasText: 'Riverton winter storms' }).click();
    await page.waitForURL(`${base}${samplePaths.topic}`);

    // Assess: label, count, newest events, subscribe links serving feeds
    expect(await page.locator('h1').textContent()).toBe('Riverton winter storms');
    expect(await page.locator('.lede').textContent()).toBe('3 events');
    const feeds = page.locator('section[aria-labelledby="subscribe-heading"] a.button');
    const mediaTypes: string[] = [];
    for (const href of await feeds.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))) {
      const response = await page.request.get(href);
      expect(response.status(), href).toBe(200);
      mediaTypes.push(response.headers()['content-type'] ?? '');
    }
    expect(mediaTypes).toEqual([
      'application/rss+xml; charset=utf-8',
      'application/atom+xml; charset=utf-8',
      'application/feed+json; charset=utf-8',
    ]);
    expect(
      await page
        .locator('input.url')
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)),
    ).toContain(`${base}${samplePaths.topic}/feed.atom`);

    // Act: topic → event → related event
    await page.getByRole('link', { name: /Riverton opens six emergency warming centres/ }).click();
    await page.waitForURL(`${base}${samplePaths.event}`);
    await page.getByRole('link', { name: /A winter storm cuts power to 40,000 homes/ }).click();

    // Assess
    await page.waitForURL(/\/events\/2022-02-28\//);
    expect(await page.locator('h1').textContent()).toBe(
      'A winter storm cuts power to 40,000 homes in Riverton and the surrounding county.',
    );
    await page.close();
  });

  it('a feed item’s link opens the event page', async () => {
    // Prepare
    const feed = (await (await fetch(`${base}/feed.json?limit=20`)).json()) as {
      items: { url: string; title: string }[];
    };
    expect(feed.items.length).toBeGreaterThan(0);

    for (const item of feed.items.slice(0, 5)) {
      // Act
      const { page, response } = await openPage(new URL(item.url).pathname);

      // Assess
      expect(response?.headers()['content-type'], item.url).toBe('text/html; charset=utf-8');
      expect(await page.locator('h1').textContent(), item.url).toBe(item.title);
      await page.close();
    }
  });

  it('every page makes its feeds discoverable with <link rel="alternate">, and they answer', async () => {
    for (const path of ['/', samplePaths.topic, samplePaths.event, samplePaths.day]) {
      // Act
      const { page } = await openPage(path);
      const alternates = await page
        .locator('head link[rel="alternate"]')
        .evaluateAll((links) =>
          links.map((l) => ({ type: l.getAttribute('type'), href: (l as HTMLLinkElement).href })),
        );

      // Assess
      expect(alternates.length, path).toBeGreaterThan(0);
      for (const alternate of alternates.filter((a) => !a.href.includes('/on-this-day/feed.'))) {
        const response = await page.request.get(alternate.href);
        expect(response.status(), alternate.href).toBe(200);
        expect(response.headers()['content-type'], alternate.href).toContain(alternate.type ?? '-');
      }
      await page.close();
    }
  });

  it('shows a hostile headline as text, and the CSP blocks inline script', async () => {
    // Act
    const { page, dialogs } = await openPage(`/events/${hostileId}`);
    const violation = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective));
          // No violation within a few seconds means the inline script was allowed.
          setTimeout(() => resolve('no violation'), 3000);
          const script = document.createElement('script');
          script.textContent = 'window.inlineRan = true;';
          document.body.append(script);
        }),
    );

    // Assess
    expect(await page.locator('h1').textContent()).toBe(hostileTitle);
    expect(await page.locator('main img, main b, main script, main style').count()).toBe(0);
    expect(await page.evaluate(() => (window as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    expect(violation).toBe('script-src-elem');
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('the JSON routes answer API clients as before', async () => {
    for (const path of ['/', '/topics', '/on-this-day/07-09']) {
      const response = await fetch(`${base}${path}`, { headers: { accept: 'application/json' } });
      expect(response.headers.get('content-type'), path).toBe('application/json; charset=utf-8');
      expect(response.headers.get('vary'), path).toBe('Accept');
    }
  });

  it('axe finds no serious or critical violations; phone width has no sideways scroll (screenshots kept)', async () => {
    const pages = {
      home: '/',
      topics: '/topics?q=Riverton',
      topic: samplePaths.topic,
      event: samplePaths.event,
      day: samplePaths.day,
      hostile: `/events/${hostileId}`,
    };
    for (const [name, path] of Object.entries(pages)) {
      for (const [width, viewport] of Object.entries(viewports)) {
        // Act
        const { page } = await openPage(path, viewport);
        const results = await new AxeBuilder({ page }).analyze();
        await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

        // Assess
        const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(
          serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
          `${path} at ${width}`,
        ).toEqual([]);
        expect(overflow, `${path} at ${width}`).toBeLessThanOrEqual(0);
        await page.close();
      }
    }
  }, 120_000);

  it('keyboard: the skip link comes first and moves focus to the main content', async () => {
    // Prepare
    const { page } = await openPage(samplePaths.topic);

    // Act
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('Enter');

    // Assess
    expect(first).toBe('Skip to content');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.close();
  });
});
