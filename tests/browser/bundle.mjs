// Opens an unzipped bundle (build --archive) from file:// in headless
// Chromium, as an auditor would after downloading it: the home page links
// the bundle with its size; from the home page the reader reaches an
// agency, its comparison of two years (a table of figures) and back, with
// no console error or failed request.
// Usage: node bundle.mjs <unzipped-site-dir> <screenshot-dir>
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [,, siteDir] = process.argv;
if (!siteDir) { console.error('usage: node bundle.mjs <unzipped-site-dir>'); process.exit(2); }
const root = pathToFileURL(path.resolve(siteDir)).href + '/';
function fail(msg) { console.error('FAIL: ' + msg); process.exitCode = 1; throw new Error(msg); }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  page.on('requestfailed', r => { if (r.failure().errorText !== 'net::ERR_ABORTED') problems.push('failed request: ' + r.url()); });

  await page.goto(root + 'index.html');
  const bundle = await page.locator('p.bundle').innerText();
  if (!/\(zip, [\d,]+ (B|kB|MB|GB)\)/.test(bundle)) fail(`the home page names the bundle's size: ${bundle}`);
  // Home → an agency (from the province lists) → its comparison.
  await page.locator('main a[href*="co-quan/"]').first().click();
  await page.waitForLoadState('load');
  if (!page.url().includes('/co-quan/')) fail(`not on an agency page: ${page.url()}`);
  const compare = page.locator('a[href*="so-sanh/"]').first();
  if (await compare.count() === 0) fail(`no comparison linked from ${page.url()}`);
  await compare.click();
  await page.waitForLoadState('load');
  if (!page.url().includes('/so-sanh/')) fail(`not on a comparison: ${page.url()}`);
  const cells = await page.locator('table td').count();
  if (cells < 4) fail(`the comparison shows no table of figures (${cells} cells)`);
  await page.goBack();
  await page.waitForLoadState('load');
  if (!page.url().includes('/co-quan/')) fail(`back did not return to the agency: ${page.url()}`);
  if (problems.length) fail(problems.join('\n'));
  console.log(`bundle: ok (${bundle.trim()}; ${cells} cells compared)`);
} finally {
  await browser.close();
}
