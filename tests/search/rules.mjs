// The query and text rules of search.js, checked in Node.
// Usage: node rules.mjs <public-dir> < strings.json
// Prints JSON: for each input string, its tokens and folded tokens, and the
// parsed form of each input read as a query.
import fs from 'node:fs';
import { loadEngine } from './engine.mjs';

const { MinhbachSearch } = loadEngine(process.argv[2]);
const inputs = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = inputs.map(s => ({
  input: s,
  tokens: MinhbachSearch.tokens(s),
  folded: MinhbachSearch.tokens(s).map(MinhbachSearch.fold),
  query: MinhbachSearch.parseQuery(s),
}));
console.log(JSON.stringify(out));
