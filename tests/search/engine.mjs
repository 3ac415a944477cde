// Runs the site's own search.js in Node: scripts are read from the built
// site and run in this process, as script tags run them in a browser.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

export function loadEngine(publicDir) {
  const source = fs.readFileSync(path.join(publicDir, 'assets/search.js'), 'utf8');
  const module = { exports: {} };
  new Function('module', source)(module);
  const MinhbachSearch = module.exports;
  let bytes = 0;
  const files = [];
  const engine = new MinhbachSearch.Engine(async (rel) => {
    const text = fs.readFileSync(path.join(publicDir, rel), 'utf8');
    bytes += Buffer.byteLength(text);
    files.push(rel);
    vm.runInThisContext(text, { filename: rel });
  });
  return {
    engine,
    MinhbachSearch,
    loaded: () => ({ bytes, files: [...files] }),
  };
}
