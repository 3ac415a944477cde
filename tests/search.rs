//! Search: the text rules the browser shares with the index builder, the
//! query rules (phrases, prefixes), relevance over the example site and a
//! fixture, and what a query loads. The engine under test is the site's own
//! `assets/search.js`, run in Node.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn sites() -> &'static (
    tempfile::TempDir,
    std::path::PathBuf,
    tempfile::TempDir,
    std::path::PathBuf,
) {
    static SITES: OnceLock<(
        tempfile::TempDir,
        std::path::PathBuf,
        tempfile::TempDir,
        std::path::PathBuf,
    )> = OnceLock::new();
    SITES.get_or_init(|| {
        let example = example_site();
        let example_public = build_ok(example.path(), &[]);
        let fixture_dir = tempfile::tempdir().unwrap();
        copy_tree(&fixture("search"), fixture_dir.path());
        let fixture_public = build_ok(fixture_dir.path(), &[]);
        (example, example_public, fixture_dir, fixture_public)
    })
}

fn node(script: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let mut child = Command::new("node")
        .arg(repo().join("tests/search").join(script))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (install Node.js)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const TEXTS: &[&str] = &[
    "Dân vận khéo",
    "DÂN VẬN KHÉO",
    "d\u{0061}\u{0302}\u{0300}n va\u{0323}\u{0302}n khe\u{0301}o",
    "ĐƯỜNG đường Đường",
    "Ðề án \u{00F0}ường",
    "Nghị định số 04/2015/NĐ-CP, ngày 09/01/2015",
    "28.101/38.000 lao động, đạt 73,95%¹",
    "Thủ tướng – Chính phủ; “Dân vận khéo”…",
    "Quỹ Đền ơn đáp nghĩa 3,774 tỷ đồng",
    "thành phố Hồ Chí Minh, tỉnh Bà Rịa – Vũng Tàu",
];

#[test]
fn browser_and_index_share_the_text_rules() {
    let (_, public, _, _) = sites();
    let input = serde_json::to_string(TEXTS).unwrap();
    let (ok, out, err) = node("rules.mjs", &[public.to_str().unwrap()], &input);
    assert!(ok, "{err}");
    let parsed: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    for (text, js) in TEXTS.iter().zip(&parsed) {
        let nfc = minhbach::vietnamese::nfc(text).into_owned();
        let rust_tokens: Vec<String> = minhbach::search::text::tokens(&nfc).collect();
        let rust_folded: Vec<String> = rust_tokens
            .iter()
            .map(|t| minhbach::search::text::fold(t))
            .collect();
        let js_tokens: Vec<String> = serde_json::from_value(js["tokens"].clone()).unwrap();
        let js_folded: Vec<String> = serde_json::from_value(js["folded"].clone()).unwrap();
        assert_eq!(js_tokens, rust_tokens, "tokens of {text:?}");
        assert_eq!(js_folded, rust_folded, "folded tokens of {text:?}");
    }
    // Tone marks, đ/Đ, NFD input and case fold alike.
    assert_eq!(parsed[0]["folded"], parsed[1]["folded"]);
    assert_eq!(parsed[0]["folded"], parsed[2]["folded"]);
    assert_eq!(
        parsed[3]["folded"],
        serde_json::json!(["duong", "duong", "duong"])
    );
    assert_eq!(
        parsed[4]["folded"],
        serde_json::json!(["de", "an", "duong"])
    );
    assert_eq!(
        parsed[6]["folded"],
        serde_json::json!(["28", "101", "38", "000", "lao", "dong", "dat", "73", "95"])
    );
}

#[test]
fn phrase_and_prefix_rules() {
    let (_, public, _, _) = sites();
    let queries = [
        "dan van kheo",
        "dan van kheo ",
        "dan v",
        "\"học tập\" làm",
        "làm \"học tập\"",
        "\"dân vận khéo",
    ];
    let (ok, out, err) = node(
        "rules.mjs",
        &[public.to_str().unwrap()],
        &serde_json::to_string(&queries).unwrap(),
    );
    assert!(ok, "{err}");
    let parsed: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let terms = |i: usize| parsed[i]["query"]["terms"].as_array().unwrap().clone();
    // The last syllable typed is a prefix…
    assert_eq!(terms(0)[2]["prefix"], true);
    assert_eq!(terms(0)[0]["prefix"], false);
    // …not once the reader typed a space, nor when it is one letter.
    assert_eq!(terms(1)[2]["prefix"], false);
    assert_eq!(terms(2)[1]["prefix"], false);
    // Quoted words form a phrase; words after it are free (the last a prefix).
    assert_eq!(
        parsed[3]["query"]["phrases"][0],
        serde_json::json!([{"raw": "học", "folded": "hoc"}, {"raw": "tập", "folded": "tap"}])
    );
    assert_eq!(terms(3)[2]["raw"], "làm");
    assert_eq!(terms(3)[2]["phrase"], serde_json::Value::Null);
    assert_eq!(terms(3)[2]["prefix"], true);
    assert_eq!(
        terms(4)[2]["prefix"],
        false,
        "a closing quote ends the query"
    );
    // An unclosed quote still makes a phrase.
    assert_eq!(
        parsed[5]["query"]["phrases"][0].as_array().unwrap().len(),
        3
    );
}

#[test]
fn relevance_of_the_listed_queries() {
    let (_, example, _, fixture) = sites();
    let cases = repo().join("tests/search/relevance.json");
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&cases).unwrap()).unwrap();
    assert!(list.len() >= 30);
    let (ok, out, err) = node(
        "relevance.mjs",
        &[
            cases.to_str().unwrap(),
            &format!("example={}", example.display()),
            &format!("search={}", fixture.display()),
        ],
        "",
    );
    assert!(ok, "{out}{err}");
    assert!(
        out.trim_end()
            .ends_with(&format!("{} passed, 0 failed", list.len())),
        "{out}"
    );
}

#[test]
fn a_query_loads_only_its_buckets_and_best_fragments() {
    let (_, public, _, _) = sites();
    let (ok, out, err) = node("measure.mjs", &[public.to_str().unwrap(), "dân vận"], "");
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files: Vec<String> = serde_json::from_value(v["files"].clone()).unwrap();
    assert_eq!(files[0], "search/meta.js");
    assert!(
        files.contains(&"search/i/da.js".to_string())
            && files.contains(&"search/i/va.js".to_string()),
        "{files:?}"
    );
    assert!(
        files.iter().all(|f| f == "search/meta.js"
            || f.starts_with("search/i/")
            || f.starts_with("search/f/")),
        "{files:?}"
    );
    assert_eq!(v["results"], 4);
}

#[test]
fn index_files_are_scripts_never_fetched() {
    let (_, public, _, _) = sites();
    let js = read(public, "assets/search.js");
    assert!(
        !js.contains("fetch(") && !js.contains("XMLHttpRequest"),
        "file:// refuses fetch and XHR"
    );
    for f in files(&public.join("search")) {
        let text = read(&public.join("search"), &f);
        assert!(
            text.starts_with("minhbach") && text.contains("(JSON.parse('"),
            "{f}"
        );
    }
}

/// The index is gathered a group of terms at a time to bound memory; how
/// the terms are grouped must not show in the files.
#[test]
fn index_files_do_not_depend_on_how_terms_are_grouped() {
    let site = example_site();
    let loaded = minhbach::site::Site::load(site.path(), Default::default()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let build = |group: usize, name: &str| -> std::path::PathBuf {
        let dir = out.path().join(name);
        let writer = minhbach::write::Writer::to_dir(&dir).unwrap();
        let indexer = minhbach::search::Indexer::new(&loaded.content, &loaded.catalog);
        for &r in loaded.catalog.reports() {
            let body = loaded.content.body(r).unwrap();
            indexer.add(r, &body, &writer).unwrap();
        }
        indexer.finish_in_groups(&writer, group, false).unwrap();
        writer.commit().unwrap();
        dir
    };
    let whole = build(usize::MAX, "whole");
    let split = build(1, "split");
    let (a, b) = (snapshot(&whole), snapshot(&split));
    let buckets = a.iter().filter(|(p, _)| p.starts_with("search/i/")).count();
    assert!(buckets > 20, "the example has many buckets: {buckets}");
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs");
    }
}
