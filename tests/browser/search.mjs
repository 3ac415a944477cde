// Search as a reader uses it, in headless Chromium, from file:// and over
// HTTP: typing, highlighted snippets, a filter with counts, the shared link
// restoring the same results, and the keyboard.
// Usage: node search.mjs <public-dir> [screenshot-dir]
// (SEARCH_HTTP_ROOT=<url of the same site> for the HTTP run on another server)
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';

const [,, publicDir, shotDir] = process.argv;
const dir = path.resolve(publicDir);
if (shotDir) fs.mkdirSync(shotDir, { recursive: true });
function fail(msg) { console.error('FAIL: ' + msg); process.exitCode = 1; throw new Error(msg); }

// A static server on loopback for the HTTP run.
const types = { '.svg': 'image/svg+xml', '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.csv': 'text/csv' };
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
  const file = path.join(dir, rel || 'index.html');
  // As a web host does: 404.html for any missing address, however deep.
  if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404, { 'content-type': types['.html'] });
    fs.createReadStream(path.join(dir, '404.html')).pipe(res);
    return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const bases = {
  file: pathToFileURL(dir).href + '/',
  // SEARCH_HTTP_ROOT: the same site served by another server, e.g. under
  // a sub-path as a deployment puts it (tests/deploy.rs).
  http: process.env.SEARCH_HTTP_ROOT || `http://127.0.0.1:${server.address().port}/`,
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const [name, root] of Object.entries(bases)) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = [];
    page.on('pageerror', e => problems.push(e.message));
    page.on('console', m => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('requestfailed', r => { if (r.failure().errorText !== 'net::ERR_ABORTED') problems.push('failed request: ' + r.url() + ' ' + r.failure().errorText); });
    await page.goto(root + 'index.html');

    // "/" focuses the search box.
    await page.keyboard.press('/');
    if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== 'q') fail(`${name}: "/" does not focus search`);

    // Results as they type, the right report first, matches highlighted.
    await page.keyboard.type('dan van kheo', { delay: 30 });
    // Under load a search may run between keystrokes ("dan van" has other
    // results): wait for the one of the whole query, which must come last.
    await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() === '4 kết quả', null, { timeout: 15000 })
      .catch(async () => fail(`${name}: status "${await page.textContent('#search-status')}"`));
    if ((await page.getAttribute('#search-status', 'aria-live')) !== 'polite') fail('status is not announced');
    // "dan van khe" may also find 4: the whole query's results are the ones
    // with "khéo" marked; they must come (a search started earlier never
    // replaces a later one's results).
    await page.waitForFunction(() => {
      const first = document.querySelector('#search-results .result');
      return first && [...first.querySelectorAll('.snippet mark')].some(m => m.textContent.toLowerCase() === 'khéo');
    }, null, { timeout: 15000 }).catch(() => {});
    const first = page.locator('#search-results .result').first();
    const title = await first.locator('.result-title').innerText();
    if (!title.includes('Năm dân vận khéo')) fail(`${name}: first result is "${title}"`);
    const marks = await first.locator('.snippet mark').allInnerTexts();
    if (!marks.map(m => m.toLowerCase()).includes('khéo')) fail(`${name}: no highlighted match in ${marks}`);
    if (shotDir) await page.screenshot({ path: path.join(shotDir, `search-${name}.png`) });

    // A filter narrows the results; its counts are right.
    const yearChips = await page.locator('button.chip[data-facet="nam"]').allInnerTexts();
    const counts = Object.fromEntries(yearChips.map(t => { const [y, n] = t.trim().split(/\s+/); return [y, Number(n)]; }));
    if (counts['2021'] !== 2 || counts['2020'] !== 1 || counts['2018'] !== 1) fail(`${name}: year counts ${JSON.stringify(counts)}`);
    await page.locator('button.chip[data-facet="nam"][data-value="2021"]').click();
    await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() === '2 kết quả');
    const filtered = await page.locator('#search-results .result .meta').allInnerTexts();
    if (filtered.length !== 2 || !filtered.every(m => m.includes('2021'))) fail(`${name}: filter kept ${filtered}`);
    const hash = new URL(page.url()).hash;
    if (!hash.includes('q=dan%20van%20kheo') || !hash.includes('nam=2021')) fail(`${name}: hash ${hash}`);

    // Back returns to the search before the filter, Forward to the filtered one.
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() === '4 kết quả');
    if (new URL(page.url()).hash.includes('nam=')) fail(`${name}: Back kept the filter: ${page.url()}`);
    if (await page.locator('button.chip.selected[data-facet="nam"]').count()) fail(`${name}: Back left the filter chip selected`);
    await page.goForward();
    await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() === '2 kết quả');
    if (new URL(page.url()).hash !== hash) fail(`${name}: Forward went to ${page.url()}`);
    // An address edited by hand is followed too.
    await page.evaluate(() => { location.hash = '#q=dan%20van%20kheo&nam=2018'; });
    await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() === '1 kết quả');
    if ((await page.inputValue('#q')) !== 'dan van kheo') fail(`${name}: the box does not show the address's query`);
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() === '2 kết quả');

    // The link with its filters restores the same results, on another page.
    const shared = await browser.newPage();
    await shared.goto(root + 'tim-kiem/index.html' + hash);
    await shared.waitForFunction(() => document.getElementById('search-status').textContent.trim() === '2 kết quả');
    const again = await shared.locator('#search-results .result-title').allInnerTexts();
    const before = await page.locator('#search-results .result-title').allInnerTexts();
    if (JSON.stringify(again) !== JSON.stringify(before)) fail(`${name}: shared link shows ${again}, not ${before}`);
    if ((await shared.inputValue('#q')) !== 'dan van kheo') fail('shared link did not fill the box');
    if (!(await shared.locator('button.chip.selected[data-facet="nam"]').count())) fail('shared link lost the filter');
    await shared.close();

    // Arrows move through results, Enter opens one.
    await page.focus('#q');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = page.locator('#search-results .result.active');
    if ((await active.count()) !== 1) fail('arrow did not mark one result');
    if ((await active.getAttribute('id')) !== 'kq-1') fail('two arrows did not reach the second result');
    const activeHref = await active.locator('a.result-title').getAttribute('href');
    const want = decodeURI(new URL(activeHref, root + 'index.html').href);
    // Waits for the result's page, not for any address with "/bao-cao/"
    // in it: a site deployed under /bao-cao/ has that in every address.
    await Promise.all([
      page.waitForURL(u => decodeURI(u.href) === want, { timeout: 15000 }).catch(() => {}),
      page.keyboard.press('Enter'),
    ]);
    const opened = decodeURI(page.url());
    if (opened !== want) fail(`${name}: Enter opened ${opened}, not ${want}`);
    if (problems.length) fail(`${name}: ${problems.join('\n')}`);
    await page.close();
  }

  // Citation numbers find the document and the reports citing it.
  const page = await browser.newPage();
  await page.goto(bases.file + 'index.html');
  await page.fill('#q', '16/CT-TTg');
  await page.waitForFunction(() => document.querySelector('#search-results .result.doc'));
  const doc = await page.locator('#search-results .result.doc .result-title').first().innerText();
  if (doc !== 'Chỉ thị 16/CT-TTg') fail(`citation query found "${doc}"`);
  await page.close();

  // A missing address deep in the site, on a host that serves 404.html:
  // styled from the host's root and with a working link home.
  const lost = await browser.newPage();
  // (Always this script's own server, which serves 404.html as hosts do.)
  const answer = await lost.goto(`http://127.0.0.1:${server.address().port}/bao-cao/khong/co/trang/nay.html`);
  if (answer.status() !== 404) fail(`missing page answered ${answer.status()}`);
  // Its inline style applies (the policy allows exactly it): no margin on
  // the body, a coloured header.
  const styled = await lost.evaluate(() => getComputedStyle(document.body).marginTop === '0px'
    && getComputedStyle(document.querySelector('.site-header')).backgroundColor === 'rgb(11, 61, 110)');
  if (!styled) fail('404 page is not styled');
  const homeLink = lost.locator('main a', { hasText: 'Trang chủ' }).first();
  const homeHref = await homeLink.getAttribute('href');
  if (process.env.SEARCH_BASE_URL) {
    // A site with base_url: the 404 page links to its published address.
    if (homeHref !== process.env.SEARCH_BASE_URL + 'index.html') fail(`404 home link is ${homeHref}`);
  } else {
    await homeLink.click();
    await lost.waitForLoadState();
    if (new URL(lost.url()).pathname !== '/index.html') fail(`404 home link went to ${lost.url()}`);
    if (!(await lost.locator('#q').count())) fail('404 home link did not reach the home page');
  }
  await lost.close();

  // An index of another format (an older theme's script, a half-copied
  // site) is refused with a message, never read.
  const copy = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || '/tmp'), 'minhbach-version-'));
  fs.cpSync(dir, copy, { recursive: true });
  const metaFile = path.join(copy, 'search/meta.js');
  const meta = fs.readFileSync(metaFile, 'utf8');
  if (!meta.includes('"version":2,')) fail('meta.js has no version 2');
  fs.writeFileSync(metaFile, meta.replace('"version":2,', '"version":1,'));
  const old = await browser.newPage();
  await old.goto(pathToFileURL(copy).href + '/index.html');
  await old.fill('#q', 'dan van');
  await old.waitForFunction(() => /phiên bản/.test(document.getElementById('search-status').textContent));
  const said = await old.textContent('#search-status');
  if (!said.includes('phiên bản 1') || !said.includes('phiên bản 2')) fail(`version message: "${said}"`);
  if (await old.locator('#search-results .result').count()) fail('results shown from an index of another version');
  await old.close();
  fs.rmSync(copy, { recursive: true, force: true });
  console.log('search: ok');
} catch (e) {
  if (!process.exitCode) { console.error(e); process.exitCode = 1; }
} finally {
  await browser.close();
  server.close();
}
