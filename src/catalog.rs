//! Link stage: the graph, built once from validated content — published
//! reports by agency and year, agencies by province in Vietnamese order, and
//! every cited legal document with the reports that cite it.

use crate::cite::{id_slug, recognise_all, resolve_years, Citation, CiteContext, Registry};
use crate::diagnostics::Diagnostics;
use crate::load::{Content, PartialDate, Report};
use crate::vietnamese::sort_key;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Where a document is cited: which report, which section, which sentence.
/// Numbers only — at 50,000 reports there are nearly two million mentions:
/// the words are in [`Found`], the sentence in [`Contexts`].
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    /// Index into `Content::reports`.
    pub report: u32,
    /// Order of the citation among all citations of the build.
    pub seq: u32,
    /// The citation as written, in [`Found::words`].
    pub text: u32,
    /// The date cited with it (ISO, possibly partial), in [`Found::words`]; [`NONE`] when none.
    pub date: u32,
    /// The citation's document form (type and symbol as this citation
    /// gives them), in [`Found::forms`].
    pub form: u32,
    /// The anchor of the section the citation stands in (empty for a
    /// reference) and the sentence around it, kept in [`Contexts`].
    pub context: Spilled,
}

impl Mention {
    /// Index into `Content::reports`.
    pub fn report(&self) -> usize {
        self.report as usize
    }
}

/// No string: a [`Mention::date`] or [`Cited::date`] when the citation gives no date.
pub const NONE: u32 = u32::MAX;

/// Strings stored once and numbered in the order they are first seen.
/// Why by hand: a map and a list are all it takes; interning crates
/// (lasso, string-interner) add arenas and hashers that buy nothing here.
#[derive(Debug, Default)]
pub struct Strings {
    ids: crate::FastMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

impl Strings {
    /// The number of `s`, given it when new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.list.len() as u32;
        let owned: Box<str> = s.into();
        self.list.push(owned.clone());
        self.ids.insert(owned, id);
        id
    }

    /// The string numbered `id`.
    pub fn get(&self, id: u32) -> &str {
        &self.list[id as usize]
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The strings, by number.
    pub fn into_list(self) -> Vec<Box<str>> {
        self.list
    }
}

/// One citation as the load pass keeps it until linking: four numbers.
#[derive(Debug, Clone, Copy)]
pub struct Cited {
    /// Its document form, in [`Found::forms`].
    pub form: u32,
    /// The citation as written, in [`Found::words`].
    pub text: u32,
    /// The date cited with it, in [`Found::words`]; [`NONE`] when none.
    pub date: u32,
    /// Where its anchor and sentence are in [`Contexts`].
    pub context: Spilled,
}

/// The citations' shared parts, each stored once: document forms (a
/// citation without its words, date or place — the same few thousand over
/// and over) and wordings and dates.
#[derive(Debug, Default)]
pub struct Found {
    /// Document forms by number: citations with empty `text`, no `date`, no place.
    pub forms: Vec<Citation>,
    form_ids: Strings,
    /// Wordings and dates.
    pub words: Strings,
}

impl Found {
    /// Numbers one citation, storing what is new.
    fn add(&mut self, cit: &Citation, context: Spilled) -> Cited {
        // The id (`scope:year:symbol`) already holds scope and symbol.
        let key = format!(
            "{}\0{}\0{}\0{}",
            cit.id, cit.doc_type, cit.issuer, cit.number
        );
        let form = self.form_ids.id(&key);
        if form as usize == self.forms.len() {
            self.forms.push(Citation {
                start: 0,
                end: 0,
                text: String::new(),
                date: None,
                warnings: Vec::new(),
                ..cit.clone()
            });
        }
        Cited {
            form,
            text: self.words.id(&cit.text),
            date: cit.date.as_deref().map_or(NONE, |d| self.words.id(d)),
            context,
        }
    }

    /// A mention's words as written.
    pub fn text(&self, m: &Mention) -> &str {
        self.words.get(m.text)
    }

    /// A mention's date, when it gives one.
    pub fn date(&self, m: &Mention) -> Option<&str> {
        (m.date != NONE).then(|| self.words.get(m.date))
    }
}

/// Where a mention's anchor and sentence are in [`Contexts`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Spilled {
    offset: u64,
    len: u32,
}

/// The anchors and sentences of every mention, written to a temporary file
/// as reports are cited and read back for the document pages. At 50,000
/// reports they are over half a gigabyte; each document page shows only a
/// few of them.
pub struct Contexts {
    file: std::sync::Mutex<(std::io::BufWriter<std::fs::File>, u64)>,
}

impl Contexts {
    /// An empty store in a temporary file, removed when the store is dropped.
    pub fn new() -> std::io::Result<Contexts> {
        Ok(Contexts {
            file: std::sync::Mutex::new((std::io::BufWriter::new(tempfile::tempfile()?), 0)),
        })
    }

    /// Stores (anchor, sentence) pairs; returns where each is.
    pub fn put(&self, items: &[(&str, &str)]) -> std::io::Result<Vec<Spilled>> {
        use std::io::Write;
        let mut guard = self
            .file
            .lock()
            .map_err(|_| std::io::Error::other("context store poisoned"))?;
        let (w, at) = &mut *guard;
        let mut out = Vec::with_capacity(items.len());
        for (anchor, sentence) in items {
            let len = anchor.len() + 1 + sentence.len();
            w.write_all(anchor.as_bytes())?;
            w.write_all(b"\n")?;
            w.write_all(sentence.as_bytes())?;
            out.push(Spilled {
                offset: *at,
                len: u32::try_from(len).map_err(std::io::Error::other)?,
            });
            *at += len as u64;
        }
        Ok(out)
    }

    /// Makes everything stored readable.
    pub fn flush(&self) -> std::io::Result<()> {
        use std::io::Write;
        self.file
            .lock()
            .map_err(|_| std::io::Error::other("context store poisoned"))?
            .0
            .flush()
    }

    /// The anchor (`None` for a reference) and sentence of a mention.
    pub fn get(&self, at: Spilled) -> std::io::Result<(Option<String>, String)> {
        use std::io::{Read, Seek};
        let mut buf = vec![0; at.len as usize];
        {
            // Reads share the file's position: one at a time. Document pages
            // read a few sentences each.
            let mut guard = self
                .file
                .lock()
                .map_err(|_| std::io::Error::other("context store poisoned"))?;
            let file = guard.0.get_mut();
            file.seek(std::io::SeekFrom::Start(at.offset))?;
            file.read_exact(&mut buf)?;
            file.seek(std::io::SeekFrom::End(0))?;
        }
        let text = String::from_utf8(buf).map_err(std::io::Error::other)?;
        let (anchor, sentence) = text.split_once('\n').unwrap_or(("", &text));
        Ok((
            (!anchor.is_empty()).then(|| anchor.to_string()),
            sentence.to_string(),
        ))
    }
}

impl std::fmt::Debug for Contexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Contexts")
    }
}

/// A legal document known from citations and the registry.
#[derive(Debug, Clone)]
pub struct LegalDoc {
    /// Canonical id `scope:year:symbol`.
    pub id: String,
    /// Unique URL slug.
    pub slug: String,
    /// Canonical symbol.
    pub symbol: String,
    /// Type in words.
    pub doc_type: String,
    /// `vn`, province slug or agency id.
    pub scope: String,
    /// Year of issue when known.
    pub year: Option<i32>,
    /// Date of issue (ISO) when cited or registered.
    pub date: Option<String>,
    /// Index into `Content::legal`.
    pub registry: Option<usize>,
    /// Issuer code(s) from the symbol, e.g. `UBND`.
    pub issuer: String,
    /// Every citation in published reports, in report order.
    pub mentions: Vec<Mention>,
    /// Other symbols citations give for this same document ("Kế hoạch số
    /// 3307/KH-UBND" for "Quyết định số 3307/QĐ-UBND" of the same day).
    pub also_cited_as: Vec<String>,
    /// Documents most often cited in the same reports: (document index,
    /// number of reports citing both), most first.
    pub cited_with: Vec<(usize, usize)>,
    /// Citing reports in first-cited order, each with the range of its
    /// mentions in `mentions` (a report's mentions are next to each other).
    pub citing: Vec<(usize, std::ops::Range<usize>)>,
}

impl LegalDoc {
    /// Number of distinct reports citing the document.
    pub fn report_count(&self) -> usize {
        self.citing.len()
    }

    /// Groups the mentions by report, in first-cited order. Mentions are in
    /// build order, which goes report by report, so a report's are adjacent.
    fn group_citing(&mut self) {
        self.citing.clear();
        let mut start = 0;
        for run in self.mentions.chunk_by(|a, b| a.report == b.report) {
            self.citing
                .push((run[0].report(), start..start + run.len()));
            start += run.len();
        }
    }
}

/// A remark about citations, for `check`.
#[derive(Debug, Clone)]
pub struct Remark {
    /// Index into `Content::reports`.
    pub report: u32,
    /// The citation as written (in [`Found::words`]), to find it in the file.
    pub text: u32,
    /// What is wrong.
    pub problem: Problem,
}

/// What a [`Remark`] says. The commonest is made into words only when
/// printed: a large site has hundreds of thousands.
#[derive(Debug, Clone)]
pub enum Problem {
    /// Nothing tells the year of the document of this form (in [`Found::forms`]).
    NoYear(u32),
    /// Anything else, in words.
    Other(String),
}

/// Options that change what is published.
#[derive(Debug, Clone, Copy, Default)]
pub struct Publish {
    /// Publish drafts too (with a banner).
    pub drafts: bool,
}

impl Publish {
    /// True when `report` is published: approved (or drafts are), and its
    /// agency exists (`content.agencies` is sorted by id).
    pub fn admits(&self, content: &Content, report: &Report) -> bool {
        (self.drafts || report.is_approved())
            && content
                .agencies
                .binary_search_by(|a| a.id.as_str().cmp(&report.agency.value))
                .is_ok()
    }
}

/// The site graph.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Published report indices, newest first (year, date, then id).
    pub reports: Vec<usize>,
    /// Agency indices in Vietnamese alphabetical order of name.
    pub agencies: Vec<usize>,
    /// Position of each agency (by index) in `agencies`.
    pub agency_rank: Vec<usize>,
    /// Provinces (name, agency indices), in Vietnamese order.
    pub provinces: Vec<(String, Vec<usize>)>,
    /// Published reports per agency index, newest first.
    pub reports_by_agency: BTreeMap<usize, Vec<usize>>,
    /// Published reports per year reported on, newest first.
    pub years: BTreeMap<i32, Vec<usize>>,
    /// Every cited document, sorted by id.
    pub documents: Vec<LegalDoc>,
    /// Document index by id — the canonical id, and every id a citation
    /// gets before its year is resolved or its type conflict merged, so the
    /// renderer can link any citation it recognises.
    pub document_index: BTreeMap<String, usize>,
    /// The legal registry as the citation engine uses it.
    pub registry: Registry,
    /// Editor-facing remarks found while linking citations (no year, type and
    /// date conflicts), with the report index and the citation text.
    pub remarks: Vec<Remark>,
    /// Per report index: indices of the documents it cites, in first-cited order.
    pub cited_by_report: BTreeMap<usize, Vec<usize>>,
    /// Agency index by id.
    pub agency_index: BTreeMap<String, usize>,
    /// Where mentions' sentences are kept.
    pub contexts: Option<Contexts>,
    /// Mentions' document forms and words.
    pub found: Found,
}

fn date_key(d: &Option<PartialDate>) -> (i32, u8, u8) {
    d.map(|d| (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0)))
        .unwrap_or((0, 0, 0))
}

/// The sentence of `text` around byte range `start..end`, whitespace folded.
fn sentence_around(text: &str, start: usize, end: usize) -> String {
    // "28.101" and "22.9.2021" hold dots: only a dot before a space ends a sentence.
    let head = &text[..start];
    let begin = [head.rfind(". ").map(|i| i + 1), head.rfind([';', '\n'])]
        .into_iter()
        .flatten()
        .max()
        .map(|i| i + 1)
        .unwrap_or(0);
    let stop = text[end..]
        .find([';', '\n'])
        .map(|i| end + i)
        .unwrap_or(text.len());
    let s = text[begin..stop]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let s = s.trim_start_matches(['-', '+', '*', ' ']).to_string();
    if s.chars().count() > 320 {
        let cut: String = s.chars().take(317).collect();
        format!("{cut}…")
    } else {
        s
    }
}

impl Catalog {
    /// Builds the graph. Reports must have passed validation.
    pub fn build(
        content: &Content,
        publish: Publish,
        registry: Registry,
        contexts: Contexts,
        found: Found,
        per_report: Vec<Vec<Cited>>,
        timings: &mut crate::site::Timings,
    ) -> Catalog {
        let mut c = Catalog::default();
        for (i, a) in content.agencies.iter().enumerate() {
            c.agency_index.insert(a.id.clone(), i);
        }
        c.reports = (0..content.reports.len())
            .filter(|&i| publish.admits(content, &content.reports[i]))
            .collect();
        c.reports.sort_by(|&a, &b| {
            let (ra, rb) = (&content.reports[a], &content.reports[b]);
            rb.year
                .value
                .cmp(&ra.year.value)
                .then(date_key(&rb.date).cmp(&date_key(&ra.date)))
                .then(ra.id.cmp(&rb.id))
        });
        for &r in &c.reports {
            let report = &content.reports[r];
            let a = c.agency_index[&report.agency.value];
            c.reports_by_agency.entry(a).or_default().push(r);
            c.years.entry(report.year.value).or_default().push(r);
        }

        c.agencies = (0..content.agencies.len()).collect();
        c.agencies.sort_by_cached_key(|&a| {
            (
                sort_key(&content.agencies[a].name),
                content.agencies[a].id.clone(),
            )
        });
        c.agency_rank = vec![0; content.agencies.len()];
        for (rank, &a) in c.agencies.iter().enumerate() {
            c.agency_rank[a] = rank;
        }
        let mut provinces: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &a in &c.agencies {
            provinces
                .entry(content.agencies[a].province.value.clone())
                .or_default()
                .push(a);
        }
        c.provinces = provinces.into_iter().collect();
        c.provinces.sort_by_cached_key(|p| sort_key(&p.0));

        c.registry = registry;
        c.contexts = Some(contexts);
        c.found = found;
        let t = crate::site::Mark::now();
        c.link_documents(content, per_report);
        timings.push("link", t);
        c
    }

    /// Gives every citation one document, then links documents and reports.
    /// Citations were recognised report by report while loading; they are
    /// taken in publication order so the result does not depend on
    /// scheduling.
    fn link_documents(&mut self, content: &Content, per_report: Vec<Vec<Cited>>) {
        // Only forms without a year can change id; remember theirs.
        let raw_ids: Vec<Option<String>> = self
            .found
            .forms
            .iter()
            .map(|f| f.year.is_none().then(|| f.id.clone()))
            .collect();
        {
            let mut refs: Vec<&mut Citation> = self.found.forms.iter_mut().collect();
            resolve_years(&mut refs, &self.registry);
        }
        let mut id_of: BTreeMap<String, String> = BTreeMap::new();
        for (form, raw) in self.found.forms.iter().zip(raw_ids) {
            if let Some(raw) = raw {
                id_of.insert(raw, form.id.clone());
            }
            id_of
                .entry(form.id.clone())
                .or_insert_with(|| form.id.clone());
        }

        // Mentions per document, so each list is made at its size (at 50,000
        // reports, growing them would hold tens of megabytes of spare room).
        let mut per_id: std::collections::HashMap<&str, usize> = Default::default();
        for &r in &self.reports {
            for cit in &per_report[r] {
                *per_id
                    .entry(self.found.forms[cit.form as usize].id.as_str())
                    .or_default() += 1;
            }
        }
        let mut docs: BTreeMap<String, LegalDoc> = BTreeMap::new();
        let mut seq = 0u32;
        let found = &self.found;
        let mut per_report = per_report;
        for &r in &self.reports {
            for cit in std::mem::take(&mut per_report[r]) {
                let form = &found.forms[cit.form as usize];
                if form.year.is_none() {
                    self.remarks.push(Remark {
                        report: r as u32,
                        text: cit.text,
                        problem: Problem::NoYear(cit.form),
                    });
                }
                let doc = match docs.get_mut(&form.id) {
                    Some(doc) => doc,
                    None => docs.entry(form.id.clone()).or_insert(LegalDoc {
                        id: form.id.clone(),
                        slug: String::new(),
                        symbol: form.symbol.clone(),
                        doc_type: form.doc_type.clone(),
                        scope: form.scope.clone(),
                        year: form.year,
                        date: None,
                        registry: None,
                        issuer: form.issuer.clone(),
                        mentions: Vec::with_capacity(per_id[form.id.as_str()]),
                        also_cited_as: Vec::new(),
                        cited_with: Vec::new(),
                        citing: Vec::new(),
                    }),
                };
                if cit.date != NONE {
                    let date = found.words.get(cit.date);
                    if date.len() == 10 && doc.date.as_ref().is_none_or(|d| d.len() < 10) {
                        doc.date = Some(date.to_string());
                    }
                }
                doc.mentions.push(Mention {
                    report: r as u32,
                    seq,
                    text: cit.text,
                    date: cit.date,
                    form: cit.form,
                    context: cit.context,
                });
                seq += 1;
            }
        }
        drop(per_report);
        for d in &self.registry.docs {
            if let Some(doc) = docs.get_mut(&d.citation.id) {
                doc.registry = Some(d.entry);
                if let Some(date) = content.legal[d.entry].date {
                    doc.date = Some(date.iso());
                }
            }
        }
        self.merge_type_conflicts(&mut docs, &mut id_of);
        self.date_conflicts(&docs);
        for doc in docs.values_mut() {
            doc.mentions.shrink_to_fit();
            doc.group_citing();
        }

        // Slugs fold Đ/D and case; keep them unique in id order.
        let mut used = BTreeSet::new();
        for doc in docs.values_mut() {
            let base = id_slug(&doc.id);
            let mut slug = base.clone();
            let mut n = 2;
            while !used.insert(slug.clone()) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            doc.slug = slug;
        }
        self.documents = docs.into_values().collect();
        let index: BTreeMap<String, usize> = self
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        for (raw, id) in &id_of {
            if let Some(&i) = index.get(id) {
                self.document_index.insert(raw.clone(), i);
            }
        }
        self.document_index.extend(index);

        // Per report, the documents it cites in first-cited order: mentions
        // by build order are report by report.
        let mut by_seq: Vec<(u32, u32, u32)> = Vec::with_capacity(seq as usize);
        for (i, doc) in self.documents.iter().enumerate() {
            by_seq.extend(doc.mentions.iter().map(|m| (m.seq, m.report, i as u32)));
        }
        by_seq.sort_unstable();
        let mut cited: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (_, r, d) in by_seq {
            let list = cited.entry(r as usize).or_default();
            if !list.contains(&(d as usize)) {
                list.push(d as usize);
            }
        }
        self.cited_by_report = cited;
        self.link_cited_together();
    }

    /// Two citations that agree on scope, number, issuer and day but not on
    /// type ("Quyết định số 3307/QĐ-UBND" and "Kế hoạch số 3307/KH-UBND", both
    /// of 28/12/2020) name one document: the registered or first-cited symbol
    /// wins, the other becomes an alias, and `check` says so.
    fn merge_type_conflicts(
        &mut self,
        docs: &mut BTreeMap<String, LegalDoc>,
        id_of: &mut BTreeMap<String, String>,
    ) {
        let mut groups: BTreeMap<(String, u32, String, String), Vec<String>> = BTreeMap::new();
        for doc in docs.values() {
            let Some(date) = doc.date.as_ref().filter(|d| d.len() == 10) else {
                continue;
            };
            let number = first_number(&doc.symbol);
            groups
                .entry((doc.scope.clone(), number, doc.issuer.clone(), date.clone()))
                .or_default()
                .push(doc.id.clone());
        }
        for ids in groups.into_values().filter(|ids| ids.len() > 1) {
            let order = |id: &String| {
                let d = &docs[id];
                let first = d.mentions.iter().map(|m| m.seq).min().unwrap_or(u32::MAX);
                (d.registry.is_none(), first, id.clone())
            };
            let mut ids = ids;
            ids.sort_by_key(order);
            let keep = ids[0].clone();
            for other in &ids[1..] {
                let Some(alias) = docs.remove(other) else {
                    continue;
                };
                let target = docs.get_mut(&keep).expect("kept document exists");
                let alias_label = format!("{} {}", alias.doc_type, alias.symbol);
                let kept_text = target.mentions.first().map_or("", |m| self.found.text(m));
                for m in &alias.mentions {
                    let text = self.found.text(m);
                    self.remarks.push(Remark {
                        report: m.report,
                        text: m.text,
                        problem: Problem::Other(format!(
                            "`{text}` and `{kept_text}` agree on number, issuer and date but not on type; they are taken as one document, `{}`",
                            target.id
                        )),
                    });
                }
                if !target.also_cited_as.contains(&alias_label) {
                    target.also_cited_as.push(alias_label);
                }
                target.mentions.extend(alias.mentions);
                target.mentions.sort_by_key(|m| m.seq);
                for v in id_of.values_mut() {
                    if v == other {
                        *v = keep.clone();
                    }
                }
            }
        }
    }

    /// A document cited with two different days of issue (seed 003 gives
    /// Pháp lệnh 34/2007/PL-UBTVQH11 as of both 20/4/2007 and 05/4/2007).
    fn date_conflicts(&mut self, docs: &BTreeMap<String, LegalDoc>) {
        for doc in docs.values() {
            let mut first: Option<&Mention> = None;
            for m in &doc.mentions {
                if self.found.date(m).is_none_or(|d| d.len() != 10) {
                    continue;
                }
                match first {
                    None => first = Some(m),
                    Some(f) if f.date != m.date => {
                        let (text, first_text) = (self.found.text(m), self.found.text(f));
                        self.remarks.push(Remark {
                            report: m.report,
                            text: m.text,
                            problem: Problem::Other(format!(
                                "`{text}` gives another date of issue than `{first_text}` for the same document `{}`",
                                doc.id
                            )),
                        });
                    }
                    _ => {}
                }
            }
        }
    }

    /// For each document, the documents cited in the same reports, by the
    /// number of reports citing both.
    fn link_cited_together(&mut self) {
        let mut together: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); self.documents.len()];
        for list in self.cited_by_report.values() {
            for &a in list {
                for &b in list {
                    if a != b {
                        *together[a].entry(b).or_default() += 1;
                    }
                }
            }
        }
        let totals: Vec<usize> = self.documents.iter().map(LegalDoc::report_count).collect();
        for (d, counts) in together.into_iter().enumerate() {
            let mut list: Vec<(usize, usize)> = counts.into_iter().collect();
            list.sort_unstable_by(|a, b| {
                b.1.cmp(&a.1)
                    .then(totals[b.0].cmp(&totals[a.0]))
                    .then(a.0.cmp(&b.0))
            });
            list.truncate(8);
            list.shrink_to_fit();
            self.documents[d].cited_with = list;
        }
    }

    /// The anchor (`None` for a reference) and the sentence of a mention.
    pub fn context(&self, m: &Mention) -> std::io::Result<(Option<String>, String)> {
        match &self.contexts {
            Some(c) => c.get(m.context),
            None => Err(std::io::Error::other("the catalog keeps no sentences")),
        }
    }

    /// The citation scope of a published report.
    pub fn cite_context(&self, content: &Content, report: usize) -> CiteContext {
        cite_context(content, &content.reports[report])
    }

    /// Remarks on citations as editor-facing warnings, each placed at the
    /// citation in its file (found by its text), and registry entries that no
    /// published report cites. The remarks are handed over, not kept: there
    /// can be hundreds of thousands.
    pub fn take_warnings(&mut self, content: &Content, root: &std::path::Path) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let remarks = std::mem::take(&mut self.remarks);
        // Remarks are in report order: each report's source is read once,
        // reports in parallel.
        let by_report: Vec<&[Remark]> = remarks.chunk_by(|a, b| a.report == b.report).collect();
        let located: Vec<Vec<(&str, crate::diagnostics::Pos, String)>> = by_report
            .par_iter()
            .map(|remarks| {
                let report = &content.reports[remarks[0].report as usize];
                let source = std::fs::read_to_string(root.join(&report.file))
                    .map(|t| crate::vietnamese::nfc(&t).into_owned())
                    .unwrap_or_default();
                remarks
                    .iter()
                    .map(|remark| {
                        let text = self.found.words.get(remark.text);
                        let pos = source
                            .find(text)
                            .map(|i| crate::config::offset_to_pos(&source, i))
                            .unwrap_or_default();
                        let message = match &remark.problem {
                            Problem::NoYear(form) => format!(
                                "`{text}`: {}; it is listed as `{}`",
                                crate::cite::NO_YEAR,
                                self.found.forms[*form as usize].id
                            ),
                            Problem::Other(message) => message.clone(),
                        };
                        (report.file.as_str(), pos, message)
                    })
                    .collect()
            })
            .collect();
        for (file, pos, message) in located.into_iter().flatten() {
            diags.warning(file, pos, message);
        }
        for d in &self.registry.docs {
            if !self.document_index.contains_key(&d.citation.id) {
                let e = &content.legal[d.entry];
                diags.warning(
                    &e.file,
                    e.citation.referenced.into(),
                    format!(
                        "registry entry `{}` is cited by no published report",
                        e.citation.value
                    ),
                );
            }
        }
        diags
    }
}

/// Every citation in one report's texts and references, for the cite step:
/// its sentence goes to `contexts`, its form and words to `found`.
pub fn report_citations(
    content: &Content,
    registry: &Registry,
    contexts: &Contexts,
    found: &std::sync::Mutex<Found>,
    report: &Report,
) -> std::io::Result<Vec<Cited>> {
    let ctx = cite_context(content, report);
    let mut cits: Vec<(Citation, String, String)> = Vec::new();
    for (anchor, text) in report.texts() {
        for cit in recognise_all(text, &ctx, registry) {
            let sentence = sentence_around(text, cit.start, cit.end);
            cits.push((cit, anchor.clone().unwrap_or_default(), sentence));
        }
    }
    for reference in &report.references {
        for cit in recognise_all(&reference.value, &ctx, registry) {
            cits.push((cit, String::new(), reference.value.clone()));
        }
    }
    let pairs: Vec<(&str, &str)> = cits
        .iter()
        .map(|(_, a, s)| (a.as_str(), s.as_str()))
        .collect();
    let spilled = contexts.put(&pairs)?;
    let mut found = found
        .lock()
        .map_err(|_| std::io::Error::other("citation store poisoned"))?;
    Ok(cits
        .iter()
        .zip(spilled)
        .map(|((cit, _, _), at)| found.add(cit, at))
        .collect())
}

/// The citation scope of a report: its agency's province and id.
pub fn cite_context(content: &Content, report: &Report) -> CiteContext {
    let province = content
        .agencies
        .binary_search_by(|a| a.id.as_str().cmp(&report.agency.value))
        .ok()
        .map(|a| content.agencies[a].province_slug().to_string())
        .unwrap_or_default();
    CiteContext {
        province,
        agency: report.agency.value.clone(),
    }
}

/// The document number of a canonical symbol ("3307/QĐ-UBND" → 3307).
fn first_number(symbol: &str) -> u32 {
    let digits: String = symbol.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_is_cut_at_clause_ends() {
        let t = "Mở đầu. Thực hiện Kế hoạch số 23/KH-UBND ngày 24/3/2021 của tỉnh; phần sau.";
        let s = t.find("Kế").unwrap();
        assert_eq!(
            sentence_around(t, s, s + 10),
            "Thực hiện Kế hoạch số 23/KH-UBND ngày 24/3/2021 của tỉnh"
        );
    }
}
