// Relevance and rules of the search engine, on built sites.
// Usage: node relevance.mjs <cases.json> <site-name>=<public-dir> ...
// Prints one line per failure and a closing "N passed, M failed" line.
import fs from 'node:fs';
import { loadEngine } from './engine.mjs';

const [,, casesFile, ...sites] = process.argv;
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const dirs = Object.fromEntries(sites.map(s => s.split('=')));
let passed = 0;
let failed = 0;
for (const c of cases) {
  const { engine } = loadEngine(dirs[c.site]);
  const res = await engine.search(c.query, c.filters || {}, 10);
  const urls = res.results.map(r => r.url);
  const problems = [];
  if (c.first && urls[0] !== c.first) problems.push(`first is ${urls[0]}, want ${c.first}`);
  for (const u of c.includes || []) if (!urls.includes(u)) problems.push(`missing ${u}`);
  for (const [a, b] of c.before || []) {
    const ia = urls.indexOf(a), ib = urls.indexOf(b);
    if (ia < 0 || ib < 0 || ia > ib) problems.push(`${a} (at ${ia}) should rank above ${b} (at ${ib})`);
  }
  for (const u of c.excludes || []) if (urls.includes(u)) problems.push(`should not find ${u}`);
  if (c.count !== undefined && res.total !== c.count) problems.push(`total ${res.total}, want ${c.count}`);
  if (c.doc && !(res.docs[0] && res.docs[0].u === c.doc)) problems.push(`first document ${res.docs[0] && res.docs[0].u}, want ${c.doc}`);
  if (c.anchor && res.results[0] && res.results[0].anchor !== c.anchor) problems.push(`anchor ${res.results[0].anchor}, want ${c.anchor}`);
  if (c.mark && !(res.results[0] && res.results[0].snippet.includes(`<mark>${c.mark}</mark>`))) problems.push(`snippet lacks <mark>${c.mark}</mark>: ${res.results[0] && res.results[0].snippet}`);
  if (problems.length) {
    failed++;
    console.log(`FAIL [${c.site}] ${JSON.stringify(c.query)}: ${problems.join('; ')}`);
  } else {
    passed++;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
