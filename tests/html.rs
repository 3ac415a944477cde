//! The HTML of every page kind validates with the Nu HTML Checker (npm
//! `vnu-jar`, run with Java): the example site, the `basic` fixture with its
//! draft (the draft banner), the `compare` fixture in English, and the
//! hostile fixture whose every field carries markup. Needs Java and
//! `npm ci --prefix tests/browser`; `.ci/run` installs both.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The checker's jar, or a one-line failure naming what is missing.
fn require_vnu() -> PathBuf {
    let jar = repo().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java").arg("-version").output().is_ok();
    let mut missing = Vec::new();
    if !java {
        missing.push("Java (java on PATH)");
    }
    if !jar.is_file() {
        missing.push("vnu-jar (tests/browser/node_modules)");
    }
    assert!(
        missing.is_empty(),
        "every_page_validates_with_the_nu_html_checker needs {}: `bash .ci/run` installs them (apt-get install default-jre-headless; npm ci --prefix tests/browser)",
        missing.join(" and ")
    );
    jar
}

/// The number of `.html` files under `dir`.
fn pages(dir: &Path) -> usize {
    files(dir).iter().filter(|f| f.ends_with(".html")).count()
}

#[test]
fn every_page_validates_with_the_nu_html_checker() {
    let jar = require_vnu();
    let example = example_site();
    let example_out = build_ok(example.path(), &[]);

    let basic = site_with(None);
    let basic_out = build_ok(basic.path(), &["--drafts"]);
    assert!(
        read(&basic_out, "index.html").contains("2023"),
        "the draft is built"
    );

    let compare = site_with(Some("compare"));
    let config = compare.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("language = \"vi\"", "language = \"en\""),
    )
    .unwrap();
    let compare_out = build_ok(compare.path(), &[]);
    assert!(read(&compare_out, "index.html").contains("lang=\"en\""));

    let hostile = tempfile::tempdir().unwrap();
    copy_tree(&fixture("hostile"), hostile.path());
    let hostile_out = build_ok(hostile.path(), &[]);

    let outputs = [&example_out, &basic_out, &compare_out, &hostile_out];
    let total: usize = outputs.iter().map(|o| pages(o)).sum();
    assert!(total > 200, "only {total} pages");
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--skip-non-html", "--format", "gnu"])
        .args(outputs)
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&out.stderr).into_owned();
    let problems: Vec<&str> = report
        .lines()
        .filter(|l| !l.trim().is_empty())
        // The checker gives pages opened from file: an opaque origin that
        // 'self' never matches; browsers match the site's own files (the
        // browser tests load every script and style under the policy).
        .filter(|l| {
            !(l.contains("info warning: Resource violates Content Security Policy")
                && l.contains("\"file:"))
        })
        // A JSON-LD block is a data block, not a script: browsers neither
        // run it nor check it against the policy (the HTML standard's
        // "data block"); the checker counts it as inline script. Only a
        // message pointing at such a block's start tag is set aside.
        .filter(|l| {
            !(l.contains("info warning: Inline script violates Content Security Policy")
                && data_block_at(l))
        })
        // The hostile fixture's payloads are English-looking text.
        .filter(|l| {
            !(l.contains(&*hostile_out.to_string_lossy())
                && l.contains("info warning: This document appears to be written in"))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} messages from the Nu HTML Checker on {total} pages:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The checker did read the pages: it reports the policy on every one
    // that loads the stylesheet, which is all but each site's 404 page (its
    // style is inline).
    let csp_notes = report
        .lines()
        .filter(|l| l.contains("violates Content Security Policy") && l.contains("style.css"))
        .count();
    assert_eq!(
        csp_notes,
        total - outputs.len(),
        "the checker read {csp_notes} of {total} pages"
    );
}

/// Whether a checker message (GNU format: `"file:PATH":LINE.COL-…`) points
/// at the start tag of a JSON-LD data block.
fn data_block_at(message: &str) -> bool {
    let Some(rest) = message.strip_prefix("\"file:") else {
        return false;
    };
    let Some((path, rest)) = rest.split_once('"') else {
        return false;
    };
    let position = rest.trim_start_matches(':');
    let (line, column) = match position.split_once('.') {
        Some((l, c)) => (l, c.split('-').next().unwrap_or("")),
        None => return false,
    };
    let (Ok(line), Ok(column)) = (line.parse::<usize>(), column.parse::<usize>()) else {
        return false;
    };
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.lines().nth(line - 1).map(str::to_string))
        .is_some_and(|l| {
            l.chars()
                .skip(column - 1)
                .collect::<String>()
                .starts_with("<script type=\"application/ld+json\">")
        })
}
