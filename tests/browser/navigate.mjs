// Opens a built site from file:// in headless Chromium and walks
// home → agency → report → legal document and back, as a reader would.
// Usage: node navigate.mjs <public-dir> [screenshot-dir]
// Exits non-zero with a message on the first failure.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const [,, publicDir, shotDir] = process.argv;
if (!publicDir) { console.error('usage: node navigate.mjs <public-dir> [screenshot-dir]'); process.exit(2); }
const root = pathToFileURL(path.resolve(publicDir)).href + '/';
if (shotDir) fs.mkdirSync(shotDir, { recursive: true });

function fail(msg) { console.error('FAIL: ' + msg); process.exitCode = 1; throw new Error(msg); }
function expectUrl(page, rel) {
  const want = root + rel;
  if (decodeURI(page.url()).split('#')[0] !== decodeURI(want)) fail(`expected ${want}, at ${page.url()}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const width of [1280, 375]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    const problems = [];
    page.on('console', m => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    page.on('pageerror', e => problems.push('page error: ' + e.message));
    page.on('requestfailed', r => { if (r.failure().errorText !== 'net::ERR_ABORTED') problems.push('failed request: ' + r.url() + ' ' + r.failure().errorText); });
    const shot = async name => { if (shotDir) await page.screenshot({ path: path.join(shotDir, `${width}-${name}.png`) }); };
    const noSideways = async where => {
      // A click resolves once navigation commits; measure with the stylesheet applied.
      await page.waitForLoadState('load');
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      if (sw > cw) fail(`${where} at ${width}px scrolls sideways (${sw} > ${cw})`);
    };

    await page.goto(root + 'index.html');
    expectUrl(page, 'index.html');
    if (!(await page.title()).includes('Minh bạch')) fail('home title');
    await shot('1-home'); await noSideways('home');

    // Home → agency (from the agencies-by-province list).
    await page.locator('.provinces a', { hasText: 'Sở Lao động – Thương binh và Xã hội tỉnh Bình Phước' }).click();
    expectUrl(page, 'co-quan/binh-phuoc/so-ldtbxh/index.html');
    if ((await page.locator('h1').innerText()) !== 'Sở Lao động – Thương binh và Xã hội tỉnh Bình Phước') fail('agency h1');
    await shot('2-agency'); await noSideways('agency page');

    // Agency → report.
    await page.locator('a.report-title', { hasText: 'công tác dân vận chính quyền năm 2021' }).click();
    expectUrl(page, 'bao-cao/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen/index.html');
    const h1 = await page.locator('h1').innerText();
    if (!/công tác dân vận chính quyền năm 2021/i.test(h1)) fail('report h1: ' + h1);
    if (!(await page.locator('#so-lieu').innerText()).includes('28.101 người')) fail('figures table');
    await shot('3-report'); await noSideways('report page');

    // Contents link scrolls to its section.
    await page.locator('.toc a[href="#muc-iii-1-2"]').click();
    if (!page.url().endsWith('#muc-iii-1-2')) fail('contents anchor: ' + page.url());
    const inView = await page.locator('#muc-iii-1-2').evaluate(el => el.getBoundingClientRect().top < innerHeight);
    if (!inView) fail('section not scrolled into view');

    // Report → cited legal document.
    await page.locator('a.cite', { hasText: 'Chỉ thị số 16/CT-TTg ngày 16/5/2016' }).first().click();
    expectUrl(page, 'van-ban/vn-2016-16-ct_ttg/index.html');
    if (!(await page.locator('h1').innerText()).includes('16/CT-TTg')) fail('document h1');
    const citing = await page.locator('.citing-report h3 a').allInnerTexts();
    if (citing.length !== 2) fail('16/CT-TTg should list 2 citing reports, got ' + citing.length);
    await shot('4-document'); await noSideways('document page');

    // And back, step by step.
    await page.goBack(); // from the document to the report (at its anchor)
    expectUrl(page, 'bao-cao/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen/index.html');
    await page.goBack(); // the anchor jump
    await page.goBack();
    expectUrl(page, 'co-quan/binh-phuoc/so-ldtbxh/index.html');
    await page.goBack();
    expectUrl(page, 'index.html');

    // The document page links back to the other citing report too.
    await page.goto(root + 'van-ban/vn-2016-16-ct_ttg/index.html');
    await page.locator('.citing-report h3 a', { hasText: 'Năm dân vận khéo' }).click();
    expectUrl(page, 'bao-cao/dong-thap/so-ldtbxh/2020-nam-dan-van-kheo/index.html');
    await noSideways('report with appendix tables');

    // Every navigation page loads from disk without errors.
    for (const rel of ['co-quan/index.html', 'nam/index.html', 'nam/2021/index.html', 'van-ban/index.html', '404.html']) {
      await page.goto(root + rel);
      await noSideways(rel);
    }
    if (problems.length) fail(problems.join('\n'));
    await page.close();
  }
  console.log('browser navigation: ok');
} catch (e) {
  if (!process.exitCode) { console.error(e); process.exitCode = 1; }
} finally {
  await browser.close();
}
