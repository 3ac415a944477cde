//! Import: a report's text as an editor has it (typed, pasted, or saved
//! from Word as text) turned into a draft report for review. The text is
//! read as the documents are laid out — the heading block ("Số: …", "Bình
//! Phước, ngày … tháng … năm 2021"), the title block ("BÁO CÁO" and the
//! title), numbered parts in every numbering style the reports use (I.,
//! 1., 1.1., a), 1-, and Markdown headings when the text was converted),
//! bullets, footnotes (¹ ² ³ wherever a page break left their text),
//! paragraphs split by a page break, "Nơi nhận:", the signer block and
//! tab-separated appendix tables — and the figures it states are proposed
//! as metrics for the editor to map to indicators.
//!
//! Written by hand: no crate reads the layout of a Vietnamese
//! administrative document; the formats themselves (Word, PDF) are for
//! crates to read.

pub mod docx;
pub mod pdf;

use crate::vietnamese::{fold_ascii, nfc};
use regex::Regex;
use std::sync::LazyLock;

/// A part of the report.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Part {
    /// As printed ("III.", "1.2.", "a)").
    pub number: String,
    /// The heading's text.
    pub title: String,
    /// Paragraphs (Markdown).
    pub body: Vec<String>,
    /// Its sub-parts.
    pub parts: Vec<Part>,
    level: usize,
}

/// Marks of a table's layout in the text [`read`] reads, set by readers
/// of formats that have merged cells and header rows ([`docx`]): a cell
/// covered by the cell on its left, a cell covered by the cell above, a
/// header row (at the start of its line). Removed from typed text, where
/// they have no business ([`clean`]).
pub const SPAN_LEFT: char = '\u{2}';
/// See [`SPAN_LEFT`].
pub const SPAN_UP: char = '\u{3}';
/// See [`SPAN_LEFT`].
pub const HEAD_ROW: char = '\u{1}';

/// Typed text without the control characters that mark tables' layout
/// (and any other but tab and line breaks).
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// A table cell as printed, with the columns and rows it spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Its text.
    pub text: String,
    /// Columns it spans (1 for most).
    pub colspan: u32,
    /// Rows it spans (1 for most).
    pub rowspan: u32,
}

impl Cell {
    fn new(text: String) -> Cell {
        Cell {
            text,
            colspan: 1,
            rowspan: 1,
        }
    }
}

/// An appendix table, cells as printed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Table {
    /// The heading above it, when there is one.
    pub title: String,
    /// Header rows (Word's "repeat as header row").
    pub head: Vec<Vec<Cell>>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
    /// Text under it, paragraph by paragraph.
    pub note: Vec<String>,
}

/// A table from its tab-separated lines: ragged rows padded to the
/// widest, merged cells ([`SPAN_LEFT`], [`SPAN_UP`]) folded into the
/// spans of the cells that cover them, header rows ([`HEAD_ROW`]) apart.
fn table(title: String, lines: &[String]) -> Table {
    let mut grid: Vec<(bool, Vec<String>)> = lines
        .iter()
        .map(|l| {
            let head = l.starts_with(HEAD_ROW);
            let l = l.trim_start_matches(HEAD_ROW);
            (head, l.split('\t').map(|c| c.trim().to_string()).collect())
        })
        .collect();
    let width = grid.iter().map(|r| r.1.len()).max().unwrap_or(0);
    for (_, row) in &mut grid {
        row.resize(width, String::new());
    }
    // Header rows are the leading marked ones only.
    let heads = grid.iter().take_while(|r| r.0).count();
    let mut cells: Vec<Vec<Cell>> = Vec::with_capacity(grid.len());
    // For each column, the (row, index) of the cell that covers it.
    let mut origin: Vec<Option<(usize, usize)>> = vec![None; width];
    for (r, (_, row)) in grid.iter().enumerate() {
        let mut out: Vec<Cell> = Vec::new();
        let mut left: Option<usize> = None;
        let mut covered_by_above = false;
        for (c, text) in row.iter().enumerate() {
            let up = text.starts_with(SPAN_UP)
                // A header's span does not run into the body.
                && r != heads;
            if text.starts_with(SPAN_LEFT) {
                if covered_by_above {
                    continue;
                }
                if let Some(k) = left {
                    out[k].colspan += 1;
                    origin[c] = Some((r, k));
                    continue;
                }
            } else if up {
                if let Some((or, ok)) = origin[c] {
                    let o: &mut Cell = if or == r {
                        &mut out[ok]
                    } else {
                        &mut cells[or][ok]
                    };
                    if or != r && o.rowspan as usize <= r - or {
                        o.rowspan += 1;
                    }
                    covered_by_above = true;
                    left = None;
                    continue;
                }
            }
            covered_by_above = false;
            let text = text.trim_start_matches([SPAN_LEFT, SPAN_UP]).to_string();
            out.push(Cell::new(text));
            left = Some(out.len() - 1);
            origin[c] = Some((r, out.len() - 1));
        }
        cells.push(out);
    }
    let rows = cells.split_off(heads);
    Table {
        title,
        head: cells,
        rows,
        note: Vec::new(),
    }
}

/// A figure the text states, proposed as a metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The sentence or clause it stands in.
    pub stated: String,
    /// The figure.
    pub value: f64,
    /// The plan, when the text gives one ("28.101/38.000 …, đạt 73,95%").
    pub target: Option<f64>,
    /// The whole it is part of ("10/12 cơ quan").
    pub of: Option<f64>,
    /// The share of the plan, as stated.
    pub achieved: Option<f64>,
    /// The indicator whose words are closest, when one shares words.
    pub indicator: Option<String>,
}

impl Figure {
    /// A figure of `value` stated in `stated`, nothing else known yet.
    fn new(stated: String, value: f64) -> Figure {
        Figure {
            stated,
            value,
            target: None,
            of: None,
            achieved: None,
            indicator: None,
        }
    }
}

/// What was read.
#[derive(Debug, Default, Clone)]
pub struct Draft {
    /// "Số: …" as printed (the numeral may be blank).
    pub number: Option<String>,
    /// The place of the heading.
    pub place: Option<String>,
    /// Year, month, day of the heading (day and month may be blank).
    pub date: Option<(i32, Option<u8>, Option<u8>)>,
    /// The kind of document ("báo cáo").
    pub kind: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// Issuing body lines above "Số:".
    pub issuer: Vec<String>,
    /// Paragraphs before the first part.
    pub intro: Vec<String>,
    /// The numbered parts.
    pub parts: Vec<Part>,
    /// "Trên đây là báo cáo …".
    pub closing: Vec<String>,
    /// Footnotes by number.
    pub footnotes: Vec<(u32, String)>,
    /// "Nơi nhận", as printed.
    pub recipients: Vec<String>,
    /// The signer's position lines.
    pub signer_position: Vec<String>,
    /// The signer's name.
    pub signer_name: Option<String>,
    /// Appendix tables.
    pub tables: Vec<Table>,
    /// Heading of the appendix ("PHỤ LỤC SỐ LIỆU").
    pub appendix: Option<String>,
    /// Proposed figures.
    pub figures: Vec<Figure>,
}

static NUMBER_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Số\s*:\s*(.*)$").expect("pattern"));
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*?),\s*ngày\s*([0-9]{0,2})\s*tháng\s*([0-9]{0,2})\s*năm\s*([0-9]{4})\s*$")
        .expect("pattern")
});
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:X{0,3})(?:IX|IV|V?I{0,3})\.|[0-9]+(?:\.[0-9]+)*\.|[0-9]+-|[a-zđ]\))\s*(.*)$")
        .expect("pattern")
});
/// Whether `text` is a part's or a list item's label alone ("I.", "1.2.",
/// "a)", "3-", "-", "+").
pub(crate) fn is_label(text: &str) -> bool {
    let t = text.trim();
    matches!(t, "-" | "+" | "•")
        || HEADING
            .captures(t)
            .is_some_and(|c| c[2].is_empty() && c[1].len() == t.len())
}

/// Markdown emphasis and heading marks taken off a line, to read its
/// structure ("### **I. ĐẶC ĐIỂM**" is the part "I.").
fn plain(line: &str) -> String {
    let t = line.trim().trim_start_matches('#').trim();
    let t = t.replace("**", "");
    let t = t.trim_matches('*').trim();
    t.trim_end_matches("  ").to_string()
}

/// The level of a part's number: Roman numerals first, then 1., then
/// 1.1. (one more per dot), then a).
fn level_of(number: &str) -> usize {
    if number.ends_with(')') {
        return 9;
    }
    if number.ends_with('-') {
        return 2;
    }
    if number
        .trim_end_matches('.')
        .chars()
        .all(|c| "IVX".contains(c))
    {
        return 1;
    }
    1 + number.trim_end_matches('.').split('.').count()
}

/// Whether a line is all capitals (a title block's kind, a signer's position).
fn is_upper(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && letters.iter().all(|c| !c.is_lowercase())
}

/// A Vietnamese number as written ("28.101", "73,95") as a value.
fn number_value(text: &str) -> Option<f64> {
    text.replace('.', "").replace(',', ".").parse().ok()
}

/// Reads a report's text.
pub fn read(text: &str) -> Draft {
    let text = nfc(text).replace("\r\n", "\n").replace('\r', "\n");
    // Paragraphs: blank lines part them; a bullet or a numbered line
    // starts its own.
    let mut paras: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        // A row of blank cells (a blank form) is a row, not a blank line.
        if line.trim().is_empty() && !line.contains('\t') {
            if !current.is_empty() {
                paras.push(current.join("\n"));
                current.clear();
            }
            continue;
        }
        // A table row keeps its tabs: a blank first or last cell is a cell.
        let trimmed = if line.contains('\t') {
            line.trim_matches(' ')
        } else {
            line.trim()
        };
        current.push(trimmed.to_string());
    }
    if !current.is_empty() {
        paras.push(current.join("\n"));
    }

    let mut d = Draft::default();
    let mut i = 0;
    // The heading block: issuer lines, the national motto, the number,
    // place and date — line by line, or side by side in two columns (a
    // table in Word, a tab in text).
    while i < paras.len() {
        let p = plain(&paras[i]);
        let items: Vec<&str> = p
            .split(['\n', '\t'])
            .map(|t| t.trim_matches(|c: char| c.is_whitespace() || c.is_control()))
            .filter(|t| !t.is_empty())
            .collect();
        let mut read: Vec<HeadItem> = Vec::new();
        for item in &items {
            match head_item(item, d.number.is_some()) {
                Some(h) => read.push(h),
                None => break,
            }
        }
        if items.is_empty() || read.len() < items.len() {
            break;
        }
        for h in read {
            match h {
                HeadItem::Number(n) => d.number = Some(n),
                HeadItem::Date(place, date) => {
                    d.place = place;
                    d.date = Some(date);
                }
                HeadItem::Issuer(line) => d.issuer.push(line),
                HeadItem::Motto => {}
            }
        }
        i += 1;
    }
    // The title block: "BÁO CÁO" and the title (on one line or two).
    if i < paras.len() {
        let p = plain(&paras[i]);
        let upper_words: Vec<&str> = p
            .split_whitespace()
            .take_while(|w| is_upper(w) || !w.chars().any(char::is_alphabetic))
            .collect();
        let kind_len = upper_words.len();
        if kind_len > 0 && is_kind(&upper_words.join(" ")) {
            d.kind = Some(upper_words.join(" ").to_lowercase());
            let rest: String = p
                .split_whitespace()
                .skip(kind_len)
                .collect::<Vec<_>>()
                .join(" ");
            i += 1;
            if !rest.is_empty() {
                d.title = Some(rest);
            } else if i < paras.len()
                && HEADING
                    .captures(&plain(&paras[i]))
                    .is_none_or(|c| c[2].is_empty())
            {
                d.title = Some(plain(&paras[i]).replace('\n', " "));
                i += 1;
            }
        } else if d.number.is_none() && d.date.is_none() {
            // No heading block (a news article): the first line is the title.
            d.title = Some(p.replace('\n', " "));
            i += 1;
        }
    }

    // The body, the closing, the recipients, the signer, the appendix.
    let mut stack: Vec<Part> = Vec::new();
    let mut in_footnote: Option<usize> = None;
    let mut state = Body::Text;
    let mut table: Option<(String, Vec<String>)> = None;
    let mut pending_heading = String::new();
    while i < paras.len() {
        let raw = paras[i].clone();
        i += 1;
        let p = plain(&raw);
        // Tab-separated rows: an appendix table.
        if raw.contains('\t') {
            let t = table.get_or_insert_with(|| (std::mem::take(&mut pending_heading), Vec::new()));
            t.1.extend(raw.lines().map(str::to_string));
            continue;
        }
        if let Some((title, lines)) = table.take() {
            d.tables.push(self::table(title, &lines));
        }
        // A footnote: a paragraph that starts with its marker (the model's
        // reading of markers, as the pages number them).
        if let Some((at, n)) = crate::model::footnote_markers(&p)
            .into_iter()
            .next()
            .filter(|(at, _)| at.start == 0)
        {
            d.footnotes.push((n, p[at.end..].trim().to_string()));
            in_footnote = Some(d.footnotes.len() - 1);
            continue;
        }
        // A footnote's own list, its items on lines of one paragraph,
        // continues it ("- Lao động …: 38.000 người"); a bullet standing
        // alone is the text's again (where a page break put the footnote).
        if let Some(k) = in_footnote {
            if raw.lines().count() > 1
                && raw
                    .lines()
                    .all(|l| l.starts_with("- ") || l.starts_with("+ "))
            {
                d.footnotes[k].1.push_str("\n\n");
                d.footnotes[k].1.push_str(&raw);
                continue;
            }
        }
        in_footnote = None;
        let folded = fold_ascii(&p).to_lowercase();
        if folded.starts_with("noi nhan") {
            state = Body::Recipients;
            continue;
        }
        if folded.starts_with("phu luc") {
            d.appendix = Some(p.clone());
            state = Body::Appendix;
            continue;
        }
        match state {
            Body::Recipients => {
                let lines: Vec<&str> = raw.lines().collect();
                if lines
                    .iter()
                    .all(|l| l.starts_with("- ") || l.starts_with('-'))
                {
                    d.recipients.extend(
                        lines
                            .iter()
                            .map(|l| l.trim_start_matches('-').trim().to_string()),
                    );
                } else {
                    state = Body::Signer;
                    i -= 1;
                }
                continue;
            }
            Body::Signer => {
                for line in p.lines() {
                    let line = line.trim();
                    if is_upper(line) {
                        d.signer_position.push(line.to_string());
                    } else if !line.is_empty() {
                        d.signer_name = Some(line.to_string());
                    }
                }
                continue;
            }
            Body::Appendix => {
                // The line above a table is its title; any other text of
                // the appendix is kept as a note under the table before
                // it (or above the first, as the group's heading).
                let text = p.replace('\n', " ");
                let next_is_table = paras.get(i).is_some_and(|n| n.contains('\t'));
                if !pending_heading.is_empty() {
                    let earlier = std::mem::take(&mut pending_heading);
                    match d.tables.last_mut() {
                        Some(t) => t.note.push(earlier),
                        None => {
                            let group = d.appendix.get_or_insert_with(String::new);
                            group.push_str(" › ");
                            group.push_str(&earlier);
                        }
                    }
                }
                if next_is_table {
                    pending_heading = text;
                } else {
                    match d.tables.last_mut() {
                        Some(t) => t.note.push(text),
                        None => pending_heading = text,
                    }
                }
                continue;
            }
            Body::Closing => {
                d.closing.push(markdown(&raw));
                continue;
            }
            Body::Text => {}
        }
        if folded.starts_with("tren day la") {
            state = Body::Closing;
            d.closing.push(markdown(&raw));
            continue;
        }
        // A part's heading: a number, then a short line.
        if let Some(c) = HEADING.captures(&p) {
            let number = c[1].to_string();
            let title = c[2].trim().to_string();
            let is_heading = !number.is_empty()
                && !p.contains('\n')
                && p.chars().count() <= 260
                && (raw.trim_start().starts_with('#')
                    || raw.contains("**")
                    || !title.ends_with(['.', ';']) && title.chars().count() <= 200
                    || title.chars().count() <= 160);
            if is_heading && number != "." {
                let level = level_of(&number);
                close_parts(&mut stack, &mut d.parts, level);
                stack.push(Part {
                    number,
                    title: title.trim_end_matches(':').trim().to_string(),
                    level,
                    ..Part::default()
                });
                continue;
            }
        }
        // A heading without a number (Word's Heading styles, Markdown's
        // "## …"): a part of its level.
        let hashes = raw.trim_start().chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes)
            && raw.trim_start()[hashes..].starts_with(' ')
            && !p.is_empty()
            && !p.contains('\n')
            && p.chars().count() <= 260
        {
            close_parts(&mut stack, &mut d.parts, hashes);
            stack.push(Part {
                number: String::new(),
                title: p.trim_end_matches(':').trim().to_string(),
                level: hashes,
                ..Part::default()
            });
            continue;
        }
        let text = markdown(&raw);
        // A paragraph that starts in lower case continues the one a page
        // break cut.
        let continues = text.chars().next().is_some_and(char::is_lowercase);
        let body = match stack.last_mut() {
            Some(part) => &mut part.body,
            None => &mut d.intro,
        };
        match body.last_mut() {
            Some(last) if continues => {
                last.push(' ');
                last.push_str(&text);
            }
            _ => body.push(text),
        }
    }
    if let Some((title, lines)) = table.take() {
        d.tables.push(self::table(title, &lines));
    }
    close_parts(&mut stack, &mut d.parts, 0);
    d
}

/// A piece of a document's heading block.
enum HeadItem {
    /// "Số: …", as printed.
    Number(String),
    /// "Bình Phước, ngày … tháng … năm 2021".
    Date(Option<String>, (i32, Option<u8>, Option<u8>)),
    /// The issuing body, a line in capitals above the number.
    Issuer(String),
    /// The national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập -
    /// Tự do - Hạnh phúc", the Party's "ĐẢNG CỘNG SẢN VIỆT NAM") or a rule
    /// under it: not the report's.
    Motto,
}

/// What `text` is in a heading block, if anything (`numbered`: the number
/// was read already, so capitals are no longer the issuer).
fn head_item(text: &str, numbered: bool) -> Option<HeadItem> {
    let folded: String = fold_ascii(text)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if [
        "conghoaxahoichunghiavietnam",
        "doclaptudohanhphuc",
        "dangcongsanvietnam",
    ]
    .iter()
    .any(|m| folded.contains(m))
        || (text.chars().count() >= 3 && text.chars().all(|c| "-_–—=*.… ".contains(c)))
    {
        return Some(HeadItem::Motto);
    }
    if let Some(c) = NUMBER_LINE.captures(text) {
        return Some(HeadItem::Number(c[1].trim().to_string()));
    }
    if let Some(c) = DATE_LINE.captures(text) {
        let place = Some(c[1].trim().to_string()).filter(|s| !s.is_empty());
        let year: i32 = c[4].parse().unwrap_or(0);
        return Some(HeadItem::Date(
            place,
            (year, c[3].parse().ok(), c[2].parse().ok()),
        ));
    }
    (is_upper(text) && !numbered && !is_kind(text)).then(|| HeadItem::Issuer(text.to_string()))
}

/// Where the reading is, past the numbered parts.
#[derive(Clone, Copy, PartialEq)]
enum Body {
    Text,
    Closing,
    Recipients,
    Signer,
    Appendix,
}

/// The kinds of document a title block names.
fn is_kind(words: &str) -> bool {
    let f = fold_ascii(words).to_lowercase();
    [
        "bao cao",
        "ke hoach",
        "tin bai",
        "to trinh",
        "chuong trinh",
        "thong bao",
        "de an",
    ]
    .contains(&f.trim())
}

/// Closes the open parts deeper than or as deep as `level`, attaching
/// each to its parent.
fn close_parts(stack: &mut Vec<Part>, top: &mut Vec<Part>, level: usize) {
    while stack.last().is_some_and(|p| p.level >= level) {
        let Some(part) = stack.pop() else { break };
        match stack.last_mut() {
            Some(parent) => parent.parts.push(part),
            None => top.push(part),
        }
    }
}

/// A paragraph as Markdown: bullets as "- ", lines of a list kept apart.
fn markdown(raw: &str) -> String {
    raw.lines()
        .map(|l| {
            let l = l.trim_end();
            for bullet in ["• ", "+ ", "- "] {
                if let Some(rest) = l.strip_prefix(bullet) {
                    return format!("- {}", rest.trim());
                }
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

static WITH_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9][0-9.]*(?:,[0-9]+)?)\s*/\s*([0-9][0-9.]*(?:,[0-9]+)?)\s+([^0-9,;.()]{1,40}?)[,\s]*(?:đạt|bằng)\s+([0-9]+(?:,[0-9]+)?)\s*%")
        .expect("pattern")
});
static OUT_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9][0-9.]*(?:,[0-9]+)?)\s*/\s*([0-9][0-9.]*(?:,[0-9]+)?)\s+([\p{L} ]{1,30})")
        .expect("pattern")
});
static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]+(?:,[0-9]+)?)\s*%").expect("pattern"));
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?\s+\p{L}|(?:[0-9]+(?:,[0-9]+)?)\s+(?:người|lao động|hộ|hồ sơ|tỷ đồng|triệu đồng|đồng|xã|cơ quan|lượt|doanh nghiệp|đơn|thủ tục|TTHC|cán bộ|đảng viên|biên chế|phiên|Mẹ|đối tượng|hài cốt|văn bản|cuộc|lớp|trường|chi bộ|phòng|đơn vị)\b)")
        .expect("pattern")
});

static NONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)không phát sinh [\p{L} ,]{3,80}").expect("pattern"));

/// The clause of `text` around byte `at`: from the last `;` or sentence
/// end before it to the next.
fn clause(text: &str, start: usize, end: usize) -> String {
    let from = text[..start].rfind(['\n', ';']).map_or(0, |i| i + 1);
    let from = text[from..start].rfind(". ").map_or(from, |i| from + i + 2);
    let to = text[end..]
        .find(['\n', ';'])
        .map_or(text.len(), |i| end + i);
    let to = text[end..to].find(". ").map_or(to, |i| end + i + 1);
    text[from..to]
        .trim()
        .trim_start_matches("- ")
        .trim()
        .to_string()
}

/// The figures a text states: a result against a plan ("28.101/38.000
/// lao động, đạt 73,95%"), a count out of a whole ("10/12 cơ quan"), a
/// share ("đạt 98,2%"), an amount ("3,774 tỷ đồng", "9.107 lao động").
pub fn figures(text: &str) -> Vec<Figure> {
    // Emphasis is not part of a figure ("**60/145** TTHC").
    let text = &text.replace("**", "");
    let mut out: Vec<(usize, Figure)> = Vec::new();
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let free = |taken: &[std::ops::Range<usize>], r: &std::ops::Range<usize>| {
        taken.iter().all(|t| r.end <= t.start || r.start >= t.end)
    };
    for c in WITH_PLAN.captures_iter(text) {
        let m = c.get(0).expect("match");
        let (Some(value), Some(target)) = (number_value(&c[1]), number_value(&c[2])) else {
            continue;
        };
        taken.push(m.range());
        out.push((
            m.start(),
            Figure {
                target: Some(target),
                achieved: number_value(&c[4]),
                ..Figure::new(clause(text, m.start(), m.end()), value)
            },
        ));
    }
    for c in OUT_OF.captures_iter(text) {
        let m = c.get(0).expect("match");
        if !free(&taken, &m.range()) {
            continue;
        }
        // A date ("16/5/2016") or a document symbol is not a figure.
        let after = &text[m.start()..];
        if after.len() > c[1].len() + c[2].len() + 1 {
            let tail = &text[c.get(2).expect("group").end()..];
            if tail.starts_with('/') || tail.starts_with('-') {
                continue;
            }
        }
        let (Some(value), Some(of)) = (number_value(&c[1]), number_value(&c[2])) else {
            continue;
        };
        if of <= 0.0 || value > of {
            // "11.828/7.000 lao động" is a result beyond its plan.
            taken.push(m.range());
            out.push((
                m.start(),
                Figure {
                    target: Some(of),
                    ..Figure::new(clause(text, m.start(), m.end()), value)
                },
            ));
            continue;
        }
        taken.push(m.range());
        out.push((
            m.start(),
            Figure {
                of: Some(of),
                ..Figure::new(clause(text, m.start(), m.end()), value)
            },
        ));
    }
    for re in [&*PERCENT, &*AMOUNT] {
        for c in re.captures_iter(text) {
            let m = c.get(0).expect("match");
            if !free(&taken, &m.range()) {
                continue;
            }
            let number = c[1].trim_end_matches(|ch: char| ch.is_alphabetic() || ch.is_whitespace());
            let number = number.split_whitespace().next().unwrap_or(number);
            let Some(value) = number_value(number) else {
                continue;
            };
            taken.push(m.range());
            out.push((
                m.start(),
                Figure::new(clause(text, m.start(), m.end()), value),
            ));
        }
    }
    // "Không phát sinh đơn thư …": none, a figure of zero.
    for m in NONE.find_iter(text) {
        out.push((
            m.start(),
            Figure::new(clause(text, m.start(), m.end()), 0.0),
        ));
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, f)| f).collect()
}

/// The indicator of `catalogue` (id, label) sharing the most words with
/// `stated`, when one shares at least two.
pub fn closest_indicator(stated: &str, catalogue: &[(String, String)]) -> Option<String> {
    let words = |s: &str| -> std::collections::BTreeSet<String> {
        fold_ascii(s)
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 1)
            .map(str::to_string)
            .collect()
    };
    let said = words(stated);
    catalogue
        .iter()
        .map(|(id, label)| (words(label).intersection(&said).count(), id))
        .filter(|(n, _)| *n >= 2)
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, id)| id.clone())
}

/// An agency of the site as the import matches it: id, full name, short
/// name, province.
pub struct KnownAgency {
    /// `<province>/<agency>`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Short name ("Sở LĐTBXH Bình Phước").
    pub short_name: String,
    /// Province or city.
    pub province: String,
}

/// The agency a draft's heading names, and what named it: the issuing
/// body's lines (their words cover the agency's name), or the issuer part
/// of the symbol ("…/BC-SLĐTBXH": Sở + LĐTBXH, the short name's
/// abbreviation), within the province of the heading's place or issuer
/// lines. None when nothing names one agency alone.
pub fn suggest_agency(d: &Draft, agencies: &[KnownAgency]) -> Option<(String, String)> {
    let words = |s: &str| -> Vec<String> {
        fold_ascii(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let issuer = d.issuer.join(" ");
    let issuer_words = words(&issuer);
    let has = |hay: &[String], needle: &[String]| {
        !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
    };
    // The province: the heading's place, or one named in the issuer lines.
    let in_province = |a: &KnownAgency| {
        let p = words(&a.province);
        d.place.as_deref().is_some_and(|pl| words(pl) == p) || has(&issuer_words, &p)
    };
    let province_known = agencies.iter().any(&in_province);
    // The symbol's issuer parts: "BC-SLĐTBXH" → ["SLDTBXH"]; "BC-STTTT-VP"
    // → ["STTTT", "VP"].
    let symbol_parts: Vec<String> = d
        .number
        .as_deref()
        .and_then(|n| n.split_once('/'))
        .map(|(_, sym)| {
            sym.split('-')
                .skip(1)
                .map(|p| fold_ascii(p.trim()))
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut best: Vec<(u32, &KnownAgency, String)> = Vec::new();
    for a in agencies {
        if province_known && !in_province(a) {
            continue;
        }
        let province = words(&a.province);
        let own: Vec<String> = words(&a.name)
            .into_iter()
            .filter(|w| !province.contains(w) && !matches!(w.as_str(), "tinh" | "thanh" | "pho"))
            .collect();
        let covered = own.iter().filter(|w| issuer_words.contains(w)).count();
        // "Sở LĐTBXH Bình Phước" → "s" + "ldtbxh".
        let abbreviation: String = a
            .short_name
            .split_whitespace()
            .filter(|w| !words(w).iter().all(|f| province.contains(f)))
            .map(|w| {
                let f = fold_ascii(w);
                if w.chars().filter(|c| c.is_uppercase()).count() > 1 {
                    f
                } else {
                    f.chars().take(1).collect()
                }
            })
            .collect();
        let score = if !own.is_empty() && covered * 4 >= own.len() * 3 {
            (100 * covered / own.len()) as u32 + 100
        } else if !abbreviation.is_empty() && symbol_parts.contains(&abbreviation) {
            100
        } else {
            continue;
        };
        let why = if score > 100 {
            format!("cơ quan ban hành / issued by: {}", d.issuer.join(" / "))
        } else {
            format!(
                "ký hiệu / symbol {}{}",
                d.number.as_deref().unwrap_or(""),
                d.place
                    .as_deref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default()
            )
        };
        best.push((score, a, why));
    }
    best.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.id.cmp(&y.1.id)));
    match best.as_slice() {
        [(s1, a, why), rest @ ..] if rest.first().is_none_or(|r| r.0 < *s1) => {
            Some((a.id.clone(), why.clone()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: &str, name: &str, short: &str, province: &str) -> KnownAgency {
        KnownAgency {
            id: id.into(),
            name: name.into(),
            short_name: short.into(),
            province: province.into(),
        }
    }

    #[test]
    fn the_agency_from_the_heading() {
        let agencies = [
            known(
                "binh-phuoc/so-ldtbxh",
                "Sở Lao động – Thương binh và Xã hội tỉnh Bình Phước",
                "Sở LĐTBXH Bình Phước",
                "Bình Phước",
            ),
            known(
                "dong-thap/so-ldtbxh",
                "Sở Lao động – Thương binh và Xã hội tỉnh Đồng Tháp",
                "Sở LĐTBXH Đồng Tháp",
                "Đồng Tháp",
            ),
            known(
                "tra-vinh/so-tttt",
                "Sở Thông tin và Truyền thông tỉnh Trà Vinh",
                "Sở TTTT Trà Vinh",
                "Trà Vinh",
            ),
            known(
                "da-nang/ubnd-hoa-vang",
                "Ủy ban nhân dân huyện Hòa Vang",
                "UBND huyện Hòa Vang",
                "Đà Nẵng",
            ),
        ];
        // Issuer lines and the motto side by side, as a two-column heading.
        let d = read("UBND TỈNH BÌNH PHƯỚC\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ LAO ĐỘNG - THƯƠNG BINH\tĐộc lập - Tự do - Hạnh phúc\nVÀ XÃ HỘI\t\n\n-------\n\nSố: 125/BC-SLĐTBXH\tBình Phước, ngày 05 tháng 3 năm 2022\n\nBÁO CÁO\n\nKết quả\n\nI. Mở đầu\n\nNội dung.\n");
        assert_eq!(
            d.issuer,
            [
                "UBND TỈNH BÌNH PHƯỚC",
                "SỞ LAO ĐỘNG - THƯƠNG BINH",
                "VÀ XÃ HỘI"
            ]
        );
        assert_eq!(d.number.as_deref(), Some("125/BC-SLĐTBXH"));
        assert_eq!(d.date, Some((2022, Some(3), Some(5))));
        assert_eq!(d.title.as_deref(), Some("Kết quả"));
        let (id, why) = suggest_agency(&d, &agencies).unwrap();
        assert_eq!(id, "binh-phuoc/so-ldtbxh");
        assert!(why.contains("UBND TỈNH BÌNH PHƯỚC"), "{why}");
        // No issuer lines: the symbol and the place (the seeds' headings).
        let d =
            read("Số: /BC-STTTT-VP\n\nTrà Vinh, ngày tháng 11 năm 2021\n\nBÁO CÁO\n\nKết quả\n");
        assert_eq!(suggest_agency(&d, &agencies).unwrap().0, "tra-vinh/so-tttt");
        // The same symbol in a province with two such agencies: none.
        let d = read("Số: /BC-SLĐTBXH\n\nBÁO CÁO\n\nKết quả\n");
        assert_eq!(suggest_agency(&d, &agencies), None);
        // A district's people's committee by its name.
        let d = read("ỦY BAN NHÂN DÂN\nHUYỆN HÒA VANG\n\nSố: 12/BC-UBND\n\nBÁO CÁO\n\nKết quả\n");
        assert_eq!(
            suggest_agency(&d, &agencies).unwrap().0,
            "da-nang/ubnd-hoa-vang"
        );
        // Nothing known.
        let d = read("SỞ NỘI VỤ\n\nSố: 1/BC-SNV\n\nBÁO CÁO\n\nKết quả\n");
        assert_eq!(suggest_agency(&d, &agencies), None);
    }

    #[test]
    fn a_heading_block_a_title_and_parts() {
        let d = read(
            "Số: /BC-SLĐTBXH\n\nBình Phước, ngày tháng năm 2021\n\nBÁO CÁO\n\nViệc triển khai\n\nMở đầu.\n\nI. Khái quát\n\nNăm 2021 là năm đầu.\n\n1. Kết quả\n\n1.1. Nâng cao\n\nCông tác dân vận, mỗi cán bộ\n\nsản xuất để thoát nghèo.\n\nII. Lãnh đạo\n\n- Một;\n- Hai.\n\nTrên đây là báo cáo.\n\nNơi nhận:\n\n- BDVTU (BC);\n- Lưu VT.\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nPhạm Việt Công\n",
        );
        assert_eq!(d.number.as_deref(), Some("/BC-SLĐTBXH"));
        assert_eq!(d.place.as_deref(), Some("Bình Phước"));
        assert_eq!(d.date, Some((2021, None, None)));
        assert_eq!(d.kind.as_deref(), Some("báo cáo"));
        assert_eq!(d.title.as_deref(), Some("Việc triển khai"));
        assert_eq!(d.intro, ["Mở đầu."]);
        assert_eq!(d.parts.len(), 2);
        assert_eq!(d.parts[0].number, "I.");
        assert_eq!(d.parts[0].parts[0].parts[0].number, "1.1.");
        assert_eq!(
            d.parts[0].parts[0].parts[0].body,
            ["Công tác dân vận, mỗi cán bộ sản xuất để thoát nghèo."]
        );
        assert_eq!(d.parts[1].body, ["- Một;\n- Hai."]);
        assert_eq!(d.closing, ["Trên đây là báo cáo."]);
        assert_eq!(d.recipients, ["BDVTU (BC);", "Lưu VT."]);
        assert_eq!(d.signer_position, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]);
        assert_eq!(d.signer_name.as_deref(), Some("Phạm Việt Công"));
    }

    #[test]
    fn figures_of_a_sentence() {
        let f = figures("- Giải quyết việc làm cho 28.101/38.000 lao động, đạt 73,95% kế hoạch năm 2021; 10/12 cơ quan thực hiện; ngày 16/5/2016 vận động 3,774 tỷ đồng.");
        assert_eq!(f[0].value, 28101.0);
        assert_eq!(f[0].target, Some(38000.0));
        assert_eq!(f[0].achieved, Some(73.95));
        assert!(f[0]
            .stated
            .starts_with("Giải quyết việc làm cho 28.101/38.000"));
        assert_eq!((f[1].value, f[1].of), (10.0, Some(12.0)));
        assert!(
            f.iter().all(|x| x.value != 16.0),
            "a date is not a figure: {f:?}"
        );
        assert!(f.iter().any(|x| x.value == 3.774));
    }
}
