//! Link stage: the graph, built once from checked and cited content —
//! published reports by agency and year, agencies by province in Vietnamese
//! order, and every cited legal document with the reports that cite it.
//! Its fields are private: the later stages ask it questions.

use crate::cite::{id_slug, resolve_years, Citation, CiteContext, Cited, Cites, Registry, Spilled};
use crate::diagnostics::Diagnostics;
use crate::model::{
    AgencyId, Content, DocumentId, FormId, IdVec, PartialDate, ProvinceId, Publish, ReportId,
};
use crate::vietnamese::sort_key;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Where a document is cited: which report, which section, which sentence.
/// Numbers only — at 50,000 reports there are nearly two million mentions:
/// the words are in the cite stage's `Forms`, the sentence in its contexts.
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    /// The citing report.
    pub report: ReportId,
    /// Order of the citation among all citations of the build.
    seq: u32,
    /// The citation as written, in the cite stage's words.
    text: u32,
    /// The date cited with it (ISO, possibly partial), in the cite stage's words.
    date: Option<u32>,
    /// The anchor of the section the citation stands in (empty for a
    /// reference) and the sentence around it.
    context: Spilled,
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
    /// Its entry in the legal registry (a place in `Content::legal`).
    pub registry: Option<usize>,
    /// Issuer code(s) from the symbol, e.g. `UBND`.
    pub issuer: String,
    /// Every citation in published reports, in report order.
    mentions: Vec<Mention>,
    /// Other types and symbols citations give for this same document
    /// ("Kế hoạch 3307/KH-UBND" for "Quyết định 3307/QĐ-UBND" of the same
    /// day), each with the reports that cite it so.
    pub also_cited_as: Vec<AlsoCited>,
    /// Documents cited in the same reports, by at least two reports (one
    /// report citing two documents says nothing of them), with the number
    /// of reports citing both, most first.
    pub cited_with: Vec<(DocumentId, usize)>,
    /// Citing reports in first-cited order, each with the range of its
    /// mentions in `mentions` (a report's mentions are next to each other).
    citing: Vec<(ReportId, std::ops::Range<usize>)>,
}

impl LegalDoc {
    /// Number of distinct reports citing the document.
    pub fn report_count(&self) -> usize {
        self.citing.len()
    }

    /// Number of citations of the document.
    pub fn mention_count(&self) -> usize {
        self.mentions.len()
    }

    /// The citing reports in first-cited order, each with its mentions.
    pub fn citing(&self) -> impl ExactSizeIterator<Item = (ReportId, &[Mention])> + '_ {
        self.citing
            .iter()
            .map(|(r, range)| (*r, &self.mentions[range.clone()]))
    }

    /// Groups the mentions by report, in first-cited order. Mentions are in
    /// build order, which goes report by report, so a report's are adjacent.
    fn group_citing(&mut self) {
        self.citing.clear();
        let mut start = 0;
        for run in self.mentions.chunk_by(|a, b| a.report == b.report) {
            self.citing.push((run[0].report, start..start + run.len()));
            start += run.len();
        }
    }
}

/// Another name a document is cited by, and the reports that use it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlsoCited {
    /// Type and symbol as cited ("Kế hoạch 3307/KH-UBND").
    pub label: String,
    /// The reports citing it so, in first-cited order.
    pub reports: Vec<ReportId>,
}

/// A remark about citations, for `check`.
#[derive(Debug, Clone)]
struct Remark {
    /// The citing report.
    report: ReportId,
    /// The citation as written (in the cite stage's words), to find it in the file.
    text: u32,
    /// What is wrong.
    problem: Problem,
}

/// What a [`Remark`] says. The commonest is made into words only when
/// printed: a large site has hundreds of thousands.
#[derive(Debug, Clone)]
enum Problem {
    /// Nothing tells the year of the document of this form.
    NoYear(FormId),
    /// Anything else, in words.
    Other(String),
}

/// A province (or "Trung ương") and its agencies.
#[derive(Debug)]
pub struct Province {
    /// Its name as the agencies write it ("Bình Phước").
    pub name: String,
    /// Its folder under `content/agencies/` and its address ("binh-phuoc").
    pub slug: String,
    /// Its agencies, in Vietnamese order of name.
    pub agencies: Vec<AgencyId>,
}

/// The order of the site's report lists: newest first (year, date, then
/// slug).
pub fn newest_first(content: &Content, a: ReportId, b: ReportId) -> std::cmp::Ordering {
    let (ra, rb) = (&content.reports[a], &content.reports[b]);
    rb.year
        .value
        .cmp(&ra.year.value)
        .then(date_key(&rb.date()).cmp(&date_key(&ra.date())))
        .then(ra.slug.cmp(&rb.slug))
}

/// The site graph.
#[derive(Debug)]
pub struct Catalog {
    /// Published reports, newest first (year, date, then slug).
    reports: Vec<ReportId>,
    /// Agencies in Vietnamese alphabetical order of name.
    agencies: Vec<AgencyId>,
    /// Position of each agency in `agencies`.
    agency_rank: IdVec<AgencyId, usize>,
    /// Provinces, in Vietnamese order.
    provinces: Vec<Province>,
    /// The province of each agency.
    agency_province: IdVec<AgencyId, ProvinceId>,
    /// Published reports per agency, newest first.
    reports_by_agency: BTreeMap<AgencyId, Vec<ReportId>>,
    /// Published reports per year reported on, newest first.
    years: BTreeMap<i32, Vec<ReportId>>,
    /// Every cited document, sorted by id.
    documents: IdVec<DocumentId, LegalDoc>,
    /// Document by id — the canonical id, and every id a citation had
    /// before its year was resolved or its type conflict merged.
    document_index: BTreeMap<String, DocumentId>,
    /// The document each citation form names, once resolved.
    document_of_form: IdVec<FormId, Option<DocumentId>>,
    /// Per report: the documents it cites, in first-cited order.
    cited_by_report: BTreeMap<ReportId, Vec<DocumentId>>,
    /// Editor-facing remarks found while linking citations (no year, type
    /// and date conflicts).
    remarks: Vec<Remark>,
    /// Pairs of document ids whose pages would have one address.
    clashes: Vec<(String, String)>,
    /// What the cite stage found.
    cites: Cites,
}

/// The documents of one report counted as cited together (see
/// `link_cited_together`); reports cite 5 to 70.
pub const COCITED_PER_REPORT: usize = 100;

/// For each document (by index), the documents cited with it in the most
/// of `lists` (each report's counted documents, each once), as
/// [`most_cited_with`] ranks them (`totals`: reports citing each document).
fn cited_together(lists: &[&[DocumentId]], totals: &[usize]) -> Vec<Vec<(DocumentId, usize)>> {
    let n = totals.len();
    // The lists each document is in, document by document (one array cut
    // at `starts`): a document's counts are then made in one array indexed
    // by document, where a map per document took an ordered look-up for
    // each pair of each report's documents (at 10,000 synthetic reports
    // citing 25 documents each, 6.2 million pairs: 0.3 s of the link
    // stage's 0.5, all on one core).
    let mut starts = vec![0u32; n + 1];
    for d in lists.iter().copied().flatten() {
        starts[d.index() + 1] += 1;
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    let mut at = starts.clone();
    let mut in_lists = vec![0u32; starts[n] as usize];
    for (k, list) in lists.iter().enumerate() {
        for d in list.iter() {
            in_lists[at[d.index()] as usize] = k as u32;
            at[d.index()] += 1;
        }
    }
    let mut count = vec![0usize; n];
    let mut counted: Vec<DocumentId> = Vec::new();
    (0..n)
        .map(|a| {
            let of_a = &in_lists[starts[a] as usize..starts[a + 1] as usize];
            for &b in of_a.iter().flat_map(|&k| lists[k as usize]) {
                if b.index() != a {
                    if count[b.index()] == 0 {
                        counted.push(b);
                    }
                    count[b.index()] += 1;
                }
            }
            let list = counted
                .drain(..)
                .map(|b| (b, std::mem::take(&mut count[b.index()])))
                .collect();
            most_cited_with(list, totals)
        })
        .collect()
}

/// A document's counts of reports shared with each other document, as its
/// "cited together" list: at least two, at most eight, most shared reports
/// first, then the most cited (`totals`), then the first.
fn most_cited_with(
    mut list: Vec<(DocumentId, usize)>,
    totals: &[usize],
) -> Vec<(DocumentId, usize)> {
    list.sort_unstable_by(|a, b| {
        b.1.cmp(&a.1)
            .then(totals[b.0.index()].cmp(&totals[a.0.index()]))
            .then(a.0.cmp(&b.0))
    });
    list.retain(|&(_, n)| n >= 2);
    list.truncate(8);
    list.shrink_to_fit();
    list
}

fn date_key(d: &Option<PartialDate>) -> (i32, u8, u8) {
    d.map(|d| (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0)))
        .unwrap_or((0, 0, 0))
}

impl Catalog {
    /// The reports `publish` admits, newest first: what
    /// [`Catalog::reports`] will be, known before the catalog is built.
    pub fn published(content: &Content, publish: Publish) -> Vec<ReportId> {
        let mut reports: Vec<ReportId> = content
            .reports
            .iter()
            .filter(|(_, r)| publish.admits(r))
            .map(|(id, _)| id)
            .collect();
        reports.sort_by(|&a, &b| newest_first(content, a, b));
        reports
    }

    /// Builds the graph from checked content and what the cite stage found
    /// in each report (`per_report`, by report).
    pub fn build(
        content: &Content,
        publish: Publish,
        cites: Cites,
        per_report: IdVec<ReportId, Vec<Cited>>,
    ) -> Catalog {
        let reports = Catalog::published(content, publish);
        let mut reports_by_agency: BTreeMap<AgencyId, Vec<ReportId>> = BTreeMap::new();
        let mut years: BTreeMap<i32, Vec<ReportId>> = BTreeMap::new();
        for &r in &reports {
            let report = &content.reports[r];
            if let Some(a) = report.agency_id {
                reports_by_agency.entry(a).or_default().push(r);
            }
            years.entry(report.year.value).or_default().push(r);
        }

        let mut agencies: Vec<AgencyId> = content.agencies.ids().collect();
        agencies.sort_by_cached_key(|&a| {
            (
                sort_key(&content.agencies[a].name),
                content.agencies[a].slug.clone(),
            )
        });
        let mut agency_rank: IdVec<AgencyId, usize> = vec![0; content.agencies.len()].into();
        for (rank, &a) in agencies.iter().enumerate() {
            agency_rank[a] = rank;
        }
        // A province is its folder under content/agencies/ (checked to be
        // the slug of the name each agency gives); its name is the one its
        // first agency in Vietnamese order writes.
        let mut by_province: BTreeMap<&str, Province> = BTreeMap::new();
        for &a in &agencies {
            let agency = &content.agencies[a];
            by_province
                .entry(agency.province_slug())
                .or_insert_with(|| Province {
                    name: agency.province.value.clone(),
                    slug: agency.province_slug().to_string(),
                    agencies: Vec::new(),
                })
                .agencies
                .push(a);
        }
        let mut provinces: Vec<Province> = by_province.into_values().collect();
        provinces.sort_by_cached_key(|p| (sort_key(&p.name), p.slug.clone()));
        let mut agency_province: IdVec<AgencyId, ProvinceId> =
            vec![ProvinceId::new(0); content.agencies.len()].into();
        for (i, p) in provinces.iter().enumerate() {
            for &a in &p.agencies {
                agency_province[a] = ProvinceId::new(i);
            }
        }

        let mut c = Catalog {
            reports,
            agencies,
            agency_rank,
            provinces,
            agency_province,
            reports_by_agency,
            years,
            documents: IdVec::default(),
            document_index: BTreeMap::new(),
            document_of_form: IdVec::default(),
            cited_by_report: BTreeMap::new(),
            remarks: Vec::new(),
            clashes: Vec::new(),
            cites,
        };
        c.link_documents(per_report);
        c
    }

    /// Gives every citation one document, then links documents and reports.
    /// Citations were recognised report by report while loading; they are
    /// taken in publication order so the result does not depend on
    /// scheduling.
    fn link_documents(&mut self, mut per_report: IdVec<ReportId, Vec<Cited>>) {
        // The forms published reports use: the cite stage also read drafts
        // (to check them), whose citations must not change what is published.
        let mut published = vec![false; self.cites.forms.forms.len()];
        for &r in &self.reports {
            for cit in &per_report[r] {
                published[cit.form.index()] = true;
            }
        }
        let forms = &mut self.cites.forms.forms;
        // Only forms without a year can change id; remember theirs.
        let raw_ids: Vec<Option<String>> = forms
            .values()
            .map(|f| f.year.is_none().then(|| f.id.clone()))
            .collect();
        {
            let mut refs: Vec<&mut Citation> = forms
                .as_mut_slice()
                .iter_mut()
                .zip(&published)
                .filter(|(_, &p)| p)
                .map(|(f, _)| f)
                .collect();
            resolve_years(&mut refs, &self.cites.registry);
        }
        let mut id_of: BTreeMap<String, String> = BTreeMap::new();
        for ((form, raw), _) in forms
            .values()
            .zip(raw_ids)
            .zip(&published)
            .filter(|(_, &p)| p)
        {
            if let Some(raw) = raw {
                id_of.insert(raw, form.id.clone());
            }
            id_of
                .entry(form.id.clone())
                .or_insert_with(|| form.id.clone());
        }

        // Mentions per document, so each list is made at its size (at 50,000
        // reports, growing them would hold tens of megabytes of spare room).
        let forms = &self.cites.forms;
        let mut per_id: crate::FastMap<&str, usize> = Default::default();
        for &r in &self.reports {
            for cit in &per_report[r] {
                *per_id.entry(forms.forms[cit.form].id.as_str()).or_default() += 1;
            }
        }
        let mut docs: BTreeMap<String, LegalDoc> = BTreeMap::new();
        let mut seq = 0u32;
        for &r in &self.reports {
            for cit in std::mem::take(&mut per_report[r]) {
                let form = &forms.forms[cit.form];
                if form.year.is_none() {
                    self.remarks.push(Remark {
                        report: r,
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
                if let Some(date) = cit.date.map(|d| forms.words.get(d)) {
                    if date.len() == 10 && doc.date.as_ref().is_none_or(|d| d.len() < 10) {
                        doc.date = Some(date.to_string());
                    }
                }
                doc.mentions.push(Mention {
                    report: r,
                    seq,
                    text: cit.text,
                    date: cit.date,
                    context: cit.context,
                });
                seq += 1;
            }
        }
        drop(per_report);
        for d in &self.cites.registry.docs {
            if let Some(doc) = docs.get_mut(&d.citation.id) {
                doc.registry = Some(d.entry);
                // The registry's date of issue wins over what citations say.
                if let Some(date) = &d.citation.date {
                    doc.date = Some(date.clone());
                }
            }
        }
        // A registered document that replaced a cited one has a page too,
        // so that the cited one's page can link to it.
        let registry = &self.cites.registry;
        let replacements: Vec<&Citation> = docs
            .values()
            .filter_map(|d| d.registry.and_then(|i| registry.replacement(i)))
            .collect();
        let mut added: Vec<LegalDoc> = Vec::new();
        for by in replacements {
            let known = docs.contains_key(&by.id) || added.iter().any(|d| d.id == by.id);
            let registered = registry.docs.iter().find(|d| d.citation.id == by.id);
            if let (false, Some(reg)) = (known, registered) {
                let c = &reg.citation;
                added.push(LegalDoc {
                    id: c.id.clone(),
                    slug: String::new(),
                    symbol: c.symbol.clone(),
                    doc_type: c.doc_type.clone(),
                    scope: c.scope.clone(),
                    year: c.year,
                    date: c.date.clone(),
                    registry: Some(reg.entry),
                    issuer: c.issuer.clone(),
                    mentions: Vec::new(),
                    also_cited_as: Vec::new(),
                    cited_with: Vec::new(),
                    citing: Vec::new(),
                });
            }
        }
        for d in added {
            docs.insert(d.id.clone(), d);
        }
        self.merge_type_conflicts(&mut docs, &mut id_of);
        self.date_conflicts(&docs);
        for doc in docs.values_mut() {
            doc.mentions.shrink_to_fit();
            doc.group_citing();
        }

        // Each page's address comes from its document's id alone; two ids
        // folding to one address are an error, never a silent `-2`.
        let mut used: BTreeMap<String, String> = BTreeMap::new();
        for doc in docs.values_mut() {
            doc.slug = id_slug(&doc.id);
            if let Some(first) = used.get(&doc.slug) {
                self.clashes.push((first.clone(), doc.id.clone()));
            } else {
                used.insert(doc.slug.clone(), doc.id.clone());
            }
        }
        self.documents = docs.into_values().collect::<Vec<_>>().into();
        let index: BTreeMap<String, DocumentId> = self
            .documents
            .iter()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        for (raw, id) in &id_of {
            if let Some(&i) = index.get(id) {
                self.document_index.insert(raw.clone(), i);
            }
        }
        self.document_index.extend(index);
        self.document_of_form = self
            .cites
            .forms
            .forms
            .values()
            .zip(&published)
            .map(|(f, &p)| {
                p.then(|| id_of.get(&f.id))
                    .flatten()
                    .and_then(|id| self.document_index.get(id))
                    .copied()
            })
            .collect::<Vec<_>>()
            .into();

        // Per report, the documents it cites in first-cited order: mentions
        // by build order are report by report.
        let mut by_seq: Vec<(u32, ReportId, DocumentId)> = Vec::with_capacity(seq as usize);
        for (i, doc) in self.documents.iter() {
            by_seq.extend(doc.mentions.iter().map(|m| (m.seq, m.report, i)));
        }
        by_seq.sort_unstable();
        let mut cited: BTreeMap<ReportId, Vec<DocumentId>> = BTreeMap::new();
        let mut seen: crate::FastSet<(ReportId, DocumentId)> = Default::default();
        for (_, r, d) in by_seq {
            if seen.insert((r, d)) {
                cited.entry(r).or_default().push(d);
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
                let first = d.mentions.iter().map(|m| m.seq).min();
                (d.registry.is_none(), first.is_none(), first, id.clone())
            };
            let mut ids = ids;
            ids.sort_by_key(order);
            let keep = ids[0].clone();
            for other in &ids[1..] {
                let Some(alias) = docs.remove(other) else {
                    continue;
                };
                let Some(target) = docs.get_mut(&keep) else {
                    continue;
                };
                let alias_label = format!("{} {}", alias.doc_type, alias.symbol);
                let words = &self.cites.forms.words;
                let kept_text = target.mentions.first().map_or("", |m| words.get(m.text));
                for m in &alias.mentions {
                    let text = words.get(m.text);
                    self.remarks.push(Remark {
                        report: m.report,
                        text: m.text,
                        problem: Problem::Other(format!(
                            "`{text}` and `{kept_text}` agree on number, issuer and date but not on type; they are taken as one document, `{}`",
                            target.id
                        )),
                    });
                }
                let mut reports: Vec<ReportId> = Vec::new();
                for m in &alias.mentions {
                    if !reports.contains(&m.report) {
                        reports.push(m.report);
                    }
                }
                match target
                    .also_cited_as
                    .iter_mut()
                    .find(|a| a.label == alias_label)
                {
                    Some(a) => {
                        for r in reports {
                            if !a.reports.contains(&r) {
                                a.reports.push(r);
                            }
                        }
                    }
                    None => target.also_cited_as.push(AlsoCited {
                        label: alias_label,
                        reports,
                    }),
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
        let words = &self.cites.forms.words;
        for doc in docs.values() {
            let mut first: Option<&Mention> = None;
            for m in &doc.mentions {
                if m.date.is_none_or(|d| words.get(d).len() != 10) {
                    continue;
                }
                match first {
                    None => first = Some(m),
                    Some(f) if f.date != m.date => {
                        let (text, first_text) = (words.get(m.text), words.get(f.text));
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
    /// number of reports citing both. A report counts with the first
    /// [`COCITED_PER_REPORT`] documents it cites: the pairs of a report's
    /// documents grow with their square, and a report citing thousands of
    /// documents says little about which go together.
    fn link_cited_together(&mut self) {
        let lists: Vec<&[DocumentId]> = self
            .cited_by_report
            .values()
            .map(|list| &list[..list.len().min(COCITED_PER_REPORT)])
            .collect();
        let totals: Vec<usize> = self
            .documents
            .values()
            .map(LegalDoc::report_count)
            .collect();
        for (d, list) in cited_together(&lists, &totals).into_iter().enumerate() {
            self.documents[DocumentId::new(d)].cited_with = list;
        }
    }

    /// Published reports, newest first (year, date, then slug).
    pub fn reports(&self) -> &[ReportId] {
        &self.reports
    }

    /// Agencies in Vietnamese alphabetical order of name.
    pub fn agencies(&self) -> &[AgencyId] {
        &self.agencies
    }

    /// An agency's place in [`Catalog::agencies`].
    pub fn agency_rank(&self, a: AgencyId) -> usize {
        self.agency_rank[a]
    }

    /// Provinces, in Vietnamese order; a [`ProvinceId`] is a place in it.
    pub fn provinces(&self) -> &[Province] {
        &self.provinces
    }

    /// One province.
    pub fn province(&self, p: ProvinceId) -> &Province {
        &self.provinces[p.index()]
    }

    /// Every province with its id.
    pub fn province_ids(&self) -> impl Iterator<Item = (ProvinceId, &Province)> + '_ {
        self.provinces
            .iter()
            .enumerate()
            .map(|(i, p)| (ProvinceId::new(i), p))
    }

    /// The province of an agency.
    pub fn province_of(&self, a: AgencyId) -> ProvinceId {
        self.agency_province[a]
    }

    /// An agency's published reports, newest first.
    pub fn reports_of_agency(&self, a: AgencyId) -> &[ReportId] {
        self.reports_by_agency.get(&a).map_or(&[], Vec::as_slice)
    }

    /// Every agency with published reports, with them (newest first), by agency.
    pub fn agencies_with_reports(&self) -> impl Iterator<Item = (AgencyId, &[ReportId])> + '_ {
        self.reports_by_agency
            .iter()
            .map(|(a, list)| (*a, list.as_slice()))
    }

    /// Years with published reports, oldest first, each with its reports
    /// (newest first).
    pub fn years(&self) -> impl DoubleEndedIterator<Item = (i32, &[ReportId])> + '_ {
        self.years.iter().map(|(y, list)| (*y, list.as_slice()))
    }

    /// The published reports of a year, newest first.
    pub fn reports_of_year(&self, year: i32) -> &[ReportId] {
        self.years.get(&year).map_or(&[], Vec::as_slice)
    }

    /// Every cited document, sorted by id.
    pub fn documents(&self) -> &IdVec<DocumentId, LegalDoc> {
        &self.documents
    }

    /// The documents at least one published report cites: a document
    /// named only as another's `replaced_by` has a page but is not one.
    pub fn cited_documents(&self) -> impl Iterator<Item = &LegalDoc> + '_ {
        self.documents.values().filter(|d| d.report_count() > 0)
    }

    /// A cited document.
    pub fn document(&self, d: DocumentId) -> &LegalDoc {
        &self.documents[d]
    }

    /// The document with this id (canonical, or as a citation first gave it).
    pub fn document_by_id(&self, id: &str) -> Option<DocumentId> {
        self.document_index.get(id).copied()
    }

    /// The document a citation names: its form resolved.
    pub fn document_of(&self, form: FormId) -> Option<DocumentId> {
        self.document_of_form.get(form).copied().flatten()
    }

    /// A citation form: the document as one citation names it (type,
    /// symbol, scope), before forms naming one document were merged.
    pub fn form(&self, form: FormId) -> &Citation {
        &self.cites.forms.forms[form]
    }

    /// The documents a report cites, in first-cited order.
    pub fn cited_by(&self, r: ReportId) -> &[DocumentId] {
        self.cited_by_report.get(&r).map_or(&[], Vec::as_slice)
    }

    /// The legal registry.
    pub fn registry(&self) -> &Registry {
        &self.cites.registry
    }

    /// The citation as a mention writes it.
    pub fn mention_text(&self, m: &Mention) -> &str {
        self.cites.forms.words.get(m.text)
    }

    /// The date a mention gives, when it gives one.
    pub fn mention_date(&self, m: &Mention) -> Option<&str> {
        m.date.map(|d| self.cites.forms.words.get(d))
    }

    /// The anchor (`None` for a reference) and the sentence of a mention.
    pub fn context(&self, m: &Mention) -> std::io::Result<(Option<String>, String)> {
        self.cites.contexts.get(m.context)
    }

    /// Number of reports whose text went through the recogniser.
    pub fn reports_recognised(&self) -> usize {
        self.cites.reports_recognised
    }

    /// The citation scope of a published report.
    pub fn cite_context(&self, content: &Content, report: ReportId) -> CiteContext {
        crate::cite::cite_context(content, &content.reports[report])
    }

    /// What the cite stage found (a build that reloads what changed
    /// continues from a copy).
    pub fn cites(&self) -> &Cites {
        &self.cites
    }

    /// Two documents whose pages would have one address (their ids differ
    /// only in letter case or marks): an error at the first citation of
    /// each, so that the editor writes them the same way.
    pub fn take_errors(&mut self, content: &Content, root: &std::path::Path) -> Diagnostics {
        let mut diags = Diagnostics::default();
        for (a, b) in std::mem::take(&mut self.clashes) {
            let first_of = |id: &str| -> Option<(ReportId, u32)> {
                let d = self.document_by_id(id)?;
                let m = self.documents[d].mentions.first()?;
                Some((m.report, m.text))
            };
            // A merged or renamed id keeps its first mention's place.
            let places: Vec<(ReportId, u32)> =
                [first_of(&a), first_of(&b)].into_iter().flatten().collect();
            for (r, text) in places {
                let report = &content.reports[r];
                let words = self.cites.forms.words.get(text);
                diags.error(
                    &report.file,
                    position_of(&read_source(root, report), words),
                    format!(
                        "`{words}`: the documents `{a}` and `{b}` would have one page ({}): their symbols differ only in letter case or marks; write them the same way",
                        crate::urls::document(&id_slug(&a), 1)
                    ),
                );
            }
        }
        diags
    }

    /// Remarks on citations as editor-facing warnings, each placed at the
    /// citation in its file (found by its text), and registry entries that no
    /// published report cites; `only` keeps the remarks on those reports.
    /// The remarks are handed over, not kept: there can be hundreds of
    /// thousands.
    pub fn take_warnings(
        &mut self,
        content: &Content,
        root: &std::path::Path,
        only: Option<&BTreeSet<ReportId>>,
    ) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let mut remarks = std::mem::take(&mut self.remarks);
        if let Some(only) = only {
            remarks.retain(|r| only.contains(&r.report));
        }
        // Remarks are in report order: each report's source is read once,
        // reports in parallel.
        let by_report: Vec<&[Remark]> = remarks.chunk_by(|a, b| a.report == b.report).collect();
        let forms = &self.cites.forms;
        let located: Vec<Vec<(&str, crate::diagnostics::Pos, String)>> = by_report
            .par_iter()
            .map(|remarks| {
                let report = &content.reports[remarks[0].report];
                let source = read_source(root, report);
                remarks
                    .iter()
                    .map(|remark| {
                        let text = forms.words.get(remark.text);
                        let pos = position_of(&source, text);
                        let message = match &remark.problem {
                            Problem::NoYear(form) => format!(
                                "`{text}`: {}; it is listed as `{}`",
                                crate::cite::NO_YEAR,
                                forms.forms[*form].id
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
        for d in &self.cites.registry.docs {
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

/// A report's text as the load stage read it (NFC), or nothing. A file that
/// was NFC at load is not checked again (1.6% of a 1,000-report build went
/// to checking each warned-of report a second time); one edited since then
/// is read again on the next build, which places its warnings anew.
fn read_source(root: &std::path::Path, report: &crate::model::Report) -> String {
    std::fs::read(root.join(&report.file))
        .ok()
        .and_then(|bytes| crate::load::string_from_utf8(bytes).ok())
        .map(|t| {
            if report.source_nfc {
                return t;
            }
            match crate::vietnamese::nfc(&t) {
                std::borrow::Cow::Borrowed(_) => t,
                std::borrow::Cow::Owned(normalised) => normalised,
            }
        })
        .unwrap_or_default()
}

/// Where `text` first stands in `source`.
fn position_of(source: &str, text: &str) -> crate::diagnostics::Pos {
    source
        .find(text)
        .map(|i| crate::config::offset_to_pos(source, i))
        .unwrap_or_default()
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
    fn documents_cited_together_are_counted_pair_by_pair() {
        // Against counting every pair of every list in a map per document
        // (as it was done), on lists drawn from a few documents so that
        // many pairs repeat, with ties on the count and on the totals.
        let mut rng = crate::TestRng::new(11);
        let mut next = |m: u64| rng.below(m);
        for round in 0..200 {
            let n = 1 + next(12) as usize;
            let lists: Vec<Vec<DocumentId>> = (0..next(30))
                .map(|_| {
                    let mut list: Vec<DocumentId> = (0..n)
                        .filter(|_| next(3) == 0)
                        .map(DocumentId::new)
                        .collect();
                    // A report's documents in the order it first cites them.
                    for i in (1..list.len()).rev() {
                        list.swap(i, next(i as u64 + 1) as usize);
                    }
                    list
                })
                .collect();
            let lists: Vec<&[DocumentId]> = lists.iter().map(Vec::as_slice).collect();
            let totals: Vec<usize> = (0..n).map(|_| next(4) as usize).collect();
            let mut pairs: Vec<BTreeMap<DocumentId, usize>> = vec![BTreeMap::new(); n];
            for list in &lists {
                for &a in *list {
                    for &b in *list {
                        if a != b {
                            *pairs[a.index()].entry(b).or_default() += 1;
                        }
                    }
                }
            }
            let by_pairs: Vec<Vec<(DocumentId, usize)>> = pairs
                .into_iter()
                .map(|counts| most_cited_with(counts.into_iter().collect(), &totals))
                .collect();
            assert_eq!(cited_together(&lists, &totals), by_pairs, "round {round}");
        }
        // Three reports cite 0 and 1 together, one cites 0 and 2: 2 is not
        // listed (once is not "together"), and 1 and 0 list each other. And
        // the ranking: most shared reports, then most cited, then first.
        let (d0, d1, d2) = (DocumentId::new(0), DocumentId::new(1), DocumentId::new(2));
        let lists: [&[DocumentId]; 4] = [&[d0, d1], &[d1, d0], &[d0, d1, d2], &[d2]];
        assert_eq!(
            cited_together(&lists, &[4, 3, 2]),
            vec![vec![(d1, 3)], vec![(d0, 3)], vec![]]
        );
        let (d3, d4) = (DocumentId::new(3), DocumentId::new(4));
        assert_eq!(
            most_cited_with(
                vec![(d4, 2), (d1, 2), (d2, 5), (d3, 2), (d0, 1)],
                &[9, 1, 1, 7, 1]
            ),
            vec![(d2, 5), (d3, 2), (d1, 2), (d4, 2)]
        );
    }
}
