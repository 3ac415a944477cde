//! Series, changes, "the later report wins", provenance, indicator and year
//! pages, report-to-report comparisons and the data downloads, on a fixture
//! of three agencies over four years and on the example site.

mod common;
use common::*;
use std::path::Path;
use std::sync::OnceLock;

fn fixture_site() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static SITE: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixture("compare"), dir.path());
        let public = build_ok(dir.path(), &[]);
        (dir, public)
    })
}

/// The text of each row of the table that follows `marker` in `html`.
fn rows_after(html: &str, marker: &str) -> Vec<String> {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let table = &html[start..];
    let end = table.find("</table>").unwrap();
    table[..end].split("<tr>").skip(2).map(page_text).collect()
}

#[test]
fn agency_series_with_changes_and_the_later_report_winning() {
    let (_, public) = fixture_site();
    let html = read(public, "co-quan/ha-noi/so-ldtbxh/index.html");
    let jobs = rows_after(&html, "id=\"chi-tieu-lao-dong-viec-lam\"");
    assert_eq!(
        jobs[0],
        "2019 1.000 người 1.200 người 83,33% * Báo cáo công tác dân vận chính quyền năm 2019"
    );
    // 2020: the 2021 report's official figure replaces the 2020 estimate.
    assert_eq!(
        jobs[1],
        "2020 1.150 người +150 người (tốt hơn) +15% Báo cáo công tác dân vận chính quyền năm 2021 thay cho 1.100 người — Báo cáo công tác dân vận chính quyền năm 2020"
    );
    assert_eq!(jobs[2], "2021 1.320 người 1.200 người 110% * +170 người (tốt hơn) +14,78% Báo cáo công tác dân vận chính quyền năm 2021");
    assert_eq!(
        jobs[3],
        "2022 1.320 người 0 người (không đổi) 0% Báo cáo công tác dân vận chính quyền năm 2022"
    );
    // Lower is better: a rise is worse, in percentage points.
    let jobless = rows_after(&html, "id=\"chi-tieu-ty-le-that-nghiep\"");
    assert_eq!(
        jobless[1],
        "2020 3,5% +0,5 điểm % (kém hơn) +16,67% Báo cáo công tác dân vận chính quyền năm 2020"
    );
    assert_eq!(
        jobless[2],
        "2021 3,2% \u{2212}0,3 điểm % (tốt hơn) \u{2212}8,57% Báo cáo công tác dân vận chính quyền năm 2021"
    );
    assert!(html.contains("<td class=\"num worse\">+0,5 điểm %"));
    // A fall is written with the minus sign, not a hyphen.
    assert!(html.contains("<td class=\"num better\">\u{2212}0,3 điểm %"));
    // Provenance links go to the section of the report the figure stands in.
    assert!(html.contains("<a href=\"../../../bao-cao/ha-noi/so-ldtbxh/2021/index.html#muc-i\">Báo cáo công tác dân vận chính quyền năm 2021</a>"));
    assert!(html.contains("<a href=\"../../../bao-cao/ha-noi/so-ldtbxh/2021/index.html#muc-ii\">"));
    // A chart per indicator with more than one period, with its text equivalent.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 3);
    assert!(html.contains("<desc id=\"c-lao-dong-duoc-giai-quyet-viec-lam-so-ldtbxh-ha-noi-d\">2019: 1.000 người; 2020: 1.150 người; 2021: 1.320 người; 2022: 1.320 người</desc>"));
    assert!(html.contains("href=\"../../../data/co-quan/ha-noi/so-ldtbxh.csv\""));
}

#[test]
fn indicator_page_sets_agencies_side_by_side_and_ranks_them() {
    let (_, public) = fixture_site();
    let html = read(public, "chi-tieu/lao-dong-viec-lam/index.html");
    let matrix = rows_after(&html, "id=\"ben-canh\"");
    assert_eq!(matrix.len(), 2, "{matrix:?}");
    assert!(matrix[0].starts_with("Sở Lao động – Thương binh và Xã hội thành phố Hà Nội Hà Nội Lao động – Thương binh và Xã hội 1.000 người"), "{}", matrix[0]);
    assert!(
        matrix[1].contains("Hải Phòng") && matrix[1].ends_with("950 người 1.000 người"),
        "{}",
        matrix[1]
    );
    // A count of people placed grows with a province's size: the catalogue
    // does not allow ranking it, so no ranking is shown.
    assert!(!html.contains("id=\"xep-hang\""), "a count is never ranked");
    assert!(page_text(&html).contains("Xếp hạng không xếp hạng: số liệu phụ thuộc quy mô"));
    // Lower is better, ranked within the sector: the lowest unemployment first.
    let html = read(public, "chi-tieu/ty-le-that-nghiep/index.html");
    assert!(page_text(&html).contains("Kỳ 2022 — trong ngành Lao động – Thương binh và Xã hội"));
    let ranking = rows_after(&html, "id=\"ky-2022-lao-dong-thuong-binh-va-xa-hoi\"");
    assert_eq!(ranking.len(), 2, "{ranking:?}");
    assert!(
        ranking[0]
            .starts_with("1 Sở Lao động – Thương binh và Xã hội thành phố Hà Nội Hà Nội 2,8%"),
        "{ranking:?}"
    );
    assert!(
        ranking[1].starts_with("2 Sở Lao động – Thương binh và Xã hội thành phố Hải Phòng"),
        "{ranking:?}"
    );
    assert_eq!(html.matches("<polyline").count(), 2, "one line per agency");
}

#[test]
fn year_page_shows_the_year_figures_per_agency() {
    let (_, public) = fixture_site();
    let text = page_text(&read(public, "nam/2020/index.html"));
    let figures = &text[text.find("Số liệu năm 2020").unwrap()..];
    assert!(figures.contains("Lao động được giải quyết việc làm 2020 1.150 người +150 người (tốt hơn) Báo cáo công tác dân vận chính quyền năm 2021"), "{figures}");
    let can_tho = &figures[figures.find("Sở Nội vụ thành phố Cần Thơ").unwrap()..];
    assert!(
        can_tho.contains("Hồ sơ giải quyết đúng hạn 2020 250 hồ sơ +50 hồ sơ (tốt hơn)"),
        "{figures}"
    );
}

#[test]
fn report_comparison_marks_carried_reworded_and_new_text() {
    let (_, public) = fixture_site();
    let html = read(public, "so-sanh/ha-noi/so-ldtbxh/2021/index.html");
    // The same trail as the agency's pages, ending at the comparison.
    assert!(html.contains(r#"<li><a href="../../../../tinh/ha-noi/index.html">Hà Nội</a></li><li><a href="../../../../co-quan/ha-noi/so-ldtbxh/index.html">Sở LĐTBXH Hà Nội</a></li><li><span aria-current="page">So sánh 2020 – 2021</span></li></ol></nav>"#), "{html}");
    // 64 words in 2021; new: a 13-word paragraph and 3 inserted words.
    assert!(
        html.contains("<span id=\"ty-le-moi\">25%</span>"),
        "share of new text"
    );
    assert!(page_text(&html).contains("(16/64 từ; giữ nguyên: 31)"));
    assert_eq!(html.matches("<p class=\"p-unchanged\">").count(), 2);
    assert_eq!(html.matches("<p class=\"p-reworded\">").count(), 1);
    assert_eq!(html.matches("<p class=\"p-new\">").count(), 1);
    assert!(
        html.contains("<ins>và nghiêm túc </ins>"),
        "inline word diff"
    );
    // Each earlier paragraph once: the unchanged and the reworded ones in
    // the later column (the diff holds the earlier words), beside them only
    // what 2021 did not keep.
    assert_eq!(html.matches("Sở đã tổ chức hội nghị tập huấn").count(), 1);
    assert_eq!(
        html.matches("Công tác tiếp công dân được duy trì").count(),
        1
    );
    let earlier: Vec<&str> = html
        .split("<div class=\"col earlier\">")
        .skip(1)
        .map(|col| &col[..col.find("</div>").unwrap()])
        .collect();
    assert_eq!(
        earlier.len(),
        3,
        "two sections beside 2021's, one dropped: {html}"
    );
    assert!(
        earlier[0].ends_with("<p class=\"none\">—</p>"),
        "{}",
        earlier[0]
    );
    assert!(
        earlier[1].ends_with("<p>Kinh phí dành cho công tác tuyên truyền còn hạn chế.</p>"),
        "{}",
        earlier[1]
    );
    // A section 2021 leaves out (2020's "III. Kiến nghị") is shown after
    // the sections both have, linked to where it stands in 2020.
    let dropped = &html[html
        .find("<section class=\"compare-section depth-1 dropped\" id=\"sb-muc-iii\">")
        .expect("the dropped section")..];
    let dropped = &dropped[..dropped.find("</section>").unwrap()];
    assert!(
        dropped.contains("<a href=\"../../../../bao-cao/ha-noi/so-ldtbxh/2020/index.html#muc-iii\">III. Kiến nghị</a>"),
        "{dropped}"
    );
    assert!(dropped.contains("<p>Đề nghị Ủy ban nhân dân thành phố bổ sung kinh phí cho công tác dân vận chính quyền.</p>"));
    assert!(page_text(dropped).contains("Báo cáo năm 2021 không có mục này."));
    assert_eq!(html.matches(" dropped\" id=").count(), 1, "only that one");
    let figures = rows_after(&html, "id=\"so-lieu\"");
    assert_eq!(
        figures[0],
        "Lao động được giải quyết việc làm 1.100 người 2020 Báo cáo năm 2021 sửa số liệu 2020 thành 1.150 người 1.320 người 2021 +220 người (tốt hơn) +20%"
    );
    // Each report's own figure, and where a later report revised it, a link
    // to the figure that replaced it.
    assert!(html.contains("<small class=\"revised\"><a href=\"../../../../bao-cao/ha-noi/so-ldtbxh/2021/index.html#muc-i\">Báo cáo năm 2021 sửa số liệu 2020 thành 1.150 người</a></small>"), "{html}");
    assert_eq!(
        figures[1],
        "Tỷ lệ thất nghiệp 3,5% 2020 3,2% 2021 \u{2212}0,3 điểm % (tốt hơn) \u{2212}8,57%"
    );
    // Reachable from the report and the agency page; the first report has none.
    assert!(read(public, "bao-cao/ha-noi/so-ldtbxh/2021/index.html")
        .contains("href=\"../../../../so-sanh/ha-noi/so-ldtbxh/2021/index.html\""));
    assert!(!public
        .join("so-sanh/ha-noi/so-ldtbxh/2019/index.html")
        .exists());
    assert_eq!(files(&public.join("so-sanh")).len(), 9, "three per agency");
}

/// Every figure of the published reports as read from the YAML:
/// (report, indicator, period, value, target, agency, stated).
type Expected = Vec<(
    String,
    String,
    String,
    Option<f64>,
    Option<f64>,
    String,
    String,
)>;

fn expected_figures(root: &Path) -> Expected {
    let loaded = minhbach::site::Site::load(root, Default::default()).unwrap();
    let mut out = Expected::new();
    for &r in loaded.catalog.reports() {
        let report = &loaded.content.reports[r];
        for m in &loaded.content.body(r).unwrap().metrics {
            out.push((
                report.slug.clone(),
                m.indicator.value.clone(),
                m.period
                    .map_or_else(|| report.year.value.to_string(), |p| p.iso()),
                m.value,
                m.target,
                m.agency
                    .as_ref()
                    .map_or_else(|| report.agency.value.clone(), |a| a.value.clone()),
                m.stated.clone().unwrap_or_default(),
            ));
        }
    }
    out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    out
}

fn read_csv(path: &Path) -> serde_json::Value {
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/csv_roundtrip.py"))
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn csv_figures(parsed: &serde_json::Value) -> Expected {
    let mut out: Expected = parsed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["report_id"].as_str().unwrap().to_string(),
                r["indicator_id"].as_str().unwrap().to_string(),
                r["period"].as_str().unwrap().to_string(),
                r["value"].as_f64(),
                r["target"].as_f64(),
                r["agency_id"].as_str().unwrap().to_string(),
                r["stated"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    out
}

/// `metrics.json` with its figures joined to its catalogues by id says,
/// cell for cell, what `metrics.csv` says, row for row.
fn assert_json_is_the_csv(json: &serde_json::Value, csv_path: &Path) {
    use serde_json::Value;
    let catalogue = |name: &str| -> std::collections::HashMap<String, Value> {
        json[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["id"].as_str().unwrap().to_string(), e.clone()))
            .collect()
    };
    let (agencies, indicators, reports) = (
        catalogue("agencies"),
        catalogue("indicators"),
        catalogue("reports"),
    );
    let figures = json["figures"].as_array().unwrap();
    let mut csv = csv::Reader::from_path(csv_path).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), figures.len());
    // The CSV's text cells may carry a ' against spreadsheet formulas.
    let text = |cell: &str| -> String {
        match cell.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
            _ => cell.to_string(),
        }
    };
    let shown = |v: &Value| -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Number(n) => n.as_f64().unwrap().to_string(),
            other => other.to_string(),
        }
    };
    let mut checked = 0;
    for (row, f) in rows.iter().zip(figures) {
        let agency = &agencies[f["agency_id"].as_str().unwrap()];
        let indicator = &indicators[f["indicator_id"].as_str().unwrap()];
        let report = &reports[f["report_id"].as_str().unwrap()];
        for (column, cell) in header.iter().zip(row.iter()) {
            let from_json = match column.as_str() {
                "agency" => &agency["name"],
                "province" => &agency["province"],
                "sector" => &agency["sector"],
                "indicator" => &indicator["label"],
                "unit" => &indicator["unit"],
                "better" => &indicator["better"],
                "report_title" => &report["title"],
                "report_year" => &report["year"],
                other => &f[other],
            };
            assert_eq!(
                text(cell),
                shown(from_json),
                "{column} of the figure {f} in {}",
                csv_path.display()
            );
            checked += 1;
        }
        assert!(
            f["report_url"]
                .as_str()
                .unwrap()
                .starts_with(report["url"].as_str().unwrap()),
            "{f}"
        );
        for absent in [
            "through",
            "value",
            "target",
            "of",
            "achieved_percent",
            "stated",
            "note",
        ] {
            assert!(
                f.get(absent).is_none_or(|v| !v.is_null() && v != ""),
                "{absent} is left out, not empty, in {f}"
            );
        }
    }
    assert_eq!(checked, figures.len() * 22);
}

fn assert_round_trip(root: &Path, public: &Path) {
    let expected = expected_figures(root);
    assert!(!expected.is_empty());
    let all = read_csv(&public.join("data/metrics.csv"));
    assert_eq!(all["header"][0], "agency_id");
    assert_eq!(csv_figures(&all), expected, "data/metrics.csv");
    // Per agency and per indicator files hold the same figures, split.
    // Each report's own CSV holds exactly the figures it states.
    for dir in ["data/co-quan", "data/chi-tieu", "data/bao-cao"] {
        let mut union = Expected::new();
        for f in files(&public.join(dir)) {
            union.extend(csv_figures(&read_csv(&public.join(dir).join(&f))));
        }
        union.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        assert_eq!(union, expected, "{dir}");
    }
    let json: serde_json::Value = serde_json::from_str(&read(public, "data/metrics.json")).unwrap();
    assert_eq!(json["figures"].as_array().unwrap().len(), expected.len());
    assert_json_is_the_csv(&json, &public.join("data/metrics.csv"));
    assert!(read(public, "data/README.md").contains("| `achieved_stated` |"));
    // The columns are explained on a page of the site, every one of them,
    // in the site's language.
    let header = read(public, "data/metrics.csv");
    let header = header.lines().next().unwrap();
    let page = read(public, "du-lieu/index.html");
    for column in header.split(',') {
        assert!(
            page.contains(&format!(
                "<th scope=\"row\" id=\"cot-{column}\"><code>{column}</code></th><td>"
            )),
            "column {column} is not explained"
        );
    }
    assert!(!page.contains("column_"), "every explanation is translated");
    assert!(page_text(&page).contains("Số liệu dạng máy đọc được"));
}

#[test]
fn csv_downloads_round_trip_on_the_fixture() {
    let (dir, public) = fixture_site();
    assert_round_trip(dir.path(), public);
    let all = read_csv(&public.join("data/metrics.csv"));
    // The 2020 estimate is kept, marked as replaced; the source row links its section.
    let estimate = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["report_id"] == "ha-noi/so-ldtbxh/2020" && r["indicator_id"] == "lao-dong-viec-lam"
        })
        .unwrap();
    assert_eq!(estimate["current"], "false");
    assert_eq!(
        estimate["report_url"],
        "bao-cao/ha-noi/so-ldtbxh/2020/index.html#muc-i"
    );
}

#[test]
fn csv_downloads_round_trip_on_the_example_site() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    assert_round_trip(site.path(), &public);
    let text = read(&public, "data/metrics.csv");
    assert!(text.starts_with("agency_id,agency,province,sector,indicator_id,"));
    assert!(
        text.contains(",2021,,28101,38000,,73.95,true,true,"),
        "machine-readable numbers"
    );
    // A count out of a total has `of`, not `target`; a partial period has `through`.
    assert!(text.contains(",2018,,10,,12,,false,true,"), "10/12 cơ quan");
    assert!(
        text.contains(",2018,2018-08-31,97.5,,,,false,true,"),
        "97,5% tính đến 31-8-2018"
    );
}

#[test]
fn seed_figures_side_by_side_on_sector_indicator_pages() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    // Bình Phước 2021 and Đồng Tháp 2020 share the citizen-reception figures.
    let html = read(&public, "chi-tieu/luot-tiep-cong-dan/index.html");
    let matrix = rows_after(&html, "id=\"ben-canh\"");
    assert_eq!(matrix.len(), 2);
    assert!(
        matrix
            .iter()
            .any(|r| r.contains("Bình Phước") && r.ends_with("42 lượt")),
        "{matrix:?}"
    );
    assert!(
        matrix
            .iter()
            .any(|r| r.contains("Đồng Tháp") && r.contains("257 lượt")),
        "{matrix:?}"
    );
    // Đồng Tháp's figure covers nine months: said beside it, and the count
    // of citizens received (work done, no better direction) is not ranked.
    assert!(
        matrix
            .iter()
            .any(|r| r.contains("Đồng Tháp") && r.contains("257 lượt đến hết tháng 9 năm 2020")),
        "{matrix:?}"
    );
    assert!(!html.contains("id=\"xep-hang\""));
    let complaints = page_text(&read(
        &public,
        "chi-tieu/don-thu-khieu-nai-to-cao/index.html",
    ));
    assert!(
        complaints.contains("Bình Phước") && complaints.contains(" 0 đơn"),
        "{complaints}"
    );
    assert!(
        complaints.contains("24 đơn đến hết tháng 11 năm 2020"),
        "{complaints}"
    );
    assert!(complaints.contains("không xếp hạng: chỉ tiêu không có chiều tốt hơn"));
    // Đà Nẵng 2018 on its own sector's indicators.
    let fund = page_text(&read(
        &public,
        "chi-tieu/quy-den-on-dap-nghia-van-dong/index.html",
    ));
    assert!(
        fund.contains("Đà Nẵng") && fund.contains("3,774 tỷ đồng") && fund.contains("98,2%"),
        "{fund}"
    );
    // Bình Phước's own 2020 figures, stated in its 2021 report, beside its 2021 targets.
    let agency = read(&public, "co-quan/binh-phuoc/so-ldtbxh/index.html");
    let poor = rows_after(&agency, "id=\"chi-tieu-so-ho-ngheo-giam\"");
    assert_eq!(
        poor[0],
        "2020 3.123 hộ Việc triển khai thực hiện công tác dân vận chính quyền năm 2021"
    );
    assert_eq!(
        poor[1],
        "2021 — 2.000 hộ Việc triển khai thực hiện công tác dân vận chính quyền năm 2021"
    );
}
