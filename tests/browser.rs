//! The example site in headless Chromium, opened from `file://`: the reader
//! walks home → agency → report → legal document and back, at phone and
//! desktop widths, with no console error, failed request or sideways scroll.
//! Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM`) and playwright-core
//! (`npm ci --prefix tests/browser`); `.ci/run` installs both.

mod common;
use common::*;
use std::process::Command;

#[test]
fn navigation_from_disk_in_chromium() {
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
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let shots = repo().join("tests/browser/artifacts");
    let out = Command::new("node")
        .arg(browser_dir.join("navigate.mjs"))
        .arg(&public)
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("browser navigation: ok"), "{stdout}");
}
