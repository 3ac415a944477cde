// The live preview in Chromium: open a report page served by
// `minhbach serve`, scroll, edit the report's file; the page reloads by
// itself, shows the new title and is where it was scrolled to. Then break
// the file: an overlay names path:line:col with the message and the
// source line, over the last good page; fix it: the overlay goes.
// Usage: node serve.mjs PAGE-URL REPORT-FILE ; prints "serve in the browser: ok".
import { withBrowser, report } from './run.mjs';
import fs from 'fs';

const [url, file] = process.argv.slice(2);
const problems = [];
const good = fs.readFileSync(file, 'utf8');
const titleLine = good.split('\n').find(l => l.startsWith('title:'));

await withBrowser(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  // The script has connected when the server answers it; give it a moment.
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 1500));
  const before = await page.evaluate(() => window.scrollY);

  fs.writeFileSync(file, good.replace(titleLine, 'title: Tiêu đề mới trong trình duyệt'));
  try {
    await page.waitForFunction(() => document.querySelector('h1').textContent === 'Tiêu đề mới trong trình duyệt', null, { timeout: 20000 });
  } catch (e) {
    problems.push('the page did not show the edit by itself');
  }
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => window.scrollY);
  if (Math.abs(after - before) > 5) problems.push(`scrolled to ${after} after the reload, was at ${before}`);

  // A content error: the overlay, over the last good page.
  fs.writeFileSync(file, good.replace(titleLine, 'title: Tiêu đề mới trong trình duyệt').replace('year: 2021', 'year: hai nghìn'));
  try {
    await page.waitForSelector('#minhbach-errors', { timeout: 20000 });
    const text = await page.locator('#minhbach-errors').innerText();
    if (!/content\/reports\/binh-phuoc\/so-ldtbxh\/2021-dan-van-chinh-quyen\.yaml:\d+:\d+/.test(text)) problems.push('the overlay does not give path:line:col: ' + text);
    if (!text.includes('year: hai nghìn')) problems.push('the overlay does not show the source line: ' + text);
    const h1 = await page.locator('h1').textContent();
    if (h1 !== 'Tiêu đề mới trong trình duyệt') problems.push('the last good page is not shown: ' + h1);
  } catch (e) {
    problems.push('no error overlay appeared');
  }
  // Fixed: the overlay goes.
  fs.writeFileSync(file, good);
  try {
    await page.waitForFunction(() => !document.getElementById('minhbach-errors') && document.querySelector('h1').textContent !== 'Tiêu đề mới trong trình duyệt', null, { timeout: 20000 });
  } catch (e) {
    problems.push('the overlay did not clear when the file was fixed');
  }
  for (const e of errors) problems.push('page error: ' + e);
});
report(problems, 'serve in the browser: ok');
