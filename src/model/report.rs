//! A report as every stage sees it: [`Report`], its metadata, always in
//! memory; and [`Body`], its text, figures and tables with the citations
//! the cite stage found in them, reached only through the body store
//! ([`super::Bodies`]).

use super::{AgencyId, FormId, PartialDate};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeSet;
use std::fmt;

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

/// SHA-256 of a content file's bytes as read: what was checked, so that a
/// body read again can be compared with it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        use sha2::Digest as _;
        Digest(sha2::Sha256::digest(bytes).into())
    }
}

/// What `load` knew of a content file's bytes when it checked them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Checked {
    /// Their SHA-256.
    pub digest: Digest,
    /// Whether they were NFC as written: then the text parsed is the file's
    /// text byte for byte, and a place found in one is the place in the other.
    pub nfc: bool,
    /// The file's size and modification time, taken before it was read
    /// (none for bytes that came from no file): the manifest's digest of
    /// the sources takes `digest` for the file while these still hold.
    pub seen: Option<(u64, std::time::SystemTime)>,
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
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
    pub title: Option<Spanned<String>>,
    /// Body in Markdown.
    #[serde(default)]
    pub body: Option<Spanned<String>>,
    /// Sub-sections.
    #[serde(default)]
    pub sections: Vec<Section>,
}

impl Section {
    /// The heading text.
    pub fn title(&self) -> Option<&str> {
        self.title.as_ref().map(|t| t.value.as_str())
    }

    /// The body's Markdown.
    pub fn body(&self) -> Option<&str> {
        self.body.as_ref().map(|b| b.value.as_str())
    }
}

/// A numbered footnote; its marker (¹, ², …) stands in the text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    /// The footnote number.
    pub number: Spanned<u32>,
    /// Footnote text in Markdown.
    pub text: Spanned<String>,
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
    /// The planned figure (kế hoạch, chỉ tiêu giao), when the report states
    /// one: "28.101/38.000 lao động, đạt 73,95% kế hoạch".
    #[serde(default)]
    pub target: Option<f64>,
    /// The whole the figure is a count out of, when the report states one:
    /// "10/12 cơ quan", "18.000/20.139 hộ". A total, never a plan.
    #[serde(default)]
    pub of: Option<f64>,
    /// Share of the target achieved, in percent, as the report states it.
    #[serde(default)]
    pub achieved: Option<f64>,
    /// Period the figure is for; defaults to the report's year.
    #[serde(default)]
    pub period: Option<PartialDate>,
    /// The last day (or month) the figure covers when it is not the whole
    /// period: "9 tháng đầu năm" is `through: 2020-09`, "tính đến 31-8-2018"
    /// is `through: 2018-08-31`.
    #[serde(default)]
    pub through: Option<PartialDate>,
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
    pub title: Spanned<String>,
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
    pub url: Option<Spanned<String>>,
    /// The original as issued (PDF, Word, a scan, text), a path under
    /// `content/originals/`: copied into the output beside the report's
    /// page and linked with its type and size.
    #[serde(default)]
    pub file: Option<Spanned<String>>,
    /// How the text was obtained.
    #[serde(default)]
    pub note: Option<String>,
}

/// A report file, `content/reports/**/*.yaml`, as written. The load stage
/// splits it into its [`Report`] and its [`Body`] at once.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFile {
    status: Spanned<Status>,
    #[serde(default)]
    approved_by: Option<String>,
    #[serde(default)]
    approved_on: Option<Spanned<PartialDate>>,
    agency: Spanned<String>,
    kind: String,
    #[serde(default)]
    number: Option<Spanned<String>>,
    year: Spanned<i32>,
    #[serde(default)]
    date: Option<Spanned<PartialDate>>,
    #[serde(default)]
    place: Option<String>,
    title: Spanned<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    intro: Option<Spanned<String>>,
    #[serde(default)]
    sections: Vec<Section>,
    #[serde(default)]
    closing: Option<Spanned<String>>,
    #[serde(default)]
    footnotes: Vec<Footnote>,
    #[serde(default)]
    metrics: Vec<Metric>,
    #[serde(default)]
    tables: Vec<Table>,
    #[serde(default)]
    recipients: Vec<String>,
    #[serde(default)]
    signer: Option<Signer>,
    #[serde(default)]
    references: Vec<Spanned<String>>,
    #[serde(default)]
    source: Option<Source>,
}

impl ReportFile {
    /// Splits the file into the report's metadata and its body.
    pub fn split(self, slug: String, file: String, checked: Checked) -> (Report, Body) {
        let title = cited_title(&self.kind, self.title.value);
        let report = Report {
            slug,
            file,
            digest: checked.digest,
            source_nfc: checked.nfc,
            source_seen: checked.seen,
            status: self.status,
            approved_by: self.approved_by,
            approved_on: self.approved_on,
            agency: self.agency,
            agency_id: None,
            kind: self.kind,
            number: self.number,
            year: self.year,
            date: self.date,
            place: self.place,
            title,
            title_at: self.title.referenced,
            summary: self.summary,
            recipients: self.recipients,
            signer: self.signer,
            references: self.references,
            source: self.source,
        };
        let body = Body {
            intro: self.intro,
            sections: self.sections,
            closing: self.closing,
            footnotes: self.footnotes,
            metrics: self.metrics,
            tables: self.tables,
            citations: Vec::new(),
        };
        (report, body)
    }
}

/// The title as readers cite the document. A title block prints the kind
/// and the title as two lines ("BÁO CÁO" / "thực hiện “Năm dân vận khéo”
/// 2020"): a title that starts in lower case continues the kind, so it is
/// cited as one phrase with the kind's capital ("Báo cáo thực hiện “Năm dân
/// vận khéo” 2020"). A title with its own capital is kept as written.
pub fn cited_title(kind: &str, title: String) -> String {
    let starts_lower = title.chars().next().is_some_and(char::is_lowercase);
    let mut kind_letters = kind.trim().chars();
    match kind_letters.next() {
        Some(first) if starts_lower => {
            let kind: String = first.to_uppercase().chain(kind_letters).collect();
            format!("{kind} {title}")
        }
        _ => title,
    }
}

/// A report's metadata: what lists, links, facets and the graph use. Its
/// text is a [`Body`], which only the body store hands out.
#[derive(Debug, Clone)]
pub struct Report {
    /// File path under `content/reports/` without extension: its address.
    pub slug: String,
    /// The file, relative to the site root.
    pub file: String,
    /// SHA-256 of the file as it was read and checked.
    pub digest: Digest,
    /// Whether the file was NFC as read (its text needed no normalising).
    pub source_nfc: bool,
    /// The file's size and modification time before it was read
    /// ([`Checked::seen`]).
    pub source_seen: Option<(u64, std::time::SystemTime)>,
    /// Draft or approved.
    pub status: Spanned<Status>,
    /// Who approved publishing (required when approved).
    pub approved_by: Option<String>,
    /// When publishing was approved (required when approved).
    pub approved_on: Option<Spanned<PartialDate>>,
    /// Slug of the reporting agency, as written.
    pub agency: Spanned<String>,
    /// The reporting agency, when it exists.
    pub agency_id: Option<AgencyId>,
    /// Kind of document: "báo cáo", "tin bài", …
    pub kind: String,
    /// The document symbol as printed; the numeral may be blank ("/BC-SLĐTBXH").
    pub number: Option<Spanned<String>>,
    /// The year reported on.
    pub year: Spanned<i32>,
    /// Date of the document.
    pub date: Option<Spanned<PartialDate>>,
    /// Place written in the heading ("Bình Phước").
    pub place: Option<String>,
    /// Title as cited ([`cited_title`]): with its capital, everywhere.
    pub title: String,
    /// Where the title stands in the file.
    pub title_at: serde_saphyr::Location,
    /// One-paragraph summary for lists.
    pub summary: Option<String>,
    /// The "Nơi nhận" list.
    pub recipients: Vec<String>,
    /// Signature block.
    pub signer: Option<Signer>,
    /// Citations of documents that the text refers to without a number.
    pub references: Vec<Spanned<String>>,
    /// Where the original lives.
    pub source: Option<Source>,
}

impl Report {
    /// True when the report may be published without `--drafts`.
    pub fn is_approved(&self) -> bool {
        self.status.value == Status::Approved
    }

    /// Date of the document.
    pub fn date(&self) -> Option<PartialDate> {
        self.date.as_ref().map(|d| d.value)
    }

    /// The document symbol as printed.
    pub fn number(&self) -> Option<&str> {
        self.number.as_ref().map(|n| n.value.as_str())
    }
}

/// Where the cite stage found a citation: the text part of the body (or a
/// reference), byte offsets in that part's text, and the document form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CitationSpan {
    /// [`Part`], packed: references have the top bit set.
    part: u32,
    /// Byte offset of the start in the part's text.
    pub start: u32,
    /// Byte offset of the end.
    pub end: u32,
    /// The document as this citation names it; the link stage resolves it.
    pub form: FormId,
}

/// Which text of a report a citation stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The text at this place in [`Body::texts`].
    Text(usize),
    /// The report's reference at this place in [`Report::references`].
    Reference(usize),
}

const REFERENCE_BIT: u32 = 1 << 31;

impl CitationSpan {
    /// A span of `part`.
    pub fn new(part: Part, start: usize, end: usize, form: FormId) -> CitationSpan {
        let index = match part {
            Part::Text(i) => i as u32,
            Part::Reference(i) => i as u32 | REFERENCE_BIT,
        };
        // Offsets fit: content files are at most a few MiB.
        CitationSpan {
            part: index,
            start: start as u32,
            end: end as u32,
            form,
        }
    }

    /// The part it stands in.
    pub fn part(&self) -> Part {
        if self.part & REFERENCE_BIT != 0 {
            Part::Reference((self.part & !REFERENCE_BIT) as usize)
        } else {
            Part::Text(self.part as usize)
        }
    }

    /// Its byte range in the part's text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A report's text, figures and tables, with the citations found in them.
/// Only [`super::Bodies`] hands one out, so a stage cannot read a report's
/// text without going through the store that loaded (and checked) it.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Opening text before the first section, in Markdown.
    pub intro: Option<Spanned<String>>,
    /// The report's sections.
    pub sections: Vec<Section>,
    /// Closing text after the last section ("Trên đây là báo cáo …"), in Markdown.
    pub closing: Option<Spanned<String>>,
    /// Numbered footnotes.
    pub footnotes: Vec<Footnote>,
    /// Figures stated in the report.
    pub metrics: Vec<Metric>,
    /// Appendix tables.
    pub tables: Vec<Table>,
    /// Citations found by the cite stage, sorted by part then offset.
    pub citations: Vec<CitationSpan>,
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

impl OutlineEntry<'_> {
    /// Number and title as printed, e.g. "1.2. Công tác tuyên truyền".
    pub fn label(&self) -> String {
        [self.section.number.as_deref(), self.section.title()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a text of a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextKind {
    /// The opening.
    Intro,
    /// The heading of the section at this place in the outline.
    SectionTitle(usize),
    /// The body of the section at this place in the outline.
    SectionBody(usize),
    /// The closing.
    Closing,
    /// The footnote at this place in the footnote list.
    Footnote(usize),
}

/// One piece of Markdown text of a report.
#[derive(Debug, Clone)]
pub struct Text<'a> {
    /// What it is.
    pub kind: TextKind,
    /// The anchor of the part it belongs to: a section, the opening
    /// (`mo-dau`), the closing (`ket-thuc`) or a footnote (`fn-N`).
    pub anchor: String,
    /// The Markdown.
    pub text: &'a str,
    /// Where it starts in the report file.
    pub at: serde_saphyr::Location,
}

/// How deep sections may nest. Reports go four or five levels deep
/// (I. › 1. › 1.1. › a) › -); deeper is a mistake in the YAML, and a page's
/// headings stop at six levels anyway. The outline goes no deeper (the check
/// stage reports it).
pub const MAX_SECTION_DEPTH: usize = 30;

/// Anchor of a report's opening.
pub const INTRO_ANCHOR: &str = "mo-dau";
/// Anchor of a report's closing.
pub const CLOSING_ANCHOR: &str = "ket-thuc";

/// Number tokens of a printed section number: "1.2." → ["1", "2"], "III." → ["iii"].
fn number_tokens(number: &str) -> Vec<String> {
    crate::vietnamese::slugify(number)
        .split('-')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

impl Body {
    /// The opening's Markdown.
    pub fn intro(&self) -> Option<&str> {
        self.intro.as_ref().map(|t| t.value.as_str())
    }

    /// The closing's Markdown.
    pub fn closing(&self) -> Option<&str> {
        self.closing.as_ref().map(|t| t.value.as_str())
    }

    /// Every section in reading order with a unique, readable anchor built from
    /// the printed numbers ("III." › "1." › "1.2." → `muc-iii-1-2`); sections
    /// without a number are anchored by position.
    pub fn outline(&self) -> Vec<OutlineEntry<'_>> {
        fn walk<'a>(
            sections: &'a [Section],
            parent_path: &[String],
            parent_local: &[String],
            depth: usize,
            used: &mut crate::FastMap<String, usize>,
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
                // The first section with a number has its anchor, the next
                // ones `_2`, `_3`, … (counted, not searched for: 20,000
                // sections numbered alike stay linear). A counted anchor
                // holds `_`, which no number's slug does, so it never
                // meets another section's.
                let base = format!("muc-{}", path.join("-"));
                let seen = used.entry(base.clone()).or_insert(0);
                *seen += 1;
                let anchor = if *seen == 1 {
                    base
                } else {
                    format!("{base}_{seen}")
                };
                out.push(OutlineEntry {
                    anchor,
                    depth,
                    section: s,
                });
                if depth < MAX_SECTION_DEPTH {
                    walk(&s.sections, &path, &local, depth + 1, used, out);
                }
            }
        }
        let mut out = Vec::new();
        let mut used = crate::FastMap::default();
        walk(&self.sections, &[], &[], 1, &mut used, &mut out);
        out
    }

    /// Every piece of Markdown text of the report in reading order: the
    /// opening, each section's heading and body, the closing, the
    /// footnotes. A citation's [`Part::Text`] is a place in this list.
    pub fn texts(&self) -> Vec<Text<'_>> {
        self.texts_of(&self.outline())
    }

    /// [`Body::texts`] with the outline already made.
    pub fn texts_of<'a>(&'a self, outline: &[OutlineEntry<'a>]) -> Vec<Text<'a>> {
        let mut out = Vec::new();
        if let Some(t) = &self.intro {
            out.push(Text {
                kind: TextKind::Intro,
                anchor: INTRO_ANCHOR.to_string(),
                text: &t.value,
                at: t.referenced,
            });
        }
        for (k, e) in outline.iter().enumerate() {
            if let Some(t) = &e.section.title {
                out.push(Text {
                    kind: TextKind::SectionTitle(k),
                    anchor: e.anchor.clone(),
                    text: &t.value,
                    at: t.referenced,
                });
            }
            if let Some(b) = &e.section.body {
                out.push(Text {
                    kind: TextKind::SectionBody(k),
                    anchor: e.anchor.clone(),
                    text: &b.value,
                    at: b.referenced,
                });
            }
        }
        if let Some(t) = &self.closing {
            out.push(Text {
                kind: TextKind::Closing,
                anchor: CLOSING_ANCHOR.to_string(),
                text: &t.value,
                at: t.referenced,
            });
        }
        for (k, f) in self.footnotes.iter().enumerate() {
            out.push(Text {
                kind: TextKind::Footnote(k),
                anchor: format!("fn-{}", f.number.value),
                text: &f.text.value,
                at: f.text.referenced,
            });
        }
        out
    }

    /// The citations of one part, in order.
    pub fn citations_in(&self, part: Part) -> &[CitationSpan] {
        let start = self.citations.partition_point(|c| c.part() < part);
        let len = self.citations[start..].partition_point(|c| c.part() == part);
        &self.citations[start..start + len]
    }
}

/// Resolves a metric's `section` ("III.1.2", "iii-1-2" or "muc-iii-1-2") to
/// one of `anchors`.
pub fn section_anchor(section: &str, anchors: &BTreeSet<String>) -> Option<String> {
    let slug = crate::vietnamese::slugify(section);
    let anchor = if slug.starts_with("muc-") {
        slug
    } else {
        format!("muc-{slug}")
    };
    anchors.contains(&anchor).then_some(anchor)
}

fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴'..='⁹' => Some(c as u32 - '⁴' as u32 + 4),
        _ => None,
    }
}

/// Footnote markers in `text`: runs of superscript digits, with their byte
/// ranges and numbers ("2021¹." → 1).
pub fn footnote_markers(text: &str) -> Vec<(std::ops::Range<usize>, u32)> {
    // Superscript digits are encoded with lead byte C2 (¹²³) or E2
    // (⁰⁴…⁹), bytes that Vietnamese letters never use: memchr jumps from
    // one to the next instead of decoding every character.
    let mut out = Vec::new();
    // The run of digits being read: start, end, number.
    let mut current: Option<(usize, usize, u32)> = None;
    for i in memchr::memchr2_iter(0xC2, 0xE2, text.as_bytes()) {
        let Some(c) = text[i..].chars().next() else {
            continue;
        };
        let Some(d) = superscript_digit(c) else {
            continue;
        };
        let end = i + c.len_utf8();
        current = match current {
            Some((s, e, n)) if e == i => Some((s, end, n.saturating_mul(10) + d)),
            Some((s, e, n)) => {
                out.push((s..e, n));
                Some((i, end, d))
            }
            None => Some((i, end, d)),
        };
    }
    out.extend(current.map(|(s, e, n)| (s..e, n)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::Range;

    #[test]
    fn a_title_in_lower_case_is_cited_with_its_kind() {
        let cited = |kind: &str, title: &str| cited_title(kind, title.to_string());
        assert_eq!(
            cited("báo cáo", "thực hiện “Năm dân vận khéo” 2020"),
            "Báo cáo thực hiện “Năm dân vận khéo” 2020"
        );
        assert_eq!(
            cited("báo cáo", "Việc triển khai thực hiện công tác dân vận"),
            "Việc triển khai thực hiện công tác dân vận"
        );
        assert_eq!(cited("đề án", "“đẹp”"), "“đẹp”", "no letter to continue");
        assert_eq!(cited("ước tính", "số liệu"), "Ước tính số liệu");
        assert_eq!(cited("", "kết quả"), "kết quả");
    }

    #[test]
    fn markers() {
        assert_eq!(footnote_markers("a¹ b²³ c"), vec![(1..3, 1), (5..9, 23)]);
    }

    /// The byte-jumping scan finds what decoding every character finds.
    #[test]
    fn markers_match_a_char_by_char_scan() {
        fn by_chars(text: &str) -> Vec<(Range<usize>, u32)> {
            let mut out: Vec<(Range<usize>, u32)> = Vec::new();
            let mut end = usize::MAX;
            for (i, c) in text.char_indices() {
                let Some(d) = superscript_digit(c) else {
                    continue;
                };
                match out.last_mut() {
                    Some((r, n)) if end == i => {
                        r.end = i + c.len_utf8();
                        *n = n.saturating_mul(10) + d;
                    }
                    _ => out.push((i..i + c.len_utf8(), d)),
                }
                end = i + c.len_utf8();
            }
            out
        }
        // Superscripts next to letters, dashes and quotes that share their
        // lead bytes (– “ ” · ©), at the start and the end.
        let pieces = [
            "¹", "²", "³", "⁰", "⁴", "⁹", "–", "“", "”", "·", "©", "a", "ạ", "đ", " ", "₁", "⁺",
        ];
        let mut rng = crate::TestRng::new(7);
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..rng.below(12) {
                text.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
            }
            assert_eq!(footnote_markers(&text), by_chars(&text), "{text:?}");
        }
        let long = "Năm 2021¹ đạt 73,95%²³ – “dân vận” ⁴⁵⁶".repeat(50);
        assert_eq!(footnote_markers(&long), by_chars(&long));
    }

    #[test]
    fn spans_pack_their_part() {
        let f = FormId::new(3);
        let t = CitationSpan::new(Part::Text(7), 1, 9, f);
        let r = CitationSpan::new(Part::Reference(2), 0, 4, f);
        assert_eq!(t.part(), Part::Text(7));
        assert_eq!(r.part(), Part::Reference(2));
        assert!(t.part() < r.part());
        let body = Body {
            citations: vec![
                CitationSpan::new(Part::Text(0), 0, 1, f),
                t,
                CitationSpan::new(Part::Text(7), 20, 30, f),
                r,
            ],
            ..Body::default()
        };
        assert_eq!(body.citations_in(Part::Text(7)).len(), 2);
        assert_eq!(body.citations_in(Part::Text(3)).len(), 0);
        assert_eq!(body.citations_in(Part::Reference(2)), &[r]);
    }
}
