//! `minhbach import FILE`: a report's text as a draft report YAML for
//! review ([`crate::import`] reads it). The draft is `status: draft`, has
//! no approval, proposes the figures it found as commented metrics (each
//! with the closest indicator of the catalogue) and lists the citations
//! the `cite` command finds.

use crate::import::{
    closest_indicator, figures, read, suggest_agency, Cell, Draft, KnownAgency, Part,
};
use anyhow::{bail, Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `import` is given.
pub struct ImportOptions<'a> {
    /// The report's file.
    pub file: &'a Path,
    /// The site root (its catalogue and registry are used).
    pub root: &'a Path,
    /// The reporting agency's id, when known.
    pub agency: Option<&'a str>,
    /// Where to write the draft; standard output when absent.
    pub output: Option<&'a Path>,
}

/// YAML text of a one-line scalar, double-quoted.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A block scalar (`|-`) holding `text`, its lines indented by `indent`.
fn block(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    // A first line starting with a space needs its indentation said.
    let head = if clean.starts_with(' ') {
        format!("|{indent}-")
    } else {
        "|-".to_string()
    };
    let mut out = head;
    for line in clean.lines() {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

/// The reporting agency of a draft, and how it was known.
pub enum AgencyChoice<'a> {
    /// `--agency`.
    Given(&'a str),
    /// Named by the heading (the id, and what named it).
    Suggested(&'a str, &'a str),
    /// Not known: a placeholder to fill.
    Unknown,
}

/// The draft's text.
pub fn draft_yaml(
    d: &Draft,
    agency: AgencyChoice,
    year: i32,
    citations: &[(String, String)],
    catalogue: &[(String, String)],
) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Bản nháp do `minhbach import` tạo: đối chiếu với bản gốc, sửa, rồi chạy `minhbach check`.\n\
         # A draft written by `minhbach import`: compare it with the original, fix it, run `minhbach check`.\n\
         # Còn phải làm / left to do: summary; the proposed metrics below (map each to an indicator);\n\
         # approved_by, approved_on and `status: approved` once publishing is approved."
    );
    if !d.issuer.is_empty() {
        let _ = writeln!(
            y,
            "# Cơ quan ban hành / issued by: {}",
            d.issuer.join(" / ")
        );
    }
    y.push_str("status: draft\n");
    match agency {
        AgencyChoice::Given(id) => {
            let _ = writeln!(y, "agency: {id}");
        }
        AgencyChoice::Suggested(id, why) => {
            let _ = writeln!(
                y,
                "agency: {id}   # gợi ý từ {why} — kiểm tra / suggested from the heading: check"
            );
        }
        AgencyChoice::Unknown => {
            let _ = writeln!(
                y,
                "agency: tinh/co-quan   # chọn cơ quan (content/agencies/) / choose the agency: --agency ID"
            );
        }
    }
    let _ = writeln!(
        y,
        "kind: {}",
        quoted(d.kind.as_deref().unwrap_or("báo cáo"))
    );
    if let Some(n) = &d.number {
        let _ = writeln!(y, "number: {}", quoted(n));
    }
    let _ = writeln!(y, "year: {year}");
    if let Some((yy, m, day)) = d.date {
        let date = match (m, day) {
            (Some(m), Some(day)) => format!("{yy}-{m:02}-{day:02}"),
            (Some(m), None) => format!("{yy}-{m:02}"),
            _ => yy.to_string(),
        };
        let _ = writeln!(y, "date: '{date}'");
    }
    if let Some(p) = &d.place {
        let _ = writeln!(y, "place: {}", quoted(p));
    }
    let _ = writeln!(
        y,
        "title: {}",
        quoted(d.title.as_deref().unwrap_or("(tiêu đề / title)"))
    );
    if !d.intro.is_empty() {
        let _ = writeln!(y, "intro: {}", block(&d.intro.join("\n\n"), 2));
    }
    if !d.parts.is_empty() {
        y.push_str("sections:\n");
        for p in &d.parts {
            part(&mut y, p, 0);
        }
    }
    if !d.closing.is_empty() {
        let _ = writeln!(y, "closing: {}", block(&d.closing.join("\n\n"), 2));
    }
    if !d.footnotes.is_empty() {
        y.push_str("footnotes:\n");
        for (n, text) in &d.footnotes {
            let _ = writeln!(y, "- number: {n}\n  text: {}", block(text, 4));
        }
    }
    if !d.tables.is_empty() {
        y.push_str("tables:\n");
        for t in &d.tables {
            y.push_str("- ");
            if let Some(g) = &d.appendix {
                let _ = write!(y, "group: {}\n  ", quoted(g));
            }
            let (number, title) = match t.title.split_once(' ') {
                Some((n, rest))
                    if n.ends_with('.') && n.chars().next().is_some_and(|c| c.is_ascii_digit()) =>
                {
                    (Some(n), rest)
                }
                _ => (None, t.title.as_str()),
            };
            if let Some(n) = number {
                let _ = write!(y, "number: {}\n  ", quoted(n));
            }
            let _ = writeln!(y, "title: {}", quoted(title));
            for (key, rows) in [("head", &t.head), ("rows", &t.rows)] {
                if rows.is_empty() {
                    continue;
                }
                let _ = writeln!(y, "  {key}:");
                for row in rows {
                    let cells: Vec<String> = row.iter().map(cell).collect();
                    let _ = writeln!(y, "  - [{}]", cells.join(", "));
                }
            }
            if !t.note.is_empty() {
                let _ = writeln!(y, "  note: {}", block(&t.note.join("\n\n"), 4));
            }
        }
    }
    if !d.recipients.is_empty() {
        y.push_str("recipients:\n");
        for r in &d.recipients {
            let _ = writeln!(y, "- {}", quoted(r));
        }
    }
    if !d.signer_position.is_empty() || d.signer_name.is_some() {
        y.push_str("signer:\n");
        if !d.signer_position.is_empty() {
            let _ = writeln!(y, "  position: {}", block(&d.signer_position.join("\n"), 4));
        }
        if let Some(n) = &d.signer_name {
            let _ = writeln!(y, "  name: {}", quoted(n));
        }
    }
    // Proposed figures, commented: each needs an indicator before it can be
    // a metric.
    let text = all_text(d);
    let found = figures(&text);
    if !found.is_empty() {
        let _ = writeln!(
            y,
            "# Số liệu tìm thấy ({}): bỏ dấu # và chọn chỉ tiêu (content/indicators.yaml) cho từng số liệu.\n\
             # Figures found ({}): uncomment each and map it to an indicator of content/indicators.yaml.\n\
             # metrics:",
            found.len(),
            found.len()
        );
        for f in &found {
            let indicator = closest_indicator(&f.stated, catalogue);
            let _ = writeln!(
                y,
                "#   - indicator: {}   # {}",
                indicator.as_deref().unwrap_or("?"),
                if indicator.is_some() {
                    "gần nhất / closest — kiểm tra / check"
                } else {
                    "chọn / choose"
                }
            );
            let _ = writeln!(y, "#     value: {}", f.value);
            if let Some(t) = f.target {
                let _ = writeln!(y, "#     target: {t}");
            }
            if let Some(o) = f.of {
                let _ = writeln!(y, "#     of: {o}");
            }
            if let Some(a) = f.achieved {
                let _ = writeln!(y, "#     achieved: {a}");
            }
            let _ = writeln!(y, "#     stated: {}", quoted(&f.stated));
        }
    }
    if !citations.is_empty() {
        let _ = writeln!(
            y,
            "# Văn bản được trích dẫn ({}), như `minhbach cite` tìm thấy / cited documents, as `minhbach cite` finds them:",
            citations.len()
        );
        for (text, id) in citations {
            let _ = writeln!(y, "#   {} → {}", text.replace('\n', " "), id);
        }
    }
    y
}

/// A table cell: its text, or `{text, colspan, rowspan}` when merged.
fn cell(c: &Cell) -> String {
    if c.colspan == 1 && c.rowspan == 1 {
        return quoted(&c.text);
    }
    let mut out = format!("{{text: {}", quoted(&c.text));
    if c.colspan > 1 {
        let _ = write!(out, ", colspan: {}", c.colspan);
    }
    if c.rowspan > 1 {
        let _ = write!(out, ", rowspan: {}", c.rowspan);
    }
    out.push('}');
    out
}

fn part(y: &mut String, p: &Part, depth: usize) {
    let pad = "  ".repeat(depth);
    // The first key carries the item's dash; a heading without a number
    // (Word's Heading styles) has none.
    let mut fields: Vec<String> = Vec::new();
    if !p.number.is_empty() {
        fields.push(format!("number: {}", quoted(&p.number)));
    }
    if !p.title.is_empty() || p.number.is_empty() {
        fields.push(format!("title: {}", quoted(&p.title)));
    }
    for (k, f) in fields.iter().enumerate() {
        let lead = if k == 0 { "- " } else { "  " };
        let _ = writeln!(y, "{pad}{lead}{f}");
    }
    if !p.body.is_empty() {
        let _ = writeln!(
            y,
            "{pad}  body: {}",
            block(&p.body.join("\n\n"), depth * 2 + 4)
        );
    }
    if !p.parts.is_empty() {
        let _ = writeln!(y, "{pad}  sections:");
        for child in &p.parts {
            part(y, child, depth + 1);
        }
    }
}

/// Every paragraph of the draft, in order, for figures and citations.
fn all_text(d: &Draft) -> String {
    fn walk(p: &Part, out: &mut Vec<String>) {
        out.push(p.title.clone());
        out.extend(p.body.iter().cloned());
        for c in &p.parts {
            walk(c, out);
        }
    }
    let mut out = d.intro.clone();
    for p in &d.parts {
        walk(p, &mut out);
    }
    out.extend(d.closing.iter().cloned());
    out.join("\n")
}

/// Reads `opts.file` and writes its draft; returns where (None: stdout).
pub fn run(opts: &ImportOptions) -> Result<Option<PathBuf>> {
    let kind = opts
        .file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = match kind.as_str() {
        "txt" | "md" | "text" => std::fs::read(opts.file)
            .with_context(|| format!("cannot read {}", opts.file.display()))
            .and_then(|b| {
                String::from_utf8(b)
                    .map(|t| crate::import::clean(&t))
                    .with_context(|| {
                        format!(
                            "{} is not UTF-8 text: save it from the editor as UTF-8",
                            opts.file.display()
                        )
                    })
            })?,
        "docx" => {
            let bytes = std::fs::read(opts.file)
                .with_context(|| format!("cannot read {}", opts.file.display()))?;
            crate::import::docx::text(&bytes)
                .with_context(|| format!("cannot import {}", opts.file.display()))?
        }
        "pdf" => {
            let bytes = std::fs::read(opts.file)
                .with_context(|| format!("cannot read {}", opts.file.display()))?;
            crate::import::pdf::text(&bytes)
                .with_context(|| format!("cannot import {}", opts.file.display()))?
        }
        "doc" | "odt" => bail!(
            "{}: importing .{kind} files is not yet available; open it in Word or LibreOffice and save it as a Word document (.docx) or as text (.txt, UTF-8), then import that",
            opts.file.display()
        ),
        other => bail!(
            "{}: cannot import a .{other} file: give a report as a Word document (.docx) or as text (.txt, .md)",
            opts.file.display()
        ),
    };
    let draft = read(&text);
    let year = draft
        .date
        .map(|d| d.0)
        .unwrap_or_else(|| i32::from(crate::validate::today().year()));
    // The agency: given, else the one the heading names, else a
    // placeholder `check` refuses until it is filled.
    let known: Vec<KnownAgency> = {
        let mut diags = crate::diagnostics::Diagnostics::default();
        crate::load::load_agencies(opts.root, &mut diags)
            .into_iter()
            .map(|a| KnownAgency {
                id: a.slug,
                name: a.name,
                short_name: a.short_name,
                province: a.province.value,
            })
            .collect()
    };
    let suggested = suggest_agency(&draft, &known);
    let agency = match (opts.agency, &suggested) {
        (Some(a), _) => AgencyChoice::Given(a),
        (None, Some((id, why))) => AgencyChoice::Suggested(id, why),
        (None, None) => AgencyChoice::Unknown,
    };
    let catalogue: Vec<(String, String)> = catalogue(opts.root);
    let cited: Vec<(String, String)> =
        super::cite::citations(&crate::import::clean(&text), opts.root, opts.agency, None)
            .map(|cs| cs.into_iter().map(|c| (c.text, c.id)).collect())
            .unwrap_or_default();
    let mut yaml = draft_yaml(&draft, agency, year, &cited, &catalogue);
    if kind == "pdf" {
        // A PDF keeps no paragraphs, lists or merged cells: say what to
        // check first.
        yaml.insert_str(
            0,
            "# Đọc từ PDF: đoạn, danh sách và bảng (không có ô gộp) được dựng lại từ vị trí chữ trên trang — đối chiếu kỹ với bản gốc.\n\
             # Read from a PDF: paragraphs, lists and tables (without merged cells) are rebuilt from where the text stands on the page — check them against the original.\n",
        );
    }
    match opts.output {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .with_context(|| {
                    format!(
                        "cannot create {} (minhbach never writes over a file)",
                        path.display()
                    )
                })?;
            std::io::Write::write_all(&mut file, yaml.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(Some(path.to_path_buf()))
        }
        None => {
            print!("{yaml}");
            Ok(None)
        }
    }
}

/// The site's indicators (id, label), empty when it has none.
fn catalogue(root: &Path) -> Vec<(String, String)> {
    let mut diags = crate::diagnostics::Diagnostics::default();
    crate::load::load_indicators(root, &mut diags)
        .into_iter()
        .map(|i| (i.id.value, i.label))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_a_scalar_one_value() {
        assert_eq!(quoted("a: b # c"), "\"a: b # c\"");
        assert_eq!(quoted("“x” \"y\" \\"), "\"“x” \\\"y\\\" \\\\\"");
        assert_eq!(quoted("a\nb"), "\"a b\"");
    }

    #[test]
    fn blocks_keep_their_lines() {
        assert_eq!(block("a\n\n- b", 2), "|-\n  a\n\n  - b");
        assert_eq!(block(" a", 4), "|4-\n     a");
    }
}
