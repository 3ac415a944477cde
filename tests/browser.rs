//! The example site in headless Chromium, opened from `file://`: the reader
//! walks home → agency → report → legal document and back, at phone and
//! desktop widths, with no console error, failed request or sideways scroll;
//! and an agency page's charts and figures as a reader sees them.
//! Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM`) and playwright-core
//! (`npm ci --prefix tests/browser`); `.ci/run` installs both.

mod common;
use common::*;
use std::process::Command;

/// The browser tests of this file, named in the message when their tools
/// are missing.
const BROWSER_TESTS: &str = "navigation_from_disk_in_chromium, every_page_kind_passes_axe_and_fits_a_phone, agency_charts_and_tables_at_phone_and_desktop_width, search_from_disk_and_over_http, hostile_content_stays_inert, the_unzipped_bundle_works_from_disk";

/// Fails, in one line, when Chromium or playwright-core is missing: these
/// tests do not pass without them (a skipped test is not a passed one).
fn require_browser() -> String {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let playwright = repo().join("tests/browser/node_modules/playwright-core");
    let mut missing = Vec::new();
    if !std::path::Path::new(&chromium).exists() {
        missing.push(format!("Chromium ({chromium})"));
    }
    if !playwright.is_dir() {
        missing.push("playwright-core (tests/browser/node_modules)".to_string());
    }
    assert!(
        missing.is_empty(),
        "the browser tests ({BROWSER_TESTS}) need {}: `bash .ci/run` installs them (apt-get install chromium; npm ci --prefix tests/browser)",
        missing.join(" and ")
    );
    chromium
}

/// Runs `tests/browser/<script>` on a built site; returns its output.
fn run_browser_script(script: &str, public: &std::path::Path) -> String {
    run_browser_script_with(script, public, &[])
}

/// [`run_browser_script`] with more arguments after the site.
fn run_browser_script_with(script: &str, public: &std::path::Path, args: &[&str]) -> String {
    let chromium = require_browser();
    let browser_dir = repo().join("tests/browser");
    let shots = repo().join("tests/browser/artifacts");
    let out = Command::new("node")
        .arg(browser_dir.join(script))
        .arg(public)
        .arg(&shots)
        .args(args)
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

/// A built site with a page of every kind, and those pages: the example
/// site, with the compare fixture's comparison, agency and province pages
/// copied in (no agency of the example has two reports).
fn every_kind() -> (tempfile::TempDir, std::path::PathBuf, Vec<String>) {
    let site = example_site();
    // A published key, so that the verification page shows it and the
    // commands that use it (any valid minisign public key).
    append_config(
        site.path(),
        "public_key = \"RWSKDDIK2SLTUqW/B6pL1kO+K1Dp8CMVCzfoaln9bMOIpFSQ5iCfCYpW\"",
    );
    let public = build_ok(site.path(), &[]);
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("compare"), dir.path());
    let compared = build_ok(dir.path(), &[]);
    for part in ["so-sanh", "co-quan/ha-noi", "tinh/ha-noi"] {
        copy_tree(&compared.join(part), &public.join(part));
    }
    let document = files(&public.join("van-ban"))
        .into_iter()
        .find(|f| f.ends_with("/index.html") && f.starts_with("vn-"))
        .map(|f| format!("van-ban/{f}"))
        .expect("a document page");
    let pages = [
        "index.html",
        "index.html?q=dan van",
        // A document first, then the reports citing it: the count is of both.
        "index.html?q=16/CT-TTg",
        "bao-cao/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen/index.html",
        "bao-cao/da-nang/so-ldtbxh/2018-dan-van-chinh-quyen/index.html",
        // The report with the most citations, and a document replaced by another.
        "bao-cao/tra-vinh/so-tttt/2021-quy-che-dan-chu-co-so/index.html",
        "van-ban/vn-2007-34-2007-pl_ubtvqh11/index.html",
        "co-quan/index.html",
        "co-quan/binh-phuoc/so-ldtbxh/index.html",
        "co-quan/ha-noi/so-ldtbxh/index.html",
        "tinh/da-nang/index.html",
        "tinh/ha-noi/index.html",
        "nam/index.html",
        "nam/2021/index.html",
        "van-ban/index.html",
        "van-ban/trich-dan-nhieu-nhat/index.html",
        &document,
        "chi-tieu/index.html",
        "chi-tieu/luot-tiep-cong-dan/index.html",
        "chi-tieu/ty-le-ho-so-giai-quyet-dung-han/index.html",
        "tim-kiem/index.html",
        "du-lieu/index.html",
        "404.html",
        "so-sanh/ha-noi/so-ldtbxh/2021/index.html",
        // With a public key, its commands in <pre>.
        "kiem-chung/index.html",
    ]
    .map(String::from)
    .to_vec();
    (site, public, pages)
}

/// axe-core at 375 and 1280 px; at 320, 375 and 1280 px a screenshot of
/// each page (under tests/browser/artifacts/pages), no sideways scroll,
/// every cell of every figures table in view, chart text of 12 px or more,
/// the first search results in view, no symbol broken across lines on a
/// phone.
#[test]
fn every_page_kind_passes_axe_and_fits_a_phone() {
    let (_site, public, pages) = every_kind();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let stdout = run_browser_script_with("accessibility.mjs", &public, &pages);
    assert!(
        stdout.contains(&format!("accessibility: ok, {} pages", pages.len())),
        "{stdout}"
    );
    // Symbols were there to check: every citation link wraps its symbol.
    let symbols: usize = stdout
        .split("symbols: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the symbol count");
    assert!(symbols >= 400, "{stdout}");
    let shots = repo().join("tests/browser/artifacts/pages");
    for width in [320, 375, 1280] {
        assert!(
            shots.join(format!("{width}-tinh-ha-noi.png")).is_file(),
            "a screenshot at {width} px"
        );
    }
}

/// A report, an agency, an indicator, a province and a comparison printed
/// to A4 PDF: their meaning kept in black and white, no sheet with only a
/// footer (tests/browser/print.mjs).
#[test]
fn pages_print_in_black_and_white() {
    let (_site, public, _) = every_kind();
    let pages = [
        "bao-cao/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen/index.html",
        "co-quan/ha-noi/so-ldtbxh/index.html",
        "chi-tieu/ty-le-ho-so-giai-quyet-dung-han/index.html",
        "tinh/da-nang/index.html",
        "so-sanh/ha-noi/so-ldtbxh/2021/index.html",
    ];
    let stdout = run_browser_script_with("print.mjs", &public, &pages);
    assert!(
        stdout.contains(&format!("print: ok, {} pages", pages.len())),
        "{stdout}"
    );
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

#[test]
fn hostile_content_stays_inert() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("hostile"), dir.path());
    let fields = std::fs::read_to_string(fixture("hostile").join("fields.txt")).unwrap();
    let fields: Vec<&str> = fields
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(fields.len() >= 44, "{fields:?}");
    let public = build_ok(dir.path(), &[]);
    let stdout = run_browser_script_with("inert.mjs", &public, &fields);
    assert!(
        stdout.contains(&format!("{} fields seen as text", fields.len())),
        "{stdout}"
    );
}

/// The bundle (`build --archive`) downloaded and unzipped: navigation and
/// search of the example, and a comparison of the compare fixture, from
/// `file://`.
#[test]
fn the_unzipped_bundle_works_from_disk() {
    let unzip = |zip: &std::path::Path| {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
        archive.extract(dir.path()).unwrap();
        dir
    };
    let site = example_site();
    let public = build_ok(site.path(), &["--archive"]);
    let bundle = unzip(&public.join("ban-sao-trang.zip"));
    let copy = bundle.path().join("ban-sao-trang");
    let stdout = run_browser_script("navigate.mjs", &copy);
    assert!(stdout.contains("browser navigation: ok"), "{stdout}");
    let stdout = run_browser_script("search.mjs", &copy);
    assert!(stdout.contains("search: ok"), "{stdout}");

    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("compare"), dir.path());
    let public = build_ok(dir.path(), &["--archive"]);
    let bundle = unzip(&public.join("ban-sao-trang.zip"));
    let stdout = run_browser_script("bundle.mjs", &bundle.path().join("ban-sao-trang"));
    assert!(stdout.contains("bundle: ok"), "{stdout}");
}
