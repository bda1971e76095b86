import { describe, expect, it } from 'vitest';
import { prefersHtml } from '../../shared/web/negotiate';

describe('prefersHtml', () => {
  it('gives browsers the page', () => {
    for (const accept of [
      'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', // Chromium
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', // Firefox
      'text/html',
      'text/*',
      'text/html;q=0.5, application/json;q=0.4',
      'TEXT/HTML',
    ]) {
      expect(prefersHtml(accept), accept).toBe(true);
    }
  });

  it('gives API clients JSON: no Accept, a wildcard, JSON, or a tie', () => {
    for (const accept of [
      undefined,
      '',
      '*/*',
      'application/json',
      'application/json, text/html;q=0.9',
      'text/html;q=0.5, application/json;q=0.5',
      'application/*, text/html;q=0.1',
      'text/html;q=0, */*',
      'application/rss+xml',
      'text/html;q=2, application/json',
      'garbage',
    ]) {
      expect(prefersHtml(accept), String(accept)).toBe(false);
    }
  });
});
