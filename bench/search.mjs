// Search benchmark: minhbach's search on a built site against its budget,
// and Pagefind on the same site served over HTTP, side by side.
//
// Usage: node bench/search.mjs <public-dir> [--pagefind]
//
// Budget (issue: Vietnamese full-text search at 10,000 reports):
//   a two-syllable query loads at most 400 KB of index and fragments
//   (uncompressed); first results within 300 ms in headless Chromium from
//   file://; the search directory at most 1.2 × the raw text.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import zlib from 'node:zlib';
import os from 'node:os';
import { loadEngine } from '../tests/search/engine.mjs';

const args = process.argv.slice(2);
const publicDir = path.resolve(args.find(a => !a.startsWith('--')));
const withPagefind = args.includes('--pagefind');
const QUERIES = ['dân vận', 'cải cách', 'hành chính', 'người dân', 'chính quyền', 'đào tạo', 'hộ nghèo', 'quy chế'];
const kb = n => (n / 1024).toFixed(1);
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function dirSize(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return total;
}

// The raw text that was indexed: every report's text, from the fragments.
function rawText(dir) {
  let bytes = 0;
  let reports = 0;
  const frags = path.join(dir, 'search/f');
  for (const f of fs.readdirSync(frags)) {
    const js = fs.readFileSync(path.join(frags, f), 'utf8');
    const m = js.match(/JSON\.parse\('(.*)'\)\);/s);
    const [, b64] = JSON.parse(m[1].replace(/\\'/g, "'").replace(/\\\\/g, '\\'));
    const doc = JSON.parse(zlib.gunzipSync(Buffer.from(b64, 'base64')).toString('utf8'));
    for (const [, label, text] of doc.s) bytes += Buffer.byteLength(text) + Buffer.byteLength(label);
    reports++;
  }
  return { bytes, reports };
}

function serve(routes) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    for (const [prefix, dir] of routes) {
      if (!url.startsWith(prefix)) continue;
      let file = path.join(dir, url.slice(prefix.length));
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!file.startsWith(dir) || !fs.existsSync(file)) break;
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return new Promise(r => server.listen(0, '127.0.0.1', () => r(server)));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

// Time from the last keystroke to the results of the whole query shown,
// the reader having focused the box and typed at 80 ms a character
// (debounce included; earlier keystrokes may start searches of their own).
async function minhbachFirstResults(base, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + 'index.html');
  const ms = await page.evaluate(async (q) => {
    const input = document.getElementById('q');
    const list = document.getElementById('search-results');
    const sleep = (ms) => new Promise(r => setTimeout(r, ms));
    input.focus();
    input.dispatchEvent(new Event('focus'));
    let t0 = 0;
    let shown = 0;
    const want = q.normalize('NFC').toLowerCase();
    new MutationObserver(() => {
      if (t0 && !shown && list.children.length && list.getAttribute('data-query') === want) shown = performance.now();
    }).observe(list, { childList: true, attributes: true });
    for (let i = 1; i <= q.length; i++) {
      input.value = q.slice(0, i);
      if (i === q.length) t0 = performance.now();
      input.dispatchEvent(new Event('input'));
      if (i < q.length) await sleep(80);
    }
    while (!shown) await sleep(5);
    return shown - t0;
  }, query);
  await context.close();
  return ms;
}

const out = [];
const { bytes: raw, reports } = rawText(publicDir);
const searchDir = dirSize(path.join(publicDir, 'search'));
out.push(`corpus: ${reports} reports, raw text ${kb(raw)} KB (${(raw / 1e6).toFixed(1)} MB); machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);

const loads = [];
for (const q of QUERIES) {
  const { engine, loaded } = loadEngine(publicDir);
  const res = await engine.search(q, {}, 10);
  loads.push({ q, bytes: loaded().bytes, files: loaded().files.length, total: res.total });
}
const times = [];
for (const q of QUERIES) times.push(await minhbachFirstResults(pathToFileURL(publicDir).href + '/', q));
const server = await serve([['/', publicDir]]);
const httpBase = `http://127.0.0.1:${server.address().port}/`;
const httpTimes = [];
for (const q of QUERIES) httpTimes.push(await minhbachFirstResults(httpBase, q));
server.close();

const maxLoad = Math.max(...loads.map(l => l.bytes));
const ratio = searchDir / raw;
const okLoad = maxLoad <= 400 * 1024;
const okTime = Math.max(...times) <= 300;
const okSize = ratio <= 1.2;

let pf = null;
if (withPagefind) {
  const pfDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagefind-'));
  const bin = path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules/.bin/pagefind');
  const t0 = performance.now();
  // The report pages: the documents minhbach's own index holds.
  execFileSync(bin, ['--site', publicDir, '--glob', 'bao-cao/**/*.html', '--output-path', pfDir, '--force-language', 'vi', '--quiet'], { stdio: 'inherit' });
  const indexMs = performance.now() - t0;
  const pfServer = await serve([['/pagefind/', pfDir], ['/', publicDir]]);
  const base = `http://127.0.0.1:${pfServer.address().port}/`;
  const pfTimes = [];
  const pfLoads = [];
  for (const q of QUERIES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base + 'index.html');
    const r = await page.evaluate(async (q) => {
      const pagefind = await import('/pagefind/pagefind.js');
      await pagefind.init();
      const t0 = performance.now();
      const search = await pagefind.search(q);
      await Promise.all(search.results.slice(0, 10).map(x => x.data()));
      const ms = performance.now() - t0;
      const res = performance.getEntriesByType('resource').filter(e => e.name.includes('/pagefind/'));
      return { ms, encoded: res.reduce((a, e) => a + e.encodedBodySize, 0), decoded: res.reduce((a, e) => a + e.decodedBodySize, 0), total: search.results.length };
    }, q);
    pfTimes.push(r.ms);
    pfLoads.push(r);
    await context.close();
  }
  pfServer.close();
  pf = { size: dirSize(pfDir), indexMs, times: pfTimes, loads: pfLoads };
  fs.rmSync(pfDir, { recursive: true, force: true });
}

out.push('');
out.push('query          | minhbach loads (KB, files) | results | file:// ms | http ms' + (pf ? ' | Pagefind wire KB (decoded KB) | Pagefind http ms' : ''));
QUERIES.forEach((q, i) => {
  let line = `${q.padEnd(14)} | ${kb(loads[i].bytes).padStart(8)} KB, ${String(loads[i].files).padStart(3)} files | ${String(loads[i].total).padStart(7)} | ${times[i].toFixed(0).padStart(10)} | ${httpTimes[i].toFixed(0).padStart(7)}`;
  if (pf) line += ` | ${kb(pf.loads[i].encoded).padStart(10)} (${kb(pf.loads[i].decoded)}) | ${pf.times[i].toFixed(0).padStart(8)}`;
  out.push(line);
});
out.push('');
out.push(`minhbach: largest two-syllable load ${kb(maxLoad)} KB (budget 400 KB) ${okLoad ? 'OK' : 'OVER'}`);
out.push(`minhbach: first results, file://: median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (budget 300 ms) ${okTime ? 'OK' : 'OVER'}`);
out.push(`minhbach: search/ is ${(searchDir / 1e6).toFixed(1)} MB = ${ratio.toFixed(2)} × raw text (budget 1.2) ${okSize ? 'OK' : 'OVER'}`);
if (pf) {
  out.push(`Pagefind: index ${(pf.size / 1e6).toFixed(1)} MB = ${(pf.size / raw).toFixed(2)} × raw text, built in ${(pf.indexMs / 1000).toFixed(1)} s; first results over HTTP: median ${median(pf.times).toFixed(0)} ms; median load ${kb(median(pf.loads.map(l => l.encoded)))} KB on the wire`);
  out.push(`ratio minhbach/Pagefind: size ${(searchDir / pf.size).toFixed(2)}, median time ${(median(times) / median(pf.times)).toFixed(2)} (file:// vs HTTP)`);
}
console.log(out.join('\n'));
await browser.close();
process.exitCode = okLoad && okTime && okSize ? 0 : 1;
