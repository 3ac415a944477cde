//! `minhbach import`: each of the four seeds, imported from its text, from
//! Word files (written by pandoc, and saved again by LibreOffice) and from
//! PDFs printed by LibreOffice, checks as a draft and builds into a page
//! that shows the seed's words in order (≥ 99%); Word's Heading styles and
//! merged cells; every figure of the hand-converted example is among the
//! proposed metrics; the citations are listed; a scanned PDF and formats
//! not read are refused with what to do instead.

mod common;
use common::*;
use regex::Regex;

/// (seed file, agency, hand-converted report)
const SEEDS: [(&str, &str, &str); 4] = [
    (
        "000_2b203e34d1949082.txt",
        "binh-phuoc/so-ldtbxh",
        "2021-dan-van-chinh-quyen",
    ),
    (
        "001_9ebb4c68ea5cda49.txt",
        "dong-thap/so-ldtbxh",
        "2020-nam-dan-van-kheo",
    ),
    (
        "003_c4f4ab40cf23f3eb.txt",
        "tra-vinh/so-tttt",
        "2021-quy-che-dan-chu-co-so",
    ),
    (
        "004_0db5f6e5b7a09a53.txt",
        "da-nang/so-ldtbxh",
        "2018-dan-van-chinh-quyen",
    ),
];

/// `minhbach import` of a seed for `agency`, from its text (`ext` "txt")
/// or its Word file ("docx"), with `extra` arguments.
fn import_seed(
    root: &std::path::Path,
    seed: &str,
    agency: &str,
    ext: &str,
    extra: &[&str],
) -> std::process::Output {
    let file = match ext {
        "docx" => fixture("docx").join(seed.replace(".txt", ".docx")),
        "pdf" => fixture("pdf").join(seed.replace(".txt", ".pdf")),
        _ => fixture("seeds").join(seed),
    };
    let mut args = vec!["import", file.to_str().unwrap(), "--agency", agency];
    args.extend_from_slice(extra);
    minhbach(root, &args)
}

/// Words as a reader compares them: letters and digits, Markdown and
/// punctuation left out, superscript markers as digits.
fn words(text: &str) -> Vec<String> {
    text.chars()
        .map(|c| match c {
            '¹' => '1',
            '²' => '2',
            '³' => '3',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect()
}

/// The seed in the order a page reads: footnotes (a paragraph starting
/// with ¹ ² ³, with a list of several lines that follows it) where the
/// page puts them, after the text.
fn as_read(seed: &str) -> String {
    let mut text = Vec::new();
    let mut notes = Vec::new();
    let mut in_note = false;
    for para in seed.split("\n\n") {
        let p = para.trim();
        if p.starts_with(['¹', '²', '³']) {
            in_note = true;
            notes.push(p);
        } else if in_note && p.lines().count() > 1 && p.lines().all(|l| l.starts_with("- ")) {
            notes.push(p);
        } else {
            if !p.is_empty() {
                in_note = false;
            }
            text.push(p);
        }
    }
    text.extend(notes);
    text.join("\n\n")
}

/// How many of `a`'s words `b` holds in the same order: the length of
/// their longest common subsequence (row by row, linear memory).
fn in_order(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Imports each seed from `dir` (its files named as the seeds, with
/// extension `ext`), checks and builds the drafts, and measures how many
/// of the seed's words each page shows in order.
fn imports_show_their_words(dir: &std::path::Path, ext: &str) {
    let site = example_site();
    let root = site.path();
    let mut imported = Vec::new();
    for (seed, agency, _) in SEEDS {
        let name = format!("import-{}", &seed[..3]);
        let out_rel = format!("content/reports/{agency}/{name}.yaml");
        let file = dir.join(seed.replace(".txt", &format!(".{ext}")));
        let out = minhbach(
            root,
            &[
                "import",
                file.to_str().unwrap(),
                "--agency",
                agency,
                "-o",
                &out_rel,
            ],
        );
        assert!(out.status.success(), "{seed}: {}", stderr(&out));
        let yaml = std::fs::read_to_string(root.join(&out_rel)).unwrap();
        assert!(yaml.contains("status: draft") && !yaml.contains("approved_on:"));
        imported.push((seed, agency, name));
    }
    let out = minhbach(root, &["check"]);
    assert!(out.status.success(), "the drafts check: {}", stderr(&out));
    let public = build_ok(root, &["--drafts"]);
    for (seed, agency, name) in &imported {
        let seed_words = words(&as_read(
            &std::fs::read_to_string(fixture("seeds").join(seed)).unwrap(),
        ));
        let html = read(&public, &format!("bao-cao/{agency}/{name}/index.html"));
        let page = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        let page_words = words(&page_text(page));
        let matched = in_order(&seed_words, &page_words);
        let share = matched as f64 / seed_words.len() as f64;
        println!(
            "{seed} as .{ext}: {matched} of {} words in order ({:.2}%)",
            seed_words.len(),
            share * 100.0
        );
        assert!(
            share >= 0.99,
            "{seed} as .{ext}: only {:.2}% of its words in order",
            share * 100.0
        );
    }
}

#[test]
fn the_four_seeds_as_text_import_check_and_show_their_words() {
    imports_show_their_words(&fixture("seeds"), "txt");
}

/// The seeds as Word files written by pandoc (tests/fixtures/make_docx.py):
/// numbered lists whose numbers live in numbering.xml, Word footnotes,
/// tables, line breaks, bold.
#[test]
fn the_four_seeds_as_word_files_import_check_and_show_their_words() {
    let dir = fixture("docx");
    // The fixtures hold the Word features the import must read.
    let mut features = std::collections::BTreeMap::new();
    for (seed, _, _) in SEEDS {
        let file = std::fs::File::open(dir.join(seed.replace(".txt", ".docx"))).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        for feature in [
            "<w:numPr>",
            "w:footnoteReference",
            "<w:tbl>",
            "<w:br",
            "<w:b ",
        ] {
            *features.entry(feature).or_insert(0) += xml.matches(feature).count();
        }
    }
    assert!(features.values().all(|&n| n > 0), "{features:?}");
    imports_show_their_words(&dir, "docx");
}

/// Unpacks one part of a Word file.
fn docx_part(file: &std::path::Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut xml).unwrap();
    xml
}

/// The same seeds saved again by LibreOffice (its own numbering.xml,
/// styles and footnotes): the import does not depend on one writer.
#[test]
fn the_four_seeds_as_word_files_saved_by_libreoffice() {
    let dir = fixture("docx-libreoffice");
    for (seed, _, _) in SEEDS {
        let file = dir.join(seed.replace(".txt", ".docx"));
        assert!(docx_part(&file, "docProps/app.xml").contains("<Application>LibreOffice"));
        let xml = docx_part(&file, "word/document.xml");
        assert!(
            xml.contains("<w:numPr>") || seed.starts_with("004"),
            "{seed}"
        );
    }
    imports_show_their_words(&dir, "docx");
}

/// A table cell of a report YAML (text, number or {text, colspan,
/// rowspan}) as (text, colspan, rowspan).
fn cell_of(v: &serde_json::Value) -> (String, u64, u64) {
    match v {
        serde_json::Value::Object(m) => (
            m["text"].as_str().unwrap().to_string(),
            m.get("colspan").and_then(|c| c.as_u64()).unwrap_or(1),
            m.get("rowspan").and_then(|c| c.as_u64()).unwrap_or(1),
        ),
        serde_json::Value::String(s) => (s.clone(), 1, 1),
        other => (other.to_string(), 1, 1),
    }
}

/// A Word file (saved by LibreOffice) whose parts are Heading styles
/// without numbers and whose tables have merged cells and header rows:
/// the draft has the parts nested by heading level, and tables with the
/// same header rows, spans and body rows as the hand-converted report
/// they were made from.
#[test]
fn word_heading_styles_and_merged_cells() {
    let file = fixture("docx-libreoffice").join("bang-gop-o.docx");
    let xml = docx_part(&file, "word/document.xml");
    for feature in [
        "w:gridSpan",
        "<w:vMerge w:val=\"restart\"",
        "<w:vMerge w:val=\"continue\"",
        "w:tblHeader",
    ] {
        assert!(xml.contains(feature), "the fixture has {feature}");
    }
    assert!(xml.contains("w:pStyle w:val=\"Heading1\"") && !xml.contains("<w:numPr>"));
    let site = example_site();
    let root = site.path();
    let out_rel = "content/reports/dong-thap/so-ldtbxh/import-bang.yaml";
    let out = minhbach(
        root,
        &[
            "import",
            file.to_str().unwrap(),
            "--agency",
            "dong-thap/so-ldtbxh",
            "-o",
            out_rel,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let draft: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(root.join(out_rel)).unwrap()).unwrap();
    let hand: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(
            root.join("content/reports/dong-thap/so-ldtbxh/2020-nam-dan-van-kheo.yaml"),
        )
        .unwrap(),
    )
    .unwrap();
    // Parts from the heading levels, with no numbers.
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                assert!(p.get("number").is_none(), "{p}");
                p["title"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let sections = &draft["sections"];
    assert_eq!(
        titles(sections),
        ["Đặc điểm tình hình", "Kết quả thực hiện"]
    );
    assert_eq!(titles(&sections[0]["sections"]), ["Thuận lợi", "Khó khăn"]);
    assert!(sections[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("Năm 2020"));
    assert_eq!(draft["number"], "15/BC-SLĐTBXH");
    // The tables as the hand-converted report has them.
    let tables = |v: &serde_json::Value| -> Vec<_> {
        v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let rows = |k: &str| -> Vec<Vec<(String, u64, u64)>> {
                    t.get(k).and_then(|r| r.as_array()).map_or(vec![], |r| {
                        r.iter()
                            .map(|row| row.as_array().unwrap().iter().map(cell_of).collect())
                            .collect()
                    })
                };
                (
                    t["number"].clone(),
                    t["title"].clone(),
                    rows("head"),
                    rows("rows"),
                )
            })
            .collect()
    };
    let (got, want) = (tables(&draft), tables(&hand));
    assert_eq!(got.len(), want.len());
    let spans =
        |t: &[Vec<(String, u64, u64)>]| t.iter().flatten().filter(|c| c.1 > 1 || c.2 > 1).count();
    assert!(want.iter().map(|t| spans(&t.2)).sum::<usize>() >= 10);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
    // It checks and builds, the spans on the page.
    let out = minhbach(root, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = build_ok(root, &["--drafts"]);
    let page = read(
        &public,
        "bao-cao/dong-thap/so-ldtbxh/import-bang/index.html",
    );
    assert!(
        page.contains("colspan=\"4\"") && page.contains("rowspan=\"3\""),
        "spans on the page"
    );
}

/// The seeds printed to PDF by LibreOffice, with a running header and page
/// numbers (tests/fixtures/make_docx.py): the text layer read back into
/// paragraphs, footnotes from the foot of their pages, the header and the
/// page numbers left out.
#[test]
fn the_four_seeds_as_pdf_files_import_check_and_show_their_words() {
    let dir = fixture("pdf");
    let site = example_site();
    let lone = Regex::new(r"(?m)^\s+[0-9]{1,2}\s*$").unwrap();
    for (seed, agency, _) in SEEDS {
        let out = import_seed(site.path(), seed, agency, "pdf", &[]);
        assert!(out.status.success(), "{seed}: {}", stderr(&out));
        let draft = String::from_utf8(out.stdout).unwrap();
        let header = "Báo cáo công tác dân vận chính quyền";
        let original = std::fs::read_to_string(fixture("seeds").join(seed)).unwrap();
        assert!(!original.contains(header));
        assert!(
            !draft.contains(header),
            "{seed}: the running header is left out"
        );
        // No paragraph is a page number alone.
        assert!(!lone.is_match(&draft), "{seed}: a page number left in");
    }
    imports_show_their_words(&dir, "pdf");
}

/// A scanned PDF has no text to read: the message says so and how to OCR
/// it, and nothing is written.
#[test]
fn a_scanned_pdf_is_refused_with_how_to_ocr_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = minhbach(
        dir.path(),
        &[
            "import",
            fixture("pdf").join("scan.pdf").to_str().unwrap(),
            "-o",
            "draft.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no text layer") && err.contains("scan"),
        "{err}"
    );
    assert!(
        err.contains("ocrmypdf -l vie") && err.contains("tesseract-ocr-vie"),
        "{err}"
    );
    assert!(!dir.path().join("draft.yaml").exists());
}

#[test]
fn every_figure_of_the_examples_is_proposed() {
    let site = example_site();
    let root = site.path();
    let value = Regex::new(r"(?m)^\s*-?\s*value:\s*([0-9.]+)\s*$").unwrap();
    let proposed = Regex::new(r"(?m)^#\s+value:\s*([0-9.e+]+)\s*$").unwrap();
    let indicator = Regex::new(r"(?m)^#\s+- indicator: ([a-z0-9-]+)   #").unwrap();
    for (seed, agency, hand) in SEEDS
        .iter()
        .flat_map(|s| [(s, "txt"), (s, "docx")])
        .map(|((seed, agency, hand), ext)| ((*seed, ext), *agency, *hand))
    {
        let (seed, ext) = seed;
        let out = import_seed(root, seed, agency, ext, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        let draft = String::from_utf8(out.stdout).unwrap();
        let found: Vec<f64> = proposed
            .captures_iter(&draft)
            .map(|c| c[1].parse().unwrap())
            .collect();
        let example =
            std::fs::read_to_string(root.join(format!("content/reports/{agency}/{hand}.yaml")))
                .unwrap();
        let wanted: Vec<f64> = value
            .captures_iter(&example)
            .map(|c| c[1].parse().unwrap())
            .collect();
        assert!(!wanted.is_empty());
        for v in &wanted {
            assert!(
                found.iter().any(|f| (f - v).abs() < 1e-9),
                "{seed}: the figure {v} of {hand}.yaml is not proposed"
            );
        }
        // Each proposal names an indicator of the catalogue or asks for one.
        let catalogue = std::fs::read_to_string(root.join("content/indicators.yaml")).unwrap();
        for c in indicator.captures_iter(&draft) {
            assert!(catalogue.contains(&format!("id: {}", &c[1])), "{}", &c[1]);
        }
        // The citations, as `cite` finds them.
        assert!(
            draft.contains("→ vn:") || seed.starts_with("004"),
            "{seed}: citations listed"
        );
    }
}

#[test]
fn a_figure_with_a_plan_a_total_and_a_partial_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bao-cao.txt");
    std::fs::write(
        &file,
        "Số: 12/BC-SNV\n\nHà Nội, ngày 05 tháng 3 năm 2022\n\nBÁO CÁO Kết quả công tác năm 2021\n\nI. Kết quả\n\n- Giải quyết việc làm cho 1.150/1.200 người, đạt 95,83% kế hoạch;\n- 10/12 cơ quan thực hiện cơ chế một cửa.\n\nTrên đây là báo cáo.\n",
    )
    .unwrap();
    let out = minhbach(dir.path(), &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let draft = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "number: \"12/BC-SNV\"",
        "date: '2022-03-05'",
        "place: \"Hà Nội\"",
        "title: \"Kết quả công tác năm 2021\"",
        "#     value: 1150\n#     target: 1200\n#     achieved: 95.83\n",
        "#     value: 10\n#     of: 12\n",
        "closing: |-\n  Trên đây là báo cáo.",
    ] {
        assert!(draft.contains(expected), "{expected:?} in\n{draft}");
    }
}

#[test]
fn formats_not_read_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    for (name, message) in [
        ("bao-cao.docx", "not a Word file"),
        ("bao-cao.pdf", "not a PDF file"),
        ("bao-cao.doc", "or as text (.txt, UTF-8)"),
        ("bao-cao.xls", "cannot import a .xls file"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, b"x").unwrap();
        let out = minhbach(dir.path(), &["import", file.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(message), "{name}: {}", stderr(&out));
    }
    let file = dir.path().join("latin1.txt");
    std::fs::write(&file, b"B\xe1o c\xe1o").unwrap();
    let out = minhbach(dir.path(), &["import", file.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("is not UTF-8 text"),
        "{}",
        stderr(&out)
    );
    // Never over a file.
    let target = dir.path().join("draft.yaml");
    std::fs::write(&target, "mine").unwrap();
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "BÁO CÁO\n\nTiêu đề\n").unwrap();
    let out = minhbach(
        dir.path(),
        &[
            "import",
            text.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
}

/// Damaged PDFs (cut short, bytes changed) give an error or a text, never a
/// crash: the crates' panics on malformed files are caught.
#[test]
fn damaged_pdfs_are_errors_not_crashes() {
    let good = std::fs::read(fixture("pdf").join("004_0db5f6e5b7a09a53.pdf")).unwrap();
    assert!(minhbach::import::pdf::text(&good).is_ok());
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..120 {
        let mut bytes = good.clone();
        if round % 3 == 0 {
            bytes.truncate((next() as usize) % good.len());
        } else {
            for _ in 0..1 + round % 8 {
                let at = (next() as usize) % bytes.len();
                bytes[at] = next() as u8;
            }
        }
        let _ = minhbach::import::pdf::text(&bytes);
    }
}

/// Without `--agency`, the heading names the agency (the symbol's issuer
/// part within the place's province, for the seeds); a draft naming none
/// gets a placeholder that `check` refuses until it is filled.
#[test]
fn the_agency_is_suggested_from_the_heading() {
    let site = example_site();
    let root = site.path();
    for (seed, agency, _) in SEEDS {
        for ext in ["txt", "docx", "pdf"] {
            let file = match ext {
                "txt" => fixture("seeds").join(seed),
                other => fixture(other).join(seed.replace(".txt", &format!(".{other}"))),
            };
            let out = minhbach(root, &["import", file.to_str().unwrap()]);
            assert!(out.status.success(), "{}", stderr(&out));
            let draft = String::from_utf8(out.stdout).unwrap();
            let line = draft.lines().find(|l| l.starts_with("agency:")).unwrap();
            if seed.starts_with("004") {
                // A press article: no heading block names an agency.
                assert!(line.starts_with("agency: tinh/co-quan   # chọn"), "{line}");
            } else {
                assert!(
                    line.starts_with(&format!("agency: {agency}   # gợi ý từ ký hiệu")),
                    "{seed}.{ext}: {line}"
                );
            }
        }
    }
    // The placeholder is refused by check, with what to do.
    let out = minhbach(
        root,
        &[
            "import",
            fixture("seeds")
                .join("004_0db5f6e5b7a09a53.txt")
                .to_str()
                .unwrap(),
            "-o",
            "content/reports/da-nang/so-ldtbxh/bai-bao.yaml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = minhbach(root, &["check"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/reports/da-nang/so-ldtbxh/bai-bao.yaml:")
            && err.contains("tinh/co-quan"),
        "{err}"
    );
}

/// `check` says what a draft still lacks, one note each with the file and
/// line, without failing; each goes once it is filled; a build without
/// drafts says nothing of them, nor does a check that finds errors (they
/// come first).
#[test]
fn check_lists_what_a_draft_still_lacks() {
    let site = example_site();
    let root = site.path();
    let rel = "content/reports/binh-phuoc/so-ldtbxh/nhap.yaml";
    let seed = fixture("seeds").join("000_2b203e34d1949082.txt");
    let out = minhbach(root, &["import", seed.to_str().unwrap(), "-o", rel]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lacks = |root: &std::path::Path| -> Vec<String> {
        let out = minhbach(root, &["check"]);
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
            .lines()
            .filter(|l| l.starts_with(&format!("{rel}:")) && l.contains(": note: draft: "))
            .map(str::to_string)
            .collect()
    };
    let first = lacks(root);
    for what in [
        "no `summary` yet",
        "no `metrics`: its text states",
        "to publish it, once approved",
    ] {
        assert!(
            first.iter().any(|l| l.contains(what)),
            "{what} in {first:#?}"
        );
    }
    // Status line: "status: draft" is line 5 of an imported draft.
    assert!(
        first.iter().all(|l| l.starts_with(&format!("{rel}:5:"))),
        "{first:#?}"
    );
    // Filled: the summary and one metric.
    let path = root.join(rel);
    let yaml = std::fs::read_to_string(&path).unwrap().replace(
        "status: draft\n",
        "status: draft\nsummary: Kết quả công tác dân vận chính quyền năm 2021.\nmetrics:\n- indicator: lao-dong-duoc-giai-quyet-viec-lam\n  value: 28101\n  target: 38000\n",
    );
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, yaml).unwrap();
    let then = lacks(root);
    assert!(
        !then
            .iter()
            .any(|l| l.contains("`summary`") || l.contains("`metrics`")),
        "{then:#?}"
    );
    assert!(
        then.iter().any(|l| l.contains("to publish it")),
        "{then:#?}"
    );
    // A build without drafts leaves drafts alone.
    let out = minhbach(root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("draft:"), "{}", stderr(&out));
    // Errors first: with one, the notes wait.
    let yaml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("year: 2021", "year: 1821");
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, yaml).unwrap();
    let out = minhbach(root, &["check"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("year 1821 is outside"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("note: draft:"), "{}", stderr(&out));
}
