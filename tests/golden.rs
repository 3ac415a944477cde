//! Golden files: the example site's home, one report, one agency, one
//! indicator, one document page and the search index's metadata, checked in
//! under `tests/snapshots/`. Any change to what a reader gets shows as a
//! diff to review; an intended one is accepted with `cargo insta review`
//! (or `INSTA_UPDATE=always cargo test --test golden`) and committed.

mod common;
use common::*;
use std::sync::OnceLock;

fn built() -> &'static std::path::PathBuf {
    static SITE: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let site = example_site();
            let public = build_ok(site.path(), &[]);
            (site, public)
        })
        .1
}

#[test]
fn home_page() {
    insta::assert_snapshot!("home", read(built(), "index.html"));
}

#[test]
fn report_page() {
    insta::assert_snapshot!(
        "report",
        read(
            built(),
            "bao-cao/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen/index.html"
        )
    );
}

#[test]
fn agency_page() {
    insta::assert_snapshot!(
        "agency",
        read(built(), "co-quan/dong-thap/so-ldtbxh/index.html")
    );
}

#[test]
fn indicator_page() {
    insta::assert_snapshot!(
        "indicator",
        read(
            built(),
            "chi-tieu/lao-dong-duoc-giai-quyet-viec-lam/index.html"
        )
    );
}

#[test]
fn document_page() {
    insta::assert_snapshot!(
        "document",
        read(built(), "van-ban/vn-2015-04-2015-ndd_cp/index.html")
    );
}

/// `meta.js` is one line of JSON inside `JSON.parse('…')`: shown
/// pretty-printed, so that a change reads as a diff of its fields.
#[test]
fn search_meta() {
    let script = read(built(), "search/meta.js");
    let json = script
        .strip_prefix("minhbachMeta(JSON.parse('")
        .and_then(|s| s.strip_suffix("'));\n"))
        .expect("meta.js is a JSON.parse call");
    // Undo the JavaScript string escapes (`\\`, `\'`, `\u2028`).
    let mut text = String::new();
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                text.extend(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()));
            }
            Some(other) => text.push(other),
            None => {}
        }
    }
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    insta::assert_snapshot!("meta", serde_json::to_string_pretty(&value).unwrap());
}
