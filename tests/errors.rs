//! Broken content: every problem is reported as `path:line:col: message`
//! in one run, the exit code is 1, and the previous output survives intact.

mod common;
use common::*;

/// Builds `basic` once, breaks it with `overlay`, builds again and checks
/// the exact problem lines and that `public/` did not change.
fn assert_broken(overlay: &str, expected: &[&str]) {
    let site = site_with(None);
    let public = build_ok(site.path(), &[]);
    let before = snapshot(&public);
    assert!(before.contains_key("index.html"));
    let beside = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    let beside_before = beside();
    assert_eq!(beside_before, [".public.minhbach-lock"]);

    copy_tree(&fixture(overlay), site.path());
    for args in [vec!["build"], vec!["check"]] {
        let out = minhbach(site.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{overlay}: {args:?} must fail");
        let err = stderr(&out);
        let problems: Vec<&str> = err.lines().filter(|l| l.starts_with("content/")).collect();
        assert_eq!(
            problems, expected,
            "{overlay} with {args:?}; stderr:\n{err}"
        );
        let n = expected.len();
        let summary = format!(
            "error: {n} problem{} in the content; nothing was written",
            if n == 1 { "" } else { "s" }
        );
        assert!(err.lines().any(|l| l == summary), "{err}");
    }
    assert_eq!(snapshot(&public), before, "{overlay}: public/ changed");
    // Nothing new is left next to the output.
    assert_eq!(beside(), beside_before);
}

const REPORT: &str = "content/reports/ha-noi/so-noi-vu/2022-bao-cao.yaml";

#[test]
fn yaml_syntax_error() {
    assert_broken(
        "invalid_syntax",
        &[&format!(
            "{REPORT}:16:11: mapping values are not allowed in this context"
        )],
    );
}

#[test]
fn wrong_type() {
    assert_broken(
        "invalid_type",
        &[&format!("{REPORT}:7:7: expected a whole number")],
    );
}

#[test]
fn missing_required_field() {
    assert_broken(
        "invalid_missing_field",
        &[&format!("{REPORT}:42:1: missing field `title`")],
    );
}

#[test]
fn approved_report_without_approval_record() {
    assert_broken(
        "invalid_approval",
        &[
            &format!("{REPORT}:1:9: an approved report needs `approved_by`: who approved publishing"),
            &format!("{REPORT}:1:9: an approved report needs `approved_on`: the day publishing was approved"),
        ],
    );
}

#[test]
fn unknown_agency() {
    assert_broken(
        "invalid_unknown_agency",
        &[&format!(
            "{REPORT}:4:9: unknown agency `ha-noi/so-noi-vuu` (did you mean `ha-noi/so-noi-vu`?)"
        )],
    );
}

#[test]
fn every_problem_in_one_run() {
    assert_broken(
        "invalid_many",
        &[
            "content/agencies/dak-lak/so-tu-phap.yaml:4:8: unknown variant `thành phố`, expected one of trung ương, tỉnh, huyện, xã",
            "content/indicators.yaml:10:11: unknown variant `sideways`, expected one of higher, lower",
            "content/reports/da-nang/so-y-te/2021-bao-cao.yaml:4:9: unknown agency `da-nang/so-y-tee` (did you mean `da-nang/so-y-te`?)",
            "content/reports/da-nang/so-y-te/2021-bao-cao.yaml:6:7: year 1066 is outside 1945–2027",
            &format!("{REPORT}:16:11: mapping values are not allowed in this context"),
        ],
    );
}

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
fn a_figure_needs_a_value_or_a_target() {
    let site = site_with(None);
    let path = site.path().join(REPORT);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("    value: 2.5\n", "")).unwrap();
    let out = minhbach(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{REPORT}:34:16: a figure needs a `value`, a `target`, or both"
        )),
        "{err}"
    );
}

#[test]
fn file_names_must_be_url_slugs() {
    let site = site_with(None);
    std::fs::copy(
        site.path().join(REPORT),
        site.path()
            .join("content/reports/ha-noi/so-noi-vu/Báo Cáo.yaml"),
    )
    .unwrap();
    let out = minhbach(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(
        "content/reports/ha-noi/so-noi-vu/Báo Cáo.yaml:1:1: file and folder names must be lowercase ASCII words joined by `-` (they become URLs)"
    ), "{}", stderr(&out));
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
