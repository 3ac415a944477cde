//! Render stage, text part: report Markdown → HTML through pulldown-cmark,
//! with citations turned into links to their document pages and footnote
//! markers (¹ ² ³) into links to the footnotes.
//!
//! Reports are untrusted text: raw HTML is escaped, never passed through, and
//! links keep only safe schemes.

use crate::cite::{recognise_all, CiteContext, Registry};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeStream};
use std::collections::BTreeSet;
use std::ops::Range;

/// What the renderer needs to know to link a text.
pub struct Linker<'a> {
    /// Scope for provincial citations.
    pub cite: &'a CiteContext,
    /// Registry, for documents cited by name.
    pub registry: &'a Registry,
    /// URL of a cited document's page by id, relative to the current page.
    pub doc_url: &'a dyn Fn(&str) -> Option<String>,
    /// Footnote numbers that exist in the report.
    pub footnotes: &'a BTreeSet<u32>,
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
pub fn footnote_markers(text: &str) -> Vec<(Range<usize>, u32)> {
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

fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // A colon before any '/', '?' or '#' means a scheme.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

/// Splits a text event into text and generated links.
fn link_text<'a>(text: &str, linker: &Linker<'_>, out: &mut Vec<Event<'a>>) {
    enum Mark {
        Cite(Range<usize>, String),
        Footnote(Range<usize>, u32),
    }
    let mut marks: Vec<Mark> = Vec::new();
    for c in recognise_all(text, linker.cite, linker.registry) {
        if let Some(url) = (linker.doc_url)(&c.id) {
            marks.push(Mark::Cite(c.start..c.end, url));
        }
    }
    for (r, n) in footnote_markers(text) {
        if linker.footnotes.contains(&n) {
            marks.push(Mark::Footnote(r, n));
        }
    }
    marks.sort_by_key(|m| match m {
        Mark::Cite(r, _) | Mark::Footnote(r, _) => r.start,
    });
    let mut at = 0;
    for m in marks {
        let r = match &m {
            Mark::Cite(r, _) | Mark::Footnote(r, _) => r.clone(),
        };
        if r.start < at {
            continue; // overlapping marks: keep the first
        }
        if r.start > at {
            out.push(Event::Text(CowStr::from(text[at..r.start].to_string())));
        }
        match m {
            Mark::Cite(r, url) => {
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"cite\" href=\"{}\">",
                    escape(&url)
                ))));
                out.push(Event::Text(CowStr::from(text[r].to_string())));
                out.push(Event::InlineHtml(CowStr::from("</a>")));
            }
            Mark::Footnote(_, n) => {
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"fn-ref\"><a href=\"#fn-{n}\" id=\"fnref-{n}\">{n}</a></sup>"
                ))));
            }
        }
        at = r.end;
    }
    if at < text.len() {
        out.push(Event::Text(CowStr::from(text[at..].to_string())));
    }
}

/// Renders report Markdown to safe HTML.
pub fn render(markdown: &str, linker: &Linker<'_>) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = TextMergeStream::new(Parser::new_ext(markdown, options));
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut in_link = 0usize;
    // Whether each open link was kept: unsafe links are dropped, text kept.
    let mut kept: Vec<bool> = Vec::new();
    for event in parser {
        match event {
            // Untrusted content: HTML is shown as text.
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_link += 1;
                let safe = is_safe_url(&dest_url);
                kept.push(safe);
                if safe {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                if kept.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            // Images would point at files the site does not have: keep the alt text.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Text(t) if in_link == 0 => link_text(&t, linker, &mut events),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Renders a one-line text (a heading) without the paragraph around it.
pub fn render_inline(text: &str, linker: &Linker<'_>) -> String {
    let html = render(text, linker);
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
        .map(str::to_string)
        .unwrap_or_else(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let ctx = CiteContext {
            province: "binh-phuoc".into(),
            agency: "binh-phuoc/so-ldtbxh".into(),
        };
        let url = |id: &str| {
            Some(format!(
                "../van-ban/{}/index.html",
                crate::cite::id_slug(id)
            ))
        };
        let footnotes: BTreeSet<u32> = [1].into_iter().collect();
        let registry = Registry::default();
        render(
            md,
            &Linker {
                cite: &ctx,
                registry: &registry,
                doc_url: &url,
                footnotes: &footnotes,
            },
        )
    }

    #[test]
    fn raw_html_is_escaped() {
        let out = html("a <script>alert(1)</script> <b onclick=x>b</b>\n\n<div>x</div>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<b "), "{out}");
        assert!(!out.contains("<div>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn dangerous_links_are_neutralised() {
        let out = html("[x](javascript:alert(1)) [y](https://example.org) ![i](x.png)");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(
            out.contains("<p>x "),
            "the text of a dropped link stays: {out}"
        );
        assert!(out.contains("href=\"https://example.org\""), "{out}");
        assert!(!out.contains("<img"), "{out}");
    }

    #[test]
    fn citations_and_footnotes_become_links() {
        let out = html("Thực hiện Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng, đạt 73,95%¹.");
        assert!(
            out.contains("<a class=\"cite\" href=\"../van-ban/vn-2016-16-ct-ttg/index.html\">Chỉ thị số 16/CT-TTg ngày 16/5/2016</a>"),
            "{out}"
        );
        assert!(
            out.contains(
                "73,95%<sup class=\"fn-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>."
            ),
            "{out}"
        );
        // A marker with no footnote stays as written.
        assert!(html("x²").contains("x²"));
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
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 12) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            assert_eq!(footnote_markers(&text), by_chars(&text), "{text:?}");
        }
        let long = "Năm 2021¹ đạt 73,95%²³ – “dân vận” ⁴⁵⁶".repeat(50);
        assert_eq!(footnote_markers(&long), by_chars(&long));
    }
}
