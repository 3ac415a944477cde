//! The site's address scheme, in one place: every page, asset, download and
//! search file is written at a path from here, and every link to it is made
//! from the same function. Paths are relative to the output root and use
//! `/`; pages are `…/index.html` so that links work opened from disk, where
//! no server turns a folder into its index.
//!
//! Vietnamese words make the addresses readable to the site's readers
//! (bao-cao = report, co-quan = agency, nam = year, van-ban = document,
//! chi-tieu = indicator, so-sanh = comparison, tim-kiem = search).

use serde::Serialize;

/// The home page.
pub const HOME: &str = "index.html";
/// The agency list.
pub const AGENCIES: &str = "co-quan/index.html";
/// The year list.
pub const YEARS: &str = "nam/index.html";
/// The legal document index.
pub const DOCUMENTS: &str = "van-ban/index.html";
/// Legal documents, most cited first.
pub const MOST_CITED: &str = "van-ban/trich-dan-nhieu-nhat/index.html";
/// The indicator catalogue.
pub const INDICATORS: &str = "chi-tieu/index.html";
/// The search page, the landing page of shared search links.
pub const SEARCH: &str = "tim-kiem/index.html";
/// The page a web host shows for an address the site does not have.
pub const NOT_FOUND: &str = "404.html";

/// A report page.
pub fn report(slug: &str) -> String {
    format!("bao-cao/{slug}/index.html")
}

/// A report's original, `file` under `content/originals/`, beside its
/// page: `ban-goc.` and the file's extension in lower case.
pub fn original(slug: &str, file: &str) -> String {
    let kind = file.rsplit_once('.').map_or("", |(_, e)| e);
    format!("bao-cao/{slug}/ban-goc.{}", kind.to_ascii_lowercase())
}

/// The slug of the report whose page is at `path`, if it is a report page.
pub fn report_slug(path: &str) -> Option<&str> {
    path.strip_prefix("bao-cao/")?.strip_suffix("/index.html")
}

/// A province's page: its agencies, reports and figures.
pub fn province(slug: &str) -> String {
    format!("tinh/{slug}/index.html")
}

/// An agency page.
pub fn agency(slug: &str) -> String {
    format!("co-quan/{slug}/index.html")
}

/// A year page.
pub fn year(year: i32) -> String {
    format!("nam/{year}/index.html")
}

/// Page `n` (from 1) of a legal document's citing reports.
pub fn document(slug: &str, n: usize) -> String {
    if n <= 1 {
        format!("van-ban/{slug}/index.html")
    } else {
        format!("van-ban/{slug}/trang-{n}/index.html")
    }
}

/// An indicator across agencies and periods.
pub fn indicator(id: &str) -> String {
    format!("chi-tieu/{id}/index.html")
}

/// A report beside the agency's previous report.
pub fn comparison(report_slug: &str) -> String {
    format!("so-sanh/{report_slug}/index.html")
}

/// A theme asset (style sheet, script, icon), by its name under `static/`.
pub fn asset(name: &str) -> String {
    format!("assets/{name}")
}

/// Every figure of the site as CSV.
pub const METRICS_CSV: &str = "data/metrics.csv";
/// Every figure of the site as JSON, with the indicators and agencies.
pub const METRICS_JSON: &str = "data/metrics.json";
/// What the columns of the downloads mean.
pub const DATA_README: &str = "data/README.md";

/// The page explaining the downloads and their columns.
pub const DATA: &str = "du-lieu/index.html";

/// How to check that a copy of the site is the published one.
pub const VERIFY: &str = "kiem-chung/index.html";

/// The site's feed of new reports.
pub const FEED: &str = "feed.xml";

/// The feed beside a page (`tinh/x/index.html` → `tinh/x/feed.xml`).
pub fn feed_of(page: &str) -> String {
    format!("{}feed.xml", pretty(page))
}

/// The sitemap, or the index of its parts.
pub const SITEMAP: &str = "sitemap.xml";

/// A part of a sitemap too large for one file, from 1.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// Where crawlers read what they may read.
pub const ROBOTS: &str = "robots.txt";

/// The integrity manifest (see `write::integrity`).
pub const MANIFEST: &str = "manifest.json";

/// An agency's figures as CSV.
pub fn agency_csv(agency_slug: &str) -> String {
    format!("data/co-quan/{agency_slug}.csv")
}

/// The figures one report states, as CSV.
pub fn report_csv(report_slug: &str) -> String {
    format!("data/bao-cao/{report_slug}.csv")
}

/// An indicator's figures as CSV.
pub fn indicator_csv(indicator_id: &str) -> String {
    format!("data/chi-tieu/{indicator_id}.csv")
}

/// The search index's metadata, loaded first.
pub const SEARCH_META: &str = "search/meta.js";

/// The search files other than `meta.js`, as patterns in which `{}` stands
/// for the file's name: `meta.js` carries them to the browser, so the
/// scheme lives only here.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SearchPaths {
    /// A bucket of terms.
    pub bucket: &'static str,
    /// A tail of a bucket's postings (`{bucket}-{n}`).
    pub tail: &'static str,
    /// A report's text, by its number in the index.
    pub fragment: &'static str,
    /// Legal documents, by shard.
    pub documents: &'static str,
}

/// Where the search files are.
pub const SEARCH_PATHS: SearchPaths = SearchPaths {
    bucket: "search/i/{}.js",
    tail: "search/t/{}.js",
    fragment: "search/f/{}.js",
    documents: "search/d/{}.js",
};

impl SearchPaths {
    /// The path of one file from its pattern.
    pub fn fill(pattern: &str, name: &str) -> String {
        pattern.replacen("{}", name, 1)
    }
}

/// Fixed addresses the templates link to on every page (the header, the
/// footer, the lists).
#[derive(Debug, Clone, Serialize)]
pub struct SiteLinks {
    /// Home page.
    pub home: &'static str,
    /// Agency list.
    pub agencies: &'static str,
    /// Year list.
    pub years: &'static str,
    /// Document index.
    pub documents: &'static str,
    /// Documents by citations.
    pub most_cited: &'static str,
    /// Indicator catalogue.
    pub indicators: &'static str,
    /// Search page.
    pub search: &'static str,
    /// Style sheet.
    pub style: String,
    /// Search script.
    pub script: String,
    /// The figure cards' labels on a narrow screen, in the site's language
    /// (generated).
    pub labels: String,
    /// The interface strings the search script shows (generated).
    pub strings: String,
    /// Icon.
    pub icon: String,
    /// Every figure as JSON.
    pub metrics_json: &'static str,
    /// Every figure as CSV.
    pub metrics_csv: &'static str,
    /// What the download columns mean.
    pub data_readme: &'static str,
    /// The page explaining the downloads.
    pub data: &'static str,
    /// The search index's metadata.
    pub search_meta: &'static str,
    /// How to check a copy.
    pub verify: &'static str,
    /// The integrity manifest.
    pub manifest: &'static str,
}

/// The fixed addresses.
pub fn site_links() -> SiteLinks {
    SiteLinks {
        home: HOME,
        agencies: AGENCIES,
        years: YEARS,
        documents: DOCUMENTS,
        most_cited: MOST_CITED,
        indicators: INDICATORS,
        search: SEARCH,
        style: asset("style.css"),
        script: asset("search.js"),
        labels: asset("labels.css"),
        strings: asset("strings.js"),
        icon: asset("favicon.svg"),
        metrics_json: METRICS_JSON,
        metrics_csv: METRICS_CSV,
        data_readme: DATA_README,
        data: DATA,
        search_meta: SEARCH_META,
        verify: VERIFY,
        manifest: MANIFEST,
    }
}

/// A page's address without its `index.html`, for canonical links.
pub fn pretty(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// A web address from content as a page links it: parsed and written out
/// again by the `url` crate (the WHATWG URL rules browsers follow), so that
/// spaces, quotes and angle brackets are percent-encoded; `None` unless it
/// is http(s) with a host. Content checks refuse what this refuses.
pub fn web_address(raw: &str) -> Option<String> {
    let parsed = url::Url::parse(raw.trim()).ok()?;
    (matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some())
        .then(|| parsed.to_string())
}
