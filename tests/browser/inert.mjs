// Hostile content stays inert: every page of a site whose every field
// carries script, markup and template payloads (tests/fixtures/hostile) is
// opened from file:// in headless Chromium, once with the site's
// Content-Security-Policy and once with it bypassed (escaping must hold on
// its own); then search (shards, facets) and search links with hostile and
// malformed fragments. Nothing may run, no element may come from content,
// and each field's marker must be seen as text, so that a field dropped
// from the pages cannot pass unnoticed.
// Usage: node inert.mjs <public-dir> <screenshot-dir> <field>...
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const [,, publicDir, shotDir, ...markers] = process.argv;
const dir = path.resolve(publicDir);
const root = pathToFileURL(dir).href + '/';
function fail(msg) { console.error('FAIL: ' + msg); process.exitCode = 1; throw new Error(msg); }

const pages = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.html')) pages.push(path.relative(dir, p).split(path.sep).join('/'));
  }
})(dir);
if (pages.length < 10) fail(`only ${pages.length} pages in ${dir}`);

// What content could have made of the page: elements, handlers, URLs.
// The theme's one JSON-LD data block in the head is not a script (checked
// below: one at most, and it parses as JSON, so nothing broke out of it).
const FORBIDDEN = 'x-pwn, iframe, object, embed, frame, base, ' +
  'script:not([src]):not(head > script[type="application/ld+json"]), [onerror], [onload], [onclick], ' +
  '[onmouseover], [onfocus], a[href^="javascript:" i], a[href^="data:" i], [src^="javascript:" i], img[src="x"], ' +
  // The 404 page's own style is inline (it is served at any address): only
  // that one, in the head and marked, is the theme's.
  'style:not(head > style[data-minhbach])';
async function inspect(page, where) {
  const found = await page.evaluate(sel => [...document.querySelectorAll(sel)].map(e => e.outerHTML.slice(0, 120)), FORBIDDEN);
  if (found.length) fail(`${where}: elements from content: ${found.join(' | ')}`);
  const data = await page.evaluate(() => [...document.querySelectorAll('script[type="application/ld+json"]')]
    .map(e => { try { JSON.parse(e.textContent); return 'json'; } catch { return 'broken'; } }));
  if (data.length > 1 || data.includes('broken')) fail(`${where}: JSON-LD blocks: ${data.join(', ')}`);
  const pwned = await page.evaluate(() => window.__pwned);
  if (pwned !== undefined) fail(`${where}: script from content ran (${pwned})`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const seen = new Set();
const note = text => { for (const m of markers) if (text.includes(`<x-pwn>${m}</x-pwn>`)) seen.add(m); };
try {
  for (const bypassCSP of [false, true]) {
    const mode = bypassCSP ? 'without CSP' : 'with CSP';
    const context = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = [];
    page.on('dialog', d => { problems.push(`a dialog opened: ${d.message()}`); d.dismiss().catch(() => {}); });
    page.on('pageerror', e => problems.push('page error: ' + e.message));
    page.on('console', m => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    page.on('requestfailed', r => { if (r.failure().errorText !== 'net::ERR_ABORTED') problems.push('failed request: ' + r.url()); });
    const check = async where => {
      await page.waitForTimeout(50);
      await inspect(page, `${where} (${mode})`);
      if (problems.length) fail(`${where} (${mode}): ${problems.join('; ')}`);
    };

    for (const rel of pages) {
      await page.goto(root + rel);
      await check(rel);
      if (shotDir && !bypassCSP && /^bao-cao\/.*2022-pwn\/index.html$/.test(rel)) {
        fs.mkdirSync(shotDir, { recursive: true });
        await page.screenshot({ path: path.join(shotDir, 'hostile-report.png'), fullPage: true });
      }
      note(await page.evaluate(() => document.title + '\n' + document.body.innerText + '\n' +
        [...document.querySelectorAll('[title], [aria-label], meta[name=description]')].map(e => e.getAttribute('title') || e.getAttribute('aria-label') || e.getAttribute('content')).join('\n')));
      // Every page carries the policy, as the first thing in <head>.
      const csp = await page.evaluate(() => { const m = document.querySelector('meta[http-equiv="Content-Security-Policy"]'); return m && m.content; });
      if (!csp || !/script-src 'self'/.test(csp) || /unsafe-inline/.test(csp)) fail(`${rel}: Content-Security-Policy is ${csp}`);
    }

    // Search reads the shards (JavaScript files holding content) and shows
    // content in results and facets.
    await page.goto(root + 'index.html');
    await page.fill('#q', 'pwnhunt');
    await page.waitForFunction(() => /kết quả/.test(document.getElementById('search-status').textContent));
    const results = await page.locator('#search-results .result').count();
    if (results < 2) fail(`search (${mode}): ${results} results for "pwnhunt"`);
    await check('search results');
    note(await page.locator('#search-panel').innerText());
    const chips = await page.locator('#search-facets button').count();
    if (chips < 3) fail(`search (${mode}): ${chips} facet buttons`);
    for (let k = 0; k < chips; k++) {
      await page.locator('#search-facets button').nth(k).click();
      await page.waitForTimeout(100);
      await check(`search facet ${k}`);
      note(await page.locator('#search-panel').innerText());
      await page.fill('#q', 'pwnhunt');
      await page.waitForTimeout(100);
    }

    // Search links: hostile values, unknown keys, malformed escapes.
    const fragments = [
      '#q=' + encodeURIComponent('<x-pwn>q</x-pwn><img src=x onerror=alert(1)>'),
      '#q=<x-pwn>raw</x-pwn><img src=x onerror=alert(1)>&loai=<x-pwn>',
      '#q=pwnhunt&loai=' + encodeURIComponent('"><img src=x onerror=alert(1)>') + '&coquan=' + encodeURIComponent("'><svg onload=alert(1)>"),
      '#q=%E0%A4%A&nam=%ZZ',
      '#q=pwnhunt&__proto__=x&constructor=y&q=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '#javascript:alert(1)',
    ];
    for (const f of fragments) {
      for (const target of ['index.html', 'tim-kiem/index.html']) {
        if (!pages.includes(target)) fail(`no ${target}`);
        await page.goto(root + target + f);
        await page.waitForTimeout(300);
        await check(`${target}${f}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
const missing = markers.filter(m => !seen.has(m));
if (missing.length) fail(`fields never seen as text: ${missing.join(', ')}`);
console.log(`hostile content: ok: ${pages.length} pages twice, search, facets and search links; ${seen.size} fields seen as text`);
