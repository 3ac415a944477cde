//! Load stage: walks `content/`, parses every YAML file into typed values,
//! NFC-normalises the text and attaches `path:line:col` to every problem.
//!
//! Files are parsed in parallel; a file that fails to parse is reported and
//! skipped so that every broken file shows up in the same run.

use crate::diagnostics::{Diagnostics, Pos};
use crate::vietnamese::nfc;
use rayon::prelude::*;
use serde::{de, Deserialize, Deserializer};
use serde_saphyr::Spanned;
use std::fmt;
use std::path::{Path, PathBuf};

/// Largest content file accepted; a report is tens of kilobytes, so anything
/// this large is a mistake (or hostile) and is refused before parsing.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Administrative level of an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
pub enum Level {
    /// Central government or Party body.
    #[serde(rename = "trung ương")]
    Central,
    /// Province or centrally-run city.
    #[serde(rename = "tỉnh")]
    Province,
    /// District.
    #[serde(rename = "huyện")]
    District,
    /// Commune.
    #[serde(rename = "xã")]
    Commune,
}

impl Level {
    /// The level as written in content files.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Central => "trung ương",
            Level::Province => "tỉnh",
            Level::District => "huyện",
            Level::Commune => "xã",
        }
    }
}

/// An agency that publishes reports, from `content/agencies/<province>/<agency>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// `<province>/<agency>`, the file path without extension.
    #[serde(skip)]
    pub id: String,
    /// The file, relative to the site root.
    #[serde(skip)]
    pub file: String,
    /// Full name as the agency writes it.
    pub name: String,
    /// Short name, e.g. "Sở LĐTBXH Bình Phước".
    pub short_name: String,
    /// Province or city name, e.g. "Bình Phước".
    pub province: Spanned<String>,
    /// Administrative level.
    pub level: Level,
    /// Sector, e.g. "Lao động – Thương binh và Xã hội"; agencies of one sector are compared.
    pub sector: String,
    /// The agency's own website.
    #[serde(default)]
    pub website: Option<String>,
    /// Id of the agency this one belongs to.
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
}

impl Agency {
    /// The province slug, the first segment of the id.
    pub fn province_slug(&self) -> &str {
        self.id.split('/').next().unwrap_or(&self.id)
    }
}

/// Whether a report may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Status {
    /// Work in progress: never published unless `--drafts` is given.
    #[serde(rename = "draft")]
    Draft,
    /// Approved for publication.
    #[serde(rename = "approved")]
    Approved,
}

/// A date that may lack its day or month, as the seeds leave them blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year.
    pub year: i32,
    /// Month 1–12, when known.
    pub month: Option<u8>,
    /// Day 1–31, when known.
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the calendar.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let bad = || format!("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = text.trim().split('-').collect();
        let num = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = parts.first().and_then(|y| num(y, 4)).ok_or_else(bad)? as i32;
        let month = match parts.get(1) {
            Some(m) => Some(num(m, 2).filter(|m| (1..=12).contains(m)).ok_or_else(bad)? as u8),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = num(d, 2).ok_or_else(bad)?;
                let max = days_in_month(year, month.unwrap_or(1));
                if d == 0 || d > max {
                    return Err(format!("`{text}`: day {d} does not exist in that month"));
                }
                Some(d as u8)
            }
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(PartialDate { year, month, day })
    }

    /// ISO form with only the known parts: "2021", "2020-11", "2015-01-09".
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// True when year, month and day are all known.
    pub fn is_complete(&self) -> bool {
        self.month.is_some() && self.day.is_some()
    }
}

fn days_in_month(year: i32, month: u8) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl de::Visitor<'_> for DateVisitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                PartialDate::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// A numbered part of a report, possibly with sub-parts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Number as printed: "I.", "1.2.", "3-".
    #[serde(default)]
    pub number: Option<String>,
    /// Heading text.
    #[serde(default)]
    pub title: Option<String>,
    /// Body in Markdown.
    #[serde(default)]
    pub body: Option<String>,
    /// Sub-sections.
    #[serde(default)]
    pub sections: Vec<Section>,
}

/// A numbered footnote; its marker (¹, ², …) stands in the text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    /// The footnote number.
    pub number: Spanned<u32>,
    /// Footnote text in Markdown.
    pub text: String,
}

/// A figure stated in a report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// Indicator id from `content/indicators.yaml`.
    pub indicator: Spanned<String>,
    /// The figure; absent when the report states only a target (a plan for
    /// the year whose result is reported later).
    #[serde(default)]
    pub value: Option<f64>,
    /// The planned figure, when the report states one.
    #[serde(default)]
    pub target: Option<f64>,
    /// Share of the target achieved, in percent, as the report states it.
    #[serde(default)]
    pub achieved: Option<f64>,
    /// Period the figure is for; defaults to the report's year.
    #[serde(default)]
    pub period: Option<PartialDate>,
    /// Agency the figure is about, when not the reporting agency.
    #[serde(default)]
    pub agency: Option<Spanned<String>>,
    /// The figure as printed, e.g. "28.101/38.000 lao động, đạt 73,95%".
    #[serde(default)]
    pub stated: Option<String>,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
    /// Number of the section where the figure stands, e.g. "III.1.2".
    #[serde(default)]
    pub section: Option<Spanned<String>>,
}

/// A table cell: plain text, or text spanning several columns or rows.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text of a one-by-one cell; empty for a blank cell.
    Text(String),
    /// A number written without quotes.
    Number(f64),
    /// A cell spanning columns or rows.
    Span {
        /// Cell text.
        text: String,
        /// Columns spanned.
        #[serde(default)]
        colspan: Option<u32>,
        /// Rows spanned.
        #[serde(default)]
        rowspan: Option<u32>,
    },
}

/// An appendix table; cells may be empty (blank forms).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Number as printed, e.g. "3.1."
    #[serde(default)]
    pub number: Option<String>,
    /// Title.
    pub title: String,
    /// Heading of the group of tables this one belongs to, e.g. "PHỤ LỤC SỐ LIỆU".
    #[serde(default)]
    pub group: Option<String>,
    /// Header rows.
    #[serde(default)]
    pub head: Vec<Vec<Cell>>,
    /// Body rows.
    #[serde(default)]
    pub rows: Vec<Vec<Cell>>,
    /// Remarks under the table.
    #[serde(default)]
    pub note: Option<String>,
}

/// Who signed the report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// Position as printed, lines separated by newlines ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC").
    #[serde(default)]
    pub position: Option<String>,
    /// Name as printed.
    #[serde(default)]
    pub name: Option<String>,
}

/// Where the original of a report lives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Description of the original.
    #[serde(default)]
    pub title: Option<String>,
    /// Address of the original.
    #[serde(default)]
    pub url: Option<String>,
    /// File the text was taken from.
    #[serde(default)]
    pub file: Option<String>,
    /// How the text was obtained.
    #[serde(default)]
    pub note: Option<String>,
}

/// A report, from `content/reports/**/*.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// File path under `content/reports/` without extension.
    #[serde(skip)]
    pub id: String,
    /// The file, relative to the site root.
    #[serde(skip)]
    pub file: String,
    /// Draft or approved.
    pub status: Spanned<Status>,
    /// Who approved publishing (required when approved).
    #[serde(default)]
    pub approved_by: Option<String>,
    /// When publishing was approved (required when approved).
    #[serde(default)]
    pub approved_on: Option<Spanned<PartialDate>>,
    /// Id of the reporting agency.
    pub agency: Spanned<String>,
    /// Kind of document: "báo cáo", "tin bài", …
    pub kind: String,
    /// The document symbol as printed; the numeral may be blank ("/BC-SLĐTBXH").
    #[serde(default)]
    pub number: Option<String>,
    /// The year reported on.
    pub year: Spanned<i32>,
    /// Date of the document.
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// Place written in the heading ("Bình Phước").
    #[serde(default)]
    pub place: Option<String>,
    /// Title.
    pub title: String,
    /// One-paragraph summary for lists.
    #[serde(default)]
    pub summary: Option<String>,
    /// Opening text before the first section, in Markdown.
    #[serde(default)]
    pub intro: Option<String>,
    /// The report's sections.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Closing text after the last section ("Trên đây là báo cáo …"), in Markdown.
    #[serde(default)]
    pub closing: Option<String>,
    /// Numbered footnotes.
    #[serde(default)]
    pub footnotes: Vec<Footnote>,
    /// Figures stated in the report.
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// Appendix tables.
    #[serde(default)]
    pub tables: Vec<Table>,
    /// The "Nơi nhận" list.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Signature block.
    #[serde(default)]
    pub signer: Option<Signer>,
    /// Citations of documents that the text refers to without a number.
    #[serde(default)]
    pub references: Vec<Spanned<String>>,
    /// Where the original lives.
    #[serde(default)]
    pub source: Option<Source>,
    /// True once [`Report::drop_text`] has run: the texts and tables are gone
    /// and [`Report::reload`] gives them back.
    #[serde(skip)]
    pub text_dropped: bool,
}

impl Report {
    /// True when the report may be published without `--drafts`.
    pub fn is_approved(&self) -> bool {
        self.status.value == Status::Approved
    }

    /// Drops the running text (opening, section bodies, closing, footnote
    /// texts), the tables and the metrics, keeping what the graph and the
    /// listings use: metadata, section numbers and titles (anchors). The
    /// metrics' figures are kept by the compare stage. At 50,000
    /// reports the texts alone are gigabytes; pages that need them re-read
    /// the file.
    pub fn drop_text(&mut self) {
        fn sections(list: &mut [Section]) {
            for s in list {
                s.body = None;
                sections(&mut s.sections);
            }
        }
        self.intro = None;
        self.closing = None;
        sections(&mut self.sections);
        for f in &mut self.footnotes {
            f.text = String::new();
        }
        self.tables = Vec::new();
        self.metrics = Vec::new();
        self.text_dropped = true;
    }

    /// The report with its text: itself when nothing was dropped, else read
    /// and parsed again from its file under `root`. Fails when the file no
    /// longer parses (it changed during the build).
    pub fn with_text(&self, root: &Path) -> anyhow::Result<std::borrow::Cow<'_, Report>> {
        if !self.text_dropped {
            return Ok(std::borrow::Cow::Borrowed(self));
        }
        self.reload(root).map(std::borrow::Cow::Owned)
    }

    /// Reads and parses the report's file again, text included.
    pub fn reload(&self, root: &Path) -> anyhow::Result<Report> {
        let f = Found {
            path: root.join(&self.file),
            rel: self.file.clone(),
            id: self.id.clone(),
            len: 0,
        };
        let mut diags = Diagnostics::default();
        match parse_file::<Report>(&f, &mut diags) {
            Some(mut r) => {
                r.id = self.id.clone();
                r.file = self.file.clone();
                Ok(r)
            }
            None => {
                let why = diags
                    .sorted()
                    .into_iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                anyhow::bail!("{} changed during the build: {why}", self.file)
            }
        }
    }
}

/// How to read an indicator's change over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// A rise is an improvement.
    Higher,
    /// A fall is an improvement.
    Lower,
}

/// A comparable indicator, from `content/indicators.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable id, e.g. `viec-lam-giai-quyet`.
    pub id: Spanned<String>,
    /// Label shown on pages.
    pub label: String,
    /// Unit: "người", "%", "đồng", "thủ tục", …
    pub unit: String,
    /// Group heading.
    pub group: String,
    /// Whether higher or lower is better.
    pub better: Better,
    /// Longer explanation.
    #[serde(default)]
    pub description: Option<String>,
}

/// A legal document in the registry, from `content/legal/*.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalEntry {
    /// The file, relative to the site root.
    #[serde(skip)]
    pub file: String,
    /// The citation as written, e.g. "Nghị định số 04/2015/NĐ-CP".
    pub citation: Spanned<String>,
    /// Title (trích yếu).
    #[serde(default)]
    pub title: Option<String>,
    /// Issuing body.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Date of issue.
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// Legal status (còn hiệu lực, hết hiệu lực, …); never inferred.
    #[serde(default)]
    pub status: Option<String>,
    /// Link to the official text.
    #[serde(default)]
    pub url: Option<String>,
    /// Province slug for provincial documents.
    #[serde(default)]
    pub scope: Option<String>,
    /// Names by which reports cite it ("Luật Tiếp công dân").
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Agencies, sorted by id.
    pub agencies: Vec<Agency>,
    /// Reports, sorted by id.
    pub reports: Vec<Report>,
    /// Indicator catalogue, in file order.
    pub indicators: Vec<Indicator>,
    /// Legal registry, by file then order.
    pub legal: Vec<LegalEntry>,
    /// Ids of agency files that exist but could not be parsed: references to
    /// them are not reported again as unknown.
    pub broken_agencies: Vec<String>,
    /// True when `content/indicators.yaml` exists but could not be parsed.
    pub indicators_broken: bool,
    /// Total size of the report files found, in bytes; known before any
    /// report is parsed, so that loading can decide whether to keep texts.
    pub report_bytes: u64,
}

/// Reads only the legal registry, `content/legal/*.yaml`.
pub fn load_legal(root: &Path, diags: &mut Diagnostics) -> Vec<LegalEntry> {
    let found = find_yaml(root, "content/legal", diags);
    let mut out = Vec::new();
    for f in &found {
        if let Some(mut entries) = parse_file::<Vec<LegalEntry>>(f, diags) {
            entries.iter_mut().for_each(|e| e.file = f.rel.clone());
            out.extend(entries);
        }
    }
    out
}

/// A content file found by the walk, with its id.
struct Found {
    path: PathBuf,
    rel: String,
    id: String,
    /// Size in bytes, as the walk saw it.
    len: u64,
}

/// Reads all of `content/` under `root`. Problems go to `diags`; files that
/// cannot be parsed are left out so that checking can go on.
pub fn load_content(root: &Path, diags: &mut Diagnostics) -> Content {
    load_content_with(root, diags, |_, _, _| ()).0
}

/// Reads `content/` like [`load_content`], but hands each report, as soon as
/// it is parsed and on the thread that parsed it, to `each` with the rest of
/// the content (agencies, registry, indicators; no reports yet). What `each`
/// returns comes back in report order, and the report is kept as `each`
/// leaves it — so a build checks and cites a report, then can drop its
/// text, and never hold the text of every report at once. The shell's
/// `report_bytes` (the report files' total size) is set before any `each`.
pub fn load_content_with<T: Send>(
    root: &Path,
    diags: &mut Diagnostics,
    each: impl Fn(&Content, &mut Report, &mut Diagnostics) -> T + Sync,
) -> (Content, Vec<T>) {
    let content = root.join("content");
    if !content.is_dir() {
        diags.error("content", Pos::default(), "the site has no content/ folder");
        return (Content::default(), Vec::new());
    }
    let agencies_found = find_yaml(root, "content/agencies", diags);
    let reports_found = find_yaml(root, "content/reports", diags);
    let legal_found = find_yaml(root, "content/legal", diags);

    for f in &agencies_found {
        if f.id.split('/').count() != 2 {
            diags.error(
                &f.rel,
                Pos::default(),
                "agency files go in content/agencies/<province>/<agency>.yaml",
            );
        }
    }

    let agencies: Vec<(Option<Agency>, Diagnostics)> = agencies_found
        .par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            let a = parse_file::<Agency>(f, &mut d).map(|mut a| {
                a.id = f.id.clone();
                a.file = f.rel.clone();
                a
            });
            (a, d)
        })
        .collect();
    let legal: Vec<(Option<Vec<LegalEntry>>, Diagnostics)> = legal_found
        .par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            let entries = parse_file::<Vec<LegalEntry>>(f, &mut d).map(|mut v| {
                v.iter_mut().for_each(|e| e.file = f.rel.clone());
                v
            });
            (entries, d)
        })
        .collect();

    let mut out = Content::default();
    for ((a, d), f) in agencies.into_iter().zip(&agencies_found) {
        diags.extend(d);
        match a {
            Some(a) => out.agencies.push(a),
            None => out.broken_agencies.push(f.id.clone()),
        }
    }
    for (l, d) in legal {
        diags.extend(d);
        out.legal.extend(l.into_iter().flatten());
    }

    let indicators = root.join("content/indicators.yaml");
    if indicators.is_file() {
        let f = Found {
            path: indicators,
            rel: "content/indicators.yaml".into(),
            id: "indicators".into(),
            len: 0,
        };
        match parse_file::<Vec<Indicator>>(&f, diags) {
            Some(list) => out.indicators = list,
            None => out.indicators_broken = true,
        }
    }
    out.agencies.sort_by(|a, b| a.id.cmp(&b.id));
    out.report_bytes = reports_found.iter().map(|f| f.len).sum();

    let reports: Vec<(Option<(Report, T)>, Diagnostics)> = reports_found
        .par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            let parsed = parse_file::<Report>(f, &mut d).map(|mut r| {
                r.id = f.id.clone();
                r.file = f.rel.clone();
                let extra = each(&out, &mut r, &mut d);
                (r, extra)
            });
            (parsed, d)
        })
        .collect();
    let mut kept: Vec<(Report, T)> = Vec::with_capacity(reports_found.len());
    for (parsed, d) in reports {
        diags.extend(d);
        kept.extend(parsed);
    }
    // The walk sorts names folder by folder; reports are kept sorted by id.
    kept.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let (reports, extras): (Vec<Report>, Vec<T>) = kept.into_iter().unzip();
    out.reports = reports;
    (out, extras)
}

/// Lists `*.yaml` / `*.yml` files under `root/dir`, sorted, with ids made of
/// their path segments, which must be lowercase ASCII slugs because they
/// become URLs.
fn find_yaml(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<Found> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.error(dir, Pos::default(), format!("cannot read folder: {e}"));
                continue;
            }
        };
        let path = entry.path();
        let is_yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml") | Some("yml")
        );
        if !entry.file_type().is_file() || !is_yaml {
            continue;
        }
        let Ok(under) = path.strip_prefix(&base) else {
            continue;
        };
        let rel = format!("{dir}/{}", to_slash(under));
        let id = to_slash(&under.with_extension(""));
        if !id.split('/').all(is_slug) {
            diags.error(
                &rel,
                Pos::default(),
                "file and folder names must be lowercase ASCII words joined by `-` (they become URLs)",
            );
            continue;
        }
        found.push(Found {
            path: path.to_path_buf(),
            rel,
            id,
            len: entry.metadata().map_or(0, |m| m.len()),
        });
    }
    found
}

fn to_slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// True for `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads and parses one YAML file, NFC-normalising its text first.
fn parse_file<T: for<'de> Deserialize<'de>>(f: &Found, diags: &mut Diagnostics) -> Option<T> {
    match std::fs::metadata(&f.path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            diags.error(
                &f.rel,
                Pos::default(),
                format!("file is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024),
            );
            return None;
        }
        Err(e) => {
            diags.error(&f.rel, Pos::default(), format!("cannot read: {e}"));
            return None;
        }
        _ => {}
    }
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            diags.error(&f.rel, Pos::default(), format!("cannot read: {e}"));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let pos = crate::config::offset_to_pos(&text, text.len());
            diags.error(&f.rel, pos, "file is not UTF-8 text");
            return None;
        }
    };
    // Normalising the whole source keeps every string NFC; lines are unchanged
    // and columns are those of the normalised line (the same for NFC input).
    let text = nfc(&text);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        diags.error(&f.rel, Pos::new(1, 1), "file is empty");
        return None;
    }
    match serde_saphyr::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let pos = e.location().map(Pos::from).unwrap_or_default();
            diags.error(&f.rel, pos, yaml_message(&e));
            None
        }
    }
}

/// The parser's message without its snippet and without the position, which
/// the diagnostic prints in front.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let mut options = serde_saphyr::RenderOptions::new(&serde_saphyr::UserMessageFormatter);
    options.snippets = serde_saphyr::SnippetMode::Off;
    let text = e.without_snippet().render_with_options(options);
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    // Drop a trailing " at line X, column Y" that the parser appends.
    let cut = first
        .find(" at line ")
        .map(|i| &first[..i])
        .unwrap_or(first);
    let message = cut.trim_end_matches('.');
    // serde's type names mean little to an editor.
    match message {
        "invalid i32" | "invalid u32" | "invalid i64" | "invalid u64" | "invalid u8" => {
            "expected a whole number".to_string()
        }
        "invalid f64" | "invalid f32" => {
            "expected a number (digits with `.` for decimals and no thousands separator, e.g. 28101 or 73.95)".to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        assert_eq!(PartialDate::parse("2021").unwrap().iso(), "2021");
        assert_eq!(PartialDate::parse("2020-11").unwrap().iso(), "2020-11");
        assert_eq!(
            PartialDate::parse("2015-01-09").unwrap().iso(),
            "2015-01-09"
        );
        assert!(PartialDate::parse("2021-13").is_err());
        assert!(PartialDate::parse("2021-02-29").is_err());
        assert!(PartialDate::parse("2020-02-29").is_ok());
        assert!(PartialDate::parse("21-1-1").is_err());
        assert!(PartialDate::parse("2021-1").is_err());
        assert!(PartialDate::parse("2021-01-01-01").is_err());
    }

    #[test]
    fn slugs() {
        assert!(is_slug("binh-phuoc"));
        assert!(is_slug("2021"));
        assert!(!is_slug("Binh"));
        assert!(!is_slug("bình"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug(".."));
        assert!(!is_slug(""));
    }
}

/// A section in reading order, with its anchor and depth.
#[derive(Debug, Clone)]
pub struct OutlineEntry<'a> {
    /// Unique anchor, e.g. `muc-iii-1-2`.
    pub anchor: String,
    /// Nesting depth from 1.
    pub depth: usize,
    /// The section.
    pub section: &'a Section,
}

/// Number tokens of a printed section number: "1.2." → ["1", "2"], "III." → ["iii"].
fn number_tokens(number: &str) -> Vec<String> {
    crate::vietnamese::slugify(number)
        .split('-')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

impl Report {
    /// Every section in reading order with a unique, readable anchor built from
    /// the printed numbers ("III." › "1." › "1.2." → `muc-iii-1-2`); sections
    /// without a number are anchored by position.
    pub fn outline(&self) -> Vec<OutlineEntry<'_>> {
        fn walk<'a>(
            sections: &'a [Section],
            parent_path: &[String],
            parent_local: &[String],
            depth: usize,
            used: &mut std::collections::BTreeSet<String>,
            out: &mut Vec<OutlineEntry<'a>>,
        ) {
            for (i, s) in sections.iter().enumerate() {
                let mut local = s.number.as_deref().map(number_tokens).unwrap_or_default();
                if local.is_empty() {
                    local = vec![format!("p{}", i + 1)];
                }
                // "1.2." under "1." repeats its parent's number: keep only "2".
                let own: Vec<String> = if local.len() > parent_local.len()
                    && local.starts_with(parent_local)
                    && !parent_local.is_empty()
                {
                    local[parent_local.len()..].to_vec()
                } else {
                    local.clone()
                };
                let mut path = parent_path.to_vec();
                path.extend(own);
                let base = format!("muc-{}", path.join("-"));
                let mut anchor = base.clone();
                let mut n = 2;
                while !used.insert(anchor.clone()) {
                    anchor = format!("{base}_{n}");
                    n += 1;
                }
                out.push(OutlineEntry {
                    anchor,
                    depth,
                    section: s,
                });
                walk(&s.sections, &path, &local, depth + 1, used, out);
            }
        }
        let mut out = Vec::new();
        let mut used = std::collections::BTreeSet::new();
        walk(&self.sections, &[], &[], 1, &mut used, &mut out);
        out
    }

    /// Every piece of Markdown text of the report, in reading order, with
    /// the anchor of the part it belongs to: a section, the opening
    /// (`mo-dau`), the closing (`ket-thuc`) or a footnote (`fn-N`).
    pub fn texts(&self) -> Vec<(Option<String>, &str)> {
        let mut out: Vec<(Option<String>, &str)> = Vec::new();
        if let Some(t) = &self.intro {
            out.push((Some("mo-dau".to_string()), t));
        }
        for e in self.outline() {
            if let Some(t) = &e.section.title {
                out.push((Some(e.anchor.clone()), t));
            }
            if let Some(b) = &e.section.body {
                out.push((Some(e.anchor.clone()), b));
            }
        }
        if let Some(t) = &self.closing {
            out.push((Some("ket-thuc".to_string()), t));
        }
        for f in &self.footnotes {
            out.push((Some(format!("fn-{}", f.number.value)), &f.text));
        }
        out
    }
}
