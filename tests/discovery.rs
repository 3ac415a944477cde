//! Feeds, sitemap, robots.txt and social tags: present and absolute with a
//! `base_url`, left out without one. Every feed is checked against the
//! rules of the Atom format (RFC 4287) by the validator below, on a site
//! whose report titles carry markup and a control character.

mod common;

use common::{append_config, copy_tree, example_site, fixture, minhbach};
use std::collections::BTreeSet;
use std::path::Path;

/// An element of a parsed XML file.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn one(&self, name: &str, what: &str) -> &Node {
        let found = self.all(name);
        assert_eq!(
            found.len(),
            1,
            "{what}: exactly one <{name}> in <{}>",
            self.name
        );
        found[0]
    }
}

/// Parses `bytes` as XML 1.0 (well-formed, end tags matching, only the
/// characters XML allows) into a tree.
fn parse_xml(bytes: &[u8], what: &str) -> Node {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    for c in text.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}';
        assert!(ok, "{what}: U+{:04X} is not allowed in XML 1.0", c as u32);
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = vec![Node::default()];
    let open = |e: &quick_xml::events::BytesStart| Node {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap_or_else(|e| panic!("{what}: bad attribute: {e}"));
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value()
                        .unwrap_or_else(|e| panic!("{what}: {e}"))
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event() {
            Err(e) => panic!("{what}: not well-formed XML: {e}"),
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => stack.push(open(&e)),
            Ok(quick_xml::events::Event::Empty(e)) => {
                let node = open(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Ok(quick_xml::events::Event::End(_)) => {
                let node = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(node);
            }
            Ok(quick_xml::events::Event::Text(t)) => {
                let s = t.unescape().unwrap_or_else(|e| panic!("{what}: {e}"));
                stack.last_mut().unwrap().text.push_str(&s);
            }
            Ok(_) => {}
        }
    }
    assert_eq!(stack.len(), 1, "{what}: unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "{what}: one root element");
    root.children.pop().unwrap()
}

/// RFC 3339 date-time, as RFC 4287 §3.3 requires.
fn is_rfc3339(s: &str) -> bool {
    regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
        .unwrap()
        .is_match(s)
}

/// Checks a feed against RFC 4287's rules (§4.1.1 feed, §4.1.2 entry,
/// §3.3 dates, §4.2.6 ids as absolute IRIs, §4.2.7 links); returns its
/// entries' titles.
fn check_atom(bytes: &[u8], what: &str, base: &str) -> Vec<String> {
    let feed = parse_xml(bytes, what);
    assert_eq!(feed.name, "feed", "{what}");
    assert_eq!(
        feed.attr("xmlns"),
        Some("http://www.w3.org/2005/Atom"),
        "{what}"
    );
    let absolute = |s: &str, field: &str| {
        assert!(
            url::Url::parse(s).is_ok_and(|u| u.scheme() == "https") && s.starts_with(base),
            "{what}: {field} `{s}` is not an absolute address of the site"
        );
    };
    absolute(&feed.one("id", what).text, "feed id");
    assert!(
        !feed.one("title", what).text.trim().is_empty(),
        "{what}: a title"
    );
    assert!(
        is_rfc3339(&feed.one("updated", what).text),
        "{what}: updated"
    );
    let links = feed.all("link");
    let selfs: Vec<_> = links
        .iter()
        .filter(|l| l.attr("rel") == Some("self"))
        .collect();
    assert_eq!(selfs.len(), 1, "{what}: one self link");
    absolute(selfs[0].attr("href").unwrap(), "self link");
    for l in &links {
        absolute(l.attr("href").expect("a link has href"), "link");
    }
    let feed_author = !feed.all("author").is_empty();
    for a in feed.all("author") {
        assert!(
            !a.one("name", what).text.trim().is_empty(),
            "{what}: author name"
        );
    }
    let mut ids = BTreeSet::new();
    let mut titles = Vec::new();
    for e in feed.all("entry") {
        let id = &e.one("id", what).text;
        absolute(id, "entry id");
        assert!(ids.insert(id.clone()), "{what}: entry id {id} twice");
        titles.push(e.one("title", what).text.clone());
        let updated = &e.one("updated", what).text;
        assert!(is_rfc3339(updated), "{what}: entry updated `{updated}`");
        for p in e.all("published") {
            assert!(is_rfc3339(&p.text), "{what}: published");
        }
        assert!(
            feed_author || !e.all("author").is_empty(),
            "{what}: an author for every entry"
        );
        let alternates: Vec<_> = e
            .all("link")
            .into_iter()
            .filter(|l| l.attr("rel").unwrap_or("alternate") == "alternate")
            .collect();
        assert!(
            !alternates.is_empty() || !e.all("content").is_empty(),
            "{what}: an entry without content has an alternate link"
        );
        for l in alternates {
            absolute(l.attr("href").unwrap(), "entry link");
        }
        assert!(e.all("summary").len() <= 1, "{what}: at most one summary");
    }
    titles
}

fn set_base(site: &Path, base: &str) {
    append_config(site, &format!("base_url = \"{base}\""));
}

/// The example site with `base_url` set to `base`, built.
fn example_built_at(base: &str) -> tempfile::TempDir {
    let site = example_site();
    set_base(site.path(), base);
    let out = minhbach(site.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site
}

fn files_named(dir: &Path, name: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.file_name().is_some_and(|n| n == name))
        .collect()
}

#[test]
fn feeds_are_valid_atom_for_the_site_each_province_agency_and_document() {
    let base = "https://example.gov.vn/bao-cao/";
    let site = example_built_at(base);
    let public = site.path().join("public");
    let feeds = files_named(&public, "feed.xml");
    let rel = |p: &Path| {
        p.strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .to_string()
    };
    let names: BTreeSet<String> = feeds.iter().map(|p| rel(p)).collect();
    assert!(names.contains("feed.xml"));
    for d in ["tinh", "co-quan", "van-ban"] {
        let pages = std::fs::read_dir(public.join(d)).unwrap().count();
        assert!(pages > 0);
        assert!(names.iter().any(|n| n.starts_with(&format!("{d}/"))), "{d}");
    }
    // Every agency, province and cited document has its feed.
    for page in files_named(&public, "index.html") {
        let r = rel(&page);
        let depth = r.matches('/').count();
        let html = std::fs::read_to_string(&page).unwrap();
        let followed = r == "index.html"
            || (r.starts_with("tinh/") && depth == 2)
            || (r.starts_with("co-quan/") && depth == 3)
            || (r.starts_with("van-ban/") && depth == 2 && html.contains("\"Legislation\""));
        let feed = r.replace("index.html", "feed.xml");
        let announced = html.contains("<link rel=\"alternate\" type=\"application/atom+xml\"");
        assert_eq!(followed, announced, "{r}");
        assert_eq!(followed, names.contains(&feed), "{r}");
    }
    let mut site_titles = Vec::new();
    for f in &feeds {
        let titles = check_atom(&std::fs::read(f).unwrap(), &rel(f), base);
        // A document no report cites yet (a law replacing a cited one)
        // has a feed without entries; every other feed has some.
        let uncited = std::fs::read_to_string(f.with_file_name("index.html"))
            .is_ok_and(|p| !p.contains("class=\"citing-report\""));
        assert!(!titles.is_empty() || uncited, "{}", rel(f));
        if rel(f) == "feed.xml" {
            site_titles = titles;
        }
    }
    assert_eq!(site_titles.len(), 4, "the four published reports");
    // Each entry is a published report's page.
    for f in &feeds {
        let feed = parse_xml(&std::fs::read(f).unwrap(), "feed");
        for e in feed.all("entry") {
            let id = &e.one("id", "entry").text;
            let page = public
                .join(id.strip_prefix(base).unwrap())
                .join("index.html");
            assert!(page.is_file(), "{id}");
        }
    }
}

#[test]
fn hostile_text_and_control_characters_stay_text_in_feeds() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("hostile"), dir.path());
    let base = "https://example.gov.vn/";
    set_base(dir.path(), base);
    // A control character, which XML 1.0 forbids, in a title.
    let report = walkdir::WalkDir::new(dir.path().join("content/reports"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.to_string_lossy().ends_with("2021-pwn.yaml"))
        .unwrap();
    let yaml = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        yaml.replacen("title: \"pwnhunt", "title: \"\\x01pwnhunt", 1),
    )
    .unwrap();
    let out = minhbach(dir.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = dir.path().join("public");
    let feeds = files_named(&public, "feed.xml");
    assert!(feeds.len() >= 3);
    let mut seen = false;
    for f in &feeds {
        for title in check_atom(&std::fs::read(f).unwrap(), &f.to_string_lossy(), base) {
            if title.contains("window.__pwned='title'") {
                // The markup is the entry's text, whole, not elements.
                assert!(
                    title.contains("pwnhunt <x-pwn>title</x-pwn><img src=x onerror=\"window"),
                    "{title}"
                );
                seen = true;
            }
        }
    }
    assert!(seen, "the hostile title is in a feed, as text");
    // With an address, every page has social tags made of the same
    // hostile fields: never markup there either.
    for page in files_named(&public, "index.html") {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(!html.contains("<x-pwn>"), "{}", page.display());
        if page.to_string_lossy().contains("/bao-cao/") {
            assert!(
                html.contains("<meta name=\"twitter:title\" content=\""),
                "{}",
                page.display()
            );
        }
    }
    for s in files_named(&public, "sitemap.xml") {
        parse_xml(&std::fs::read(&s).unwrap(), "sitemap");
    }
}

#[test]
fn the_sitemap_lists_every_page_and_robots_points_to_it() {
    let base = "https://example.gov.vn/";
    let site = example_built_at(base);
    let public = site.path().join("public");
    let sitemap = parse_xml(
        &std::fs::read(public.join("sitemap.xml")).unwrap(),
        "sitemap",
    );
    assert_eq!(sitemap.name, "urlset");
    assert_eq!(
        sitemap.attr("xmlns"),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let listed: BTreeSet<String> = sitemap
        .all("url")
        .iter()
        .map(|u| u.one("loc", "sitemap").text.clone())
        .collect();
    let mut pages = BTreeSet::new();
    for page in files_named(&public, "index.html") {
        let rel = page
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .to_string();
        pages.insert(format!("{base}{}", rel.trim_end_matches("index.html")));
    }
    assert_eq!(
        listed, pages,
        "every page once, by its address, and nothing else"
    );
    assert!(!listed.iter().any(|u| u.contains("404")));
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://example.gov.vn/sitemap.xml\n"),
        "{robots}"
    );
    assert!(robots.contains("User-agent: *"), "{robots}");
    // Social tags with the report's own summary and the site's name.
    let report = std::fs::read_to_string(
        public.join("bao-cao/da-nang/so-ldtbxh/2018-dan-van-chinh-quyen/index.html"),
    )
    .unwrap();
    for tag in [
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:url\" content=\"https://example.gov.vn/bao-cao/da-nang/so-ldtbxh/2018-dan-van-chinh-quyen/\">",
        "<meta property=\"og:site_name\" content=\"Minh bạch",
        "<meta property=\"og:description\" content=\"",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<meta name=\"twitter:title\" content=\"Nhiều kết quả tích cực trong công tác dân vận chính quyền\">",
        "<meta name=\"twitter:description\" content=\"",
    ] {
        assert!(report.contains(tag), "{tag}");
    }

    // A site in a sub-folder: crawlers never read a robots.txt there.
    set_base(site.path(), "https://example.gov.vn/bao-cao/");
    let config = site.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replacen("base_url = \"https://example.gov.vn/\"\n", "", 1),
    )
    .unwrap();
    let out = minhbach(site.path(), &["build", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!public.join("robots.txt").exists());
    assert!(public.join("sitemap.xml").exists());
}

#[test]
fn without_base_url_feeds_and_sitemap_are_left_out_with_a_note() {
    let site = example_site();
    let out = minhbach(site.path(), &["build"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    let notes: Vec<&str> = said.lines().filter(|l| l.contains("base_url")).collect();
    assert_eq!(notes.len(), 1, "{said}");
    assert!(notes[0].contains("feeds and sitemap.xml"), "{said}");
    let public = site.path().join("public");
    assert!(files_named(&public, "feed.xml").is_empty());
    assert!(!public.join("sitemap.xml").exists());
    assert!(!public.join("robots.txt").exists());
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(!home.contains("og:url") && !home.contains("rel=\"canonical\""));
    assert!(!home.contains("application/atom+xml"));
}
