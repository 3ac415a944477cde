//! Broken content beyond the fixture sites of `tests/broken.rs`: a
//! mistyped Vietnamese thousands separator, and an output folder that is
//! not minhbach's.

mod common;
use common::*;

const REPORT: &str = "content/reports/ha-noi/so-noi-vu/2022-bao-cao.yaml";

#[test]
fn mistyped_vietnamese_thousands_are_caught() {
    // "28.101" in YAML is the number 28.101: the figure no longer matches the text.
    let site = site_with(None);
    let path = site.path().join(REPORT);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("value: 1250", "value: 1.250")).unwrap();
    let out = minhbach(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{REPORT}:29:16: value 1.25 (printed 1,25) does not appear in `stated`"
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_figure_written_x_of_y_must_say_what_y_is() {
    // "1.250/1.000 hồ sơ" with neither `target` nor `of`: is 1.000 the plan
    // or the whole? `check` asks, and still passes (a warning).
    let site = site_with(None);
    let path = site.path().join(REPORT);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("    target: 1000\n", "")).unwrap();
    let out = minhbach(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "{REPORT}:29:16: warning: `stated` writes \"1.250/1.000\": say what the second number is, the plan (`target`) or the whole the figure is part of (`of`)"
        )),
        "{}",
        stderr(&out)
    );
    // Said as a total, the warning goes and the page shows a share of it.
    std::fs::write(&path, text.replace("    target: 1000\n", "    of: 1300\n")).unwrap();
    let out = minhbach(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("`stated` writes"),
        "{}",
        stderr(&out)
    );
    let page = read(
        &site.path().join("public"),
        "bao-cao/ha-noi/so-noi-vu/2022-bao-cao/index.html",
    );
    assert!(page.contains("1.250/1.300 hồ sơ (96,15%)"), "{page}");
}

#[test]
fn a_foreign_output_directory_is_never_replaced() {
    let site = site_with(None);
    let docs = site.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("notes.txt"), "mine").unwrap();
    let out = minhbach(site.path(), &["build", "--output", "docs"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("refusing to replace"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(docs.join("notes.txt")).unwrap(),
        "mine"
    );
    let out = minhbach(site.path(), &["build", "--output", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("contains the site itself"),
        "{}",
        stderr(&out)
    );
}
