//! The YAML loader on any bytes: a report file is parsed (UTF-8, NFC, the
//! parser's budget), split into its report and body, outlined and checked
//! against an empty site. Nothing may panic, hang or run out of memory; a
//! file that does not parse says where.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minhbach::diagnostics::Diagnostics;
use minhbach::model::{Content, ReportFile};
use minhbach::validate::ReportChecks;

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    let parsed = minhbach::load::parse_bytes::<ReportFile>("r.yaml", data.to_vec(), &mut diags);
    let Some((file, digest)) = parsed else {
        assert!(diags.has_errors(), "a file that does not parse has an error");
        return;
    };
    let (report, body) = file.split("r".into(), "r.yaml".into(), digest);
    let outline = body.outline();
    let texts = body.texts_of(&outline);
    for t in &texts {
        let _ = minhbach::model::footnote_markers(t.text);
    }
    let content = Content::default();
    // A site folder that does not exist: a `source.file` is never found.
    let root = std::path::Path::new("/nonexistent/minhbach-fuzz");
    ReportChecks::new(&content, root).report(&report, &body, &mut diags);
});
