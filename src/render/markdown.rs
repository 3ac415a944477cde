//! Render stage, text part: report Markdown → HTML through pulldown-cmark,
//! with the citations the cite stage found turned into links to their
//! document pages and footnote markers (¹ ² ³) into links to the footnotes.
//! Citations are not recognised here: each text comes with its spans, byte
//! ranges in its Markdown source, mapped onto the parsed text through the
//! parser's source offsets.
//!
//! Reports are untrusted text: raw HTML is escaped, never passed through, and
//! links keep only safe schemes.

use crate::model::{footnote_markers, CitationSpan, FormId};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeSet;
use std::ops::Range;

/// What the renderer needs to know to link a text.
pub struct Linker<'a> {
    /// URL of the document a citation form names, relative to the current
    /// page, and the link's title when it has one (a citation naming its
    /// document under another symbol); `None` leaves the citation as text.
    pub doc_url: &'a dyn Fn(FormId) -> Option<(String, Option<String>)>,
    /// Footnote numbers that exist in the report.
    pub footnotes: &'a BTreeSet<u32>,
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

/// Where a stretch of a run's text came from in the Markdown source.
#[derive(Debug, Clone)]
struct Piece {
    /// Its range in the source.
    src: Range<usize>,
    /// Its place in the run's text.
    at: Range<usize>,
    /// True when the text is the source's bytes there (an escape or an
    /// entity is not: offsets inside it do not map).
    verbatim: bool,
}

/// A run of text events next to each other, text as a reader sees it: the
/// text, and where its stretches came from. Text events that continue the
/// source verbatim are one stretch, so a long run of tiny events (a text of
/// unclosed emphasis marks) is one string and a few ranges, not one record
/// per event.
#[derive(Debug, Default)]
struct TextRun {
    text: String,
    pieces: Vec<Piece>,
}

impl TextRun {
    /// Adds a text event that came from `src`.
    fn push(&mut self, text: &str, src: Range<usize>, verbatim: bool) {
        let at = self.text.len()..self.text.len() + text.len();
        self.text.push_str(text);
        match self.pieces.last_mut() {
            Some(last) if verbatim && last.verbatim && last.src.end == src.start => {
                last.src.end = src.end;
                last.at.end = at.end;
            }
            _ => self.pieces.push(Piece { src, at, verbatim }),
        }
    }

    fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// The byte range of the run's text that `span` (a range of the
    /// source) covers: where it starts and ends inside a verbatim stretch,
    /// clipped to the run. `None` when the span does not reach into the run.
    fn map(&self, span: Range<usize>) -> Option<Range<usize>> {
        let (first, last) = (self.pieces.first()?, self.pieces.last()?);
        if span.end <= first.src.start || span.start >= last.src.end {
            return None;
        }
        let (mut start, mut end) = (None, None);
        for p in &self.pieces {
            if start.is_none() && span.start < p.src.end {
                start = Some(if span.start <= p.src.start || !p.verbatim {
                    p.at.start
                } else {
                    p.at.start + (span.start - p.src.start)
                });
            }
            if end.is_none() && span.end <= p.src.end {
                end = Some(if span.end <= p.src.start {
                    p.at.start
                } else if p.verbatim {
                    p.at.start + (span.end - p.src.start)
                } else {
                    p.at.end
                });
            }
        }
        let (start, end) = (start?, end.unwrap_or(self.text.len()));
        (start < end).then_some(start..end)
    }
}

/// Turns a run of text into text and generated links: the citations whose
/// spans reach into it, and its footnote markers.
fn link_run<'a>(
    run: TextRun,
    citations: &[CitationSpan],
    linker: &Linker<'_>,
    out: &mut Vec<Event<'a>>,
) {
    enum Mark {
        Cite(Range<usize>, String, Option<String>),
        Footnote(Range<usize>, u32),
    }
    if run.is_empty() {
        return;
    }
    let text = run.text.as_str();
    let mut marks: Vec<Mark> = Vec::new();
    // Only the citations that reach into the run: they are sorted by start
    // and never overlap, so at most one starts before the run and reaches
    // into it. A text of many runs and many citations stays linear.
    let (run_start, run_end) = (
        run.pieces[0].src.start,
        run.pieces[run.pieces.len() - 1].src.end,
    );
    let first = citations
        .partition_point(|c| (c.start as usize) < run_start)
        .saturating_sub(1);
    for c in citations[first..]
        .iter()
        .take_while(|c| (c.start as usize) < run_end)
    {
        if let (Some(r), Some((url, title))) = (run.map(c.range()), (linker.doc_url)(c.form)) {
            marks.push(Mark::Cite(r, url, title));
        }
    }
    for (r, n) in footnote_markers(text) {
        if linker.footnotes.contains(&n) {
            marks.push(Mark::Footnote(r, n));
        }
    }
    marks.sort_by_key(|m| match m {
        Mark::Cite(r, _, _) | Mark::Footnote(r, _) => r.start,
    });
    let mut at = 0;
    for m in marks {
        let r = match &m {
            Mark::Cite(r, _, _) | Mark::Footnote(r, _) => r.clone(),
        };
        if r.start < at {
            continue; // overlapping marks: keep the first
        }
        if r.start > at {
            out.push(Event::Text(CowStr::from(text[at..r.start].to_string())));
        }
        match m {
            Mark::Cite(r, url, title) => {
                let title = title.map_or(String::new(), |t| format!(" title=\"{}\"", escape(&t)));
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"cite\" href=\"{}\"{title}>",
                    escape(&url)
                ))));
                push_unbroken_symbols(out, &text[r]);
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

/// A citation's words, each word holding a slash ("04/2015/NĐ-CP",
/// "24/3/2021") kept on one line: a phone shows "NĐ-CP" whole, never
/// "NĐ-" at a line's end and "CP" on the next.
fn push_unbroken_symbols<'e>(out: &mut Vec<Event<'e>>, text: &str) {
    let mut at = 0;
    for (start, word) in text
        .split(char::is_whitespace)
        .scan(0usize, |pos, w| {
            let start = *pos;
            *pos += w.len()
                + text[*pos + w.len()..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            Some((start, w))
        })
        .filter(|(_, w)| w.contains('/') && w.chars().count() > 1)
    {
        if start > at {
            out.push(Event::Text(CowStr::from(text[at..start].to_string())));
        }
        out.push(Event::InlineHtml(CowStr::from("<span class=\"symbol\">")));
        out.push(Event::Text(CowStr::from(word.to_string())));
        out.push(Event::InlineHtml(CowStr::from("</span>")));
        at = start + word.len();
    }
    if at < text.len() {
        out.push(Event::Text(CowStr::from(text[at..].to_string())));
    }
}

/// The parser's events made safe and linked, one text run buffered at a
/// time: the HTML writer takes them as they come, so a long text is never
/// held as a list of all its events.
struct Linked<'a, 'l, I> {
    events: I,
    markdown: &'a str,
    citations: &'l [CitationSpan],
    linker: &'l Linker<'l>,
    in_link: usize,
    /// Whether each open link was kept: unsafe links are dropped, text kept.
    kept: Vec<bool>,
    /// Text events next to each other are one run, as a reader sees them.
    run: TextRun,
    ready: std::collections::VecDeque<Event<'a>>,
    done: bool,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Linked<'a, '_, I> {
    /// Takes one parser event; what it makes ready is in `ready`.
    fn take(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Event::Text(text) = event {
            if self.in_link == 0 {
                let verbatim = self.markdown.get(range.clone()) == Some(text.as_ref());
                self.run.push(&text, range, verbatim);
            } else {
                self.ready.push_back(Event::Text(text));
            }
            return;
        }
        self.flush_run();
        match event {
            // Untrusted content: HTML is shown as text.
            Event::Html(h) | Event::InlineHtml(h) => self.ready.push_back(Event::Text(h)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.in_link += 1;
                let safe = is_safe_url(&dest_url);
                self.kept.push(safe);
                if safe {
                    self.ready.push_back(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                self.in_link = self.in_link.saturating_sub(1);
                if self.kept.pop().unwrap_or(false) {
                    self.ready.push_back(Event::End(TagEnd::Link));
                }
            }
            // Images would point at files the site does not have: keep the alt text.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            other => self.ready.push_back(other),
        }
    }

    fn flush_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let mut out = Vec::new();
        link_run(run, self.citations, self.linker, &mut out);
        self.ready.extend(out);
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Linked<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            if self.done {
                return None;
            }
            match self.events.next() {
                Some((event, range)) => self.take(event, range),
                None => {
                    self.flush_run();
                    self.done = true;
                }
            }
        }
    }
}

/// Renders report Markdown to safe HTML, linking `citations` (the cite
/// stage's spans in this text, by source offset) and footnote markers.
pub fn render(markdown: &str, citations: &[CitationSpan], linker: &Linker<'_>) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let linked = Linked {
        events: Parser::new_ext(markdown, options).into_offset_iter(),
        markdown,
        citations,
        linker,
        in_link: 0,
        kept: Vec::new(),
        run: TextRun::default(),
        ready: Default::default(),
        done: false,
    };
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, linked);
    html
}

/// Renders a one-line text (a heading) without the paragraph around it.
pub fn render_inline(text: &str, citations: &[CitationSpan], linker: &Linker<'_>) -> String {
    let html = render(text, citations, linker);
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
    use crate::model::Part;

    /// Renders `md` with citations of form 0 at the byte ranges of `cited`.
    fn html_citing(md: &str, cited: &[&str]) -> String {
        let url = |f: FormId| Some((format!("../van-ban/d{}/index.html", f.index()), None));
        let footnotes: BTreeSet<u32> = [1].into_iter().collect();
        let spans: Vec<CitationSpan> = cited
            .iter()
            .map(|c| {
                let start = md.find(c).expect("cited text is in the Markdown");
                CitationSpan::new(Part::Text(0), start, start + c.len(), FormId::new(0))
            })
            .collect();
        render(
            md,
            &spans,
            &Linker {
                doc_url: &url,
                footnotes: &footnotes,
            },
        )
    }

    fn html(md: &str) -> String {
        html_citing(md, &[])
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
        let md = "Thực hiện Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng, đạt 73,95%¹.";
        let out = html_citing(md, &["Chỉ thị số 16/CT-TTg ngày 16/5/2016"]);
        assert!(
            out.contains("<a class=\"cite\" href=\"../van-ban/d0/index.html\">Chỉ thị số <span class=\"symbol\">16/CT-TTg</span> ngày <span class=\"symbol\">16/5/2016</span></a>"),
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

    /// Spans are source offsets: emphasis, escapes and entities before a
    /// citation move it in the parsed text, and the link still covers it.
    #[test]
    fn spans_map_through_markup() {
        let md = "**Đậm** \\* &amp; theo Kế hoạch số 23/KH-UBND của tỉnh";
        let out = html_citing(md, &["Kế hoạch số 23/KH-UBND"]);
        assert!(
            out.contains("&amp; theo <a class=\"cite\" href=\"../van-ban/d0/index.html\">Kế hoạch số <span class=\"symbol\">23/KH-UBND</span></a> của tỉnh"),
            "{out}"
        );
        // A citation that markup splits is linked in each piece.
        let md = "Kế hoạch số **23/KH-UBND** ngày 24/3/2021";
        let out = html_citing(md, &["Kế hoạch số **23/KH-UBND** ngày 24/3/2021"]);
        assert_eq!(out.matches("<a class=\"cite\"").count(), 3, "{out}");
        assert!(out.contains("<strong><a class=\"cite\" href=\"../van-ban/d0/index.html\"><span class=\"symbol\">23/KH-UBND</span></a></strong>"), "{out}");
        // Across a line break within a paragraph, both halves link.
        let md = "Nghị quyết số 19-\nNQ/TW của Hội nghị";
        let out = html_citing(md, &["Nghị quyết số 19-\nNQ/TW"]);
        assert_eq!(out.matches("<a class=\"cite\"").count(), 2, "{out}");
        // Text inside a link is never linked again.
        let md = "[Kế hoạch số 23/KH-UBND](https://x.vn) và thêm";
        let out = html_citing(md, &["Kế hoạch số 23/KH-UBND"]);
        assert!(!out.contains("class=\"cite\""), "{out}");
    }

    #[test]
    fn a_run_maps_verbatim_pieces_and_clips() {
        let mut run = TextRun::default();
        run.push("abc", 10..13, true);
        run.push("&", 13..18, false); // "&amp;"
        run.push("def", 18..21, true);
        assert_eq!(run.map(11..20), Some(1..6));
        assert_eq!(run.map(0..12), Some(0..2));
        assert_eq!(run.map(19..40), Some(5..7));
        assert_eq!(run.map(14..16), Some(3..4));
        assert_eq!(run.map(0..10), None);
        assert_eq!(run.map(21..30), None);
        // Contiguous verbatim events are one stretch.
        let mut run = TextRun::default();
        for i in 0..1000 {
            run.push("x", i..i + 1, true);
        }
        assert_eq!(run.pieces.len(), 1);
        assert_eq!(run.map(500..502), Some(500..502));
    }
}
