//! The Markdown renderer on any text, with the citations the recogniser
//! finds in it linked: nothing may panic, and no element or attribute from
//! the text may come out unescaped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minhbach::cite::{recognise_all, CiteContext, Registry};
use minhbach::model::{CitationSpan, FormId, Part};
use minhbach::render::markdown::{render, render_inline, Linker};
use std::collections::BTreeSet;

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
    let doc_url = |f: FormId| Some(format!("../van-ban/{}/", f.index()));
    let linker = Linker {
        doc_url: &doc_url,
        footnotes: &footnotes,
    };
    for html in [render(text, &spans, &linker), render_inline(text, &spans, &linker)] {
        // Raw HTML in a report is shown as text and only http(s) and
        // mailto links are kept: whatever the input, the only tags are those
        // Markdown makes.
        let lower = html.to_ascii_lowercase();
        for made_by_content in ["<script", "<img", "<iframe", "<svg", "<style", "href=\"javascript:"] {
            assert!(
                !lower.contains(made_by_content),
                "{made_by_content} from {text:?}: {html}"
            );
        }
    }
});
