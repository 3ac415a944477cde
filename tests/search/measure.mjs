// What one query loads: the files, their bytes, and the results found.
// Usage: node measure.mjs <public-dir> <query>
import { loadEngine } from './engine.mjs';

const [,, publicDir, query] = process.argv;
const { engine, loaded } = loadEngine(publicDir);
const started = performance.now();
const res = await engine.search(query, {}, 10);
const ms = performance.now() - started;
const { files, bytes } = loaded();
console.log(JSON.stringify({ query, files, bytes, results: res.results.length, total: res.total, partial: res.partial, ms }));
