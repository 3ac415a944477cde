// axe-core on one page of every kind, at a phone's width (375 px) and a
// desktop's (1280 px), with the search results open on the home page; and
// no page scrolls sideways at 320 or 375 px. Usage:
//   node accessibility.mjs SITE SHOTS PAGE...
// PAGE is a path under SITE; "PATH?q=WORDS" types WORDS in the search box
// first. Prints "accessibility: ok, N pages" when there is nothing to say.
import { chromium } from 'playwright-core';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { pathToFileURL } from 'url';

const [dir, , ...pages] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const problems = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const width of [320, 375, 1280]) {
    // axe is injected as a script: the pages' policy (tested elsewhere)
    // would refuse it.
    const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
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
} finally {
  await browser.close();
}
if (problems.length) {
  console.log(problems.join('\n'));
  process.exitCode = 1;
} else {
  console.log(`accessibility: ok, ${pages.length} pages`);
}
