//! Link stage: the graph, built once from validated content — published
//! reports by agency and year, agencies by province in Vietnamese order, and
//! every cited legal document with the reports that cite it.

use crate::cite::{id_slug, recognise, CiteContext};
use crate::load::{Content, PartialDate};
use crate::vietnamese::collate;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Where a document is cited: which report, which section, which sentence.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Index into `Content::reports`.
    pub report: usize,
    /// Anchor of the section, when the citation stands in one.
    pub anchor: Option<String>,
    /// The sentence around the citation.
    pub context: String,
    /// The citation as written.
    pub text: String,
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
    /// Every citation in published reports, in report order.
    pub mentions: Vec<Mention>,
}

/// Options that change what is published.
#[derive(Debug, Clone, Copy, Default)]
pub struct Publish {
    /// Publish drafts too (with a banner).
    pub drafts: bool,
}

/// The site graph.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Published report indices, newest first (year, date, then id).
    pub reports: Vec<usize>,
    /// Agency indices in Vietnamese alphabetical order of name.
    pub agencies: Vec<usize>,
    /// Provinces (name, agency indices), in Vietnamese order.
    pub provinces: Vec<(String, Vec<usize>)>,
    /// Published reports per agency index, newest first.
    pub reports_by_agency: BTreeMap<usize, Vec<usize>>,
    /// Published reports per year reported on, newest first.
    pub years: BTreeMap<i32, Vec<usize>>,
    /// Cited and registered documents, sorted by id.
    pub documents: Vec<LegalDoc>,
    /// Document index by id.
    pub document_index: BTreeMap<String, usize>,
    /// Per report index: indices of the documents it cites, in first-cited order.
    pub cited_by_report: BTreeMap<usize, Vec<usize>>,
    /// Agency index by id.
    pub agency_index: BTreeMap<String, usize>,
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
    pub fn build(content: &Content, publish: Publish) -> Catalog {
        let mut c = Catalog::default();
        for (i, a) in content.agencies.iter().enumerate() {
            c.agency_index.insert(a.id.clone(), i);
        }
        c.reports = (0..content.reports.len())
            .filter(|&i| publish.drafts || content.reports[i].is_approved())
            .filter(|&i| {
                c.agency_index
                    .contains_key(&content.reports[i].agency.value)
            })
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
        c.agencies.sort_by(|&a, &b| {
            collate(&content.agencies[a].name, &content.agencies[b].name)
                .then(content.agencies[a].id.cmp(&content.agencies[b].id))
        });
        let mut provinces: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &a in &c.agencies {
            provinces
                .entry(content.agencies[a].province.value.clone())
                .or_default()
                .push(a);
        }
        c.provinces = provinces.into_iter().collect();
        c.provinces.sort_by(|a, b| collate(&a.0, &b.0));

        c.link_documents(content);
        c
    }

    fn link_documents(&mut self, content: &Content) {
        // Recognise citations of every published report in parallel, then
        // merge in report order so the result does not depend on scheduling.
        let found: Vec<(usize, Vec<(crate::cite::Citation, Mention)>)> = self
            .reports
            .par_iter()
            .map(|&r| {
                let report = &content.reports[r];
                let ctx = self.cite_context(content, r);
                let mut out = Vec::new();
                for (anchor, text) in report.texts() {
                    for cit in recognise(text, &ctx) {
                        let mention = Mention {
                            report: r,
                            anchor: anchor.clone(),
                            context: sentence_around(text, cit.start, cit.end),
                            text: text[cit.start..cit.end].to_string(),
                        };
                        out.push((cit, mention));
                    }
                }
                for reference in &report.references {
                    for cit in recognise(&reference.value, &ctx) {
                        let mention = Mention {
                            report: r,
                            anchor: None,
                            context: reference.value.clone(),
                            text: cit.text.clone(),
                        };
                        out.push((cit, mention));
                    }
                }
                (r, out)
            })
            .collect();

        // A symbol without a year ("Nghị quyết số 68/NQ-CP") takes its year from
        // another dated citation of the same scope and symbol, or the registry,
        // when exactly one year is known for it.
        let registry: Vec<Option<crate::cite::Citation>> = content
            .legal
            .iter()
            .map(|e| {
                let ctx = CiteContext {
                    province: e.scope.clone().unwrap_or_default(),
                    agency: String::new(),
                };
                recognise(&e.citation.value, &ctx).into_iter().next()
            })
            .collect();
        let mut known_years: BTreeMap<(String, String), BTreeSet<i32>> = BTreeMap::new();
        let dated = found
            .iter()
            .flat_map(|(_, items)| items.iter().map(|(c, _)| c))
            .chain(registry.iter().flatten());
        for c in dated {
            if let Some(y) = c.year {
                known_years
                    .entry((c.scope.clone(), c.symbol.clone()))
                    .or_default()
                    .insert(y);
            }
        }
        let mut found = found;
        for (_, items) in &mut found {
            for (c, _) in items.iter_mut() {
                if c.year.is_some() {
                    continue;
                }
                if let Some(years) = known_years.get(&(c.scope.clone(), c.symbol.clone())) {
                    if let [year] = years.iter().copied().collect::<Vec<_>>()[..] {
                        c.year = Some(year);
                        c.id = format!("{}:{}:{}", c.scope, year, c.symbol);
                    }
                }
            }
        }

        let mut docs: BTreeMap<String, LegalDoc> = BTreeMap::new();
        let mut cited: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (r, items) in found {
            for (cit, mention) in items {
                let doc = docs.entry(cit.id.clone()).or_insert_with(|| LegalDoc {
                    id: cit.id.clone(),
                    slug: String::new(),
                    symbol: cit.symbol.clone(),
                    doc_type: cit.doc_type.clone(),
                    scope: cit.scope.clone(),
                    year: cit.year,
                    date: None,
                    registry: None,
                    mentions: Vec::new(),
                });
                if doc.date.is_none() {
                    doc.date = cit.date.clone();
                }
                doc.mentions.push(mention);
                let list = cited.entry(r).or_default();
                if !list.contains(&cit.id) {
                    list.push(cit.id.clone());
                }
            }
        }
        for (i, (e, cit)) in content.legal.iter().zip(registry).enumerate() {
            if let Some(cit) = cit {
                let doc = docs.entry(cit.id.clone()).or_insert_with(|| LegalDoc {
                    id: cit.id.clone(),
                    slug: String::new(),
                    symbol: cit.symbol.clone(),
                    doc_type: cit.doc_type.clone(),
                    scope: cit.scope.clone(),
                    year: cit.year,
                    date: cit.date.clone(),
                    registry: None,
                    mentions: Vec::new(),
                });
                doc.registry = Some(i);
                if let Some(d) = e.date {
                    doc.date = Some(d.iso());
                }
            }
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
        self.document_index = self
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        for (r, ids) in cited {
            let list = ids.iter().map(|id| self.document_index[id]).collect();
            self.cited_by_report.insert(r, list);
        }
    }

    /// The citation scope of a report: its agency's province and id.
    pub fn cite_context(&self, content: &Content, report: usize) -> CiteContext {
        let r = &content.reports[report];
        let province = self
            .agency_index
            .get(&r.agency.value)
            .map(|&a| content.agencies[a].province_slug().to_string())
            .unwrap_or_default();
        CiteContext {
            province,
            agency: r.agency.value.clone(),
        }
    }

    /// True when the report is published in this build.
    pub fn is_published(&self, report: usize) -> bool {
        self.reports.contains(&report)
    }
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
