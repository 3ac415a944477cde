/* minhbach search.
 *
 * Loads the index built by `src/search/` with <script> tags only — never
 * fetch or XHR, which browsers refuse on file:// — so the same site searches
 * on any host and opened from disk. A query loads the metadata once, the
 * bucket files of its syllables, and the text fragments of its best
 * results. Text rules match src/search/text.rs: syllables are runs of
 * letters and ASCII digits, lowercase NFC; folding drops tone and vowel
 * marks and turns đ into d.
 *
 * The engine also runs in Node (module.exports), which is how the
 * relevance tests drive the same code as the browser.
 */
var MinhbachSearch = (function () {
  'use strict';

  /**
   * The index format this script reads; src/search/rank.rs writes it into
   * meta.js. An index of another version (a theme carrying an older
   * script, a half-copied site) is refused with a message, never read.
   */
  var INDEX_VERSION = 2;

  /**
   * How results are ranked in the browser, every weight in one place (the
   * index side is src/search/rank.rs). A report's rank is the best of its
   * title block's score × titleBoost and its best section's score, plus
   * index × its index score relative to the best candidate's.
   */
  var RANK = {
    // The index's one-byte BM25 scores run 1..scoreMax (rank.rs SCORE_MAX).
    scoreMax: 255,
    // A unit's score: the share of query terms it holds (each counting 1
    // when matched with the marks as typed, unmarked: exactInexact of that)…
    coverage: 20,
    inexact: 0.5,
    // …the query's syllables side by side as a word (capped: repeating a
    // phrase should not outrank holding it)…
    phrase: 12,
    phraseCap: 1.5,
    phraseRepeat: 0.05,
    // …the terms close together (nearness / width of the smallest window
    // holding them all)…
    nearness: 6,
    // …and a little for every hit, up to hitsCounted.
    hit: 0.05,
    hitsCounted: 40,
    // The title block says what a report is about.
    titleBoost: 1.5,
    // How much the index's BM25 ranking counts against the text's.
    index: 8,
    // The quick pre-score that picks which sections are scored in full:
    // terms present × roughSeen + occurrences (each counted up to roughCap),
    // the query as a whole × roughWhole; the best unitsScored are scored.
    roughSeen: 100,
    roughWhole: 10,
    roughCap: 20,
    unitsScored: 3
  };

  var TOKEN = /[\p{Alphabetic}0-9]+/gu;

  function tokens(text) {
    return text.normalize('NFC').toLowerCase().match(TOKEN) || [];
  }

  var foldCache = new Map();

  function fold(token) {
    var f = foldCache.get(token);
    if (f === undefined) {
      f = token.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đð]/g, 'd').normalize('NFC');
      if (foldCache.size > 50000) foldCache.clear();
      foldCache.set(token, f);
    }
    return f;
  }

  /** A whole text folded at once, for quick containment tests. */
  function foldText(text) {
    return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đð]/g, 'd');
  }

  /** Tokens with their positions in `text` (which must be NFC). */
  function tokenSpans(text) {
    var out = [];
    var re = new RegExp(TOKEN.source, 'gu');
    var m;
    while ((m = re.exec(text)) !== null) {
      var raw = m[0].toLowerCase();
      out.push({ raw: raw, folded: fold(raw), start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  /** Leading zeros do not matter in document numbers: "4" finds "04". */
  function sameNumber(a, b) {
    return /^[0-9]+$/.test(a) && /^[0-9]+$/.test(b) && a.replace(/^0+/, '') === b.replace(/^0+/, '');
  }

  /** Splits a query into terms: quoted phrases, syllables, the last one a prefix. */
  function parseQuery(query) {
    var q = query.normalize('NFC').toLowerCase();
    var terms = [];
    var phrases = [];
    var rest = q.replace(/"([^"]*)"?/g, function (_, inner) {
      var ts = tokens(inner);
      if (ts.length) {
        var p = phrases.length;
        phrases.push(ts.map(function (t) { return { raw: t, folded: fold(t) }; }));
        ts.forEach(function (t) { terms.push({ raw: t, folded: fold(t), phrase: p, prefix: false }); });
      }
      return ' ';
    });
    tokens(rest).forEach(function (t) { terms.push({ raw: t, folded: fold(t), phrase: null, prefix: false }); });
    // The last syllable typed matches as a prefix, unless the query ends
    // with a space or a quote (then the reader has finished it).
    var last = terms[terms.length - 1];
    if (last && last.phrase === null && /[\p{Alphabetic}0-9]$/u.test(q) && last.folded.length >= 2) {
      last.prefix = true;
    }
    return { text: q, terms: terms, phrases: phrases };
  }

  function decodeBase64(text) {
    if (typeof atob === 'function') {
      var bin = atob(text);
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return bytes;
    }
    return new Uint8Array(Buffer.from(text, 'base64'));
  }

  /** A LEB128 varint at `at.i` of `bytes`; advances `at.i`. */
  function readVarint(bytes, at) {
    var shift = 0;
    var n = 0;
    var b;
    do {
      b = bytes[at.i++];
      n |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return n;
  }

  /** Postings: varint report deltas, each followed by a score byte. */
  function decodePostings(text, into) {
    var bytes = decodeBase64(text);
    var at = { i: 0 };
    var report = 0;
    while (at.i < bytes.length) {
      report += readVarint(bytes, at);
      var score = bytes[at.i++];
      var old = into.get(report);
      if (old === undefined || score > old) into.set(report, score);
    }
    return into;
  }

  function gunzip(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }

  function bucketKey(term, depth) {
    var out = '';
    var chars = Array.from(term);
    for (var i = 0; i < Math.min(depth, chars.length); i++) {
      var c = chars[i];
      out += /[a-z0-9]/.test(c) ? c : 'u' + c.codePointAt(0).toString(16);
    }
    if (chars.length < depth) out += '_';
    return out;
  }

  /**
   * The search engine over one built site. `loadScript(path)` must run the
   * script at `path` (relative to the site root) and resolve when it has run.
   */
  function Engine(loadScript, metaPath) {
    this.loadScript = loadScript;
    this.metaPath = metaPath;
    this.meta = null;
    this.foreignVersion = null;
    this.buckets = {};
    this.tails = {};
    this.fragments = {};
    this.docs = {};
    this.loading = {};
    this.loadedBytes = 0;
    var self = this;
    var g = typeof window !== 'undefined' ? window : globalThis;
    g.minhbachMeta = function (meta) {
      if (meta.version !== INDEX_VERSION) { self.foreignVersion = meta.version; return; }
      self.meta = meta;
      self.decodeFacets();
    };
    g.minhbachIndex = function (data) { self.buckets[data[0]] = data[1]; };
    g.minhbachTail = function (data) { self.tails[data[0] + '-' + data[1]] = data[2]; };
    g.minhbachFragment = function (data) { self.fragments[data[0]] = data[1]; };
    g.minhbachDocs = function (data) { self.docs[data[0]] = data[1]; };
  }

  Engine.prototype.load = function (path) {
    if (!this.loading[path]) this.loading[path] = this.loadScript(path);
    return this.loading[path];
  };

  Engine.prototype.decodeFacets = function () {
    var bytes = decodeBase64(this.meta.facets);
    var agency = [];
    var year = [];
    var kind = [];
    var at = { i: 0 };
    while (at.i < bytes.length) {
      agency.push(readVarint(bytes, at));
      year.push(1900 + bytes[at.i++]);
      kind.push(bytes[at.i++]);
    }
    this.facet = { agency: agency, year: year, kind: kind };
  };

  /** An index this script cannot read: says which versions, in words. */
  function VersionError(found) {
    this.name = 'VersionError';
    this.found = found;
    this.expected = INDEX_VERSION;
    this.message = 'search index format ' + found + ', this page reads format ' + INDEX_VERSION;
  }
  VersionError.prototype = Object.create(Error.prototype);

  Engine.prototype.ready = function () {
    var self = this;
    return this.load(this.metaPath).then(function () {
      if (self.foreignVersion !== null) throw new VersionError(self.foreignVersion);
    });
  };

  /** The path of a search file, from its pattern in meta.js. */
  Engine.prototype.path = function (kind, name) {
    return this.meta.paths[kind].replace('{}', name);
  };

  Engine.prototype.bucketFor = function (term) {
    var two = bucketKey(term, 2);
    if (this.meta.buckets.indexOf(two) >= 0) return two;
    return bucketKey(term, 3);
  };

  /** Buckets that may hold terms starting with `prefix`. */
  Engine.prototype.bucketsForPrefix = function (prefix) {
    var two = bucketKey(prefix, 2);
    var three = bucketKey(prefix, 3);
    return this.meta.buckets.filter(function (b) {
      return b === two || b === three || (prefix.length === 2 && b.length === 3 && b.slice(0, 2) === two);
    });
  };

  /** Postings of one query term (a prefix unites every term it starts). */
  Engine.prototype.postings = function (term) {
    var self = this;
    var names = term.prefix ? this.bucketsForPrefix(term.folded) : [this.bucketFor(term.folded)];
    return Promise.all(names.map(function (b) {
      return self.meta.buckets.indexOf(b) >= 0 ? self.load(self.path('bucket', b)) : null;
    })).then(function () {
      var map = new Map();
      var df = 0;
      var partial = false;
      names.forEach(function (b) {
        var entries = self.buckets[b] || {};
        Object.keys(entries).forEach(function (t) {
          var hit = term.prefix ? t.indexOf(term.folded) === 0 : t === term.folded;
          if (!hit) return;
          var e = entries[t];
          df = Math.max(df, e[0]);
          decodePostings(e[1], map);
          for (var n = 0; n < e[2]; n++) {
            var tail = self.tails[b + '-' + n];
            if (tail && tail[t]) decodePostings(tail[t], map);
            else partial = true;
          }
        });
      });
      return { term: term, map: map, df: df, partial: partial, buckets: names };
    });
  };

  /** Loads the tail files of a query's buckets: every matching report. */
  Engine.prototype.loadAll = function (query) {
    var self = this;
    var parsed = parseQuery(query);
    var jobs = [];
    parsed.terms.forEach(function (term) {
      var names = term.prefix ? self.bucketsForPrefix(term.folded) : [self.bucketFor(term.folded)];
      names.forEach(function (b) {
        var entries = self.buckets[b] || {};
        var most = 0;
        Object.keys(entries).forEach(function (t) {
          var hit = term.prefix ? t.indexOf(term.folded) === 0 : t === term.folded;
          if (hit) most = Math.max(most, entries[t][2]);
        });
        for (var n = 0; n < most; n++) jobs.push(self.load(self.path('tail', b + '-' + n)));
      });
    });
    return Promise.all(jobs);
  };

  Engine.prototype.fragment = function (i) {
    var self = this;
    return this.load(this.path('fragment', String(i))).then(function () {
      var f = self.fragments[i];
      if (typeof f === 'string') {
        self.fragments[i] = gunzip(decodeBase64(f)).then(JSON.parse);
      }
      return self.fragments[i];
    });
  };

  var FACETS = ['tinh', 'coquan', 'nam', 'loai'];
  // One collator: String#localeCompare with a locale builds one per call.
  var COLLATOR = typeof Intl !== 'undefined' ? new Intl.Collator('vi') : { compare: function (a, b) { return a < b ? -1 : a > b ? 1 : 0; } };

  Engine.prototype.facetValue = function (name, r) {
    var a = this.facet.agency[r];
    if (name === 'coquan') return a;
    if (name === 'tinh') return this.meta.agencies[a] ? this.meta.agencies[a][1] : 0;
    if (name === 'nam') return this.facet.year[r];
    return this.facet.kind[r];
  };

  Engine.prototype.facetLabel = function (name, value) {
    if (name === 'coquan') return this.meta.agencies[value] ? this.meta.agencies[value][0] : String(value);
    if (name === 'tinh') return this.meta.provinces[value] || String(value);
    if (name === 'nam') return String(value);
    return this.meta.kinds[value] || String(value);
  };

  /** How often a unit's folded text holds the query's words, and the query as a whole. */
  function roughScore(unit, parsed) {
    if (unit.folded === undefined) unit.folded = foldText(unit[2] + '\n' + unit[1]);
    var text = unit.folded;
    var score = 0;
    var seen = 0;
    parsed.terms.forEach(function (t) {
      var n = 0;
      var at = text.indexOf(t.folded);
      while (at >= 0 && n < RANK.roughCap) { n++; at = text.indexOf(t.folded, at + t.folded.length); }
      if (n) seen++;
      score += n;
    });
    if (parsed.terms.length > 1) {
      var whole = parsed.terms.map(function (t) { return t.folded; }).join(' ');
      var m = 0;
      var at2 = text.indexOf(whole);
      while (at2 >= 0 && m < RANK.roughCap) { m++; at2 = text.indexOf(whole, at2 + whole.length); }
      score += RANK.roughWhole * m;
    }
    return seen * RANK.roughSeen + score;
  }

  /** True when a text syllable matches a query term, folded (or by number). */
  function matches(term, span) {
    return term.prefix ? span.folded.indexOf(term.folded) === 0 : (span.folded === term.folded || sameNumber(span.folded, term.folded));
  }

  /** True when the match keeps the marks the reader typed (or typed none). */
  function exactly(term, span) {
    if (term.raw === term.folded) return true;
    return term.prefix ? span.raw.indexOf(term.raw) === 0 : span.raw === term.raw;
  }

  /**
   * Scores a fragment unit against the query. A syllable matched with the
   * marks as typed counts fully, one matched only without marks counts
   * half, so exact matches rank first; the query's syllables side by side
   * (a word), and close together, score more.
   */
  function scoreUnit(unit, parsed) {
    // Cheap test first: a unit whose folded text has none of the terms
    // cannot match, and most units of a report do not.
    if (unit.folded === undefined) unit.folded = foldText(unit[2] + '\n' + unit[1]);
    var any = false;
    for (var t0 = 0; t0 < parsed.terms.length && !any; t0++) any = unit.folded.indexOf(parsed.terms[t0].folded) >= 0;
    if (!any) return null;
    var spans = tokenSpans(unit[2] + '\n' + unit[1]);
    var terms = parsed.terms;
    if (!terms.length || !spans.length) return null;
    var hits = [];
    var best = new Array(terms.length).fill(0);
    var i, k, s;
    for (i = 0; i < spans.length; i++) {
      for (k = 0; k < terms.length; k++) {
        if (matches(terms[k], spans[i])) {
          hits.push({ at: i, k: k });
          best[k] = Math.max(best[k], exactly(terms[k], spans[i]) ? 1 : RANK.inexact);
        }
      }
    }
    var coverage = best.reduce(function (a, b) { return a + b; }, 0) / terms.length;
    if (coverage === 0) return null;
    var allTerms = best.every(function (b) { return b > 0; });
    // The query's syllables side by side, in order: the query as a word.
    var phraseAt = -1;
    var phraseScore = 0;
    if (terms.length > 1) {
      for (s = 0; s + terms.length <= spans.length; s++) {
        var all = true;
        var exact = true;
        for (var j = 0; j < terms.length; j++) {
          if (!matches(terms[j], spans[s + j])) { all = false; break; }
          if (!exactly(terms[j], spans[s + j])) exact = false;
        }
        if (all) {
          if (phraseAt < 0 || (exact && phraseScore < 1)) phraseAt = s;
          phraseScore = Math.max(phraseScore, exact ? 1 : RANK.inexact) + RANK.phraseRepeat;
        }
      }
    }
    // Quoted phrases must stand as written (marks too, where typed).
    for (var p = 0; p < parsed.phrases.length; p++) {
      var ph = parsed.phrases[p];
      var found = false;
      for (s = 0; s + ph.length <= spans.length && !found; s++) {
        var ok = true;
        for (var j2 = 0; j2 < ph.length; j2++) {
          var want = ph[j2];
          var have = spans[s + j2];
          var same = want.raw !== want.folded ? have.raw === want.raw : have.folded === want.folded;
          if (!same) { ok = false; break; }
        }
        found = ok;
      }
      if (!found) return null;
    }
    // The smallest window holding every term.
    var width = spans.length;
    if (allTerms && terms.length > 1) {
      var last = {};
      hits.forEach(function (h) {
        last[h.k] = h.at;
        var vals = Object.keys(last).map(function (x) { return last[x]; });
        if (vals.length === terms.length) {
          width = Math.min(width, Math.max.apply(null, vals) - Math.min.apply(null, vals) + 1);
        }
      });
    }
    var score = coverage * RANK.coverage + Math.min(phraseScore, RANK.phraseCap) * RANK.phrase +
      (allTerms && terms.length > 1 ? RANK.nearness / width : 0) +
      Math.min(hits.length, RANK.hitsCounted) * RANK.hit;
    var center = phraseAt >= 0 ? phraseAt : (hits.length ? hits[0].at : 0);
    return { score: score, spans: spans, hits: hits, center: center, coverage: coverage };
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }

  /** A snippet around the best match, matched syllables in <mark>. */
  function snippet(text, scored) {
    var spans = scored.spans;
    var from = Math.max(0, scored.center - 12);
    var to = Math.min(spans.length - 1, scored.center + 18);
    var marked = {};
    scored.hits.forEach(function (h) { marked[h.at] = true; });
    // The snippet starts and ends at a word: a syllable inside a longer
    // token ("16/5/2016", "LĐ-TB&XH") takes the token's whole.
    var start = wordStart(text, spans[from].start);
    var end = wordEnd(text, spans[to].end);
    var out = start > 0 ? '… ' : '';
    var pos = start;
    for (var i = from; i <= to; i++) {
      var sp = spans[i];
      if (sp.start >= text.length) break;
      out += escapeHtml(text.slice(pos, sp.start));
      var word = escapeHtml(text.slice(sp.start, Math.min(sp.end, text.length)));
      out += marked[i] ? '<mark>' + word + '</mark>' : word;
      pos = sp.end;
    }
    out += escapeHtml(text.slice(pos, Math.min(end, text.length)));
    if (end < text.length) out += ' …';
    return out.replace(/\n/g, ' ');
  }

  /** Where the word holding offset `at` starts (at most 40 characters back). */
  function wordStart(text, at) {
    var i = Math.min(at, text.length);
    var limit = Math.max(0, i - 40);
    while (i > limit && !/\s/.test(text.charAt(i - 1))) i--;
    return i > limit || limit === 0 ? i : at;
  }

  /** Where the word holding offset `at` ends (at most 40 characters on). */
  function wordEnd(text, at) {
    var i = Math.min(at, text.length);
    var limit = Math.min(text.length, i + 40);
    while (i < limit && !/\s/.test(text.charAt(i))) i++;
    return i < limit || limit === text.length ? i : at;
  }

  /** Citation-like queries also look up legal documents by number. */
  Engine.prototype.searchDocs = function (parsed) {
    var self = this;
    var number = parsed.terms.map(function (t) { return t.folded; }).filter(function (t) { return /^[0-9]+$/.test(t); })[0];
    if (number === undefined) return Promise.resolve([]);
    var shard = parseInt(number, 10) % this.meta.doc_shards;
    return this.load(this.path('documents', String(shard))).then(function () {
      var docs = self.docs[shard] || [];
      var words = parsed.terms.filter(function (t) { return t.folded !== 'so'; });
      var out = [];
      docs.forEach(function (d) {
        var ft = tokens(d.f);
        var all = words.every(function (t) {
          return ft.some(function (x) { return t.prefix ? x.indexOf(t.folded) === 0 || sameNumber(x, t.folded) : x === t.folded || sameNumber(x, t.folded); });
        });
        // The number must be the document's own, not a year or another part.
        var own = sameNumber(d.s.split(/[^0-9]/)[0], number);
        if (all && own) out.push(d);
      });
      out.sort(function (a, b) { return b.c - a.c || (b.y || 0) - (a.y || 0) || (a.s < b.s ? -1 : 1); });
      return out.slice(0, 5);
    });
  };

  /**
   * Runs a query. Returns {results, docs, facets, total, partial}: results
   * are the best `limit` reports (with title, agency, year, kind, url,
   * anchor and snippet), facets count the matching reports per value.
   */
  Engine.prototype.search = function (query, filters, limit, cancelled) {
    var self = this;
    filters = filters || {};
    limit = limit || 10;
    var parsed = parseQuery(query);
    if (!parsed.terms.length) return Promise.resolve({ results: [], docs: [], facets: {}, total: 0, partial: false, query: parsed });
    return this.ready().then(function () {
      return Promise.all([Promise.all(parsed.terms.map(function (t) { return self.postings(t); })), self.searchDocs(parsed)]);
    }).then(function (both) {
      var lists = both[0];
      var docs = both[1];
      var n = self.meta.reports;
      var partial = lists.some(function (l) { return l.partial; });
      // Every term must match (and, for a quoted phrase, all its words).
      var scores = new Map();
      var counts = new Map();
      lists.forEach(function (l) {
        var idf = Math.log(1 + (n - l.df + 0.5) / (l.df + 0.5));
        l.map.forEach(function (s, r) {
          scores.set(r, (scores.get(r) || 0) + idf * s / RANK.scoreMax);
          counts.set(r, (counts.get(r) || 0) + 1);
        });
      });
      var need = lists.length;
      var candidates = [];
      scores.forEach(function (s, r) { if (counts.get(r) === need) candidates.push(r); });
      // Nothing has every term: show what has the most of them.
      if (!candidates.length && parsed.phrases.length === 0) {
        var best = 0;
        counts.forEach(function (c) { best = Math.max(best, c); });
        counts.forEach(function (c, r) { if (c === best && best > 0) candidates.push(r); });
      }
      // Facet counts: each facet counted under the other facets' filters.
      var facets = {};
      FACETS.forEach(function (name) {
        var m = new Map();
        candidates.forEach(function (r) {
          var ok = FACETS.every(function (other) {
            return other === name || filters[other] === undefined || String(self.facetValue(other, r)) === String(filters[other]);
          });
          if (ok) {
            var v = self.facetValue(name, r);
            m.set(v, (m.get(v) || 0) + 1);
          }
        });
        facets[name] = Array.from(m.entries()).map(function (e) {
          return { value: e[0], label: self.facetLabel(name, e[0]), count: e[1], selected: String(filters[name]) === String(e[0]) };
        }).sort(function (a, b) {
          if (name === 'nam') return b.value - a.value;
          return b.count - a.count || COLLATOR.compare(a.label, b.label);
        });
      });
      var filtered = candidates.filter(function (r) {
        return FACETS.every(function (name) {
          return filters[name] === undefined || String(self.facetValue(name, r)) === String(filters[name]);
        });
      });
      filtered.sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
      // A newer query replaced this one: skip loading its fragments.
      if (cancelled && cancelled()) return null;
      // Re-rank the best with their text: phrase, exact marks, proximity.
      var top = filtered.slice(0, limit);
      return Promise.all(top.map(function (r) { return self.fragment(r); })).then(function (frags) {
        var maxIndex = scores.get(filtered[0]) || 1;
        var ranked = [];
        frags.forEach(function (f, k) {
          var r = top[k];
          // The title block (unit 0) says what the report is about and
          // weighs more for the report's rank; the link and snippet go to
          // the section where the words stand, unless only the title has them.
          var head = scoreUnit(f.s[0], parsed);
          var bestUnit = null;
          var bestScore = null;
          // Tokenising every section of every result is the slow part:
          // score in full only the few sections where the words are most found.
          var rough = [];
          for (var u = 1; u < f.s.length; u++) rough.push([roughScore(f.s[u], parsed), u]);
          rough.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
          rough.slice(0, RANK.unitsScored).forEach(function (ru) {
            if (ru[0] <= 0) return;
            var sc = scoreUnit(f.s[ru[1]], parsed);
            if (sc && (!bestScore || sc.score > bestScore.score)) { bestScore = sc; bestUnit = ru[1]; }
          });
          var rank = Math.max(head ? head.score * RANK.titleBoost : 0, bestScore ? bestScore.score : 0);
          if (!bestScore || (head && head.coverage > bestScore.coverage)) { bestScore = head; bestUnit = 0; }
          if (!bestScore) return;
          var unit = f.s[bestUnit];
          ranked.push({
            report: r,
            score: rank + RANK.index * scores.get(r) / maxIndex,
            title: f.t,
            url: f.u,
            anchor: unit[0],
            section: unit[1],
            kind: f.k,
            agency: f.a,
            agencyShort: self.facetLabel('coquan', self.facet.agency[r]),
            province: f.p,
            year: f.y,
            snippet: snippet(unit[2] + '\n' + unit[1], bestScore)
          });
        });
        ranked.sort(function (a, b) { return b.score - a.score || a.report - b.report; });
        return {
          results: ranked.slice(0, limit),
          docs: docs,
          facets: facets,
          total: filtered.length - (top.length - ranked.length),
          partial: partial,
          query: parsed
        };
      });
    });
  };

  return { tokens: tokens, fold: fold, parseQuery: parseQuery, tokenSpans: tokenSpans, Engine: Engine, FACETS: FACETS, VersionError: VersionError, INDEX_VERSION: INDEX_VERSION };
})();

if (typeof module === 'object' && module.exports) {
  module.exports = MinhbachSearch;
} else if (typeof document !== 'undefined') {
  (function () {
    'use strict';
    var form = document.querySelector('form.search');
    if (!form) return;
    var root = form.getAttribute('data-root') || '';
    var metaPath = form.getAttribute('data-meta');
    // The strings come from assets/strings.js, generated in the site's
    // language; a page of an older theme carries them in data-strings.
    var strings = typeof MINHBACH_STRINGS === 'object' ? MINHBACH_STRINGS
      : JSON.parse(form.getAttribute('data-strings') || '{}');
    var input = form.querySelector('input');
    // The results panel is made here rather than sent in every page (its
    // markup was half a kilobyte a page); a page of an older theme has it.
    if (!document.getElementById('search-panel')) {
      var made = document.createElement('section');
      made.id = 'search-panel';
      made.className = 'search-panel';
      made.setAttribute('aria-label', strings.results || '');
      made.hidden = true;
      made.innerHTML = '<div class="wrap"><p id="search-status" class="search-status" role="status" aria-live="polite"></p>'
        + '<div class="search-body"><details id="search-filter" class="search-filter" open><summary><span></span> <span id="search-filter-count"></span></summary>'
        + '<div id="search-facets" class="search-facets"></div></details><ol id="search-results" class="search-results"></ol></div></div>';
      made.querySelector('summary span').textContent = strings.filter || '';
      made.querySelector('ol').setAttribute('aria-label', strings.results || '');
      var header = document.querySelector('header.site-header');
      if (header) header.after(made);
      else document.body.prepend(made);
      input.setAttribute('aria-controls', 'search-results');
      input.setAttribute('aria-describedby', 'search-status');
    }
    var panel = document.getElementById('search-panel');
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    var facetBox = document.getElementById('search-facets');
    // On a narrow screen the facets fold behind one "Lọc" control, so that
    // the first results are in view; on a wide one they stand beside them.
    var filterBox = document.getElementById('search-filter');
    var filterCount = document.getElementById('search-filter-count');
    var wide = window.matchMedia('(min-width: 45rem)');
    function fitFilters() { filterBox.open = wide.matches; }
    fitFilters();
    if (wide.addEventListener) wide.addEventListener('change', fitFilters);
    document.documentElement.classList.add('js');

    var engine = new MinhbachSearch.Engine(function (path) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = root + path;
        s.charset = 'utf-8';
        s.onload = function () { resolve(); };
        s.onerror = function () { reject(new Error('cannot load ' + path)); };
        document.head.appendChild(s);
      });
    }, metaPath);

    var filters = {};
    var active = -1;
    var seq = 0;
    var timer = null;

    function readHash() {
      var h = location.hash.replace(/^#/, '');
      var out = { q: '', filters: {} };
      h.split('&').forEach(function (pair) {
        var kv = pair.split('=');
        if (kv.length !== 2) return;
        // A link cut or typed by hand may hold a broken escape: skip that
        // pair rather than stop the page.
        var key, value;
        try {
          key = decodeURIComponent(kv[0]);
          value = decodeURIComponent(kv[1].replace(/\+/g, ' '));
        } catch (e) {
          return;
        }
        if (key === 'q') out.q = value;
        else if (MinhbachSearch.FACETS.indexOf(key) >= 0) out.filters[key] = value;
      });
      return out;
    }

    // The search is in the address: typing replaces the current entry, a
    // filter or Enter adds one, so that Back and Forward go from search to
    // search. While the page follows the address, it does not write it.
    var following = false;
    var pushNext = false;
    function writeHash(q) {
      if (following) return;
      var parts = ['q=' + encodeURIComponent(q)];
      MinhbachSearch.FACETS.forEach(function (k) {
        if (filters[k] !== undefined) parts.push(k + '=' + encodeURIComponent(filters[k]));
      });
      var hash = '#' + parts.join('&');
      var push = pushNext;
      pushNext = false;
      if (location.hash === hash) return;
      try {
        if (push) history.pushState(null, '', hash);
        else history.replaceState(null, '', hash);
      } catch (e) {
        location.hash = hash;
      }
    }

    // Back, Forward or an address edited by hand: show that search.
    function followHash() {
      var h = readHash();
      var same = h.q === input.value && MinhbachSearch.FACETS.every(function (k) {
        return h.filters[k] === filters[k];
      });
      if (same) return;
      following = true;
      input.value = h.q;
      filters = h.filters;
      run(true);
      following = false;
    }
    window.addEventListener('popstate', followHash);
    window.addEventListener('hashchange', followHash);

    function text(el, t) { el.textContent = t; }

    function render(res) {
      panel.hidden = false;
      list.setAttribute('data-query', res.query.text);
      list.innerHTML = '';
      active = -1;
      // The count is of what the list can hold: documents and reports; when
      // only the best are listed, it says how many are.
      var shown = res.results.length + res.docs.length;
      var total = (res.total + res.docs.length) + (res.partial ? '+' : '');
      var found = (strings.found || '{n} results').replace('{n}', total);
      if (shown < res.total + res.docs.length) {
        found = (strings.shown || '{shown} of {n} results').replace('{shown}', shown).replace('{n}', total);
      }
      text(status, shown ? found : (strings.none || 'No results'));
      var chosen = MinhbachSearch.FACETS.filter(function (k) { return filters[k] !== undefined; }).length;
      text(filterCount, chosen ? '(' + chosen + ')' : '');
      var k = 0;
      res.docs.forEach(function (d) {
        var li = document.createElement('li');
        li.className = 'result doc';
        li.id = 'kq-' + (k++);
        var cites = d.r.map(function (r) { return '<a href="' + root + r[1] + '">' + escape(r[0]) + ' (' + r[2] + ')</a>'; }).join('; ');
        li.innerHTML = '<a class="result-title" href="' + root + d.u + '">' + escape(d.t + ' ' + d.s) + '</a>' +
          '<div class="meta">' + escape(strings.document || '') + (d.y ? ' · ' + d.y : '') + ' · ' + d.c + ' ' + escape(strings.reports || '') + '</div>' +
          (d.n ? '<p class="snippet">' + escape(d.n) + '</p>' : '') +
          (cites ? '<p class="cites">' + escape(strings.cited_in || '') + ' ' + cites + '</p>' : '');
        list.appendChild(li);
      });
      res.results.forEach(function (r) {
        var li = document.createElement('li');
        li.className = 'result';
        li.id = 'kq-' + (k++);
        var href = root + r.url + (r.anchor ? '#' + r.anchor : '');
        li.innerHTML = '<a class="result-title" href="' + href + '">' + escape(r.title) + '</a>' +
          '<div class="meta"><span class="kind">' + escape(r.kind) + '</span> <span title="' + escape(r.agency) + '">' + escape(r.agencyShort || r.agency) + '</span> · ' + r.year +
          (r.section ? ' · <span class="section">' + escape(r.section) + '</span>' : '') + '</div>' +
          '<p class="snippet">' + r.snippet + '</p>';
        list.appendChild(li);
      });
      renderFacets(res.facets);
    }

    function escape(s) {
      return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
    }

    function renderFacets(facets) {
      facetBox.innerHTML = '';
      MinhbachSearch.FACETS.forEach(function (name) {
        var values = facets[name] || [];
        if (!values.length) return;
        var group = document.createElement('fieldset');
        group.className = 'facet';
        group.innerHTML = '<legend>' + escape(strings['facet_' + name] || name) + '</legend>';
        values.slice(0, 12).forEach(function (v) {
          var b = document.createElement('button');
          b.type = 'button';
          b.className = 'chip' + (v.selected ? ' selected' : '');
          b.setAttribute('aria-pressed', v.selected ? 'true' : 'false');
          b.setAttribute('data-facet', name);
          b.setAttribute('data-value', String(v.value));
          b.innerHTML = escape(v.label) + ' <span class="count">' + v.count + '</span>';
          b.addEventListener('click', function () {
            if (filters[name] !== undefined && String(filters[name]) === String(v.value)) delete filters[name];
            else filters[name] = String(v.value);
            pushNext = true;
            run(true);
          });
          group.appendChild(b);
        });
        facetBox.appendChild(group);
      });
    }

    function run(now) {
      clearTimeout(timer);
      var q = input.value;
      if (q.trim().length < 2) {
        panel.hidden = true;
        text(status, '');
        return;
      }
      var go = function () {
        var mine = ++seq;
        writeHash(q);
        engine.search(q, filters, 10, function () { return mine !== seq; }).then(function (res) {
          if (res && mine === seq) render(res);
        }).catch(function (e) {
          panel.hidden = false;
          if (e instanceof MinhbachSearch.VersionError) {
            text(status, (strings.version || '{found} {expected}').replace('{found}', e.found).replace('{expected}', e.expected));
          } else {
            text(status, (strings.error || 'Search failed') + ': ' + e.message);
          }
        });
      };
      if (now) go();
      else timer = setTimeout(go, 60);
    }

    function move(delta) {
      var items = list.querySelectorAll('.result');
      if (!items.length) return;
      if (active >= 0 && items[active]) items[active].classList.remove('active');
      active = (active + delta + items.length) % items.length;
      items[active].classList.add('active');
      items[active].scrollIntoView({ block: 'nearest' });
    }

    input.addEventListener('input', function () { run(false); });
    // Fetch the metadata as soon as the reader reaches for the box.
    input.addEventListener('focus', function () { engine.ready().catch(function () {}); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); move(1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); move(-1); }
      else if (e.key === 'Enter') {
        e.preventDefault();
        var items = list.querySelectorAll('.result');
        var target = items[active >= 0 ? active : 0];
        if (target) location.href = target.querySelector('a').href;
      } else if (e.key === 'Escape') {
        panel.hidden = true;
      }
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); pushNext = true; run(true); });
    document.addEventListener('keydown', function (e) {
      var tag = (e.target && e.target.tagName) || '';
      if (e.key === '/' && tag !== 'INPUT' && tag !== 'TEXTAREA' && !e.target.isContentEditable) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
    var initial = readHash();
    if (initial.q) {
      input.value = initial.q;
      filters = initial.filters;
      run(true);
    }
  })();
}
