// One page of every kind as people see it, at 320 px (a small phone,
// 568 px high), 375 px (a phone, 667 px high) and 1280 px (a desktop):
// - a full-page screenshot of each, SHOTS/pages/WIDTH-NAME.png, to look at;
// - no page scrolls sideways;
// - axe-core finds nothing (at 375 and 1280 px), with the search results
//   open on the home page;
// - in every figures table every cell with something in it is on screen
//   (at 320 and 375 px a row is a card, not a scroll box), labelled with
//   its column's heading;
// - chart text is drawn at 12 px or more at 375 and 1280 px;
// - the first search result is in view without scrolling, and the first
//   three at 375 and 1280 px (the filters fold behind one control);
// - at 320 and 375 px no document symbol or date is broken across lines
//   ("NĐ-" at the end of one line, "CP" on the next).
// Usage: node accessibility.mjs SITE SHOTS PAGE...
// PAGE is a path under SITE; "PATH?q=WORDS" types WORDS in the search box
// first. Prints "accessibility: ok, N pages" when there is nothing to say.
import { withBrowser, report } from './run.mjs';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { pathToFileURL } from 'url';

const [dir, shotDir, ...pages] = process.argv.slice(2);
const shots = path.join(shotDir, 'pages');
fs.mkdirSync(shots, { recursive: true });
const HEIGHT = { 320: 568, 375: 667, 1280: 800 };
const require = createRequire(import.meta.url);
const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const problems = [];
let symbols = 0;
let cardLabels = 0;

await withBrowser(async (browser) => {
  for (const width of [320, 375, 1280]) {
    // axe is injected as a script: the pages' policy (tested elsewhere)
    // would refuse it.
    const context = await browser.newContext({ viewport: { width, height: HEIGHT[width] }, bypassCSP: true });
    for (const entry of pages) {
      const [rel, query] = entry.split('?q=');
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(dir, rel)).href);
      if (query) {
        await page.fill('#q', query);
        await page.waitForSelector('#search-results .result');
      }
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (sideways > 0) problems.push(`${entry} at ${width} px scrolls sideways by ${sideways} px`);
      // Every figure of every figures table is on screen.
      const outside = await page.evaluate((w) => {
        const out = [];
        for (const table of document.querySelectorAll('table.cards, table.series')) {
          for (const cell of table.querySelectorAll('tbody th, tbody td')) {
            if (!cell.textContent.trim()) continue;
            const r = cell.getBoundingClientRect();
            if (r.left < -0.5 || r.right > w + 0.5) out.push(`${cell.getAttribute('data-label') || cell.tagName}: "${cell.textContent.trim().slice(0, 30)}" at ${Math.round(r.left)}–${Math.round(r.right)} px`);
          }
        }
        return out;
      }, width);
      if (width !== 1280) for (const o of outside.slice(0, 5)) problems.push(`${entry} at ${width} px: a figure is off screen: ${o}`);
      // On a phone each card's cell is labelled with its column's heading
      // (by the table's kind from assets/labels.css, or by its data-label).
      if (width !== 1280) {
        const labels = await page.evaluate(() => {
          const out = { checked: 0, wrong: [] };
          for (const table of document.querySelectorAll('table.cards')) {
            const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
            for (const row of table.querySelectorAll('tbody tr')) {
              [...row.children].forEach((cell, k) => {
                if (cell.tagName !== 'TD') return;
                // An empty cell (nothing stated) carries no label: it is
                // not shown on a card at all.
                if (!cell.textContent.trim()) {
                  if (getComputedStyle(cell).display !== 'none') out.wrong.push(`an empty cell shown under "${heads[k]}" (${table.className})`);
                  return;
                }
                let content = getComputedStyle(cell, '::before').content;
                content = content.replace(/attr\(data-label\)/g, JSON.stringify(cell.getAttribute('data-label') || ''));
                const label = [...content.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(m => JSON.parse(`"${m[1]}"`)).join('').replace(/: $/, '');
                out.checked++;
                if (label !== heads[k]) out.wrong.push(`"${label}" under "${heads[k]}" (${table.className})`);
              });
            }
          }
          return out;
        });
        cardLabels += labels.checked;
        for (const w of labels.wrong.slice(0, 5)) problems.push(`${entry} at ${width} px: a card's cell is labelled ${w}`);
      }
      // Chart text as drawn: its font size times the chart's scale.
      const chartPx = await page.evaluate(() => [...document.querySelectorAll('svg.chart text')]
        .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a));
      if (width !== 320 && chartPx.length && Math.min(...chartPx) < 12)
        problems.push(`${entry} at ${width} px: chart text of ${Math.min(...chartPx).toFixed(1)} px`);
      if (query) {
        const bottoms = await page.evaluate(() => [...document.querySelectorAll('#search-results li')].slice(0, 3).map(li => li.getBoundingClientRect().bottom));
        const want = width === 320 ? 1 : 3;
        if (bottoms.length < want) problems.push(`${entry}: ${bottoms.length} results`);
        for (const [k, b] of bottoms.slice(0, want).entries())
          if (b > HEIGHT[width]) problems.push(`${entry} at ${width}×${HEIGHT[width]} px: result ${k + 1} ends at ${Math.round(b)} px, below the screen`);
        // On a phone the filters wait behind "Lọc"; on a desktop they show.
        const facetsShown = () => page.locator('#search-facets').isVisible();
        if (width === 1280 && !(await facetsShown())) problems.push(`${entry} at 1280 px: the filters are folded`);
        if (width === 375) {
          if (await facetsShown()) problems.push(`${entry} at 375 px: the filters are not folded`);
          await page.click('#search-filter > summary');
          if (!(await facetsShown())) problems.push(`${entry} at 375 px: "Lọc" does not open the filters`);
          await page.click('#search-filter > summary');
        }
        // The count agrees with the list.
        const [status, shown] = await page.evaluate(() => [document.getElementById('search-status').textContent, document.querySelectorAll('#search-results li').length]);
        if (!status.startsWith(String(shown) + ' ')) problems.push(`${entry}: "${status}" beside ${shown} results`);
      }
      if (width !== 1280) {
        const [shown, broken] = await page.evaluate(() => {
          const all = [...document.querySelectorAll('.symbol')].filter(e => e.getClientRects().length > 0);
          return [all.length, all.filter(e => e.getClientRects().length > 1).map(e => e.textContent)];
        });
        symbols += shown;
        for (const b of broken.slice(0, 5)) problems.push(`${entry} at ${width} px: "${b}" is broken across lines`);
      }
      const name = entry.replace(/\/index\.html$|\.html$/, '').replace(/\?q=/, '-tim-kiem-').replace(/[^a-z0-9]+/gi, '-');
      await page.screenshot({ path: path.join(shots, `${width}-${name}.png`), fullPage: true });
      if (width !== 320) {
        await page.addScriptTag({ content: axe });
        const violations = await page.evaluate(async () => (await window.axe.run()).violations
          .map(v => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.nodes[0].html.slice(0, 140)}`));
        for (const v of violations) problems.push(`${entry} at ${width} px: ${v}`);
      }
      await page.close();
    }
    await context.close();
  }
});
console.log(`symbols: ${symbols} checked at 320 and 375 px`);
console.log(`card labels: ${cardLabels} checked at 320 and 375 px`);
if (cardLabels === 0) problems.push('no figure card was checked: the pages have no figures tables');
report(problems, `accessibility: ok, ${pages.length} pages`);
