// Runs the site's own search.js in Node: scripts are read from the built
// site and run in this process, as script tags run them in a browser.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

/** The address a built page gives for something: its search form's
 * `data-meta` (the index's metadata) and its script's `src`. */
function homeLinks(publicDir) {
  const html = fs.readFileSync(path.join(publicDir, 'index.html'), 'utf8');
  const meta = /data-meta="([^"]+)"/.exec(html);
  const script = /<script src="([^"]*search\.js)"/.exec(html);
  if (!meta || !script) throw new Error('index.html has no search form or script');
  return { meta: meta[1], script: script[1] };
}

export function loadEngine(publicDir) {
  const links = homeLinks(publicDir);
  const source = fs.readFileSync(path.join(publicDir, links.script), 'utf8');
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
  }, links.meta);
  return {
    engine,
    MinhbachSearch,
    loaded: () => ({ bytes, files: [...files] }),
  };
}
