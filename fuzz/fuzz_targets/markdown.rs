//! The Markdown renderer on any text, with the citations the recogniser
//! finds in it linked: nothing may panic, and no element or attribute from
//! the text may come out unescaped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minhbach::cite::{recognise_all, CiteContext, Registry};
use minhbach::model::{CitationSpan, FormId, Part};
use minhbach::render::markdown::{render, render_inline, Linker};
use std::collections::BTreeSet;

/// The elements CommonMark with tables and strikethrough makes, plus the
/// citation and footnote links: raw HTML in a report is shown as text and
/// images keep only their alt text, so nothing else may appear.
const ELEMENTS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "ol",
    "ul",
    "li",
    "em",
    "strong",
    "del",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "sup",
    // A symbol or date inside a citation link, kept on one line.
    "span",
];
const ATTRIBUTES: &[&str] = &["href", "title", "class", "id", "start", "style"];

/// Checks every tag of `html`: text is escaped, so each `<` opens a tag the
/// renderer wrote. Its name and attributes must be known ones, a `style` only
/// the alignment a table column gets, and a link go to the web, a mail
/// address or a place relative to the page (a footnote, a document page).
fn check_tags(html: &str, text: &str) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag from {text:?}: {html}"));
        let tag = &after[..close];
        rest = &after[close + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag).trim_end_matches('/');
        let mut parts = tag.splitn(2, ' ');
        let name = parts.next().unwrap_or("");
        assert!(ELEMENTS.contains(&name), "<{name}> from {text:?}: {html}");
        let mut attrs = parts.next().unwrap_or("").trim();
        while !attrs.is_empty() {
            let eq = attrs
                .find("=\"")
                .unwrap_or_else(|| panic!("attribute without value in <{tag}> from {text:?}"));
            let attr = &attrs[..eq];
            let value_end = attrs[eq + 2..]
                .find('"')
                .unwrap_or_else(|| panic!("unterminated value in <{tag}> from {text:?}"));
            let value = &attrs[eq + 2..eq + 2 + value_end];
            assert!(
                ATTRIBUTES.contains(&attr),
                "attribute {attr} in <{tag}> from {text:?}: {html}"
            );
            assert!(!value.contains('<'), "unescaped < in <{tag}> from {text:?}");
            match attr {
                "href" => assert!(
                    matches!(
                        scheme(value).as_deref(),
                        None | Some("http" | "https" | "mailto")
                    ),
                    "link to {value} from {text:?}: {html}"
                ),
                "class" if name == "span" => {
                    assert_eq!(value, "symbol", "<span class={value}> from {text:?}")
                }
                "style" => assert!(
                    value.starts_with("text-align: "),
                    "style {value} from {text:?}"
                ),
                _ => {}
            }
            attrs = attrs[eq + 2 + value_end + 1..].trim_start();
        }
    }
}

/// The scheme a browser reads in `href` (WHATWG URL parsing: leading C0
/// controls and spaces and every tab or newline are dropped first), if any;
/// a link without one is relative to the page.
fn scheme(href: &str) -> Option<String> {
    let url: String = href
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then(|| scheme.to_ascii_lowercase())
}

fuzz_target!(|text: &str| {
    let ctx = CiteContext {
        province: "binh-phuoc".into(),
        agency: "binh-phuoc/so-ldtbxh".into(),
    };
    let registry = Registry::new(&[]);
    let spans: Vec<CitationSpan> = recognise_all(text, &ctx, &registry)
        .iter()
        .enumerate()
        .map(|(k, c)| CitationSpan::new(Part::Text(0), c.start, c.end, FormId::new(k)))
        .collect();
    let footnotes: BTreeSet<u32> = (1..=9).collect();
    let doc_url = |f: FormId| Some((format!("../van-ban/{}/", f.index()), None));
    let linker = Linker {
        doc_url: &doc_url,
        footnotes: &footnotes,
    };
    for html in [
        render(text, &spans, &linker),
        render_inline(text, &spans, &linker),
    ] {
        check_tags(&html, text);
    }
});
