//! Check stage: approval rules, unique ids and references that resolve.
//! Every problem is collected before the run fails, so an editor fixes all
//! of them in one pass. Citations are not recognised here: the check reads
//! what the cite stage found (a report's citation spans, the registry's
//! entries).

use crate::cite::Registry;
use crate::diagnostics::{Diagnostics, Pos};
use crate::model::{footnote_markers, section_anchor, Body, Content, Part, Report, Status};
use std::collections::{BTreeMap, BTreeSet};

/// What a report is checked against: the agencies and indicators that
/// exist. Built once, then used for each report as it is loaded.
pub struct ReportChecks {
    agencies: BTreeSet<String>,
    broken_agencies: BTreeSet<String>,
    indicators: BTreeSet<String>,
    indicators_broken: bool,
}

impl ReportChecks {
    /// The checks against `content`'s agencies and indicators.
    pub fn new(content: &Content) -> ReportChecks {
        ReportChecks {
            agencies: content.agencies.values().map(|a| a.slug.clone()).collect(),
            broken_agencies: content.broken_agencies.iter().cloned().collect(),
            indicators: content
                .indicators
                .values()
                .map(|i| i.id.value.clone())
                .collect(),
            indicators_broken: content.indicators_broken,
        }
    }

    /// Checks one report, its body cited already; problems go to `diags`.
    pub fn report(&self, r: &Report, body: &Body, diags: &mut Diagnostics) {
        let (agencies, indicators) = (&self.agencies, &self.indicators);
        // Files that failed to parse were reported already; do not report
        // every reference to them as unknown too.
        let exists = |id: &str| agencies.contains(id) || self.broken_agencies.contains(id);
        if !exists(&r.agency.value) {
            diags.error(
                &r.file,
                r.agency.referenced.into(),
                unknown(
                    "agency",
                    &r.agency.value,
                    agencies.iter().map(String::as_str),
                ),
            );
        }
        if r.status.value == Status::Approved {
            let at: Pos = r.status.referenced.into();
            if r.approved_by.as_deref().is_none_or(|s| s.trim().is_empty()) {
                diags.error(
                    &r.file,
                    at,
                    "an approved report needs `approved_by`: who approved publishing",
                );
            }
            match &r.approved_on {
                None => diags.error(
                    &r.file,
                    at,
                    "an approved report needs `approved_on`: the day publishing was approved",
                ),
                Some(d) if !d.value.is_complete() => diags.error(
                    &r.file,
                    d.referenced.into(),
                    "`approved_on` must be a full date, YYYY-MM-DD",
                ),
                _ => {}
            }
        }
        if !(1945..=2100).contains(&r.year.value) {
            diags.error(
                &r.file,
                r.year.referenced.into(),
                format!("year {} is outside 1945–2100", r.year.value),
            );
        }
        if r.title.trim().is_empty() {
            diags.error(&r.file, Pos::default(), "the report has an empty title");
        }

        let anchors: BTreeSet<String> = body.outline().into_iter().map(|e| e.anchor).collect();
        for m in &body.metrics {
            if !self.indicators_broken && !indicators.contains(m.indicator.value.as_str()) {
                diags.error(
                    &r.file,
                    m.indicator.referenced.into(),
                    unknown(
                        "indicator",
                        &m.indicator.value,
                        indicators.iter().map(String::as_str),
                    ),
                );
            }
            if let Some(a) = &m.agency {
                if !exists(&a.value) {
                    diags.error(
                        &r.file,
                        a.referenced.into(),
                        unknown("agency", &a.value, agencies.iter().map(String::as_str)),
                    );
                }
            }
            if let Some(s) = &m.section {
                if section_anchor(&s.value, &anchors).is_none() {
                    diags.error(
                        &r.file,
                        s.referenced.into(),
                        format!(
                            "no section `{}` in this report (sections are named by their numbers, like `iii-1-2`)",
                            s.value
                        ),
                    );
                }
            }
            // YAML reads "28.101" as 28.101, not 28101: a figure that does not
            // appear in the text it was taken from is almost always mistyped.
            let figure = m.value.or(m.target);
            if let (Some(stated), Some(figure)) = (&m.stated, figure) {
                let printed = crate::vietnamese::format_number(figure, 6);
                if stated.chars().any(|c| c.is_ascii_digit())
                    && !contains_number(stated, &printed)
                    // Reports pad small counts: "giảm 01 Phòng".
                    && !contains_number(stated, &format!("0{printed}"))
                {
                    diags.error(
                        &r.file,
                        m.indicator.referenced.into(),
                        format!(
                            "{} {figure} (printed {printed}) does not appear in `stated`; write numbers without thousands separators, e.g. 28101 for 28.101",
                            if m.value.is_some() { "value" } else { "target" }
                        ),
                    );
                }
            }
            if figure.is_none() {
                diags.error(
                    &r.file,
                    m.indicator.referenced.into(),
                    "a figure needs a `value`, a `target`, or both",
                );
            }
            if m.value.is_some_and(|v| !v.is_finite()) || m.target.is_some_and(|t| !t.is_finite()) {
                diags.error(
                    &r.file,
                    m.indicator.referenced.into(),
                    "figures must be finite numbers",
                );
            }
        }

        let mut numbers = BTreeMap::new();
        for f in &body.footnotes {
            if numbers.insert(f.number.value, ()).is_some() {
                diags.error(
                    &r.file,
                    f.number.referenced.into(),
                    format!("footnote {} is defined twice", f.number.value),
                );
            }
        }
        let mut used = BTreeSet::new();
        for part in body.texts() {
            for (_, n) in footnote_markers(part.text) {
                used.insert(n);
            }
        }
        for n in used.difference(&numbers.keys().copied().collect()) {
            diags.warning(
                &r.file,
                Pos::default(),
                format!("footnote marker {n} in the text has no footnote"),
            );
        }
        for f in &body.footnotes {
            if !used.contains(&f.number.value) {
                diags.warning(
                    &r.file,
                    f.number.referenced.into(),
                    format!("footnote {} is never marked in the text", f.number.value),
                );
            }
        }

        for (k, reference) in r.references.iter().enumerate() {
            if body.citations_in(Part::Reference(k)).is_empty() {
                diags.error(
                    &r.file,
                    reference.referenced.into(),
                    format!("`{}` is not a document citation (write it as in the text, e.g. \"Kế hoạch số 23/KH-UBND ngày 24/3/2021\")", reference.value),
                );
            }
        }
    }
}

/// Checks everything but the reports: agencies, indicators, the registry
/// (as the cite stage read it).
pub fn validate_shared(content: &Content, registry: &Registry, diags: &mut Diagnostics) {
    let agencies: BTreeSet<&str> = content.agencies.values().map(|a| a.slug.as_str()).collect();
    let exists =
        |id: &str| agencies.contains(id) || content.broken_agencies.iter().any(|b| b == id);
    check_indicators(content, diags);

    for a in content.agencies.values() {
        let slug = crate::vietnamese::slugify(&a.province.value);
        if slug != a.province_slug() {
            diags.error(
                &a.file,
                a.province.referenced.into(),
                format!(
                    "province `{}` does not match the folder `{}` (expected content/agencies/{}/…)",
                    a.province.value,
                    a.province_slug(),
                    slug
                ),
            );
        }
        if let Some(parent) = &a.parent {
            if !exists(&parent.value) {
                diags.error(
                    &a.file,
                    parent.referenced.into(),
                    unknown("agency", &parent.value, agencies.iter().copied()),
                );
            }
        }
    }

    let mut legal_ids: BTreeSet<&str> = BTreeSet::new();
    for doc in &registry.docs {
        let e = &content.legal[doc.entry];
        if registry.symbols_per_entry[doc.entry] == 1 && !legal_ids.insert(&doc.citation.id) {
            diags.error(
                &e.file,
                e.citation.referenced.into(),
                format!("document `{}` is in the registry twice", doc.citation.id),
            );
        }
    }
    for (e, &symbols) in content.legal.iter().zip(&registry.symbols_per_entry) {
        if symbols != 1 {
            diags.error(
                &e.file,
                e.citation.referenced.into(),
                format!(
                    "`{}` must cite exactly one document symbol",
                    e.citation.value
                ),
            );
        }
    }
}

fn check_indicators<'a>(content: &'a Content, diags: &mut Diagnostics) -> BTreeSet<&'a str> {
    let mut ids = BTreeSet::new();
    for i in content.indicators.values() {
        if !crate::load::is_slug(&i.id.value) {
            diags.error(
                "content/indicators.yaml",
                i.id.referenced.into(),
                format!(
                    "indicator id `{}` must be lowercase ASCII words joined by `-`",
                    i.id.value
                ),
            );
        }
        if !ids.insert(i.id.value.as_str()) {
            diags.error(
                "content/indicators.yaml",
                i.id.referenced.into(),
                format!("indicator `{}` is defined twice", i.id.value),
            );
        }
    }
    ids
}

/// True when `number` stands in `text` as a whole number, not inside a longer one.
fn contains_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + number.len()..].chars().next();
        let digit_joined = |c: Option<char>, next: Option<char>| match c {
            Some(c) if c.is_ascii_digit() => true,
            // "1.250" contains "250" after a separator that belongs to the number.
            Some('.') | Some(',') => next.is_some_and(|n| n.is_ascii_digit()),
            _ => false,
        };
        let prev_prev = text[..i].chars().rev().nth(1);
        let next_next = text[i + number.len()..].chars().nth(1);
        !digit_joined(before, prev_prev) && !digit_joined(after, next_next)
    })
}

/// "unknown agency `x`", with the closest known id as a suggestion.
fn unknown<'a>(what: &str, value: &str, known: impl Iterator<Item = &'a str>) -> String {
    let best = known
        .map(|k| (edit_distance(value, k), k))
        .min()
        .filter(|(d, k)| *d <= k.len().max(3) / 3);
    match best {
        Some((_, k)) => format!("unknown {what} `{value}` (did you mean `{k}`?)"),
        None => format!("unknown {what} `{value}`"),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_stated_text() {
        assert!(contains_number("cho 28.101/38.000 lao động", "28.101"));
        assert!(contains_number("đạt 73,95%", "73,95"));
        assert!(contains_number("giảm từ 15 xuống 8 đầu mối", "8"));
        assert!(!contains_number("cho 28.101 lao động", "28,101"));
        assert!(!contains_number("cho 28.101 lao động", "101"));
        assert!(!contains_number("128 người", "28"));
        assert!(contains_number("**640.905.000 đồng**.", "640.905.000"));
    }

    #[test]
    fn suggestions() {
        let known = ["binh-phuoc/so-ldtbxh", "dong-thap/so-ldtbxh"];
        assert_eq!(
            unknown("agency", "binh-phuoc/so-ldtbx", known.iter().copied()),
            "unknown agency `binh-phuoc/so-ldtbx` (did you mean `binh-phuoc/so-ldtbxh`?)"
        );
        assert_eq!(
            unknown("agency", "ha-noi/so-x", known.iter().copied()),
            "unknown agency `ha-noi/so-x`"
        );
    }
}
