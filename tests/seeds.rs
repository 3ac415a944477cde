//! The example site is the four seed reports: every line of their text,
//! every figure and every citation must appear on the report's page.

mod common;
use common::*;
use regex::Regex;
use std::sync::OnceLock;

struct Seed {
    file: &'static str,
    page: &'static str,
    /// Lines of the seed that the page shows differently (heading block,
    /// extraction debris); each is checked by a `distinctive` string instead.
    skip: &'static [&'static str],
    distinctive: &'static [&'static str],
}

const SEEDS: &[Seed] = &[
    Seed {
        file: "000_2b203e34d1949082.txt",
        page: "bao-cao/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen/index.html",
        skip: &[
            "Số: /BC-SLĐTBXH",
            "Bình Phước, ngày tháng năm 2021",
            "BÁO CÁO",
            "Nơi nhận:",
        ],
        distinctive: &[
            "/BC-SLĐTBXH",
            "Bình Phước, ngày … tháng … năm 2021",
            "28.101/38.000 lao động, đạt 73,95%",
            "8.601.610.000 đồng",
            "13.676,5 triệu đồng",
            "Kế hoạch số 33-KH/BDVTU ngày 06/7/2021",
            "Chương trình phối hợp số 22 - CTr/BCSD - BDVTU",
            "Quyết định số 3307/QĐ-UBND ngày 28/12/2020",
            "Kế hoạch số 3307/KH-UBND ngày 28/12/2020",
            "Chỉ thị số 16/CT-TTg ngày 16/5/2016",
            "Công văn số 2589/UBND-NC",
            "giải giải quyết 3.066 hồ sơ",
            "Tỷ lệ thất nghiệp ở thành thị: <3,2%",
            "BDVTU (BC);",
            "GIÁM ĐỐC",
        ],
    },
    Seed {
        file: "001_9ebb4c68ea5cda49.txt",
        page: "bao-cao/dong-thap/so-ldtbxh/2020-nam-dan-van-kheo/index.html",
        skip: &[
            "Số: /BC-SLĐTBXH",
            "Đồng Tháp, ngày tháng 11 năm 2020",
            "## **BÁO CÁO** **thực hiện “Năm dân vận khéo” 2020**",
            "### *Nơi nhận:*",
        ],
        distinctive: &[
            "thực hiện “Năm dân vận khéo” 2020",
            "Đồng Tháp, ngày … tháng 11 năm 2020",
            "60/145",
            "640.905.000 đồng",
            "quyết định số 91/QĐ-SLĐTBXH ngày 26/5/2020",
            "Nghị quyết số 19-NQ/TW",
            "Chương trình số 177-Ctr/TU",
            "Quyết định số 16/2019/QĐ-UBND",
            "tăng ường",
            "PHỤ LỤC SỐ LIỆU",
            "Số phòng (ban) giảm...; chiếm...%",
            "Phạm Việt Công",
            "PHÓ GIÁM ĐỐC",
        ],
    },
    Seed {
        file: "003_c4f4ab40cf23f3eb.txt",
        page: "bao-cao/tra-vinh/so-tttt/2021-quy-che-dan-chu-co-so/index.html",
        skip: &[
            "Số: /BC-STTTT-VP",
            "Trà Vinh, ngày tháng 11 năm 2021",
            "BÁO CÁO",
            "Nơi nhận:",
        ],
        distinctive: &[
            "/BC-STTTT-VP",
            "Trà Vinh, ngày … tháng 11 năm 2021",
            "Nghị định số 04/2015/NĐ-CP, ngày 09/01/2015",
            "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 20/4/2007",
            "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 05/4/2007",
            "Kế hoạch số 110-KH/ĐU ngày 28/4/2021",
            "Kế hoạch số 30/KH-STTTT-VP ngày 07/4/2021",
            "Công văn số 4595/UBND-CN XD",
            "Nghị quyết số 25-NQ/TW ngày 03/6/2013",
            "11.652.622đ",
            "12,5%",
            "Nguyễn Văn Này",
        ],
    },
    Seed {
        file: "004_0db5f6e5b7a09a53.txt",
        page: "bao-cao/da-nang/so-ldtbxh/2018-dan-van-chinh-quyen/index.html",
        skip: &[";", "."],
        distinctive: &[
            "3,774 tỷ đồng, đạt 98,2% kế hoạch",
            "18.000/20.139 hộ thoát nghèo",
            "11/11 xã",
            "97,5% tính đến 31-8-2018",
            "Hà Ngọc Anh",
            "NAM BÌNH",
        ],
    },
];

fn built() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static SITE: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = example_site();
        let public = build_ok(site.path(), &[]);
        (site, public)
    })
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A seed line as the page shows it: Markdown marks and bullets removed,
/// footnote markers as plain digits, autolinks unwrapped.
fn as_displayed(line: &str) -> String {
    static AUTOLINK: OnceLock<Regex> = OnceLock::new();
    let autolink = AUTOLINK.get_or_init(|| Regex::new(r"<(https?://[^>]+)>").unwrap());
    let line = autolink.replace_all(line, "$1");
    // A footnote starts with its marker; the page numbers the footnote list instead.
    let line = line.trim().trim_start_matches(['¹', '²', '³']);
    let mut line = line.trim().trim_start_matches('#').trim().to_string();
    for prefix in ["- ", "+ "] {
        if let Some(rest) = line.strip_prefix(prefix) {
            line = rest.to_string();
        }
    }
    line.replace("**", "")
        .replace('*', "")
        .chars()
        .map(|c| match c {
            '¹' => '1',
            '²' => '2',
            '³' => '3',
            other => other,
        })
        .collect()
}

#[test]
fn every_line_of_every_seed_is_on_its_page() {
    let (_, public) = built();
    for seed in SEEDS {
        let text = std::fs::read_to_string(fixture("seeds").join(seed.file)).unwrap();
        let page = squash(&page_text(&read(public, seed.page)));
        let mut missing = Vec::new();
        let mut checked = 0;
        for line in text.lines().flat_map(|l| l.split('\t')) {
            let line = line.trim();
            if line.is_empty() || seed.skip.contains(&line) {
                continue;
            }
            let shown = squash(&as_displayed(line));
            if shown.is_empty() {
                continue;
            }
            checked += 1;
            if !page.contains(&shown) {
                missing.push(line.to_string());
            }
        }
        assert!(checked >= 8, "{}: only {checked} lines", seed.file);
        assert!(
            missing.is_empty(),
            "{} lines missing from {}:\n{}",
            seed.file,
            seed.page,
            missing.join("\n")
        );
    }
}

#[test]
fn every_figure_of_every_seed_is_on_its_page() {
    let (_, public) = built();
    let figure = Regex::new(r"\d+(?:[.,/]\d+)*%?").unwrap();
    for seed in SEEDS {
        let text = std::fs::read_to_string(fixture("seeds").join(seed.file)).unwrap();
        let page = page_text(&read(public, seed.page));
        let figures: Vec<&str> = figure.find_iter(&text).map(|m| m.as_str()).collect();
        assert!(figures.len() > 20, "{}", seed.file);
        for f in figures {
            assert!(page.contains(f), "{}: figure {f} missing", seed.file);
        }
    }
}

#[test]
fn distinctive_strings_of_each_seed() {
    let (_, public) = built();
    for seed in SEEDS {
        let page = page_text(&read(public, seed.page));
        for s in seed.distinctive {
            assert!(
                page.contains(s),
                "{}: `{s}` missing from {}",
                seed.file,
                seed.page
            );
        }
    }
}

#[test]
fn figures_table_shows_value_target_and_share_achieved() {
    let (_, public) = built();
    let html = read(public, SEEDS[0].page);
    let table = &html[html.find("id=\"so-lieu\"").expect("figures section")..];
    let rows: Vec<String> = table.split("<tr>").map(page_text).collect();
    // The first row that shows `label` (a figure may repeat for other periods).
    let row = |label: &str| -> String {
        rows.iter()
            .find(|r| r.contains(label))
            .unwrap_or_else(|| panic!("no row {label}"))
            .clone()
    };
    let jobs = row("Lao động được giải quyết việc làm");
    assert!(
        jobs.contains("2021 28.101 người 38.000 người 73,95%"),
        "{jobs}"
    );
    let training = row("Tỷ lệ lao động qua đào tạo");
    // Not stated in the report: computed from 60,3% of a 61% target, and marked.
    assert!(training.contains("60,3% 61% 98,85% *"), "{training}");
    let poor = row("Số hộ nghèo dân tộc thiểu số giảm Số hộ nghèo DTTS giảm từ 3.351");
    assert!(poor.contains("2020 1.548 hộ 1.297 hộ 119%"), "{poor}");
    // A target stated without its result (footnote 1 of seed 000).
    let insurance = row("Tỷ lệ lao động trong độ tuổi tham gia bảo hiểm y tế");
    assert!(insurance.contains("2021 — 33%"), "{insurance}");
    // Provenance: the row links to the section the figure stands in.
    assert!(table.contains("href=\"#muc-iii-1-2\""));
}

#[test]
fn reports_have_anchored_sections_and_contents() {
    let (_, public) = built();
    let html = read(public, SEEDS[0].page);
    for anchor in [
        "muc-i",
        "muc-ii",
        "muc-iii",
        "muc-iii-1-2",
        "muc-iii-2-3",
        "muc-iii_2",
        "muc-iv",
    ] {
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{anchor}");
        assert!(
            html.contains(&format!("href=\"#{anchor}\"")),
            "contents link to {anchor}"
        );
    }
    // Footnote 1 is linked both ways.
    assert!(html.contains("href=\"#fn-1\" id=\"fnref-1\""));
    assert!(html.contains("id=\"fn-1\""));
}

#[test]
fn cited_documents_link_both_ways() {
    let (_, public) = built();
    let html = read(public, SEEDS[0].page);
    assert!(html.contains(
        "<a class=\"cite\" href=\"../../../../van-ban/vn-2016-16-ct_ttg/index.html\">Chỉ thị số <span class=\"symbol\">16/CT-TTg</span> ngày <span class=\"symbol\">16/5/2016</span></a>"
    ));
    let doc = page_text(&read(public, "van-ban/vn-2016-16-ct_ttg/index.html"));
    assert!(doc.contains("Chỉ thị 16/CT-TTg"), "{doc}");
    assert!(
        doc.contains("Về việc tăng cường và đổi mới công tác dân vận"),
        "{doc}"
    );
    assert!(doc.contains("Việc triển khai thực hiện công tác dân vận chính quyền năm 2021"));
    assert!(doc.contains("thực hiện “Năm dân vận khéo” 2020"));
    assert!(doc.contains("chưa xác định"), "status is never inferred");
    // Named as readers know it, never by the internal id.
    assert!(
        doc.contains("Chỉ thị số 16/CT-TTg ngày 16/05/2016 của Thủ tướng Chính phủ"),
        "{doc}"
    );
    assert!(
        doc.contains("Cơ quan ban hành Thủ tướng Chính phủ"),
        "{doc}"
    );
    assert!(!doc.contains("vn:2016"), "{doc}");
    // Each citing report once, with all its sentences.
    assert_eq!(
        doc.matches("Việc triển khai thực hiện công tác dân vận chính quyền năm 2021")
            .count(),
        1,
        "{doc}"
    );
}

#[test]
fn home_lists_provinces_in_vietnamese_order_and_years() {
    let (_, public) = built();
    let home = page_text(&read(public, "index.html"));
    let home = &home[home
        .find("Cơ quan theo tỉnh, thành phố")
        .expect("agencies section")..];
    let pos = |s: &str| home.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos("Bình Phước") < pos("Đà Nẵng"));
    assert!(pos("Đà Nẵng") < pos("Đồng Tháp"));
    assert!(pos("Đồng Tháp") < pos("Trà Vinh"));
    for y in ["2018", "2020", "2021"] {
        assert!(read(public, &format!("nam/{y}/index.html")).contains("report-list"));
    }
}

/// What each figure of the seeds is, as the report means it: a result read
/// against a plan (`target`, or the share of a plan the report states), a
/// count out of a total (`of`), a plain result, or a plan without its result;
/// and the part of the year it covers when not the whole.
#[test]
fn every_seed_figure_is_a_plan_a_total_or_a_result() {
    let site = example_site();
    let loaded = minhbach::site::Site::load(site.path(), Default::default()).unwrap();
    let mut kinds = std::collections::BTreeMap::new();
    for &r in loaded.catalog.reports() {
        let report = &loaded.content.reports[r];
        for m in &loaded.content.body(r).unwrap().metrics {
            let kind = match (m.value, m.target, m.of, m.achieved) {
                (Some(_), None, Some(_), None) => "total",
                (Some(_), Some(_), None, _) | (Some(_), None, None, Some(_)) => "plan",
                (None, Some(_), None, None) => "plan only",
                (Some(_), None, None, None) => "result",
                other => panic!("{} {}: {other:?}", report.slug, m.indicator.value),
            };
            let through = m.through.map(|t| format!(" through {}", t.iso()));
            let period = m.period.map(|p| format!(" {}", p.iso()));
            let key = format!(
                "{} {}{}",
                report.agency.value,
                m.indicator.value,
                period.unwrap_or_default()
            );
            kinds.insert(key, format!("{kind}{}", through.unwrap_or_default()));
        }
    }
    let of = |kind: &str| -> Vec<&str> {
        kinds
            .iter()
            .filter(|(_, k)| k.as_str() == kind)
            .map(|(f, _)| f.as_str())
            .collect()
    };
    // "18.000/20.139 hộ thoát nghèo", "11/11 xã", "10/12 cơ quan", "2/12 cơ
    // quan" and "rà soát 60/145 TTHC" (145 is every procedure of the field:
    // 12 of them are the 8,3% the report gives) are counts out of a total.
    assert_eq!(
        of("total"),
        [
            "da-nang/so-ldtbxh co-quan-thuc-hien-mot-cua",
            "da-nang/so-ldtbxh co-quan-thuc-hien-mot-cua-lien-thong",
            "da-nang/so-ldtbxh so-ho-thoat-ngheo",
            "da-nang/so-ldtbxh xa-thuc-hien-mot-cua",
            "dong-thap/so-ldtbxh tthc-duoc-ra-soat",
        ]
    );
    // "28.101/38.000 lao động, đạt 73,95% kế hoạch", "đạt 98,2% kế hoạch", …
    assert_eq!(
        of("plan"),
        [
            "binh-phuoc/so-ldtbxh lao-dong-duoc-dao-tao-nghe",
            "binh-phuoc/so-ldtbxh lao-dong-duoc-giai-quyet-viec-lam",
            "binh-phuoc/so-ldtbxh so-ho-ngheo-dtts-giam 2020",
            "binh-phuoc/so-ldtbxh ty-le-ho-ngheo-giam 2020",
            "binh-phuoc/so-ldtbxh ty-le-lao-dong-qua-dao-tao",
            "binh-phuoc/so-ldtbxh ty-le-lao-dong-tham-gia-bhxh",
            "da-nang/so-ldtbxh quy-den-on-dap-nghia-van-dong",
        ]
    );
    assert_eq!(
        of("plan only"),
        [
            "binh-phuoc/so-ldtbxh so-ho-ngheo-dtts-giam",
            "binh-phuoc/so-ldtbxh so-ho-ngheo-giam",
            "binh-phuoc/so-ldtbxh ty-le-ho-ngheo-giam",
            "binh-phuoc/so-ldtbxh ty-le-lao-dong-tham-gia-bhyt",
        ]
    );
    // "6 tháng đầu năm", "tính đến 31-8-2018", "9 tháng đầu năm", "từ đầu
    // năm đến nay" (a report of November), "tính đến 30/9/2020".
    assert_eq!(
        kinds["binh-phuoc/so-ldtbxh ty-le-that-nghiep-thanh-thi"],
        "plan through 2021-06"
    );
    assert_eq!(
        kinds["da-nang/so-ldtbxh ty-le-ho-so-giai-quyet-dung-han"],
        "result through 2018-08-31"
    );
    assert_eq!(
        kinds["dong-thap/so-ldtbxh luot-tiep-cong-dan"],
        "result through 2020-09"
    );
    assert_eq!(
        kinds["dong-thap/so-ldtbxh don-thu-khieu-nai-to-cao"],
        "result through 2020-11"
    );
    assert_eq!(
        kinds["dong-thap/so-ldtbxh so-can-bo-cong-chuc-vien-chuc"],
        "result through 2020-09-30"
    );
    assert_eq!(kinds.values().filter(|k| k.contains("through")).count(), 5);
    assert_eq!(kinds.len(), 45, "every figure of the four seeds");
}

/// A count out of a total reads "10/12 cơ quan (83,33%)" and is never shown
/// as a plan; a plan reads against its result; a figure of part of the year
/// says which part.
#[test]
fn totals_plans_and_partial_periods_on_the_pages() {
    let (_, public) = built();
    let da_nang = page_text(&read(
        public,
        "bao-cao/da-nang/so-ldtbxh/2018-dan-van-chinh-quyen/index.html",
    ));
    for total in [
        "10/12 cơ quan (83,33%)",
        "2/12 cơ quan (16,67%)",
        "11/11 xã (100%)",
        "18.000/20.139 hộ (89,38%)",
    ] {
        assert!(da_nang.contains(total), "{total} in {da_nang}");
    }
    assert!(!da_nang.contains("Kế hoạch: 12") && !da_nang.contains(" 12 cơ quan 83,33%"));
    assert!(
        da_nang.contains("2018 đến ngày 31/08/2018 97,5%"),
        "{da_nang}"
    );
    let indicator = page_text(&read(
        public,
        "chi-tieu/co-quan-thuc-hien-mot-cua/index.html",
    ));
    assert!(indicator.contains("10/12 cơ quan (83,33%)"), "{indicator}");
    assert!(!indicator.contains("Kế hoạch"), "{indicator}");
    let unemployment = page_text(&read(public, "co-quan/binh-phuoc/so-ldtbxh/index.html"));
    assert!(
        unemployment.contains("2021 đến hết tháng 6 năm 2021 3% 3,2%"),
        "{unemployment}"
    );
}

/// Each report page links to its original, copied byte for byte beside the
/// page and named with its type and size; the repository's own path of the
/// file is never shown.
#[test]
fn each_report_links_its_original_as_issued() {
    let (_, public) = built();
    for seed in SEEDS {
        let html = read(public, seed.page);
        let dir = seed.page.trim_end_matches("index.html");
        let copied = std::fs::read(public.join(dir).join("ban-goc.txt")).unwrap();
        let original = std::fs::read(fixture("seeds").join(seed.file)).unwrap();
        assert!(copied == original, "{} is the seed as it is", seed.page);
        // In kB with one decimal, the Vietnamese way: 26.923 bytes are "26,9 kB".
        let kb = format!("{:.1}", original.len() as f64 / 1000.0).replace('.', ",");
        let size = format!("{} kB", kb.trim_end_matches(",0"));
        let link = format!("href=\"../../../../{dir}ban-goc.txt\" type=\"text/plain\">Tải bản gốc (TXT, {size})</a>");
        assert_eq!(html.matches(&link).count(), 2, "{}: {link}", seed.page);
        assert!(!html.contains("shared/seeds") && !html.contains(seed.file));
    }
}

/// The heading block as the document is issued: a number left blank stays
/// blank on the report's page and is left out of lists (no dangling
/// "/BC-…"), place and date read as printed; each report is described by
/// its own summary.
#[test]
fn reports_are_described_as_issued() {
    let (site, public) = built();
    let page = read(public, SEEDS[0].page);
    assert!(page.contains("<dt>Số</dt><dd class=\"doc-number\"><span class=\"number-blank\" aria-hidden=\"true\">&emsp;&emsp;</span>/BC-SLĐTBXH <small>(văn bản để trống số)</small></dd>"));
    assert!(page_text(&page).contains("Nơi, ngày ban hành Bình Phước, ngày … tháng … năm 2021"));
    for list in [
        "index.html",
        "co-quan/binh-phuoc/so-ldtbxh/index.html",
        "nam/2021/index.html",
    ] {
        let html = read(public, list);
        assert!(
            !html.contains(">/BC-"),
            "{list} shows a number without its number"
        );
    }
    let loaded = minhbach::site::Site::load(site.path(), Default::default()).unwrap();
    for &r in loaded.catalog.reports() {
        let report = &loaded.content.reports[r];
        let html = read(public, &format!("bao-cao/{}/index.html", report.slug));
        let summary = report.summary.as_deref().expect("every seed has a summary");
        let escaped = summary
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;");
        assert!(
            html.contains(&format!(
                "<meta name=\"description\" content=\"{escaped}\">"
            )),
            "{}: its own summary",
            report.slug
        );
    }
}

/// Đồng Tháp's title block prints "BÁO CÁO" over "thực hiện “Năm dân vận
/// khéo” 2020": the report is cited as one phrase with its capital in every
/// place a title is shown — the page's `<title>` and heading, lists, search
/// data and downloads — and no page or file starts it in lower case.
#[test]
fn titles_keep_their_capital_everywhere() {
    let (_, public) = built();
    let cited = "Báo cáo thực hiện “Năm dân vận khéo” 2020";
    let page = read(public, SEEDS[1].page);
    assert!(page.contains(&format!("<title>{cited} — ")), "the <title>");
    assert!(page.contains(&format!("<h1>{cited}</h1>")), "the heading");
    for file in [
        "index.html",
        "co-quan/dong-thap/so-ldtbxh/index.html",
        "nam/2020/index.html",
        "data/metrics.csv",
    ] {
        assert!(
            read(public, file).contains(cited),
            "{file} lists it as cited"
        );
    }
    let mut in_search = false;
    for file in files(public) {
        let Ok(text) = std::fs::read_to_string(public.join(&file)) else {
            continue;
        };
        in_search |= file.starts_with("search/") && text.contains(cited);
        for lower in [
            ">thực hiện “Năm dân vận khéo”",
            "\"thực hiện “Năm dân vận khéo”",
            ",thực hiện “Năm dân vận khéo”",
        ] {
            assert!(
                !text.contains(lower),
                "{file} starts the title in lower case"
            );
        }
    }
    assert!(in_search, "search results show the cited title");
}

/// A page per province — its agencies, its reports by year, its latest
/// figures — linked from the home page, the agency list, its agencies'
/// pages and every breadcrumb that passes through it.
#[test]
fn each_province_has_its_page() {
    let (_, public) = built();
    let page = read(public, "tinh/da-nang/index.html");
    let text = page_text(&page);
    for expected in [
        "Sở Lao động, Thương binh và Xã hội thành phố Đà Nẵng",
        "Ủy ban nhân dân huyện Hòa Vang",
        "Năm 2018 Nhiều kết quả tích cực trong công tác dân vận chính quyền",
        "Cơ quan chuyên môn thực hiện cơ chế một cửa 2018 10/12 cơ quan (83,33%)",
        "Số hộ thoát nghèo 2018 18.000/20.139 hộ (89,38%)",
        "Tỷ lệ hồ sơ được giải quyết đúng và sớm hạn 2018 đến ngày 31/08/2018 97,5%",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains("Bình Phước"), "only its own province");
    let link = "tinh/da-nang/index.html\"";
    for from in [
        "index.html",
        "co-quan/index.html",
        "co-quan/da-nang/ubnd-hoa-vang/index.html",
        "bao-cao/da-nang/so-ldtbxh/2018-dan-van-chinh-quyen/index.html",
        "nam/2018/index.html",
    ] {
        assert!(
            read(public, from).contains(link),
            "{from} links the province"
        );
    }
    for p in ["binh-phuoc", "dong-thap", "tra-vinh"] {
        assert!(public.join(format!("tinh/{p}/index.html")).is_file());
    }
}

/// Every page but the home page and the 404 page has the same breadcrumb
/// trail: an ordered list from the home page, each step a link but the
/// last, the page itself, marked as the current page.
#[test]
fn breadcrumbs_are_the_same_on_every_page_kind() {
    let (_, public) = built();
    let trail =
        Regex::new(r#"<nav class="breadcrumb" aria-label="[^"]+"><ol>(.*?)</ol></nav>"#).unwrap();
    let step = Regex::new(
        r#"<li>(?:<a href="[^"]+">([^<]+)</a>|<span aria-current="page">([^<]+)</span>)</li>"#,
    )
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for file in files(public) {
        if !file.ends_with(".html") {
            continue;
        }
        let html = read(public, &file);
        let navs: Vec<_> = trail.captures_iter(&html).collect();
        if file == "index.html" || file == "404.html" {
            assert!(navs.is_empty(), "{file}");
            continue;
        }
        assert_eq!(navs.len(), 1, "{file} has one trail");
        let steps: Vec<_> = step.captures_iter(&navs[0][1]).collect();
        assert!(steps.len() >= 2, "{file}: {}", &navs[0][1]);
        assert_eq!(
            steps.iter().map(|s| s[0].len()).sum::<usize>(),
            navs[0][1].len(),
            "{file}: nothing but steps"
        );
        assert_eq!(
            steps[0].get(1).map(|m| m.as_str()),
            Some("Trang chủ"),
            "{file}"
        );
        let (last, links) = steps.split_last().unwrap();
        assert!(last.get(2).is_some(), "{file}: the last step is the page");
        assert!(
            links.iter().all(|s| s.get(1).is_some()),
            "{file}: the others are links"
        );
        kinds.insert(file.split('/').next().unwrap().to_string());
    }
    // Comparison pages: tests/compare.rs (the example has none).
    for kind in [
        "bao-cao", "co-quan", "tinh", "nam", "van-ban", "chi-tieu", "tim-kiem", "du-lieu",
    ] {
        assert!(kinds.contains(kind), "no {kind} page checked: {kinds:?}");
    }
}
