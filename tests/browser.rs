//! The example site in headless Chromium, opened from `file://`: the reader
//! walks home → agency → report → legal document and back, at phone and
//! desktop widths, with no console error, failed request or sideways scroll;
//! and an agency page's charts and figures as a reader sees them.
//! Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM`) and playwright-core
//! (`npm ci --prefix tests/browser`); `.ci/run` installs both.

mod common;
use common::*;
use std::process::Command;

/// Runs `tests/browser/<script>` on a built site; returns its output.
fn run_browser_script(script: &str, public: &std::path::Path) -> String {
    let browser_dir = repo().join("tests/browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").is_dir(),
        "playwright-core is not installed: run `npm ci --prefix tests/browser` (or `bash .ci/run`)"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "Chromium not found at {chromium}: install the Debian package `chromium` (or run `bash .ci/run`)"
    );
    let shots = repo().join("tests/browser/artifacts");
    let out = Command::new("node")
        .arg(browser_dir.join(script))
        .arg(public)
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn navigation_from_disk_in_chromium() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let stdout = run_browser_script("navigate.mjs", &public);
    assert!(stdout.contains("browser navigation: ok"), "{stdout}");
}

#[test]
fn agency_charts_and_tables_at_phone_and_desktop_width() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("compare"), dir.path());
    let public = build_ok(dir.path(), &[]);
    let stdout = run_browser_script("figures.mjs", &public);
    assert!(stdout.contains("agency figures: ok"), "{stdout}");
}

#[test]
fn search_from_disk_and_over_http() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let stdout = run_browser_script("search.mjs", &public);
    assert!(stdout.contains("search: ok"), "{stdout}");
}
