//! A Word file (`.docx`) as the text [`super::read`] reads: each paragraph
//! on its own, bold and italic runs as Markdown, numbered-list paragraphs
//! with the numbers Word shows (computed from `numbering.xml`: Word keeps
//! them out of the text), tabs and line breaks kept, footnote references
//! as superscript markers with the footnotes' texts after the body
//! (`footnotes.xml`), paragraphs in Word's Heading styles (`styles.xml`,
//! numbered or not) as Markdown headings of their level, tables as
//! tab-separated rows with merged cells (`gridSpan`, `vMerge`) and header
//! rows (`tblHeader`) marked as [`super::SPAN_LEFT`] says. The container
//! is read with the `zip` crate and the parts with `quick-xml`.

use anyhow::{bail, Context, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeMap;
use std::io::Read;

use super::{HEAD_ROW, SPAN_LEFT, SPAN_UP};

/// The most a part of a .docx may hold once unpacked (a report's
/// document.xml is a few MiB; a zip bomb is not read).
const MAX_PART: u64 = 64 << 20;

/// One level of a numbering definition.
#[derive(Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// The text of a Word file.
pub fn text(bytes: &[u8]) -> Result<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .context("not a Word file (.docx is a zip archive)")?;
    let mut part = |name: &str| -> Result<Option<String>> {
        let Ok(file) = archive.by_name(name) else {
            return Ok(None);
        };
        let mut text = String::new();
        file.take(MAX_PART + 1)
            .read_to_string(&mut text)
            .with_context(|| format!("cannot read {name} of the Word file"))?;
        if text.len() as u64 > MAX_PART {
            bail!("{name} of the Word file is larger than 64 MiB");
        }
        Ok(Some(text))
    };
    let Some(document) = part("word/document.xml")? else {
        bail!("not a Word document: it has no word/document.xml");
    };
    let numbering = part("word/numbering.xml")?
        .map(|x| numbering(&x))
        .transpose()?
        .unwrap_or_default();
    let footnotes = part("word/footnotes.xml")?
        .map(|x| footnotes(&x))
        .transpose()?
        .unwrap_or_default();
    let styles = part("word/styles.xml")?
        .map(|x| styles(&x))
        .transpose()?
        .unwrap_or_default();
    body(&document, &numbering, &styles, &footnotes)
}

/// What a paragraph style says of the paragraphs that use it.
#[derive(Clone, Default, Debug, PartialEq)]
struct Style {
    /// Its outline level, 1 for "Heading 1" (Word's heading styles are
    /// named "heading N" whatever the language of the user interface;
    /// their ids are translated, "Heading1", "u1", "Titre1"…).
    heading: Option<usize>,
    /// The numbering the style carries (numbered heading styles), as
    /// numId and level.
    num: Option<(String, usize)>,
}

/// Style id → what it says of headings and numbering, with what a style
/// inherits from the style it is based on.
fn styles(xml: &str) -> Result<BTreeMap<String, Style>> {
    let mut reader = Reader::from_str(xml);
    let mut own: BTreeMap<String, (Style, Option<String>)> = BTreeMap::new();
    let mut current: Option<(String, Style, Option<String>)> = None;
    loop {
        match reader
            .read_event()
            .context("styles.xml is not well-formed")?
        {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:style" => {
                    current = (attr(&e, b"w:type").as_deref() == Some("paragraph"))
                        .then(|| attr(&e, b"w:styleId"))
                        .flatten()
                        .map(|id| (id, Style::default(), None));
                }
                b"w:name" => {
                    if let (Some((_, s, _)), Some(name)) = (&mut current, attr(&e, b"w:val")) {
                        let name = name.to_ascii_lowercase();
                        if let Some(n) = name.strip_prefix("heading ") {
                            s.heading = n.trim().parse().ok().filter(|n| (1..=9).contains(n));
                        }
                    }
                }
                b"w:basedOn" => {
                    if let Some((_, _, base)) = &mut current {
                        *base = attr(&e, b"w:val");
                    }
                }
                b"w:outlineLvl" => {
                    if let Some((_, s, _)) = &mut current {
                        // 0-based; 9 is body text.
                        let k: Option<usize> = attr(&e, b"w:val").and_then(|v| v.parse().ok());
                        if let Some(k) = k.filter(|k| *k < 9) {
                            s.heading = Some(k + 1);
                        }
                    }
                }
                b"w:numId" => {
                    if let (Some((_, s, _)), Some(id)) = (&mut current, attr(&e, b"w:val")) {
                        let k = s.num.as_ref().map_or(0, |n| n.1);
                        s.num = Some((id, k));
                    }
                }
                b"w:ilvl" => {
                    if let Some((_, s, _)) = &mut current {
                        let k = attr(&e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        s.num = Some((s.num.take().map(|n| n.0).unwrap_or_default(), k));
                    }
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == b"w:style" => {
                if let Some((id, s, base)) = current.take() {
                    own.insert(id, (s, base));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Inheritance: a style says what its bases say unless it says
    // otherwise (a chain of at most 16, so that a loop ends).
    let mut out = BTreeMap::new();
    for (id, (style, base)) in &own {
        let mut s = style.clone();
        let mut next = base.clone();
        for _ in 0..16 {
            let Some((b, up)) = next.as_ref().and_then(|n| own.get(n)) else {
                break;
            };
            if s.heading.is_none() {
                s.heading = b.heading;
            }
            if s.num.is_none() {
                s.num = b.num.clone();
            }
            next = up.clone();
        }
        if s.num.as_ref().is_some_and(|n| n.0.is_empty() || n.0 == "0") {
            s.num = None;
        }
        out.insert(id.clone(), s);
    }
    Ok(out)
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// numId → levels, through the abstract numbering definitions.
fn numbering(xml: &str) -> Result<BTreeMap<String, Vec<Level>>> {
    let mut reader = Reader::from_str(xml);
    let mut abstracts: BTreeMap<String, Vec<Level>> = BTreeMap::new();
    let mut nums: BTreeMap<String, String> = BTreeMap::new();
    let mut current_abstract: Option<String> = None;
    let mut current_num: Option<String> = None;
    let mut level: Option<(usize, Level)> = None;
    loop {
        match reader
            .read_event()
            .context("numbering.xml is not well-formed")?
        {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:abstractNum" => current_abstract = attr(&e, b"w:abstractNumId"),
                b"w:lvl" => {
                    let k = attr(&e, b"w:ilvl")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    level = Some((
                        k,
                        Level {
                            start: 1,
                            ..Level::default()
                        },
                    ));
                }
                b"w:start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = attr(&e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                b"w:numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(&e, b"w:val").unwrap_or_default();
                    }
                }
                b"w:lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(&e, b"w:val").unwrap_or_default();
                    }
                }
                b"w:num" => current_num = attr(&e, b"w:numId"),
                b"w:abstractNumId" => {
                    if let (Some(n), Some(a)) = (&current_num, attr(&e, b"w:val")) {
                        nums.insert(n.clone(), a);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:lvl" => {
                    if let (Some(a), Some((k, l))) = (&current_abstract, level.take()) {
                        let levels = abstracts.entry(a.clone()).or_default();
                        if levels.len() <= k {
                            levels.resize(k + 1, Level::default());
                        }
                        levels[k] = l;
                    }
                }
                b"w:abstractNum" => current_abstract = None,
                b"w:num" => current_num = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(nums
        .into_iter()
        .filter_map(|(n, a)| abstracts.get(&a).map(|l| (n, l.clone())))
        .collect())
}

/// Footnote id → its text: its first paragraph, then its other
/// paragraphs, a list's items as "- " lines of one paragraph (as a
/// footnote's list stands in a report's text).
fn footnotes(xml: &str) -> Result<BTreeMap<String, String>> {
    let mut reader = Reader::from_str(xml);
    let mut out = BTreeMap::new();
    let mut id: Option<String> = None;
    let mut blocks: Vec<String> = Vec::new();
    let mut para = String::new();
    let (mut in_text, mut listed, mut last_listed) = (false, false, false);
    loop {
        match reader
            .read_event()
            .context("footnotes.xml is not well-formed")?
        {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:footnote" => {
                    // Separators are Word's own, not footnotes.
                    id = attr(&e, b"w:type")
                        .is_none()
                        .then(|| attr(&e, b"w:id"))
                        .flatten();
                    blocks.clear();
                    last_listed = false;
                }
                b"w:p" => listed = false,
                b"w:numPr" => listed = true,
                b"w:t" => in_text = true,
                b"w:tab" => para.push('\t'),
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(&t.unescape().unwrap_or_default()),
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    let p = std::mem::take(&mut para);
                    let p = p.trim();
                    if !p.is_empty() {
                        match blocks.last_mut() {
                            Some(list) if listed && last_listed => {
                                list.push_str("\n- ");
                                list.push_str(p);
                            }
                            _ if listed => blocks.push(format!("- {p}")),
                            _ => blocks.push(p.to_string()),
                        }
                        last_listed = listed;
                    }
                }
                b"w:footnote" => {
                    if let Some(i) = id.take() {
                        out.insert(i, blocks.join("\n\n"));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A number in a numbering format.
fn formatted(n: u32, format: &str) -> String {
    match format {
        "upperRoman" | "lowerRoman" => {
            let mut out = String::new();
            let mut n = n;
            for (v, s) in [
                (1000, "M"),
                (900, "CM"),
                (500, "D"),
                (400, "CD"),
                (100, "C"),
                (90, "XC"),
                (50, "L"),
                (40, "XL"),
                (10, "X"),
                (9, "IX"),
                (5, "V"),
                (4, "IV"),
                (1, "I"),
            ] {
                while n >= v {
                    out.push_str(s);
                    n -= v;
                }
            }
            if format == "lowerRoman" {
                out.to_lowercase()
            } else {
                out
            }
        }
        "lowerLetter" | "upperLetter" => {
            let c = char::from(b'a' + ((n.max(1) - 1) % 26) as u8);
            if format == "upperLetter" {
                c.to_ascii_uppercase().to_string()
            } else {
                c.to_string()
            }
        }
        _ => n.to_string(),
    }
}

/// The superscript form of a footnote's number.
pub(super) fn superscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

/// The body: paragraphs, numbered, with footnote markers; tables as rows;
/// then the footnotes.
fn body(
    xml: &str,
    numbering: &BTreeMap<String, Vec<Level>>,
    styles: &BTreeMap<String, Style>,
    footnotes: &BTreeMap<String, String>,
) -> Result<String> {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<String> = Vec::new();
    let mut para = String::new();
    let mut num: Option<(String, usize)> = None;
    let mut style: Option<&Style> = None;
    let mut outline: Option<usize> = None;
    let (mut span, mut continued, mut header) = (1usize, false, false);
    let mut counters: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let (mut bold, mut italic, mut in_text, mut in_run_props) = (false, false, false, false);
    let mut run = String::new();
    let mut cited: Vec<String> = Vec::new();
    let mut table_depth = 0usize;
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut rows: Vec<String> = Vec::new();
    loop {
        match reader
            .read_event()
            .context("document.xml is not well-formed")?
        {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:p" => {
                    para.clear();
                    num = None;
                    style = None;
                    outline = None;
                }
                b"w:pStyle" => style = attr(&e, b"w:val").and_then(|id| styles.get(&id)),
                b"w:outlineLvl" => {
                    outline = attr(&e, b"w:val")
                        .and_then(|v| v.parse::<usize>().ok())
                        .filter(|k| *k < 9)
                        .map(|k| k + 1)
                }
                b"w:numId" => {
                    if let Some(id) = attr(&e, b"w:val") {
                        let level = num.as_ref().map_or(0, |n| n.1);
                        num = Some((id, level));
                    }
                }
                b"w:ilvl" => {
                    let k = attr(&e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    num = Some((num.map(|n| n.0).unwrap_or_default(), k));
                }
                b"w:r" => {
                    run.clear();
                    bold = false;
                    italic = false;
                }
                b"w:rPr" => in_run_props = true,
                b"w:b" if in_run_props => {
                    bold = attr(&e, b"w:val").is_none_or(|v| v != "0" && v != "false")
                }
                b"w:i" if in_run_props => {
                    italic = attr(&e, b"w:val").is_none_or(|v| v != "0" && v != "false")
                }
                b"w:t" => in_text = true,
                b"w:tab" if !in_run_props => run.push('\t'),
                b"w:br" => run.push('\n'),
                b"w:footnoteReference" => {
                    if let Some(id) = attr(&e, b"w:id") {
                        cited.push(id);
                        run.push_str(&superscript(cited.len()));
                    }
                }
                b"w:tbl" => table_depth += 1,
                b"w:tc" if table_depth == 1 => {
                    cell.clear();
                    span = 1;
                    continued = false;
                }
                b"w:gridSpan" if table_depth == 1 => {
                    span = attr(&e, b"w:val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 64)
                }
                // A cell merged with the one above: "continue", or no value.
                b"w:vMerge" if table_depth == 1 => {
                    continued = attr(&e, b"w:val").is_none_or(|v| v == "continue")
                }
                b"w:tr" if table_depth == 1 => {
                    row.clear();
                    header = false;
                }
                b"w:tblHeader" if table_depth == 1 => {
                    header = attr(&e, b"w:val").is_none_or(|v| v != "0" && v != "false")
                }
                _ => {}
            },
            Event::Text(t) if in_text => run.push_str(&t.unescape().unwrap_or_default()),
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:rPr" => in_run_props = false,
                b"w:r" => {
                    let text = std::mem::take(&mut run);
                    let trimmed = text.trim();
                    if trimmed.is_empty() || !(bold || italic) {
                        para.push_str(&text);
                    } else {
                        // Emphasis hugs the words, as Markdown wants it.
                        let mark = if bold { "**" } else { "*" };
                        let lead = &text[..text.len() - text.trim_start().len()];
                        let trail = &text[text.trim_end().len()..];
                        para.push_str(&format!("{lead}{mark}{trimmed}{mark}{trail}"));
                    }
                }
                b"w:p" => {
                    let mut text = std::mem::take(&mut para).replace("****", "");
                    // Numbering set on the paragraph, else its style's; numId
                    // 0 takes a style's numbering off.
                    let numbered = match num.take() {
                        Some((id, _)) if id == "0" => None,
                        Some(n) => Some(n),
                        None => style.and_then(|s| s.num.clone()),
                    };
                    let heading = outline.or(style.and_then(|s| s.heading));
                    if let Some((id, k)) = numbered {
                        if let Some(levels) = numbering.get(&id) {
                            let c = counters.entry(id.clone()).or_default();
                            if c.len() <= k {
                                c.resize(k + 1, 0);
                            }
                            c[k] += 1;
                            for deeper in c.iter_mut().skip(k + 1) {
                                *deeper = 0;
                            }
                            let level = levels.get(k).cloned().unwrap_or_default();
                            let label = if level.format == "bullet" {
                                "-".to_string()
                            } else {
                                let mut label = level.text.clone();
                                for (j, l) in levels.iter().enumerate().take(k + 1) {
                                    let n = c[j].max(1) + l.start.max(1) - 1;
                                    label = label
                                        .replace(&format!("%{}", j + 1), &formatted(n, &l.format));
                                }
                                label
                            };
                            text = format!("{label} {}", text.trim_start());
                        }
                    }
                    // A heading style's paragraph as a Markdown heading of its
                    // level: a part even when it has no number.
                    if let Some(level) = heading.filter(|_| table_depth == 0) {
                        if !text.trim().is_empty() {
                            text = format!("{} {}", "#".repeat(level), text.trim());
                        }
                    }
                    if table_depth > 0 {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&text.trim().replace('\n', " "));
                    } else if !text.trim().is_empty() {
                        out.push(text.trim_end().to_string());
                    }
                }
                b"w:tc" if table_depth == 1 => {
                    let text = std::mem::take(&mut cell).replace('\t', " ");
                    row.push(if continued { SPAN_UP.to_string() } else { text });
                    for _ in 1..span {
                        row.push(SPAN_LEFT.to_string());
                    }
                }
                b"w:tr" if table_depth == 1 => {
                    let mark = if header {
                        HEAD_ROW.to_string()
                    } else {
                        String::new()
                    };
                    rows.push(mark + &std::mem::take(&mut row).join("\t"));
                }
                b"w:tbl" => {
                    table_depth = table_depth.saturating_sub(1);
                    if table_depth == 0 {
                        out.push(std::mem::take(&mut rows).join("\n"));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    for (k, id) in cited.iter().enumerate() {
        if let Some(text) = footnotes.get(id) {
            out.push(format!("{} {text}", superscript(k + 1)));
        }
    }
    Ok(out.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_word_shows_them() {
        assert_eq!(formatted(4, "upperRoman"), "IV");
        assert_eq!(formatted(3, "lowerLetter"), "c");
        assert_eq!(formatted(12, "decimal"), "12");
        assert_eq!(superscript(12), "¹²");
    }

    /// Word's own way of writing a merged cell below another (`<w:vMerge/>`
    /// with no value) and a numbered heading style whose number lives in
    /// the style, in a translated style id.
    #[test]
    fn merged_cells_and_heading_styles_as_word_writes_them() {
        let styles_xml = r#"<w:styles>
            <w:style w:type="paragraph" w:styleId="u1"><w:name w:val="heading 1"/>
              <w:pPr><w:numPr><w:numId w:val="7"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="u2"><w:name w:val="heading 2"/><w:basedOn w:val="u1"/>
              <w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr></w:style>
            </w:styles>"#;
        let numbering_xml = r#"<w:numbering><w:abstractNum w:abstractNumId="3">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
            </w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num></w:numbering>"#;
        let doc = r#"<w:document><w:body>
            <w:p><w:pPr><w:pStyle w:val="u1"/></w:pPr><w:r><w:t>KẾT QUẢ</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="u2"/></w:pPr><w:r><w:t>Thuận lợi</w:t></w:r></w:p>
            <w:tbl>
              <w:tr><w:trPr><w:tblHeader/></w:trPr>
                <w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc>
                <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:trPr><w:tblHeader/></w:trPr>
                <w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
                <w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p></w:tc>
                <w:tc><w:p><w:r><w:t>B2</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>
            </w:tbl></w:body></w:document>"#;
        let styles = styles(styles_xml).unwrap();
        let text = body(
            doc,
            &numbering(numbering_xml).unwrap(),
            &styles,
            &BTreeMap::new(),
        )
        .unwrap();
        assert!(
            text.starts_with("# I. KẾT QUẢ\n\n## Thuận lợi\n\n"),
            "{text}"
        );
        let draft = super::super::read(&format!("Số: 1/BC\n\nBÁO CÁO Năm 2021\n\n{text}"));
        assert_eq!(draft.parts[0].number, "I.");
        assert_eq!(draft.parts[0].parts[0].title, "Thuận lợi");
        let t = &draft.tables[0];
        let shape = |rows: &[Vec<super::super::Cell>]| -> Vec<Vec<(String, u32, u32)>> {
            rows.iter()
                .map(|r| {
                    r.iter()
                        .map(|c| (c.text.clone(), c.colspan, c.rowspan))
                        .collect()
                })
                .collect()
        };
        let s = |t: &str, c, r| (t.to_string(), c, r);
        assert_eq!(
            shape(&t.head),
            [
                vec![s("A", 1, 2), s("B", 2, 1)],
                vec![s("B1", 1, 1), s("B2", 1, 1)]
            ]
        );
        assert_eq!(
            shape(&t.rows),
            [vec![s("", 1, 1), s("1", 1, 1), s("", 1, 1)]]
        );
    }

    #[test]
    fn a_zip_that_is_not_word_is_refused() {
        assert!(text(b"not a zip").is_err());
    }
}
