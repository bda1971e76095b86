// The pages' one stylesheet and one script, served under content-hashed names so they can be cached for a year.
import { createHash } from 'node:crypto';

const css = `:root {
  --ink: #1b1b1f;
  --muted: #4a4d55;
  --paper: #ffffff;
  --panel: #f3f4f7;
  --line: #c9ccd3;
  --link: #0b4fb3;
  --visited: #5a2d91;
  --focus: #c2410c;
  --accent: #0b4fb3;
  --accent-ink: #ffffff;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  color: var(--ink);
  background: var(--paper);
  font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", sans-serif;
  overflow-wrap: anywhere;
}
a { color: var(--link); text-underline-offset: 0.15em; }
a:visited { color: var(--visited); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
}
.skip {
  position: absolute;
  left: 0.5rem;
  top: -3rem;
  padding: 0.5rem 0.75rem;
  background: var(--ink);
  color: var(--paper);
  z-index: 1;
}
.skip:focus { top: 0.5rem; color: var(--paper); }
.wrap { max-width: 52rem; margin: 0 auto; padding: 0 1rem; }
header.site { border-bottom: 1px solid var(--line); background: var(--panel); }
header.site .wrap { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; align-items: baseline; padding-block: 0.75rem; }
.brand { font-weight: 700; font-size: 1.15rem; color: var(--ink); text-decoration: none; }
.brand:visited { color: var(--ink); }
nav.site ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; }
main { padding-block: 1.25rem 2.5rem; }
h1 { font-size: clamp(1.5rem, 1.2rem + 1.5vw, 2.1rem); line-height: 1.2; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; }
p.lede, .meta { color: var(--muted); }
.meta { font-size: 0.95rem; }
ul.events, ul.topics, ul.feeds { padding: 0; list-style: none; margin: 0; }
ul.events > li { padding: 0.65rem 0; border-bottom: 1px solid var(--line); }
ul.events > li:last-child { border-bottom: 0; }
ul.events .headline { font-weight: 600; }
ul.topics { display: flex; flex-wrap: wrap; gap: 0.5rem; }
ul.topics > li > a {
  display: inline-block;
  padding: 0.2rem 0.65rem;
  border: 1px solid var(--line);
  border-radius: 999px;
  text-decoration: none;
  background: var(--panel);
}
ul.topics .count { color: var(--muted); font-size: 0.9em; }
ul.tags { display: inline; padding: 0; margin: 0; list-style: none; }
ul.tags > li { display: inline; }
ul.tags > li + li::before { content: " · "; color: var(--muted); }
form.search { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin: 0.5rem 0 0.75rem; }
form.search label { flex-basis: 100%; font-weight: 600; }
input[type="search"], input.url {
  flex: 1 1 14rem;
  min-width: 0;
  padding: 0.5rem 0.6rem;
  font: inherit;
  color: var(--ink);
  background: var(--paper);
  border: 1px solid var(--muted);
  border-radius: 0.35rem;
}
input.url { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9rem; }
button, .button {
  display: inline-block;
  padding: 0.5rem 0.9rem;
  font: inherit;
  font-weight: 600;
  color: var(--accent-ink);
  background: var(--accent);
  border: 1px solid var(--accent);
  border-radius: 0.35rem;
  text-decoration: none;
  cursor: pointer;
}
.button:visited { color: var(--accent-ink); }
button.secondary { color: var(--accent); background: var(--paper); }
ul.feeds > li {
  display: grid;
  grid-template-columns: 9rem minmax(0, 1fr) auto;
  gap: 0.5rem;
  align-items: center;
  margin-bottom: 0.6rem;
}
ul.feeds .button { text-align: center; white-space: nowrap; }
ul.feeds input.url { grid-column: 2; grid-row: 1; }
ul.feeds button { grid-column: 3; grid-row: 1; }
ul.feeds label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 1rem; }
.sources li, .related li { margin-bottom: 0.35rem; }
.description { white-space: pre-line; }
.status { min-height: 1.5em; color: var(--muted); }
footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.95rem; padding-block: 1rem 2rem; }
@media (max-width: 30rem) {
  body { font-size: 1rem; }
  ul.feeds > li { grid-template-columns: minmax(0, 1fr) auto; margin-bottom: 1rem; }
  ul.feeds input.url { grid-column: 1 / -1; grid-row: 2; }
  ul.feeds button { grid-column: 2; grid-row: 1; }
}
`;

// Progressive enhancement only: every page works without it.
const js = `'use strict';
(function () {
  // Topic search: filter as you type through the JSON API; without this the form submits to /topics.
  var form = document.querySelector('form[data-results]');
  if (form) {
    var input = form.querySelector('input[name="q"]');
    var list = document.getElementById(form.getAttribute('data-results'));
    var status = document.getElementById(form.getAttribute('data-status'));
    var timer = 0;
    var pending = null;
    var show = function (topics) {
      var items = topics.map(function (topic) {
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.href = topic.page;
        link.textContent = topic.label + ' ';
        if (/\\p{Script=Han}/u.test(topic.label)) link.lang = 'zh';
        var count = document.createElement('span');
        count.className = 'count';
        count.textContent = '(' + topic.events + ')';
        link.appendChild(count);
        item.appendChild(link);
        return item;
      });
      list.replaceChildren.apply(list, items);
      list.hidden = false;
      status.textContent = topics.length === 0 ? 'No topic starts with that.' : topics.length === 1 ? '1 topic' : topics.length + ' topics';
    };
    var search = function () {
      var query = input.value.trim();
      if (pending) pending.abort();
      pending = new AbortController();
      var url = new URL(form.action);
      url.searchParams.set('limit', '24');
      if (query) url.searchParams.set('q', query);
      fetch(url, { headers: { accept: 'application/json' }, signal: pending.signal })
        .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
        .then(function (body) {
          show(body.topics.map(function (topic) {
            return { label: topic.label, events: topic.events, page: form.action + '/' + encodeURIComponent(topic.slug) };
          }));
        })
        .catch(function (error) {
          if (error.name !== 'AbortError') status.textContent = 'Search failed; press Search to try again.';
        });
    };
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
  }
  // Copy buttons beside the subscribe URLs: hidden until this script can make them work.
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var field = document.getElementById(button.getAttribute('data-copy'));
      field.select();
      var done = function () { button.textContent = 'Copied'; };
      if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, function () {});
    });
  });
})();
`;

export interface Asset {
  /** The hashed file name, e.g. `site.3kq9xw1b2c4d.css`. */
  name: string;
  contentType: string;
  body: string;
}

function hashed(stem: string, extension: string, contentType: string, body: string): Asset {
  const hash = createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 12);
  return { name: `${stem}.${hash}.${extension}`, contentType, body };
}

const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b4fb3"/><path d="M4 12a1.5 1.5 0 1 1 0-.01M3 7a6 6 0 0 1 6 6M3 3.5a9.5 9.5 0 0 1 9.5 9.5" stroke="#fff" stroke-width="1.6" fill="none"/></svg>`;

export const stylesheet = hashed('site', 'css', 'text/css; charset=utf-8', css);
export const favicon = hashed('icon', 'svg', 'image/svg+xml', icon);
export const script = hashed('site', 'js', 'text/javascript; charset=utf-8', js);

export const assets: ReadonlyMap<string, Asset> = new Map(
  [stylesheet, script, favicon].map((a) => [a.name, a]),
);
