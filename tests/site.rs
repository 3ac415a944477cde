//! Publishing rules on the fixture site: drafts, escaping, template tiers,
//! languages, Vietnamese order and byte-identical rebuilds.

mod common;
use common::*;

const REPORT: &str = "bao-cao/ha-noi/so-noi-vu/2022-bao-cao/index.html";
const DRAFT: &str = "bao-cao/ha-noi/so-noi-vu/2023-du-thao/index.html";

#[test]
fn drafts_never_leak_without_the_flag() {
    let site = site_with(None);
    let public = build_ok(site.path(), &[]);
    assert!(!public.join(DRAFT).exists());
    for f in files(&public) {
        let bytes = std::fs::read(public.join(&f)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("bí mật"), "draft text leaked into {f}");
        assert!(!text.contains("2023-du-thao"), "draft link leaked into {f}");
    }
    assert!(
        !public.join("nam/2023/index.html").exists(),
        "a year of drafts only"
    );
}

#[test]
fn drafts_with_the_flag_carry_a_banner() {
    let site = site_with(None);
    let public = build_ok(site.path(), &["--drafts"]);
    let draft = read(&public, DRAFT);
    assert!(draft.contains("class=\"draft-banner\""));
    assert!(page_text(&draft).contains("BẢN NHÁP — chưa được phê duyệt công bố"));
    assert!(!read(&public, REPORT).contains("draft-banner"));
    // Lists mark it too.
    assert!(read(&public, "nam/2023/index.html").contains("badge draft"));
}

#[test]
fn content_is_escaped_everywhere() {
    let site = site_with(None);
    let public = build_ok(site.path(), &[]);
    for f in files(&public).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&public, f);
        // The theme's own scripts (its strings, then the search) are the
        // only scripts on a page (the 404 page, served at any address, has
        // none); beside them at most one JSON-LD data block, in the head,
        // that parses as JSON.
        let data = "<script type=\"application/ld+json\">";
        let own: Vec<&str> = html
            .split("<script src=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let expected: &[&str] = if f == "404.html" {
            &[]
        } else {
            &["assets/strings.js", "assets/search.js"]
        };
        assert_eq!(own.len(), expected.len(), "{f}: {own:?}");
        for (src, name) in own.iter().zip(expected) {
            assert!(src.ends_with(name) && !src.contains("://"), "{f}: {src}");
        }
        assert_eq!(
            html.matches("<script").count() - html.matches(data).count(),
            expected.len(),
            "{f}: script tag from content"
        );
        assert!(html.matches(data).count() <= 1, "{f}");
        if let Some(start) = html.find(data) {
            let block = &html[start + data.len()..];
            let block = &block[..block.find("</script>").unwrap()];
            assert!(start < html.find("</head>").unwrap(), "{f}");
            assert!(
                serde_json::from_str::<serde_json::Value>(block).is_ok(),
                "{f}: {block}"
            );
        }
        assert!(
            f == "404.html" || html.contains("assets/search.js\"></script>"),
            "{f}"
        );
        assert!(!html.contains("<img"), "{f}: image tag from content");
        assert!(
            !html.contains("javascript:"),
            "{f}: javascript URL from content"
        );
        assert!(!html.contains("<b>thẻ</b>"), "{f}: raw HTML from content");
        assert!(
            !html.contains("<div>khối"),
            "{f}: raw HTML block from content"
        );
    }
    let report = read(&public, REPORT);
    assert!(report.contains("&lt;script&gt;alert(&quot;tiêu đề&quot;)&lt;/script&gt;"));
    assert!(
        report.contains("&lt;img src=x onerror=\"alert(1)\"&gt;"),
        "shown as text"
    );
}

#[test]
fn figures_and_footnotes_on_the_fixture_report() {
    let site = site_with(None);
    let public = build_ok(site.path(), &[]);
    let text = page_text(&read(&public, REPORT));
    assert!(
        text.contains("Hồ sơ giải quyết đúng hạn 2022 1.250 hồ sơ 1.000 hồ sơ 125% *"),
        "{text}"
    );
    // Lower is better: no share of target is computed.
    assert!(text.contains("Tỷ lệ thất nghiệp 2022 2,5%"), "{text}");
    assert!(
        text.contains("Theo Kế hoạch số 5/KH-UBND ngày 02/01/2022"),
        "{text}"
    );
    assert!(
        text.contains("Nơi, ngày ban hành Hà Nội, ngày 20 tháng 12 năm 2022"),
        "{text}"
    );
    assert!(text.contains("Nguyễn Văn A"));
    assert!(
        text.contains("Người phê duyệt GIÁM ĐỐC Ngày phê duyệt ngày 15/01/2023"),
        "{text}"
    );
}

#[test]
fn agencies_and_provinces_sort_in_vietnamese_order() {
    let site = site_with(None);
    let public = build_ok(site.path(), &[]);
    let text = page_text(&read(&public, "co-quan/index.html"));
    let order: Vec<usize> = ["Bình Dương", "Đà Nẵng", "Đắk Lắk", "Đồng Nai", "Hà Nội"]
        .iter()
        .map(|p| text.find(p).unwrap_or_else(|| panic!("{p} missing")))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "{text}");
}

#[test]
fn a_document_page_lists_every_citing_report() {
    let site = site_with(None);
    let public = build_ok(site.path(), &[]);
    let doc = page_text(&read(&public, "van-ban/vn-2015-04-2015-ndd_cp/index.html"));
    assert!(doc.contains("Nghị định 04/2015/NĐ-CP"));
    assert!(doc.contains("(2 báo cáo, 2 lần trích dẫn)"), "{doc}");
    assert!(doc.contains("Báo cáo thực hiện dân chủ cơ sở năm 2021"));
    assert!(doc.contains("Chính phủ"));
    let index = page_text(&read(&public, "van-ban/index.html"));
    assert!(index.contains("Nghị định"), "{index}");
}

#[test]
fn rebuilding_gives_identical_bytes() {
    let site = site_with(None);
    let first = snapshot(&build_ok(site.path(), &["--drafts"]));
    let second = snapshot(&build_ok(site.path(), &["--drafts"]));
    assert_eq!(first.len(), second.len());
    assert!(first == second, "output differs between two builds");
}

#[test]
fn site_templates_override_the_theme_file_by_file() {
    let site = site_with(None);
    let templates = site.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Trang riêng của sở</p>{% endblock %}",
    )
    .unwrap();
    let public = build_ok(site.path(), &[]);
    let page = read(&public, "404.html");
    assert!(page.contains("Trang riêng của sở"));
    assert!(
        page.contains("assets/style.css"),
        "base.html still comes from the theme"
    );
}

#[test]
fn builds_with_no_theme_folder_from_the_embedded_theme() {
    let site = site_with(None);
    assert!(!site.path().join("themes").exists());
    let public = build_ok(site.path(), &[]);
    assert!(public.join("assets/style.css").is_file());
    assert_eq!(
        std::fs::read(public.join("assets/style.css")).unwrap(),
        std::fs::read(repo().join("themes/default/static/style.css")).unwrap()
    );
}

#[test]
fn english_interface() {
    let site = site_with(None);
    std::fs::write(
        site.path().join("config.toml"),
        "title = \"Fixture\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let public = build_ok(site.path(), &[]);
    let home = read(&public, "index.html");
    assert!(home.contains("<html lang=\"en\">"));
    assert!(page_text(&home).contains("Latest reports"));
    // Numbers stay Vietnamese: they are the reports' own figures.
    assert!(page_text(&read(&public, REPORT)).contains("1.250 hồ sơ"));
    // A document's name is Vietnamese, its date too; the facts around it
    // are in the interface's language.
    let doc = page_text(&read(&public, "van-ban/vn-2015-04-2015-ndd_cp/index.html"));
    assert!(
        doc.contains("Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ"),
        "{doc}"
    );
    assert!(doc.contains("Issued on 9 January 2015"), "{doc}");
}

#[test]
fn base_url_is_only_used_for_canonical_links() {
    let site = site_with(None);
    std::fs::write(
        site.path().join("config.toml"),
        "title = \"Fixture\"\nbase_url = \"https://minhbach.example.vn/bao-cao\"\n",
    )
    .unwrap();
    let public = build_ok(site.path(), &[]);
    let page = read(&public, REPORT);
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://minhbach.example.vn/bao-cao/bao-cao/ha-noi/so-noi-vu/2022-bao-cao/\">"
    ));
    let without = page.replace(
        "https://minhbach.example.vn/bao-cao/bao-cao/ha-noi/so-noi-vu/2022-bao-cao/",
        "",
    );
    assert!(
        !without.contains("minhbach.example.vn"),
        "navigation must not use base_url"
    );
    // But the 404 page, which a host serves at any missing address however
    // deep, links from the site's address; without one, from the host's root.
    let lost = read(&public, "404.html");
    assert!(
        lost.contains("<a href=\"https://minhbach.example.vn/bao-cao/index.html\">Trang chủ</a>"),
        "{lost}"
    );
    // It needs no file of the site: its style is inline, allowed by a hash.
    assert!(!lost.contains("<link rel=\"stylesheet\"") && !lost.contains("<script"));
    assert!(lost.contains("<style data-minhbach>body{margin:0;"));
    assert!(lost.contains("style-src &#39;sha256-"), "{lost}");
    assert!(!lost.contains("href=\"../") && !lost.contains("src=\"../"));
    std::fs::write(site.path().join("config.toml"), "title = \"Fixture\"\n").unwrap();
    let public = build_ok(site.path(), &[]);
    let lost = read(&public, "404.html");
    assert!(
        lost.contains("<a href=\"/index.html\">Trang chủ</a>"),
        "{lost}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = site_with(None);
    let out = minhbach(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Only what the fixture's draft still lacks, then the summary.
    let err = stderr(&out);
    let (notes, last) = err.trim_end().rsplit_once('\n').unwrap_or(("", &err));
    assert!(last.starts_with("ok: 3 reports, 5 agencies"), "{err}");
    assert!(
        notes.lines().all(|l| l
            .starts_with("content/reports/ha-noi/so-noi-vu/2023-du-thao.yaml:1:9: note: draft: ")),
        "{err}"
    );
    assert!(!site.path().join("public").exists());
}

/// The fixture's report from Đà Nẵng, whose text has Vietnamese letters.
const DA_NANG_2021: &str = "content/reports/da-nang/so-y-te/2021-bao-cao.yaml";

/// `text` with its letters decomposed (NFD), as some editors save them.
fn decomposed(text: &str) -> String {
    unicode_normalization::UnicodeNormalization::nfd(text).collect()
}

#[test]
fn nfd_input_is_normalised() {
    let site = site_with(None);
    let path = site.path().join(DA_NANG_2021);
    let text = std::fs::read_to_string(&path).unwrap();
    let nfd = decomposed(&text);
    assert_ne!(nfd, text);
    std::fs::write(&path, nfd).unwrap();
    let public = build_ok(site.path(), &[]);
    let page = read(&public, "bao-cao/da-nang/so-y-te/2021-bao-cao/index.html");
    assert!(
        page.contains("Báo cáo thực hiện dân chủ cơ sở năm 2021"),
        "NFC on the page"
    );
}

/// A warning names the place in the file as its reader sees it, whether the
/// file was written NFC or decomposed (NFD): its column counts the letters
/// of the normalised line, the same for both.
#[test]
fn a_warning_is_placed_alike_in_nfc_and_nfd_files() {
    let site = site_with(None);
    let path = site.path().join(DA_NANG_2021);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(
        "  - number: II.\n    title: Kết quả\n    body: Thực hiện Kế hoạch số 12/KH-UBND của Ủy ban nhân dân thành phố.\n",
    );
    let line = text.lines().count();
    let expected = format!("{DA_NANG_2021}:{line}:21: warning: `Kế hoạch số 12/KH-UBND`: no year");
    let nfd = decomposed(&text);
    assert_ne!(nfd, text);
    for written in [text, nfd] {
        std::fs::write(&path, written).unwrap();
        let out = minhbach(site.path(), &["check"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    }
}

/// A large site keeps no report text between loading and rendering: the
/// body store reads the file again, and only when it is the very file that
/// was checked (its SHA-256 taken at load).
#[test]
fn a_loaded_site_holds_no_report_text_and_reads_it_again() {
    let site = site_with(None);
    let mut loaded =
        minhbach::site::Site::load_keeping_text(site.path(), Default::default(), 0).unwrap();
    let r = loaded
        .content
        .report_by_slug("ha-noi/so-noi-vu/2022-bao-cao")
        .unwrap();
    assert!(!loaded.content.bodies.is_held(r));
    let body = loaded.content.body(r).unwrap();
    assert!(body.texts().iter().any(|t| t.text.len() > 40));
    // The citations found at load come back with the text read again.
    assert!(!body.citations.is_empty());
    for c in &body.citations {
        if let minhbach::model::Part::Text(k) = c.part() {
            let text = body.texts()[k].text;
            assert!(text
                .get(c.range())
                .is_some_and(|t| t.chars().any(|ch| ch.is_ascii_digit())));
        }
    }
    // Metrics live in the body; their figures, made while loading, stay.
    let figures = &loaded.comparisons.figures_by_report[&r];
    assert_eq!(figures.len(), body.metrics.len());
    for &f in figures {
        let f = &loaded.comparisons.figures[f];
        let m = &body.metrics[f.metric];
        assert_eq!((f.stated_value, f.stated_target), (m.value, m.target));
        assert_eq!(f.stated.as_deref(), m.stated.as_deref());
    }
    drop(body);

    // A file edited between loading and rendering fails the build with its
    // name — even an edit that still parses: its text was never checked.
    let file = site.path().join(&loaded.content.reports[r].file);
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{original}\n# edited\n")).unwrap();
    let err = loaded
        .build(&minhbach::write::Writer::dry())
        .expect_err("the report changed during the build");
    let message = format!("{err:#}");
    assert!(
        message.contains(
            "content/reports/ha-noi/so-noi-vu/2022-bao-cao.yaml changed during the build"
        ) && message.contains("SHA-256"),
        "{message}"
    );
    std::fs::write(&file, "status: [unclosed").unwrap();
    let message = format!(
        "{:#}",
        loaded.build(&minhbach::write::Writer::dry()).unwrap_err()
    );
    assert!(
        message.contains("2022-bao-cao.yaml changed during the build"),
        "{message}"
    );
    // Put back as checked, it builds.
    std::fs::write(&file, original).unwrap();
    loaded.build(&minhbach::write::Writer::dry()).unwrap();
}

/// The citation recogniser reads each report once in a build: `-v` says
/// how many went through it, and it is the number of report files.
#[test]
fn the_recogniser_reads_each_report_once() {
    let site = example_site();
    let out = minhbach(site.path(), &["build", "-v"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("went through the citation recogniser"))
        .unwrap_or_else(|| panic!("no recogniser count in:\n{err}"));
    let reports = files(&site.path().join("content/reports")).len();
    assert_eq!(
        line.trim(),
        format!(
            "recognised: {reports} reports went through the citation recogniser, once each ({reports} read)"
        )
    );
}

/// The schema.org JSON-LD of every page that has one (reports, documents,
/// the downloads): parsed as JSON, with the properties each type needs.
#[test]
fn structured_data_parses_with_the_required_properties() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let (mut reports, mut documents, mut datasets, mut citations) = (0, 0, 0, 0);
    for rel in files(&public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = read(&public, &rel);
        let open = "<script type=\"application/ld+json\">";
        for block in html.split(open).skip(1) {
            let json = &block[..block.find("</script>").expect("closed")];
            let v: serde_json::Value =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{rel}: {e}\n{json}"));
            assert_eq!(v["@context"], "https://schema.org", "{rel}");
            let has = |k: &str| v.get(k).is_some_and(|x| !x.is_null() && x != "");
            match v["@type"].as_str() {
                Some("Report") => {
                    reports += 1;
                    for k in ["name", "datePublished", "publisher", "about"] {
                        assert!(has(k), "{rel}: Report without {k}: {v}");
                    }
                    assert_eq!(v["publisher"]["@type"], "GovernmentOrganization", "{rel}");
                    assert!(v["publisher"]["name"]
                        .as_str()
                        .is_some_and(|n| n.starts_with("Sở ")));
                    // The cited documents by name, each one the page lists.
                    let cited = v.get("citation").map(|c| c.as_array().expect("a list"));
                    assert!(cited.is_none_or(|c| !c.is_empty()), "{rel}");
                    for c in cited.into_iter().flatten() {
                        citations += 1;
                        let name = c.as_str().unwrap_or_else(|| panic!("{rel}: {c}"));
                        let symbol = name.rsplit(' ').next().unwrap();
                        assert!(
                            html.contains(&format!("<span class=\"symbol\">{symbol}</span>")),
                            "{rel}: cites {name}, which the page does not list"
                        );
                    }
                }
                Some("Legislation") => {
                    documents += 1;
                    for k in ["name", "legislationIdentifier", "legislationType"] {
                        assert!(has(k), "{rel}: Legislation without {k}: {v}");
                    }
                }
                Some("Dataset") => {
                    datasets += 1;
                    assert!(has("name") && has("description"), "{rel}: {v}");
                    for d in v["distribution"].as_array().expect("distribution") {
                        let url = d["contentUrl"].as_str().unwrap();
                        let target = public.join("du-lieu").join(url);
                        assert!(target.is_file(), "{rel}: {url} is not a file");
                    }
                }
                other => panic!("{rel}: unexpected type {other:?}"),
            }
        }
    }
    assert_eq!(reports, 4);
    assert!(citations >= 95, "{citations}");
    assert!(documents >= 95, "{documents}");
    assert_eq!(datasets, 1);
    // Facts as the registry and the report say them.
    let block = |rel: &str| -> serde_json::Value {
        let html = read(&public, rel);
        let start = html.find("application/ld+json\">").unwrap() + 21;
        serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()])
            .unwrap()
    };
    let pl34 = block("van-ban/vn-2007-34-2007-pl_ubtvqh11/index.html");
    assert_eq!(pl34["legislationIdentifier"], "34/2007/PL-UBTVQH11");
    assert_eq!(pl34["legislationDate"], "2007-04-20");
    assert_eq!(
        pl34["legislationLegalForce"],
        "https://schema.org/NotInForce"
    );
    let nd04 = block("van-ban/vn-2015-04-2015-ndd_cp/index.html");
    assert!(
        nd04.get("legislationLegalForce").is_none(),
        "never guessed: {nd04}"
    );
    assert_eq!(nd04["legislationPassedBy"]["name"], "Chính phủ");
    let tv = block("bao-cao/tra-vinh/so-tttt/2021-quy-che-dan-chu-co-so/index.html");
    assert!(tv["citation"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "Pháp lệnh 34/2007/PL-UBTVQH11"));
}
