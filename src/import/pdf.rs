//! A PDF with a text layer as the text [`super::read`] reads. The
//! `pdf-extract` crate (on `lopdf`) decodes the pages' fonts and gives
//! each glyph with its position and size; what is written by hand here is
//! the layout a report's PDF has and no crate recovers: lines from glyphs,
//! paragraphs from lines (a wider gap, a first-line indent, a line that
//! stops short), raised small digits as footnote markers (¹ ² ³), the
//! footnotes at the foot of a page as "¹ text" paragraphs, running headers,
//! footers and page numbers left out, wide gaps in a line as tabs (table
//! cells, the two columns of a heading block).
//!
//! A PDF without a text layer (a scan) has nothing to read: the error says
//! how to add one with OCR first.

use anyhow::{bail, Result};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::collections::BTreeMap;

/// A PDF larger than this is not read (a report is a few MiB).
const MAX_PDF: usize = 256 << 20;

/// A glyph as placed on its page (y down from the top).
#[derive(Clone, Debug)]
struct Glyph {
    x: f64,
    end: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Glyphs by page, as pdf-extract hands them over.
#[derive(Default)]
struct Pages {
    pages: Vec<(f64, f64, Vec<Glyph>)>,
}

impl OutputDev for Pages {
    fn begin_page(
        &mut self,
        _page: u32,
        media: &MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages
            .push((media.urx - media.llx, media.ury - media.lly, Vec::new()));
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let Some((_, height, glyphs)) = self.pages.last_mut() else {
            return Ok(());
        };
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = font_size * scale;
        if !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        glyphs.push(Glyph {
            x: trm.m31,
            end: trm.m31 + width * size,
            y: *height - trm.m32,
            size,
            text: text.to_string(),
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of a page.
#[derive(Clone, Debug)]
struct Line {
    text: String,
    x: f64,
    end: f64,
    /// Baseline, down from the top of the page.
    y: f64,
    /// The size most of its glyphs have.
    size: f64,
    /// Whether it starts with a raised marker (a footnote's number).
    marked: bool,
}

/// The text of a PDF file.
pub fn text(bytes: &[u8]) -> Result<String> {
    if bytes.len() > MAX_PDF {
        bail!("the PDF is larger than 256 MiB");
    }
    if !bytes.starts_with(b"%PDF") {
        bail!("not a PDF file (it does not start with %PDF)");
    }
    // lopdf and pdf-extract panic on some malformed files; a bad file is
    // an error for the editor, not a crash.
    let loaded = std::panic::catch_unwind(|| pdf_extract::Document::load_mem(bytes));
    let mut doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => bail!("cannot read the PDF: {e}"),
        Err(_) => bail!("cannot read the PDF: the file is damaged"),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        bail!("the PDF is protected by a password: save an unprotected copy first");
    }
    let mut pages = Pages::default();
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf_extract::output_doc(&doc, &mut pages)
    }));
    match done {
        Ok(Ok(())) => {}
        Ok(Err(e)) => bail!("cannot read the PDF's text: {e:?}"),
        Err(_) => bail!("cannot read the PDF's text: its fonts could not be decoded"),
    }
    let glyphs: usize = pages.pages.iter().map(|p| p.2.len()).sum();
    let letters: usize = pages
        .pages
        .iter()
        .flat_map(|p| &p.2)
        .filter(|g| g.text.chars().any(char::is_alphanumeric))
        .count();
    if letters < 20 * pages.pages.len().max(1) / 10 || glyphs == 0 {
        bail!(
            "the PDF has no text layer ({} page(s), {letters} letters): it is a scan. \
             Add a text layer with OCR first, e.g. `ocrmypdf -l vie scan.pdf text.pdf` \
             (Debian packages ocrmypdf and tesseract-ocr-vie), then import text.pdf",
            pages.pages.len()
        );
    }
    Ok(layout(&pages.pages))
}

/// The glyphs of one page as lines, in the order the page draws them.
fn lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    // (glyphs of the line, its baseline, its main size)
    let mut current: Vec<&Glyph> = Vec::new();
    let flush = |current: &mut Vec<&Glyph>, out: &mut Vec<Line>| {
        if current.is_empty() {
            return;
        }
        // The line's size and baseline: those of most of its glyphs.
        let mut sizes: BTreeMap<i64, usize> = BTreeMap::new();
        for g in current.iter() {
            *sizes.entry((g.size * 10.0).round() as i64).or_default() += 1;
        }
        let size = sizes
            .iter()
            .max_by_key(|(s, n)| (**n, **s))
            .map_or(0.0, |(s, _)| *s as f64 / 10.0);
        let base = current
            .iter()
            .filter(|g| (g.size - size).abs() < 0.05 * size)
            .map(|g| g.y)
            .fold(f64::NAN, f64::max);
        let base = if base.is_nan() { current[0].y } else { base };
        let mut text = String::new();
        let mut last_end: Option<f64> = None;
        let mut marked = false;
        for (k, g) in current.iter().enumerate() {
            let raised = g.size < 0.8 * size && base - g.y > 0.2 * size;
            if let Some(end) = last_end {
                let gap = g.x - end;
                if gap > 2.5 * size {
                    text.push('\t');
                } else if gap > 0.15 * size && !text.ends_with([' ', '\t']) && g.text != " " {
                    text.push(' ');
                }
            }
            if raised && g.text.chars().all(|c| c.is_ascii_digit()) {
                text.push_str(&super::docx::superscript(g.text.parse().unwrap_or(0)));
                marked |= k == 0;
            } else if g.text != " " || !text.ends_with([' ', '\t']) {
                text.push_str(&g.text);
            }
            last_end = Some(g.end);
        }
        let x = current.iter().map(|g| g.x).fold(f64::INFINITY, f64::min);
        let end = current
            .iter()
            .map(|g| g.end)
            .fold(f64::NEG_INFINITY, f64::max);
        let text = labelled(text.trim());
        if !text.is_empty() {
            out.push(Line {
                text,
                x,
                end,
                y: base,
                size,
                marked,
            });
        }
        current.clear();
    };
    for g in glyphs {
        if let Some(last) = current.last() {
            let size = last.size.max(g.size);
            let dy = (g.y - last.y).abs();
            // A new line: down (or up) by more than a raised marker goes,
            // or back to the left.
            let raised_pair =
                (g.size < 0.8 * last.size || last.size < 0.8 * g.size) && dy < 0.6 * size;
            if (dy > 0.35 * size && !raised_pair) || g.x < last.x - size {
                flush(&mut current, &mut out);
            }
        }
        current.push(g);
    }
    flush(&mut current, &mut out);
    out
}

/// A line's leading bullet glyph (Word's Symbol-font bullets come out as
/// private-use characters) as "- ", and the gap after a list's label
/// ("I.", "1.", "a)", "-") as a space, not as a table's tab.
fn labelled(text: &str) -> String {
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        let rest = chars.as_str();
        let bullet = ('\u{e000}'..='\u{f8ff}').contains(&first) || "•●▪■◦○❖➢►–".contains(first);
        if bullet && rest.starts_with([' ', '\t']) {
            return format!("- {}", rest.trim_start());
        }
    }
    match text.split_once('\t') {
        Some((label, rest)) if super::is_label(label) => format!("{label} {rest}"),
        _ => text.to_string(),
    }
}

/// A table's row starting at `lines[k]`, when one does: its cells (runs
/// of lines going down) and the index after it. Word processors draw a
/// table cell by cell, so a row is a run of lines that goes down, then
/// back up to the row's top and to the right for the next cell, and so on.
fn row_at(lines: &[Line], k: usize) -> Option<(Vec<String>, usize)> {
    let first = &lines[k];
    let tol = 0.5 * first.size;
    let mut cells: Vec<(f64, String)> = vec![(first.x, first.text.clone())];
    // The right edge of the first cell's widest line.
    let mut first_end = first.end;
    let mut m = k + 1;
    while m < lines.len() {
        let (prev, line) = (&lines[m - 1], &lines[m]);
        let cell_x = cells.last().map_or(first.x, |c| c.0);
        if line.y < prev.y - tol {
            // Up and to the right: the next cell of the row (cells may be
            // aligned to the top, the middle or the bottom).
            if line.x > cell_x + line.size {
                cells.push((line.x, line.text.clone()));
                m += 1;
                continue;
            }
            break;
        }
        // Down: the same cell, unless back to the left (the next row, or
        // the text after the table) or further down than a line (the
        // space between paragraphs: a title above the table).
        if line.x < cell_x - 2.0 * line.size
            || line.text.contains('\t')
            || line.y - prev.y > 1.5 * line.size
        {
            break;
        }
        if cells.len() == 1 {
            first_end = first_end.max(line.end);
        }
        let cell = &mut cells.last_mut().expect("a cell").1;
        cell.push(' ');
        cell.push_str(&line.text);
        cell_x_min(&mut cells, line.x);
        m += 1;
    }
    // The first cell's lines stay left of the second cell: text above the
    // table (its title, a paragraph) is not a cell.
    (cells.len() >= 2 && first_end <= cells[1].0 + tol)
        .then(|| (cells.into_iter().map(|c| c.1).collect(), m))
}

/// A cell's left edge is the leftmost of its lines (centred lines move).
fn cell_x_min(cells: &mut [(f64, String)], x: f64) {
    if let Some(c) = cells.last_mut() {
        c.0 = c.0.min(x);
    }
}

/// A page's lines with each table row as one line, its cells separated by
/// tabs. `head` holds the first rows of the last table seen, so that a
/// header row repeated at the top of the next page is left out.
fn rows(lines: Vec<Line>, head: &mut Vec<String>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut k = 0;
    // No text line yet on this page; in a run of rows; the run continues
    // the last table (it starts with its header); a row of the run kept.
    let (mut page_top, mut in_table, mut continued, mut kept) = (true, false, false, false);
    while k < lines.len() {
        match row_at(&lines, k) {
            Some((cells, next)) => {
                let text = cells.join("\t");
                if !in_table {
                    continued = page_top && head.contains(&text);
                    if !continued {
                        head.clear();
                    }
                    kept = false;
                }
                in_table = true;
                if !(continued && !kept && head.contains(&text)) {
                    kept = true;
                    if !continued && head.len() < 2 {
                        head.push(text.clone());
                    }
                    out.push(Line {
                        text,
                        ..lines[k].clone()
                    });
                }
                k = next;
            }
            None => {
                in_table = false;
                page_top = false;
                out.push(lines[k].clone());
                k += 1;
            }
        }
    }
    out
}

/// Whether a line ends a clause, as the line before a list item does.
fn ends_clause(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁰'])
        .ends_with(['.', ';', ':', '!', '?'])
}

/// Whether a line is a page number ("3", "- 3 -", "Trang 3", "3/12").
fn is_page_number(text: &str) -> bool {
    let t = text.trim().trim_matches(['-', '–', ' ']);
    let t = t
        .strip_prefix("Trang")
        .or_else(|| t.strip_prefix("trang"))
        .unwrap_or(t)
        .trim();
    let t = t.split('/').next().unwrap_or(t).trim();
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

/// The pages' lines as paragraphs, separated by blank lines.
fn layout(pages: &[(f64, f64, Vec<Glyph>)]) -> String {
    let mut per_page: Vec<(f64, Vec<Line>)> = pages
        .iter()
        .map(|(_, height, glyphs)| (*height, lines(glyphs)))
        .collect();
    // Running headers and footers: a line in the top or bottom tenth of
    // its page that is a page number, or that comes back (digits aside)
    // on at least half of the pages, two at least.
    let key = |t: &str| -> String { t.chars().filter(|c| !c.is_ascii_digit()).collect() };
    let margin = |l: &Line, height: f64| l.y < 0.1 * height || l.y > 0.9 * height;
    let mut repeats: BTreeMap<String, usize> = BTreeMap::new();
    for (height, lines) in &per_page {
        let mut seen: Vec<String> = lines
            .iter()
            .filter(|l| margin(l, *height))
            .map(|l| key(&l.text))
            .collect();
        seen.sort();
        seen.dedup();
        for k in seen {
            *repeats.entry(k).or_default() += 1;
        }
    }
    let n = per_page.len();
    for (height, lines) in &mut per_page {
        lines.retain(|l| {
            !(margin(l, *height)
                && (is_page_number(&l.text)
                    || repeats
                        .get(&key(&l.text))
                        .is_some_and(|r| *r >= 2 && 2 * r >= n)))
        });
    }
    // Tables: rows of cells drawn cell by cell, as one tab-separated line
    // each; a header row that a page repeats is left out.
    let mut head: Vec<String> = Vec::new();
    for (_, lines) in &mut per_page {
        *lines = rows(std::mem::take(lines), &mut head);
    }
    // The body's size, line spacing, left and right edges: those of most
    // lines.
    let all: Vec<&Line> = per_page.iter().flat_map(|p| &p.1).collect();
    let mode = |values: Vec<f64>| -> f64 {
        let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
        for v in values {
            *counts.entry((v * 2.0).round() as i64).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|(v, n)| (*n, *v))
            .map_or(0.0, |(v, _)| v as f64 / 2.0)
    };
    let body_size = mode(all.iter().map(|l| l.size).collect());
    let left = mode(
        all.iter()
            .filter(|l| (l.size - body_size).abs() < 0.5)
            .map(|l| l.x)
            .collect(),
    );
    let right = {
        let mut ends: Vec<f64> = all
            .iter()
            .filter(|l| (l.size - body_size).abs() < 0.5)
            .map(|l| l.end)
            .collect();
        ends.sort_by(f64::total_cmp);
        ends.get(ends.len() * 9 / 10).copied().unwrap_or(0.0)
    };
    let spacing = {
        let mut gaps: Vec<f64> = Vec::new();
        for (_, lines) in &per_page {
            for w in lines.windows(2) {
                let dy = w[1].y - w[0].y;
                if dy > 0.0 && (w[0].size - body_size).abs() < 0.5 {
                    gaps.push(dy);
                }
            }
        }
        gaps.sort_by(f64::total_cmp);
        gaps.get(gaps.len() / 2).copied().unwrap_or(body_size * 1.2)
    };

    // A document whose paragraphs have space between them is read by
    // that space (a line that stops short is then a line break within the
    // paragraph); one without, by first-line indents and short lines.
    let (mut gaps, mut wide_gaps) = (0usize, 0usize);
    for (_, lines) in &per_page {
        for w in lines.windows(2) {
            if (w[0].size - body_size).abs() < 0.5 && (w[1].size - body_size).abs() < 0.5 {
                gaps += 1;
                wide_gaps += usize::from(w[1].y - w[0].y > 1.3 * spacing);
            }
        }
    }
    let spaced = wide_gaps * 20 >= gaps;

    let mut paras: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut para = String::new();
    let mut previous: Option<Line> = None;
    for (_, lines) in &per_page {
        let mut note_top: Option<f64> = None;
        let mut page_previous: Option<&Line> = None;
        for line in lines {
            // A line that starts with a raised number starts a footnote (a
            // reference follows its word, it never starts a line of text);
            // everything below a page's first footnote is footnotes.
            if line.marked || note_top.is_some_and(|top| line.y > top) {
                if line.marked {
                    notes.push(line.text.clone());
                } else if let Some(last) = notes.last_mut() {
                    // A footnote's own list: its items on lines of one
                    // paragraph after the footnote's text, as the text has
                    // them.
                    let item = line.text.starts_with("- ") || line.text.starts_with("+ ");
                    let after_list = last
                        .rsplit("\n\n")
                        .next()
                        .is_some_and(|b| b.starts_with("- "));
                    if item && (ends_clause(last) || after_list) {
                        last.push_str(if after_list { "\n" } else { "\n\n" });
                    } else {
                        last.push(' ');
                    }
                    last.push_str(&line.text);
                }
                note_top.get_or_insert(line.y);
                continue;
            }
            let starts = match (&previous, page_previous) {
                (None, _) => true,
                (Some(prev), on_page) => {
                    let gap = on_page.map(|p| line.y - p.y);
                    let indented = line.x > left + 0.8 * body_size;
                    // A line that stops short and ends a clause, or ends a
                    // heading or list item's label line, ends its paragraph
                    // (text set ragged-right stops short anywhere).
                    let stops_short = prev.end < right - 2.5 * body_size;
                    let labelled_para = para
                        .split_once(' ')
                        .is_some_and(|(l, _)| super::is_label(l));
                    let short = stops_short && (ends_clause(&prev.text) || labelled_para);
                    let wide = gap.is_some_and(|g| g > 1.45 * spacing || g < 0.0);
                    let by_layout = if spaced && on_page.is_some() {
                        wide
                    } else {
                        indented || short || wide
                    };
                    // A list item or a numbered part after a line that
                    // ends a clause (a line of text may also start with
                    // "- " where it wrapped).
                    let item = line
                        .text
                        .split_once(' ')
                        .is_some_and(|(l, _)| super::is_label(l))
                        && (stops_short || ends_clause(&prev.text));
                    by_layout
                        || item
                        || line.text.contains('\t')
                        || prev.text.contains('\t')
                        || (line.size - prev.size).abs() > 0.5
                }
            };
            if starts && !para.is_empty() {
                paras.push(std::mem::take(&mut para));
                // Footnotes follow the paragraph they were printed under.
                paras.append(&mut notes);
            }
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(&line.text);
            previous = Some(line.clone());
            page_previous = Some(line);
        }
    }
    if !para.is_empty() {
        paras.push(para);
    }
    paras.append(&mut notes);
    paras.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_as_reports_print_them() {
        for t in ["3", "- 3 -", "Trang 3", "3/12", "– 12 –"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2021", "I.", "3 người", "Số: 12"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    #[test]
    fn what_is_not_a_pdf_is_refused() {
        assert!(text(b"PK\x03\x04").is_err());
        assert!(text(b"%PDF-1.4 truncated").is_err());
    }
}
