//! Check stage: approval rules, unique ids and references that resolve.
//! Every problem is collected before the run fails, so an editor fixes all
//! of them in one pass. Citations are not recognised here: the check reads
//! what the cite stage found (a report's citation spans, the registry's
//! entries).

use crate::cite::Registry;
use crate::diagnostics::{Diagnostics, Pos};
use crate::model::{
    footnote_markers, section_anchor, Body, Cell, Content, Part, PartialDate, Report, Section,
    Status, MAX_SECTION_DEPTH,
};
use std::collections::{BTreeMap, BTreeSet};

/// The first year a date in the content may have: the Democratic Republic
/// of Vietnam's first state documents.
const FIRST_YEAR: i32 = 1945;

/// The most cells a table may have (a province's appendix tables have a few
/// hundred).
pub const MAX_TABLE_CELLS: usize = 100_000;

/// The longest one text of a report may be (a section's body, the opening,
/// a footnote): 1 MiB, where a long report's longest section is tens of
/// kilobytes. It bounds what rendering one text may cost (about 90 MB for
/// a megabyte of text that is nothing but emphasis marks).
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// The largest figure stored exactly: whole numbers beyond 2^53 lose their
/// last digits as floating-point numbers, so the page would show another
/// number than the report.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// Today in Vietnam (UTC+7), the day against which an approval is not in
/// the future and a date not after next year; `MINHBACH_TODAY=YYYY-MM-DD`
/// checks the content as of another day (the tests use it, so that their
/// messages do not change with the year).
pub fn today() -> jiff::civil::Date {
    if let Some(day) = std::env::var("MINHBACH_TODAY")
        .ok()
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    {
        return day;
    }
    jiff::tz::offset(7)
        .to_datetime(jiff::Timestamp::now())
        .date()
}

/// The last year a date may have: next year (a plan is dated this year at
/// the latest; a date beyond next year is a mistake, or a report dating
/// itself into the future to outrank later ones).
fn last_year(today: jiff::civil::Date) -> i32 {
    i32::from(today.year()) + 1
}

/// `date` as a [`PartialDate`] for comparisons.
fn partial(today: jiff::civil::Date) -> PartialDate {
    PartialDate {
        year: i32::from(today.year()),
        month: u8::try_from(today.month()).ok(),
        day: u8::try_from(today.day()).ok(),
    }
}

/// A problem with a figure's number, if any: not finite, or too large to be
/// stored exactly.
fn bad_number(x: f64) -> Option<&'static str> {
    if !x.is_finite() {
        Some("is not a finite number")
    } else if x.abs() > MAX_EXACT {
        Some("is too large to be stored exactly (more than 16 digits)")
    } else {
        None
    }
}

/// A web address a reader may follow, or what is wrong with it.
pub fn check_url(url: &str) -> Result<(), String> {
    match crate::urls::web_address(url) {
        Some(_) => Ok(()),
        None if !url.trim().to_ascii_lowercase().starts_with("http") => Err(format!(
            "`{url}` is not a web address: write it with https:// or http://"
        )),
        None => Err(format!(
            "`{url}` is not a web address that can be opened: check the part after https://"
        )),
    }
}

/// What a report is checked against: the agencies and indicators that
/// exist. Built once, then used for each report as it is loaded.
pub struct ReportChecks {
    agencies: BTreeSet<String>,
    broken_agencies: BTreeSet<String>,
    indicators: BTreeSet<String>,
    indicators_broken: bool,
    /// Today, for dates.
    today: jiff::civil::Date,
    /// The site's folder, for the originals of reports.
    root: std::path::PathBuf,
}

impl ReportChecks {
    /// The checks against `content`'s agencies and indicators, for the
    /// site at `root`.
    pub fn new(content: &Content, root: &std::path::Path) -> ReportChecks {
        ReportChecks {
            agencies: content.agencies.values().map(|a| a.slug.clone()).collect(),
            broken_agencies: content.broken_agencies.iter().cloned().collect(),
            indicators: content
                .indicators
                .values()
                .map(|i| i.id.value.clone())
                .collect(),
            indicators_broken: content.indicators_broken,
            today: today(),
            root: root.to_path_buf(),
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
                Some(d) if d.value > partial(self.today) => diags.error(
                    &r.file,
                    d.referenced.into(),
                    format!(
                        "`approved_on` {} is in the future (today is {})",
                        d.value.iso(),
                        partial(self.today).iso()
                    ),
                ),
                _ => {}
            }
        }
        let last = last_year(self.today);
        let years = FIRST_YEAR..=last;
        if !years.contains(&r.year.value) {
            diags.error(
                &r.file,
                r.year.referenced.into(),
                format!("year {} is outside {FIRST_YEAR}–{last}", r.year.value),
            );
        }
        if let Some(d) = &r.date {
            if !years.contains(&d.value.year) {
                diags.error(
                    &r.file,
                    d.referenced.into(),
                    format!("date {} is outside {FIRST_YEAR}–{last}", d.value.iso()),
                );
            }
        }
        if let Some(url) = r.source.as_ref().and_then(|s| s.url.as_ref()) {
            if let Err(why) = check_url(&url.value) {
                diags.error(&r.file, url.referenced.into(), format!("source: {why}"));
            }
        }
        if let Some(file) = r.source.as_ref().and_then(|s| s.file.as_ref()) {
            if let Err(why) = crate::load::original(&self.root, &file.value) {
                diags.error(&r.file, file.referenced.into(), why);
            }
        }
        if let Some((depth, at)) = too_deep(&body.sections, 1) {
            diags.error(
                &r.file,
                at.map(Pos::from).unwrap_or_default(),
                format!(
                    "sections nested deeper than {MAX_SECTION_DEPTH} levels (at least {depth}): a report's sections go a few levels deep; check the indentation of `sections:`"
                ),
            );
            // The outline of such a body is not worth making.
            return;
        }
        for text in body.texts() {
            if text.text.len() > MAX_TEXT_BYTES {
                let what = match text.kind {
                    crate::model::TextKind::Intro => "the opening".to_string(),
                    crate::model::TextKind::Closing => "the closing".to_string(),
                    crate::model::TextKind::Footnote(_) => {
                        format!("footnote {}", text.anchor.trim_start_matches("fn-"))
                    }
                    _ => format!("section `{}`", text.anchor.trim_start_matches("muc-")),
                };
                diags.error(
                    &r.file,
                    text.at.into(),
                    format!(
                        "{what} is {:.1} MiB long: a text longer than 1 MiB is not a report's section; split it, or look for a paste gone wrong",
                        text.text.len() as f64 / f64::from(1 << 20)
                    ),
                );
            }
        }
        for (k, t) in body.tables.iter().enumerate() {
            let cells: usize = t.head.iter().chain(&t.rows).map(Vec::len).sum();
            if cells > MAX_TABLE_CELLS {
                diags.error(
                    &r.file,
                    t.title.referenced.into(),
                    format!(
                        "table {} `{}` has {cells} cells: a table larger than {MAX_TABLE_CELLS} cells is not a report's table",
                        k + 1,
                        t.title.value
                    ),
                );
            }
            for cell in t.head.iter().chain(&t.rows).flatten() {
                if let Cell::Number(x) = cell {
                    if let Some(why) = bad_number(*x) {
                        diags.error(
                            &r.file,
                            t.title.referenced.into(),
                            format!("table {} `{}`: a cell {why}", k + 1, t.title.value),
                        );
                    }
                }
            }
        }
        if r.title.trim().is_empty() {
            diags.error(&r.file, r.title_at.into(), "the report has an empty title");
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
            if let (Some(stated), Some(figure)) =
                (&m.stated, figure.filter(|f| bad_number(*f).is_none()))
            {
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
            if figure.is_none() && m.of.is_none() {
                diags.error(
                    &r.file,
                    m.indicator.referenced.into(),
                    "a figure needs a `value`, a `target`, or both",
                );
            }
            // A plan and a total are different things: "đạt 73,95% kế
            // hoạch" is only ever said of a plan.
            let at = m.indicator.referenced.into();
            match (m.target, m.of, m.value, m.achieved) {
                (Some(_), Some(_), _, _) => diags.error(
                    &r.file,
                    at,
                    "a figure has a plan (`target`) or a whole it is part of (`of`), not both",
                ),
                (_, Some(_), None, _) => diags.error(
                    &r.file,
                    at,
                    "`of` is the whole a `value` is part of: give the value",
                ),
                (_, Some(_), _, Some(_)) => diags.error(
                    &r.file,
                    at,
                    "`achieved` is the share of a plan; a count out of a total (`of`) shows its share itself",
                ),
                (None, None, Some(value), _) => {
                    let printed = crate::vietnamese::format_number(value, 6);
                    if let Some(x_of_y) = m
                        .stated
                        .as_deref()
                        .and_then(|stated| written_out_of(stated, &printed))
                    {
                        diags.warning(
                            &r.file,
                            at,
                            format!(
                                "`stated` writes \"{x_of_y}\": say what the second number is, the plan (`target`) or the whole the figure is part of (`of`)"
                            ),
                        );
                    }
                }
                _ => {}
            }
            if let Some(through) = m.through {
                let period = m.period.unwrap_or(PartialDate {
                    year: r.year.value,
                    month: None,
                    day: None,
                });
                if !period.contains(&through) {
                    diags.error(
                        &r.file,
                        at,
                        format!(
                            "`through: {}` is outside the figure's period {}",
                            through.iso(),
                            period.iso()
                        ),
                    );
                }
            }
            for (name, x) in [
                ("value", m.value),
                ("target", m.target),
                ("of", m.of),
                ("achieved", m.achieved),
            ] {
                if let Some(why) = x.and_then(bad_number) {
                    diags.error(
                        &r.file,
                        m.indicator.referenced.into(),
                        format!("{name} {why}"),
                    );
                }
            }
            if let Some(p) = m.period {
                if !years.contains(&p.year) {
                    diags.error(
                        &r.file,
                        m.indicator.referenced.into(),
                        format!("period {} is outside {FIRST_YEAR}–{last}", p.iso()),
                    );
                }
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
        // Each marker number with where it is first used.
        let mut used = BTreeMap::new();
        for part in body.texts() {
            for (_, n) in footnote_markers(part.text) {
                used.entry(n).or_insert(part.at);
            }
        }
        for (n, at) in &used {
            if !numbers.contains_key(n) {
                diags.warning(
                    &r.file,
                    (*at).into(),
                    format!("footnote marker {n} in the text has no footnote"),
                );
            }
        }
        for f in &body.footnotes {
            if !used.contains_key(&f.number.value) {
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

/// How deep `sections` go beyond `depth`, when deeper than allowed, and
/// where the first section too deep has a title or body.
fn too_deep(sections: &[Section], depth: usize) -> Option<(usize, Option<serde_saphyr::Location>)> {
    if sections.is_empty() {
        return None;
    }
    if depth > MAX_SECTION_DEPTH {
        let at = sections
            .iter()
            .find_map(|s| s.title.as_ref().or(s.body.as_ref()))
            .map(|t| t.referenced);
        return Some((depth, at));
    }
    sections
        .iter()
        .find_map(|s| too_deep(&s.sections, depth + 1))
}

/// What a draft still lacks before it can be published, one note each
/// (given by `check`, `build --drafts` and `serve --drafts`): the summary,
/// the document's date and number, metrics for the figures its text states,
/// the import's placeholders, and the approval.
pub fn left_to_fill(r: &Report, body: &Body, diags: &mut Diagnostics) {
    if r.status.value != Status::Draft {
        return;
    }
    let at: Pos = r.status.referenced.into();
    let mut say = |pos: Pos, what: String| diags.note(&r.file, pos, format!("draft: {what}"));
    if r.title.contains("(tiêu đề / title)") || r.title.contains("(Tiêu đề / title)") {
        say(
            r.title_at.into(),
            "the title is still the import's placeholder: copy it from the title block".into(),
        );
    }
    if r.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
        say(
            at,
            "no `summary` yet: one paragraph saying what the report is about, for lists and search results".into(),
        );
    }
    if r.date.is_none() {
        say(
            at,
            "no `date`: the day the original was signed (YYYY-MM-DD; YYYY-MM or YYYY when the original leaves them blank)".into(),
        );
    }
    if r.number.is_none() && r.kind != "tin bài" {
        say(
            at,
            "no `number`: the symbol as the original prints it after \"Số:\" (its numeral may stay blank)".into(),
        );
    }
    if body.metrics.is_empty() {
        let stated: usize = body
            .texts()
            .iter()
            .map(|t| crate::import::figures(t.text).len())
            .sum();
        if stated > 0 {
            say(
                at,
                format!(
                    "no `metrics`: its text states {stated} figure(s); give the ones worth comparing an indicator (`minhbach import` proposes them as comments)"
                ),
            );
        }
    }
    say(
        at,
        "to publish it, once approved: `status: approved`, `approved_by` (position and name) and `approved_on` (the day)".into(),
    );
}

/// Checks the reports against each other: two reports of one agency with
/// the same number for the same year are one report filed twice (or a
/// mistyped number), each named with the other.
pub fn validate_reports(content: &Content, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<(&str, &str, i32), &Report> = BTreeMap::new();
    for r in content.reports.values() {
        let Some(number) = &r.number else {
            continue;
        };
        // "/BC-SLĐTBXH": a number left blank identifies nothing.
        if !number.value.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let key = (r.agency.value.as_str(), number.value.trim(), r.year.value);
        match seen.get(&key) {
            Some(first) => {
                let first_at = first.number.as_ref().map(|n| Pos::from(n.referenced));
                diags.error(
                    &r.file,
                    number.referenced.into(),
                    format!(
                        "report number `{}` of {} is already used for {} by {}:{}",
                        number.value,
                        r.year.value,
                        r.agency.value,
                        first.file,
                        first_at.map_or_else(String::new, |p| format!("{}:{}", p.line, p.column))
                    ),
                );
                diags.error(
                    &first.file,
                    first_at.unwrap_or_default(),
                    format!(
                        "report number `{}` of {} is used again for {} by {}:{}:{}",
                        number.value,
                        r.year.value,
                        r.agency.value,
                        r.file,
                        Pos::from(number.referenced).line,
                        Pos::from(number.referenced).column
                    ),
                );
            }
            None => {
                seen.insert(key, r);
            }
        }
    }
}

/// Checks everything but the reports: agencies, indicators, the registry
/// (as the cite stage read it).
pub fn validate_shared(content: &Content, registry: &Registry, diags: &mut Diagnostics) {
    let years = FIRST_YEAR..=last_year(today());
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
        if let Some(url) = &a.website {
            if let Err(why) = check_url(&url.value) {
                diags.error(&a.file, url.referenced.into(), format!("website: {why}"));
            }
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
    for (entry, e) in content.legal.iter().enumerate() {
        if let Some(url) = &e.url {
            if let Err(why) = check_url(&url.value) {
                diags.error(&e.file, url.referenced.into(), format!("url: {why}"));
            }
        }
        if let Some(status) = &e.status {
            if !crate::model::LEGAL_STATUSES.contains(&status.value.as_str()) {
                diags.error(
                    &e.file,
                    status.referenced.into(),
                    format!(
                        "status `{}` is not one of: {}",
                        status.value,
                        crate::model::LEGAL_STATUSES.join(", ")
                    ),
                );
            }
        }
        let facts = e.effective.is_some()
            || e.status.is_some()
            || e.status_since.is_some()
            || e.replaced_by.is_some();
        if facts && e.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            diags.error(
                &e.file,
                e.citation.referenced.into(),
                format!(
                    "`{}` gives a date of effect, a status or a replacement without `source`: say where it was read",
                    e.citation.value
                ),
            );
        }
        if let Some(by) = &e.replaced_by {
            if e.status.is_none() {
                diags.error(
                    &e.file,
                    by.referenced.into(),
                    "`replaced_by` needs a `status` (`hết hiệu lực` or `hết hiệu lực một phần`)",
                );
            }
            if registry.replacement(entry).is_none() {
                diags.error(
                    &e.file,
                    by.referenced.into(),
                    format!(
                        "`replaced_by: {}` must cite exactly one document symbol",
                        by.value
                    ),
                );
            }
        }
        if let Some(d) = e.date.filter(|d| !years.contains(&d.year)) {
            diags.error(
                &e.file,
                e.citation.referenced.into(),
                format!("date {} is outside {FIRST_YEAR}–{}", d.iso(), years.end()),
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
        if i.better == crate::model::Better::None && i.rank != crate::model::Rank::None {
            diags.error(
                "content/indicators.yaml",
                i.id.referenced.into(),
                format!(
                    "indicator `{}` has `rank: {}` but `better: none`: a ranking needs a better direction",
                    i.id.value,
                    i.rank.as_str()
                ),
            );
        }
    }
    ids
}

/// Where `stated` writes the figure as a count out of another number,
/// "10/12 cơ quan", "28.101/38.000 lao động": the "x/y" text, if any. A
/// date ("10/12/2020") is not one.
fn written_out_of(stated: &str, printed: &str) -> Option<String> {
    let number_char = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    stated.match_indices(printed).find_map(|(i, _)| {
        if stated[..i].chars().next_back().is_some_and(number_char) {
            return None;
        }
        let rest = &stated[i + printed.len()..];
        let after_slash = rest.trim_start().strip_prefix('/')?.trim_start();
        let whole_len = after_slash
            .find(|c: char| !number_char(c))
            .unwrap_or(after_slash.len());
        let whole = after_slash[..whole_len].trim_end_matches(['.', ',']);
        let next = after_slash[whole.len()..].chars().next();
        (!whole.is_empty() && next != Some('/') && next != Some('-'))
            .then(|| format!("{printed}/{whole}"))
    })
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
    match crate::diagnostics::did_you_mean(value, known) {
        Some(k) => format!("unknown {what} `{value}` (did you mean `{k}`?)"),
        None => format!("unknown {what} `{value}`"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_count_out_of_another_number_is_found_and_a_date_is_not() {
        use super::written_out_of;
        let found = |stated: &str, printed: &str| written_out_of(stated, printed);
        assert_eq!(found("10/12 cơ quan", "10").as_deref(), Some("10/12"));
        assert_eq!(
            found("cho 28.101/38.000 lao động", "28.101").as_deref(),
            Some("28.101/38.000")
        );
        assert_eq!(found("giảm 1.548 hộ/1.297 hộ", "1.548"), None);
        assert_eq!(
            found("rà soát **60/145** TTHC", "60").as_deref(),
            Some("60/145")
        );
        assert_eq!(found("đạt 11 / 11 xã.", "11").as_deref(), Some("11/11"));
        // Dates, document numbers and a number inside another are not.
        assert_eq!(found("ngày 10/12/2020", "10"), None);
        assert_eq!(found("ngày 10/12-2020", "10"), None);
        assert_eq!(found("110/120 hồ sơ", "10"), None);
        assert_eq!(found("10 hồ sơ", "10"), None);
    }

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
