// Opens an agency page of a built site from file:// at phone and desktop
// widths and checks what a reader sees: the charts (text at least 12 px on
// a phone), the numbers in the table (on a phone, each row a card with
// every figure in view), and a page that never scrolls sideways. Usage: node figures.mjs <public-dir> [screenshot-dir]
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const [,, publicDir, shotDir] = process.argv;
const root = pathToFileURL(path.resolve(publicDir)).href + '/';
if (shotDir) fs.mkdirSync(shotDir, { recursive: true });
function fail(msg) { console.error('FAIL: ' + msg); process.exitCode = 1; throw new Error(msg); }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const width of [375, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const problems = [];
    page.on('pageerror', e => problems.push(e.message));
    page.on('requestfailed', r => { if (r.failure().errorText !== 'net::ERR_ABORTED') problems.push('failed request: ' + r.url() + ' ' + r.failure().errorText); });
    await page.goto(root + 'co-quan/ha-noi/so-ldtbxh/index.html');

    const figure = page.locator('#chi-tieu-lao-dong-viec-lam');
    await figure.scrollIntoViewIfNeeded();
    const chart = figure.locator('svg.chart');
    if (!(await chart.isVisible())) fail(`chart not visible at ${width}px`);
    const box = await chart.boundingBox();
    if (box.width < 200 || box.width > width) fail(`chart is ${box.width}px wide at ${width}px`);
    if ((await chart.locator('circle').count()) !== 4) fail('chart should show 4 periods');
    const labels = await chart.locator('text').allTextContents();
    for (const v of ['1.000', '1.150', '1.320']) if (!labels.includes(v)) fail(`chart label ${v} missing: ${labels}`);
    const title = await chart.locator('title').first().textContent();
    if (!title.includes('Lao động được giải quyết việc làm')) fail('chart title: ' + title);

    const row2020 = figure.locator('table.series tbody tr').nth(1);
    const cells = (await row2020.locator('th, td').allInnerTexts()).map(t => t.trim());
    if (cells[0] !== '2020' || cells[1] !== '1.150 người' || !cells[4].startsWith('+150 người') || cells[5] !== '+15%')
      fail('2020 row: ' + JSON.stringify(cells));
    const colour = await row2020.locator('td.better').first().evaluate(el => getComputedStyle(el).color);
    if (colour !== 'rgb(26, 127, 55)') fail('an improvement should be green, is ' + colour);

    const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    if (sw > cw) fail(`page scrolls sideways at ${width}px (${sw} > ${cw})`);
    // Chart text as drawn: its font size times the SVG's scale.
    const px = await chart.evaluate(svg => [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a));
    if (Math.min(...px) < 12) fail(`chart text ${Math.min(...px).toFixed(1)} px at ${width}px`);
    // Every cell of every row is in view without scrolling sideways, and a
    // row is a few lines, not a column of one word per line.
    const rows = await figure.locator('table.series tbody tr').evaluateAll(trs => trs.map(tr => ({
      height: tr.getBoundingClientRect().height,
      cells: [...tr.children].filter(c => c.textContent.trim()).map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right]; }),
    })));
    for (const r of rows) {
      for (const [l, rt] of r.cells) if (l < 0 || rt > width) fail(`a cell at ${l.toFixed(0)}–${rt.toFixed(0)} px is outside the ${width}px screen`);
      if (r.height > 260) fail(`a row is ${r.height}px tall at ${width}px`);
    }
    if (width === 375) {
      const scroller = figure.locator('.table-scroll');
      const [inner, outer] = await scroller.evaluate(el => [el.scrollWidth, el.clientWidth]);
      if (inner > outer) fail('at 375px the figures table should fit, not scroll');
      const display = await row2020.evaluate(el => getComputedStyle(el).display);
      if (display !== 'flex') fail('at 375px a row should be a card, is ' + display);
    }
    if (shotDir) await figure.screenshot({ path: path.join(shotDir, `${width}-agency-figures.png`) });
    if (problems.length) fail(problems.join('\n'));
    await page.close();
  }
  console.log('agency figures: ok');
} catch (e) {
  if (!process.exitCode) { console.error(e); process.exitCode = 1; }
} finally {
  await browser.close();
}
