// Prints pages to A4 PDF as an auditor would (Chromium's page.pdf, print
// media) and checks that they keep their meaning on paper in black and
// white:
// - no search box, navigation or breadcrumb is printed;
// - what colour says on screen is also said without colour: inserted words
//   underlined, deleted ones struck, carried / reworded / new paragraphs
//   each with its own margin line and a printed word, better / worse
//   changes with a printed word; chart lines differ by dash and marker;
// - each page's text (pdftotext, poppler-utils) has more than the footer:
//   no sheet holds only a footer;
// - the last sheet gives the page's address and the site's date.
// Usage: node print.mjs SITE SHOTS PAGE... ; prints "print: ok, N pages".
import { withBrowser, report } from './run.mjs';
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';

const [dir, shotDir, ...pages] = process.argv.slice(2);
const out = path.join(shotDir, 'print');
fs.mkdirSync(out, { recursive: true });
const problems = [];

await withBrowser(async (browser) => {
  for (const rel of pages) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(dir, rel)).href);
    await page.emulateMedia({ media: 'print' });
    const seen = await page.evaluate(() => {
      const shown = el => el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
      const style = el => getComputedStyle(el);
      const hidden = ['form.search', '.site-header nav', '.search-panel', '.breadcrumb', '.toc']
        .filter(sel => [...document.querySelectorAll(sel)].some(shown));
      const ins = [...document.querySelectorAll('ins')].map(e => style(e).textDecorationLine);
      const del = [...document.querySelectorAll('del')].map(e => style(e).textDecorationLine);
      const marks = {};
      for (const kind of ['unchanged', 'reworded', 'new']) {
        const p = document.querySelector('.compare-cols p.p-' + kind);
        if (!p) continue;
        const label = p.querySelector('.visually-hidden');
        marks[kind] = {
          border: style(p).borderLeftStyle + ' ' + style(p).borderLeftWidth,
          label: label && shown(label) && label.getBoundingClientRect().width > 2 ? label.textContent : '',
        };
      }
      // A row coloured better or worse says which in a printed word.
      const verdicts = [...document.querySelectorAll('tr')].filter(tr => tr.querySelector('td.better, td.worse')).map(tr => {
        const word = [...tr.querySelectorAll('td.better .visually-hidden, td.worse .visually-hidden')].find(w => w.getBoundingClientRect().width > 2);
        return word ? word.textContent : '';
      });
      const lines = [...document.querySelectorAll('svg.chart')].filter(s => s.querySelectorAll('polyline').length > 1)
        .map(s => [...s.querySelectorAll('polyline')].map(l => l.getAttribute('stroke-dasharray') || 'solid'));
      const footer = document.querySelector('.print-only');
      return { hidden, ins, del, marks, verdicts, lines, footer: footer && shown(footer) ? footer.textContent.trim() : '' };
    });
    for (const sel of seen.hidden) problems.push(`${rel}: ${sel} is printed`);
    if (seen.ins.some(d => !d.includes('underline'))) problems.push(`${rel}: inserted words not underlined: ${seen.ins}`);
    if (seen.del.some(d => !d.includes('line-through'))) problems.push(`${rel}: deleted words not struck: ${seen.del}`);
    const kinds = Object.keys(seen.marks);
    const borders = new Set(kinds.map(k => seen.marks[k].border));
    if (borders.size !== kinds.length || [...borders].some(b => b.startsWith('none')))
      problems.push(`${rel}: paragraphs not told apart by their margin line: ${JSON.stringify(seen.marks)}`);
    for (const k of kinds) if (!seen.marks[k].label) problems.push(`${rel}: a ${k} paragraph prints no word saying so`);
    if (seen.verdicts.some(v => !v)) problems.push(`${rel}: a better/worse change is told by colour alone`);
    for (const l of seen.lines) if (new Set(l).size !== l.length) problems.push(`${rel}: chart lines share a dash: ${l}`);
    if (!seen.footer.includes('Trang:')) problems.push(`${rel}: no address in the printed footer: "${seen.footer}"`);

    const name = rel.replace(/\/index\.html$|\.html$/, '').replace(/[^a-z0-9]+/gi, '-');
    const pdf = path.join(out, name + '.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: false });
    await page.close();
    const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
    const footerWords = /Trang được tạo bằng minhbach|Trang:|cập nhật/;
    for (let n = 1; n <= count; n++) {
      const text = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdf, '-'], { encoding: 'utf8' });
      const body = text.split('\n').map(l => l.trim()).filter(l => l && !footerWords.test(l));
      if (body.length < 3) problems.push(`${rel}: sheet ${n} of ${count} holds only ${JSON.stringify(body)} beside the footer`);
      if (n === count && !/Trang:/.test(text)) problems.push(`${rel}: the last sheet has no address`);
    }
    // In grey, as a black-and-white printer prints it: for the eye.
    execFileSync('pdftoppm', ['-gray', '-r', '60', '-f', '1', '-l', '2', '-png', pdf, path.join(out, name)]);
    console.log(`${rel}: ${count} sheets`);
  }
});
report(problems, `print: ok, ${pages.length} pages`);
