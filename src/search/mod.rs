//! Index stage: the search index, built at build time, deterministic, and
//! split so that a query loads only what it needs, with `<script>` tags.
//!
//! Files, all under `search/`:
//! - `meta.js` — the bucket list, per-report facets (agency, year, kind) and
//!   the agency, province and kind names; loaded once.
//! - `i/<bucket>.js` — the terms whose folded form starts with `<bucket>`
//!   (two or three letters), each with its document frequency and the
//!   postings of its best-scoring reports; `t/<bucket>-<n>.js` hold the rest.
//! - `f/<report>.js` — one report's text by section, gzip-compressed, for
//!   snippets, exact-diacritic and phrase ranking in the browser.
//! - `d/<n>.js` — legal documents by number, for citation queries.
//!
//! Why not a crate: elasticlunr-rs (what Zola and mdBook use) writes one
//! monolithic JSON index that must be loaded whole — the size that crashes
//! phones at 10,000 reports — and its pipeline trims and stems words as
//! English, mangling Vietnamese syllables; Pagefind shards well but loads
//! with `fetch`, ES modules and WebAssembly, none of which work from
//! `file://`. Sharding by term and loading shards as scripts is what lets
//! the same files work on any host and opened from disk.

mod encode;
pub mod rank;
pub mod text;

use crate::catalog::Catalog;
use crate::intern::Strings;
use crate::model::{Body, Content, IdVec, Report, ReportId};
use crate::urls::{self, SearchPaths, SEARCH_PATHS};
use crate::write::{OutputPath, Writer};
use anyhow::Result;
use encode::{b64, gzip, js_call, read_varint, varint};
use rank::{score, HEAD, TAIL, TITLE_WEIGHT};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use text::{fold, strip_markdown};

/// Buckets larger than this (bytes of encoded postings) are split one letter deeper.
const BUCKET_BYTES: usize = 48 * 1024;

/// The searchable text of one report: its units (title block, then one per
/// section, opening, closing, footnote), with display labels.
pub struct ReportText {
    /// (anchor, label, plain text) in reading order; the first is the title block.
    pub units: Vec<(String, String, String)>,
}

/// Builds the searchable text of a report from its metadata and body.
pub fn report_text(content: &Content, report: &Report, body: &Body) -> ReportText {
    let agency = report.agency_id.map(|a| &content.agencies[a]);
    let signer = report.signer.as_ref();
    let head = [
        Some(report.kind.as_str()),
        Some(report.title.as_str()),
        report.number(),
        agency.map(|a| a.name.as_str()),
        agency.map(|a| a.province.value.as_str()),
        report.summary.as_deref(),
        signer.and_then(|s| s.position.as_deref()),
        signer.and_then(|s| s.name.as_deref()),
    ]
    .into_iter()
    .flatten()
    .chain(report.recipients.iter().map(String::as_str))
    .collect::<Vec<_>>()
    .join(" · ");
    let mut units: Vec<(String, String, String)> = vec![(String::new(), String::new(), head)];
    let outline = body.outline();
    for part in body.texts_of(&outline) {
        let anchor = part.anchor;
        let plain = strip_markdown(part.text);
        match units.last_mut() {
            Some(last) if last.0 == anchor && !anchor.is_empty() => {
                last.2.push('\n');
                last.2.push_str(&plain);
            }
            _ => {
                let label = outline
                    .iter()
                    .find(|e| e.anchor == anchor)
                    .map(|e| e.label())
                    .unwrap_or_default();
                units.push((anchor, label, plain));
            }
        }
    }
    ReportText { units }
}

/// A report's parts as the search counts them: (weight, text), the title
/// block weighted. Lowercase Σ depends on the letters around it (final
/// sigma), so text holding one is lowercased whole first.
fn weighted_parts(text: &ReportText) -> Vec<(u32, std::borrow::Cow<'_, str>)> {
    text.units
        .iter()
        .enumerate()
        .flat_map(|(k, (_, label, body))| {
            let weight = if k == 0 { TITLE_WEIGHT } else { 1 };
            [body, label].into_iter().map(move |part| {
                let part = match part.contains('Σ') {
                    true => std::borrow::Cow::Owned(part.to_lowercase()),
                    false => std::borrow::Cow::Borrowed(part.as_str()),
                };
                (weight, part)
            })
        })
        .collect()
}

/// Each syllable as written in `parts` → (weighted count, occurrences), in
/// no order. Syllables are counted as written, and each distinct one is
/// lowercased and folded once ([`folded_terms`]): lowercasing the whole
/// text first cost more than everything else here.
fn written_syllables<'t>(
    parts: &'t [(u32, std::borrow::Cow<'t, str>)],
) -> crate::FastMap<&'t str, (u32, u32)> {
    // Room for a distinct syllable every 24 bytes of text (the seed and
    // synthetic reports have one every 33-38), so that the map seldom
    // grows while it fills.
    let mut raw: crate::FastMap<&str, (u32, u32)> = Default::default();
    raw.reserve(parts.iter().map(|(_, p)| p.len()).sum::<usize>() / 24);
    for (weight, part) in parts {
        for t in text::syllables(part) {
            let n = raw.entry(t).or_default();
            n.0 += weight;
            n.1 += 1;
        }
    }
    raw
}

/// The folded terms a syllable as written gives: one, except where
/// lowercasing makes a character that ends a syllable (İ → i̇).
fn folded_terms(written: &str) -> Vec<String> {
    text::syllables(&written.to_lowercase()).map(fold).collect()
}

/// Per-report term frequencies: folded term → weighted count, in no
/// order, and the report's length in terms. [`Indexer::add`] gives the
/// same counts by term number.
#[cfg(test)]
fn report_terms(text: &ReportText) -> (Vec<(String, u32)>, u32) {
    let parts = weighted_parts(text);
    let mut len = 0u32;
    let mut folded: crate::FastMap<String, u32> = Default::default();
    for (t, (weight, seen)) in written_syllables(&parts) {
        for term in folded_terms(t) {
            *folded.entry(term).or_default() += weight;
            len += seen;
        }
    }
    (folded.into_iter().collect(), len.max(1))
}

/// A syllable as written → the numbers of the folded terms it gives.
type WrittenTerms = crate::FastMap<Box<str>, Box<[u32]>>;

/// Most written syllables a thread remembers the term numbers of (about
/// 60 bytes each): Vietnamese has some 7,000 syllables, so a site's text
/// repeats a few tens of thousands of written forms; the cap only bounds
/// what numbers and odd tokens could add.
const WRITTEN_CACHE: usize = 1 << 17;

/// A report's terms by number (in `vocabulary`) with their weighted
/// counts, in no order, and its length in terms. Each thread (its slot in
/// `written`; the last for threads outside the pool) remembers the term
/// numbers of the written syllables it has seen (the numbers stay the same
/// for the whole index), so a syllable met before is one look-up instead of
/// lowercasing, folding and finding the folded term in the shared
/// vocabulary (with the source digests' buffer, 4.5% of a 200-report
/// rebuild's instructions without SHA-256, `bench/instructions.sh`); only
/// syllables new to the thread take the vocabulary's lock, once per report.
fn term_counts(
    text: &ReportText,
    written: &[std::sync::Mutex<WrittenTerms>],
    vocabulary: &std::sync::Mutex<Strings>,
) -> Result<(Vec<(u32, u32)>, u32)> {
    let parts = weighted_parts(text);
    let raw = written_syllables(&parts);
    let slot = rayon::current_thread_index()
        .and_then(|i| written.get(i))
        .unwrap_or(&written[written.len() - 1]);
    let mut known = slot
        .lock()
        .map_err(|_| anyhow::anyhow!("search syllables poisoned"))?;
    let mut counts: crate::FastMap<u32, u32> = Default::default();
    counts.reserve(raw.len());
    let mut len = 0u32;
    let mut count = |terms: &[u32], (weight, seen): (u32, u32)| {
        for &id in terms {
            *counts.entry(id).or_default() += weight;
            len += seen;
        }
    };
    let mut new: Vec<(&str, (u32, u32), Vec<String>)> = Vec::new();
    for (t, n) in raw {
        match known.get(t) {
            Some(terms) => count(terms, n),
            None => new.push((t, n, folded_terms(t))),
        }
    }
    if !new.is_empty() {
        let mut v = vocabulary
            .lock()
            .map_err(|_| anyhow::anyhow!("search vocabulary poisoned"))?;
        for (t, n, terms) in new {
            let terms: Box<[u32]> = terms.iter().map(|term| v.id(term)).collect();
            count(&terms, n);
            if known.len() < WRITTEN_CACHE {
                known.insert(t.into(), terms);
            }
        }
    }
    Ok((counts.into_iter().collect(), len.max(1)))
}

/// The bucket of a folded term: its first two characters, as a safe file name.
fn bucket_of(term: &str, depth: usize) -> String {
    let mut out = String::new();
    for c in term.chars().take(depth) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push_str(&format!("u{:x}", c as u32));
        }
    }
    if term.chars().count() < depth {
        out.push('_');
    }
    out
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    /// Where the other search files are.
    paths: SearchPaths,
    reports: usize,
    avg_len: f64,
    head: usize,
    /// Bucket names, sorted.
    buckets: Vec<String>,
    /// Per report: varint agency index, year − 1900, kind index.
    facets: String,
    agencies: Vec<(&'a str, usize, String)>,
    provinces: Vec<&'a str>,
    kinds: Vec<&'a str>,
    doc_shards: u32,
}

/// Number of files legal documents are spread over (by document number).
pub const DOC_SHARDS: u32 = 16;

/// The vocabulary while the index is finished: kept whole for a later
/// build, or only as the list of terms by number.
enum Words {
    Kept(Strings),
    List(Vec<Box<str>>),
}

impl Words {
    fn get(&self, id: u32) -> &str {
        match self {
            Words::Kept(s) => s.get(id),
            Words::List(l) => &l[id as usize],
        }
    }

    fn len(&self) -> usize {
        match self {
            Words::Kept(s) => s.len(),
            Words::List(l) => l.len(),
        }
    }
}

/// What the index keeps of one report: its terms, as (term number delta,
/// count) varint pairs sorted by term number (about 3 bytes a term), and
/// its length in syllables.
#[derive(Debug, Clone)]
struct ReportTerms {
    packed: Box<[u8]>,
    len: u32,
}

/// The index as a build left it: every report's terms and the files of each
/// term prefix. A build that reloads what changed starts from it and
/// writes again only the buckets of the terms that changed.
#[derive(Debug)]
pub struct IndexState {
    vocabulary: Strings,
    /// By report slug.
    terms: BTreeMap<String, ReportTerms>,
    /// Per two-letter prefix: its buckets and their tail counts.
    buckets: BTreeMap<String, Vec<(String, usize)>>,
    /// The length the scores were computed against.
    avg_len: f64,
    /// Published report slugs in index order.
    order: Vec<String>,
}

impl IndexState {
    /// The two-letter prefixes of a report's terms (the buckets they are in).
    fn prefixes_of(&self, slug: &str) -> BTreeSet<String> {
        self.terms.get(slug).map_or_else(BTreeSet::new, |t| {
            unpack(&t.packed)
                .map(|(id, _)| bucket_of(self.vocabulary.get(id), 2))
                .collect()
        })
    }

    /// The bucket and tail files of the prefixes of report `slug`'s terms:
    /// the index files its text is in.
    pub fn files_of(&self, slug: &str) -> Vec<String> {
        self.prefixes_of(slug)
            .iter()
            .flat_map(|p| prefix_files(self.buckets.get(p).map_or(&[][..], Vec::as_slice)))
            .collect()
    }
}

/// The paths of some buckets and their tails.
fn prefix_files(buckets: &[(String, usize)]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, tails) in buckets {
        out.push(SearchPaths::fill(SEARCH_PATHS.bucket, name));
        out.extend(
            (0..*tails).map(|n| SearchPaths::fill(SEARCH_PATHS.tail, &format!("{name}-{n}"))),
        );
    }
    out
}

/// Builds the search index as reports come, from any thread: each report's
/// fragment file is written at once and only its term numbers and counts
/// are kept.
pub struct Indexer<'a> {
    content: &'a Content,
    catalog: &'a Catalog,
    /// Each published report's number in the index: its place in the
    /// catalog's list of published reports.
    position: IdVec<ReportId, Option<u32>>,
    /// Every folded term seen so far, numbered as it came. Numbers stay
    /// inside the index stage (terms are written sorted), so the order
    /// reports arrive in does not show in the output.
    vocabulary: std::sync::Mutex<Strings>,
    /// Per report: its terms, once indexed.
    terms: IdVec<ReportId, std::sync::OnceLock<ReportTerms>>,
    /// Per thread of the pool (and one more for any other thread): the
    /// term numbers of each syllable as written that it has seen.
    written: Vec<std::sync::Mutex<WrittenTerms>>,
    /// What an earlier build left, when this one continues from it.
    previous: Option<Previous>,
}

/// The part of an earlier index a continuing build needs.
struct Previous {
    terms: BTreeMap<String, ReportTerms>,
    buckets: BTreeMap<String, Vec<(String, usize)>>,
    avg_len: f64,
    order: Vec<String>,
    /// The reports indexed again.
    changed: BTreeSet<String>,
}

impl<'a> Indexer<'a> {
    /// An empty index over the published reports.
    pub fn new(content: &'a Content, catalog: &'a Catalog) -> Indexer<'a> {
        let mut position: IdVec<ReportId, Option<u32>> = vec![None; content.reports.len()].into();
        for (i, &r) in catalog.reports().iter().enumerate() {
            position[r] = Some(i as u32);
        }
        Indexer {
            content,
            catalog,
            position,
            vocabulary: Default::default(),
            terms: (0..content.reports.len())
                .map(|_| std::sync::OnceLock::new())
                .collect::<Vec<_>>()
                .into(),
            written: (0..=rayon::current_num_threads())
                .map(|_| Default::default())
                .collect(),
            previous: None,
        }
    }

    /// An index that continues from `state`: published reports not in
    /// `changed` (slugs) keep the terms they had; those in it must be
    /// added again.
    pub fn resume(
        content: &'a Content,
        catalog: &'a Catalog,
        state: IndexState,
        changed: BTreeSet<String>,
    ) -> Indexer<'a> {
        let mut indexer = Indexer::new(content, catalog);
        for &r in catalog.reports() {
            let slug = &content.reports[r].slug;
            if !changed.contains(slug) {
                if let Some(t) = state.terms.get(slug) {
                    let _ = indexer.terms[r].set(t.clone());
                }
            }
        }
        indexer.vocabulary = std::sync::Mutex::new(state.vocabulary);
        indexer.previous = Some(Previous {
            terms: state.terms,
            buckets: state.buckets,
            avg_len: state.avg_len,
            order: state.order,
            changed,
        });
        indexer
    }

    /// Indexes report `r` from its body and writes its fragment.
    pub fn add(&self, r: ReportId, body: &Body, writer: &Writer) -> Result<()> {
        let report = &self.content.reports[r];
        let Some(i) = self.position[r].map(|i| i as usize) else {
            anyhow::bail!("report {} is not published", report.slug);
        };
        let text = report_text(self.content, report, body);
        let (path, bytes) = fragment(self.content, i, r, &text)?;
        writer.write(path, &bytes)?;
        let (mut ids, len) = term_counts(&text, &self.written, &self.vocabulary)?;
        ids.sort_unstable();
        let mut packed = Vec::with_capacity(ids.len() * 3);
        let mut prev = 0;
        for (id, n) in ids {
            varint(&mut packed, id - prev);
            varint(&mut packed, n);
            prev = id;
        }
        let terms = ReportTerms {
            packed: packed.into(),
            len,
        };
        if self.terms[r].set(terms).is_err() {
            anyhow::bail!("report {} indexed twice", report.slug);
        }
        Ok(())
    }

    /// Writes the term buckets, tails and meta (the document files are
    /// [`document_files`]).
    pub fn finish(self, writer: &Writer) -> Result<()> {
        self.finish_in_groups(writer, GROUP, false).map(|_| ())
    }

    /// [`Indexer::finish`], keeping what a later build needs to index only
    /// the reports that changed. A continuing index writes again only the
    /// buckets of the terms that the changed reports had or have (all of
    /// them when the order of the reports or the average length changed),
    /// and removes the files of those buckets that are gone.
    pub fn finish_keeping(self, writer: &Writer) -> Result<IndexState> {
        self.finish_in_groups(writer, GROUP, true)?
            .ok_or_else(|| anyhow::anyhow!("the index state was not kept"))
    }

    /// [`Indexer::finish`], gathering the postings of at most about
    /// `group` postings' worth of terms at a time (the files do not depend
    /// on `group`, only the memory used does); `keep` returns what a later
    /// build needs to continue.
    pub fn finish_in_groups(
        self,
        writer: &Writer,
        group: usize,
        keep: bool,
    ) -> Result<Option<IndexState>> {
        let (content, catalog) = (self.content, self.catalog);
        let reports = catalog.reports();
        let vocabulary = self
            .vocabulary
            .into_inner()
            .map_err(|_| anyhow::anyhow!("search vocabulary poisoned"))?;
        // A build that keeps nothing needs only the terms by number, not
        // the map from term to number (half the vocabulary's memory).
        let vocabulary = if keep {
            Words::Kept(vocabulary)
        } else {
            Words::List(vocabulary.into_list())
        };
        let mut terms = self.terms;
        let per_report: Vec<ReportTerms> = reports
            .iter()
            .map(|&r| {
                std::mem::take(&mut terms[r]).into_inner().ok_or_else(|| {
                    anyhow::anyhow!("report {} was not indexed", content.reports[r].slug)
                })
            })
            .collect::<Result<_>>()?;
        drop(terms);
        let avg_len = rank::average_length(
            per_report.iter().map(|t| f64::from(t.len)).sum::<f64>()
                / per_report.len().max(1) as f64,
        );
        let order: Vec<String> = reports
            .iter()
            .map(|&r| content.reports[r].slug.clone())
            .collect();
        let prefix_of = |id: u32| bucket_of(vocabulary.get(id), 2);

        // Which two-letter prefixes to write: all; or, continuing from an
        // earlier index with the same reports in the same order and the
        // same average length, those of the changed reports' old and new
        // terms — no other posting can have changed.
        let mut buckets_by_prefix: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
        let mut stale: Vec<String> = Vec::new();
        let only: Option<BTreeSet<String>> = match &self.previous {
            Some(p) if p.order == order && p.avg_len == avg_len => {
                let mut set = BTreeSet::new();
                for slug in &p.changed {
                    if let Some(t) = p.terms.get(slug) {
                        set.extend(unpack(&t.packed).map(|(id, _)| prefix_of(id)));
                    }
                    if let Some(i) = order.iter().position(|s| s == slug) {
                        set.extend(unpack(&per_report[i].packed).map(|(id, _)| prefix_of(id)));
                    }
                }
                for (prefix, list) in &p.buckets {
                    if set.contains(prefix) {
                        stale.extend(prefix_files(list));
                    } else {
                        buckets_by_prefix.insert(prefix.clone(), list.clone());
                    }
                }
                Some(set)
            }
            Some(p) => {
                stale.extend(p.buckets.values().flat_map(|l| prefix_files(l)));
                None
            }
            None => None,
        };

        let mut df = vec![0usize; vocabulary.len()];
        for t in &per_report {
            for (id, _) in unpack(&t.packed) {
                df[id as usize] += 1;
            }
        }
        // Terms in order, cut into groups of whole two-letter buckets of
        // about `group` postings each: a group's postings are gathered,
        // encoded and written before the next, so they are never all held
        // at once.
        let mut order_ids: Vec<u32> = (0..vocabulary.len() as u32)
            .filter(|&id| df[id as usize] > 0)
            .filter(|&id| only.as_ref().is_none_or(|set| set.contains(&prefix_of(id))))
            .collect();
        order_ids.sort_unstable_by(|&a, &b| vocabulary.get(a).cmp(vocabulary.get(b)));
        let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
        let (mut start, mut postings) = (0, 0);
        for k in 0..order_ids.len() {
            if k > start
                && postings >= group
                && prefix_of(order_ids[k]) != prefix_of(order_ids[k - 1])
            {
                groups.push(start..k);
                (start, postings) = (k, 0);
            }
            postings += df[order_ids[k] as usize];
        }
        groups.push(start..order_ids.len());
        // Each term's group and place in it.
        let mut group_of = vec![None::<(u32, u32)>; vocabulary.len()];
        for (g, range) in groups.iter().enumerate() {
            for (k, &id) in order_ids[range.clone()].iter().enumerate() {
                group_of[id as usize] = Some((g as u32, k as u32));
            }
        }

        let mut written: BTreeSet<String> = BTreeSet::new();
        for (g, range) in groups.iter().enumerate() {
            let group_terms = &order_ids[range.clone()];
            // Term (by place in the group) → postings packed as
            // (report << 8 | score), in report order.
            let mut start = Vec::with_capacity(group_terms.len() + 1);
            let mut acc = 0;
            for &id in group_terms {
                start.push(acc);
                acc += df[id as usize];
            }
            start.push(acc);
            let mut flat = vec![0u32; acc];
            let mut fill = start.clone();
            for (i, t) in per_report.iter().enumerate() {
                for (id, n) in unpack(&t.packed) {
                    if let Some((in_group, k)) = group_of[id as usize] {
                        if in_group as usize == g {
                            let slot = &mut fill[k as usize];
                            flat[*slot] = ((i as u32) << 8) | u32::from(score(n, t.len, avg_len));
                            *slot += 1;
                        }
                    }
                }
            }
            let postings: Vec<(&str, &[u32])> = group_terms
                .iter()
                .enumerate()
                .map(|(k, &id)| (vocabulary.get(id), &flat[start[k]..start[k + 1]]))
                .collect();
            for (prefix, list) in write_group(postings, writer)? {
                written.extend(prefix_files(&list));
                buckets_by_prefix.entry(prefix).or_default().extend(list);
            }
        }
        for path in stale.iter().filter(|p| !written.contains(*p)) {
            writer.remove(OutputPath::new(path)?)?;
        }
        let mut bucket_names: Vec<String> = buckets_by_prefix
            .values()
            .flat_map(|l| l.iter().map(|(b, _)| b.clone()))
            .collect();
        bucket_names.sort();
        let kept = match vocabulary {
            Words::Kept(vocabulary) => Some(IndexState {
                terms: order.iter().cloned().zip(per_report).collect(),
                vocabulary,
                buckets: buckets_by_prefix,
                avg_len,
                order,
            }),
            Words::List(_) => None,
        };

        // Facets and names.
        let mut provinces: Vec<&str> = catalog
            .provinces()
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        provinces.dedup();
        let mut kinds: Vec<&str> = reports
            .iter()
            .map(|&r| content.reports[r].kind.as_str())
            .collect();
        kinds.sort_by_cached_key(|k| crate::vietnamese::sort_key(k));
        kinds.dedup();
        let agencies: Vec<(&str, usize, String)> = content
            .agencies
            .values()
            .map(|a| {
                let p = provinces
                    .iter()
                    .position(|&p| p == a.province.value)
                    .unwrap_or(0);
                (a.short_name.as_str(), p, urls::agency(&a.slug))
            })
            .collect();
        let mut facets = Vec::new();
        for &r in reports {
            let report = &content.reports[r];
            let a = report.agency_id.map_or(0, |a| a.index());
            varint(&mut facets, a as u32);
            facets.push((report.year.value - 1900).clamp(0, 255) as u8);
            facets.push(kinds.iter().position(|&k| k == report.kind).unwrap_or(0) as u8);
        }
        let meta = Meta {
            version: rank::INDEX_VERSION,
            paths: SEARCH_PATHS,
            reports: reports.len(),
            avg_len,
            head: HEAD,
            buckets: bucket_names,
            facets: b64(&facets),
            agencies,
            provinces,
            kinds,
            doc_shards: DOC_SHARDS,
        };
        writer.write(
            OutputPath::new(urls::SEARCH_META)?,
            &js_call("minhbachMeta", &meta)?,
        )?;
        Ok(kept)
    }
}
/// Postings gathered for one group of terms at a time (about 64 MB).
const GROUP: usize = 16 << 20;

/// (term number, count) pairs of a packed list.
fn unpack(bytes: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let (mut at, mut id) = (0, 0u32);
    std::iter::from_fn(move || {
        (at < bytes.len()).then(|| {
            id += read_varint(bytes, &mut at);
            (id, read_varint(bytes, &mut at))
        })
    })
}

/// Buckets of one two-letter prefix, each with its number of tail files.
type PrefixBuckets = Vec<(String, usize)>;

/// Encodes and writes the buckets and tails of a run of terms (sorted,
/// whole two-letter buckets, each with its postings in report order);
/// returns the buckets written, by two-letter prefix.
fn write_group(
    postings: Vec<(&str, &[u32])>,
    writer: &Writer,
) -> Result<Vec<(String, PrefixBuckets)>> {
    // Encode each term: head (best scores) and tails (the rest), by report.
    struct Encoded {
        df: usize,
        head: String,
        tails: Vec<String>,
    }
    let encoded: Vec<(&str, Encoded)> = postings
        .into_par_iter()
        .map(|(term, list)| {
            let mut list = list.to_vec();
            let df = list.len();
            list.sort_by(|a, b| (b & 0xff).cmp(&(a & 0xff)).then(a.cmp(b)));
            let rest = if list.len() > HEAD {
                list.split_off(HEAD)
            } else {
                Vec::new()
            };
            let pack = |mut part: Vec<u32>| -> String {
                part.sort_unstable();
                let mut bytes = Vec::with_capacity(part.len() * 3);
                let mut prev = 0u32;
                for p in part {
                    let report = p >> 8;
                    varint(&mut bytes, report - prev);
                    bytes.push((p & 0xff) as u8);
                    prev = report;
                }
                b64(&bytes)
            };
            let mut rest = rest;
            rest.sort_unstable();
            let tails = rest.chunks(TAIL).map(|c| pack(c.to_vec())).collect();
            (
                term,
                Encoded {
                    df,
                    head: pack(list),
                    tails,
                },
            )
        })
        .collect();

    // Buckets of two letters, split to three where a bucket is too large.
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for (term, e) in &encoded {
        *sizes.entry(bucket_of(term, 2)).or_default() += e.head.len() + term.len() + 8;
    }
    let bucket = |term: &str| -> String {
        let two = bucket_of(term, 2);
        if sizes.get(&two).copied().unwrap_or(0) > BUCKET_BYTES {
            bucket_of(term, 3)
        } else {
            two
        }
    };
    let mut buckets: BTreeMap<String, BTreeMap<&str, (usize, &str, usize)>> = BTreeMap::new();
    let mut tails: BTreeMap<(String, usize), BTreeMap<&str, &str>> = BTreeMap::new();
    for (term, e) in &encoded {
        let b = bucket(term);
        for (n, t) in e.tails.iter().enumerate() {
            tails.entry((b.clone(), n)).or_default().insert(term, t);
        }
        buckets
            .entry(b)
            .or_default()
            .insert(term, (e.df, &e.head, e.tails.len()));
    }
    for (name, entries) in &buckets {
        writer.write(
            OutputPath::new(&SearchPaths::fill(SEARCH_PATHS.bucket, name))?,
            &js_call("minhbachIndex", &(name, entries))?,
        )?;
    }
    for ((name, n), entries) in &tails {
        writer.write(
            OutputPath::new(&SearchPaths::fill(
                SEARCH_PATHS.tail,
                &format!("{name}-{n}"),
            ))?,
            &js_call("minhbachTail", &(name, n, entries))?,
        )?;
    }
    let mut by_prefix: BTreeMap<String, PrefixBuckets> = BTreeMap::new();
    for (name, entries) in &buckets {
        let Some(term) = entries.keys().next() else {
            continue;
        };
        let tail_count = entries.values().map(|e| e.2).max().unwrap_or(0);
        by_prefix
            .entry(bucket_of(term, 2))
            .or_default()
            .push((name.clone(), tail_count));
    }
    Ok(by_prefix.into_iter().collect())
}

/// Fragment file `i`: report `r`'s text by section, for snippets and
/// re-ranking in the browser.
fn fragment(
    content: &Content,
    i: usize,
    r: ReportId,
    text: &ReportText,
) -> Result<(OutputPath, Vec<u8>)> {
    let report = &content.reports[r];
    let agency = report.agency_id.map(|a| &content.agencies[a]);
    #[derive(Serialize)]
    struct Fragment<'a> {
        t: &'a str,
        u: String,
        k: &'a str,
        a: &'a str,
        p: &'a str,
        y: i32,
        s: &'a [(String, String, String)],
    }
    let json = serde_json::to_vec(&Fragment {
        t: &report.title,
        u: urls::report(&report.slug),
        k: &report.kind,
        a: agency.map_or("", |a| a.name.as_str()),
        p: agency.map_or("", |a| a.province.value.as_str()),
        y: report.year.value,
        s: &text.units,
    })?;
    let packed = b64(&gzip(&json)?);
    Ok((
        OutputPath::new(&fragment_path(i))?,
        js_call("minhbachFragment", &(i, packed))?,
    ))
}

/// The file (of [`DOC_SHARDS`]) a legal document is in: by its number, the
/// part of a citation a reader is surest of.
pub fn doc_shard(doc: &crate::catalog::LegalDoc) -> u32 {
    let number: u32 = doc
        .symbol
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    number % DOC_SHARDS
}

/// The path of document shard `n`.
pub fn doc_shard_path(n: u32) -> String {
    SearchPaths::fill(SEARCH_PATHS.documents, &n.to_string())
}

/// The path of the fragment of the report at place `i` of the index.
pub fn fragment_path(i: usize) -> String {
    SearchPaths::fill(SEARCH_PATHS.fragment, &i.to_string())
}

/// Legal documents for citation queries, spread over [`DOC_SHARDS`] files
/// by number.
pub fn document_files(content: &Content, catalog: &Catalog) -> Result<Vec<(OutputPath, Vec<u8>)>> {
    #[derive(Serialize)]
    struct Doc<'a> {
        /// Symbol, type, year, folded "type symbol" for matching.
        s: &'a str,
        t: &'a str,
        y: Option<i32>,
        f: String,
        /// Title, page URL, citing reports count.
        n: Option<&'a str>,
        u: String,
        c: usize,
        /// A few citing reports: (title, url, year).
        r: Vec<(&'a str, String, i32)>,
    }
    let mut shards: BTreeMap<u32, Vec<Doc<'_>>> = BTreeMap::new();
    for d in catalog.documents().values() {
        let citing: Vec<ReportId> = d.citing().map(|(r, _)| r).collect();
        let title = d.registry.and_then(|i| content.legal[i].title.as_deref());
        shards.entry(doc_shard(d)).or_default().push(Doc {
            s: &d.symbol,
            t: &d.doc_type,
            y: d.year,
            f: fold(&format!(
                "{} {} {}",
                d.doc_type,
                d.symbol,
                title.unwrap_or("")
            )),
            n: title,
            u: urls::document(&d.slug, 1),
            c: d.report_count(),
            r: citing
                .iter()
                .take(3)
                .map(|&r| {
                    let report = &content.reports[r];
                    (
                        report.title.as_str(),
                        urls::report(&report.slug),
                        report.year.value,
                    )
                })
                .collect(),
        });
    }
    let mut out = Vec::new();
    for n in 0..DOC_SHARDS {
        let docs = shards.remove(&n).unwrap_or_default();
        out.push((
            OutputPath::new(&doc_shard_path(n))?,
            js_call("minhbachDocs", &(n, docs))?,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts by term number, from a thread that has seen none of a
    /// report's syllables and from one that has seen all of them, are the
    /// counts of the report's folded terms.
    #[test]
    fn term_counts_are_the_report_terms_whether_syllables_were_seen_or_not() {
        // A seed report's text as it is written (Markdown, numbers,
        // citations), in units of a few lines.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let yaml = std::fs::read_to_string(
            root.join("content/reports/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen.yaml"),
        )
        .unwrap();
        let lines: Vec<&str> = yaml.lines().collect();
        let mut texts: Vec<ReportText> = lines
            .chunks(40)
            .map(|chunk| ReportText {
                units: chunk
                    .chunks(4)
                    .map(|c| (String::new(), c[0].to_string(), c.join("\n")))
                    .collect(),
            })
            .collect();
        // Lowercasing that makes two syllables of one (İ → i̇), a final
        // sigma, case and diacritics folded together, numbers.
        texts.push(ReportText {
            units: vec![(
                String::new(),
                "İSTANBUL ΟΔΟΣ".into(),
                "İi Σ ΣΑΣ Dân VẬN dân vận DAN van 28.101 73,95%".into(),
            )],
        });
        assert!(texts.len() > 2);
        let written: Vec<std::sync::Mutex<WrittenTerms>> =
            (0..2).map(|_| Default::default()).collect();
        let vocabulary = std::sync::Mutex::new(Strings::default());
        for round in ["unseen", "seen"] {
            for text in &texts {
                let (counts, len) = term_counts(text, &written, &vocabulary).unwrap();
                let vocabulary = vocabulary.lock().unwrap();
                let mut by_term: Vec<(String, u32)> = counts
                    .iter()
                    .map(|&(id, n)| (vocabulary.get(id).to_string(), n))
                    .collect();
                let (mut expected, expected_len) = report_terms(text);
                by_term.sort();
                expected.sort();
                assert!(!expected.is_empty());
                assert_eq!((by_term, len), (expected, expected_len), "{round}");
            }
        }
    }

    #[test]
    fn buckets_are_safe_file_names() {
        assert_eq!(bucket_of("dan", 2), "da");
        assert_eq!(bucket_of("d", 2), "d_");
        assert_eq!(bucket_of("2015", 2), "20");
        assert_eq!(bucket_of("日本", 2), "u65e5u672c");
        assert_eq!(bucket_of("kheo", 3), "khe");
    }
}
