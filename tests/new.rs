//! `minhbach new report` and `new agency`: a draft with every field present
//! and explained, that passes `check` as written and previews with
//! `--drafts`; never written over an existing file.

mod common;
use common::*;

/// A report whose title holds YAML's `: ` and ` #`.
const NEW_REPORT: [&str; 7] = [
    "report",
    "--agency",
    "binh-phuoc/so-tttt",
    "--year",
    "2022",
    "--title",
    "Kết quả công tác dân vận: năm 2022 # tổng hợp",
];

fn new(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    minhbach(root, &all)
}

#[test]
fn a_new_agency_and_report_check_and_preview() {
    let site = example_site();
    let root = site.path();
    let out = new(
        root,
        &[
            "agency",
            "binh-phuoc/so-tttt",
            "--name",
            "Sở Thông tin và Truyền thông tỉnh Bình Phước",
            "--province",
            "Bình Phước",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let agency = root.join("content/agencies/binh-phuoc/so-tttt.yaml");
    assert!(String::from_utf8_lossy(&out.stdout).contains("so-tttt.yaml"));
    let out = new(root, &NEW_REPORT);
    assert!(out.status.success(), "{}", stderr(&out));
    let file =
        root.join("content/reports/binh-phuoc/so-tttt/2022-ket-qua-cong-tac-dan-van-nam-2022.yaml");
    let text = std::fs::read_to_string(&file).expect("the report is where the site expects it");
    assert!(text.contains("status: draft"));
    assert!(text.contains("title: \"Kết quả công tác dân vận: năm 2022 # tổng hợp\""));

    let out = minhbach(root, &["check"]);
    assert!(
        out.status.success(),
        "the draft checks as written: {}",
        stderr(&out)
    );
    // Not published without --drafts; previewed with it, with its banner.
    let public = build_ok(root, &[]);
    assert!(!public.join("bao-cao/binh-phuoc/so-tttt").exists());
    let public = build_ok(root, &["--drafts"]);
    let page = read(
        &public,
        "bao-cao/binh-phuoc/so-tttt/2022-ket-qua-cong-tac-dan-van-nam-2022/index.html",
    );
    assert!(page.contains("<h1>Kết quả công tác dân vận: năm 2022 # tổng hợp</h1>"));
    assert!(page.contains("class=\"draft-banner\""));
    assert!(read(&public, "co-quan/binh-phuoc/so-tttt/index.html")
        .contains("Sở Thông tin và Truyền thông tỉnh Bình Phước"));

    // Never over an existing file: the same title again is refused, and
    // the editor's file keeps its bytes.
    std::fs::write(&file, format!("{text}# my edits\n")).unwrap();
    let out = new(root, &NEW_REPORT);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .ends_with("# my edits\n"));
    let out = new(
        root,
        &[
            "agency",
            "binh-phuoc/so-tttt",
            "--name",
            "X",
            "--province",
            "Bình Phước",
        ],
    );
    assert!(!out.status.success());
    assert!(std::fs::read_to_string(&agency)
        .unwrap()
        .contains("Sở Thông tin"));
}

#[test]
fn wrong_ids_are_explained() {
    let site = example_site();
    let root = site.path();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "report",
                "--agency",
                "binh-phuoc/so-khong-co",
                "--year",
                "2022",
            ],
            "no agency `binh-phuoc/so-khong-co`",
        ),
        (
            &["report", "--agency", "Binh Phuoc", "--year", "2022"],
            "is not an agency id",
        ),
        (
            &[
                "report",
                "--agency",
                "binh-phuoc/so-ldtbxh",
                "--year",
                "1900",
            ],
            "year 1900 is not between 1945",
        ),
        (
            &[
                "agency",
                "binh-duong/so-tttt",
                "--name",
                "Sở",
                "--province",
                "Bình Phước",
            ],
            "goes in the folder `binh-phuoc`, not `binh-duong`",
        ),
        (
            &["agency", "../x", "--name", "Sở", "--province", "X"],
            "is not an agency id",
        ),
    ];
    for (args, message) in cases {
        let out = new(root, args);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    // Nothing was written.
    assert!(!root.join("content/agencies/binh-duong").exists());
    assert!(!root.join("content/reports/binh-phuoc/so-khong-co").exists());
}

/// Every field of a report and of an agency that docs/content-format.md
/// documents is in the drafts, set or commented.
#[test]
fn drafts_name_every_documented_field() {
    let site = example_site();
    let root = site.path();
    assert!(new(
        root,
        &[
            "report",
            "--agency",
            "binh-phuoc/so-ldtbxh",
            "--year",
            "2022"
        ]
    )
    .status
    .success());
    assert!(new(
        root,
        &[
            "agency",
            "binh-phuoc/so-tttt",
            "--name",
            "Sở",
            "--province",
            "Bình Phước"
        ]
    )
    .status
    .success());
    let report = std::fs::read_to_string(
        root.join("content/reports/binh-phuoc/so-ldtbxh/2022-bao-cao.yaml"),
    )
    .unwrap();
    let agency =
        std::fs::read_to_string(root.join("content/agencies/binh-phuoc/so-tttt.yaml")).unwrap();
    let docs = std::fs::read_to_string(repo().join("docs/content-format.md")).unwrap();
    let block = |heading: &str| -> Vec<String> {
        let start = docs.find(heading).unwrap();
        let yaml = &docs[start..];
        let yaml = &yaml[yaml.find("```yaml\n").unwrap() + 8..];
        let yaml = &yaml[..yaml.find("```").unwrap()];
        yaml.lines()
            .filter(|l| !l.starts_with(' ') && l.contains(':'))
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect()
    };
    let has = |text: &str, key: &str| {
        text.lines().any(|l| {
            let l = l.trim_start_matches(['#', ' ', '-']);
            l.starts_with(&format!("{key}:"))
        })
    };
    let report_keys = block("## Reports");
    assert!(report_keys.len() >= 20, "{report_keys:?}");
    for key in &report_keys {
        assert!(has(&report, key), "the report draft lacks `{key}`");
    }
    let agency_keys = block("## Agencies");
    assert!(agency_keys.len() >= 7, "{agency_keys:?}");
    for key in &agency_keys {
        assert!(has(&agency, key), "the agency draft lacks `{key}`");
    }
    let metric_keys: Vec<String> = block("### Metrics")
        .iter()
        .map(|k| k.trim_start_matches("- ").to_string())
        .collect();
    for key in &metric_keys {
        assert!(has(&report, key), "the report draft's metric lacks `{key}`");
    }
}
