//! The citation recogniser on any text: nothing may panic or hang, and every
//! citation it finds is a span of the text, on character boundaries, that
//! reads as its `text`, in order and not overlapping.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minhbach::cite::{recognise_all, CiteContext, Registry};

fuzz_target!(|text: &str| {
    let ctx = CiteContext {
        province: "tra-vinh".into(),
        agency: "tra-vinh/so-tttt".into(),
    };
    let registry = Registry::new(&[]);
    let found = recognise_all(text, &ctx, &registry);
    let mut last_end = 0;
    for c in &found {
        assert!(c.start < c.end && c.end <= text.len(), "{c:?} outside {text:?}");
        assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
        assert_eq!(&text[c.start..c.end], c.text);
        assert!(c.start >= last_end, "overlapping citations in {text:?}: {found:?}");
        last_end = c.end;
        assert!(!c.id.is_empty() && !c.symbol.is_empty());
    }
});
