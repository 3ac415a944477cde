//! What search engines and feed readers read: Atom feeds (RFC 4287) of new
//! reports for the site, each province, each agency and each legal
//! document (a reader following a decree hears of every report citing
//! it), `sitemap.xml` (an index of several files past 50,000 addresses, as
//! the protocol requires) and `robots.txt`. All need absolute addresses, so
//! they exist only when `config.toml` gives `base_url`.
//!
//! Written by hand rather than with a feed crate: the documents are a few
//! fixed elements, and every piece of content goes through [`xml_text`],
//! which escapes markup and drops the characters XML 1.0 forbids (a YAML
//! string may hold U+0001; some Atom crates pass it through, making the
//! whole feed unreadable).

use super::Renderer;
use crate::model::{AgencyId, DocumentId, PartialDate, ProvinceId, ReportId};
use crate::urls;
use std::fmt::Write as _;

/// Entries per feed: the newest reports.
pub const FEED_ENTRIES: usize = 50;

/// Addresses per sitemap file, the protocol's limit.
pub const SITEMAP_URLS: usize = 50_000;

/// A feed of new reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feed {
    /// The whole site.
    Site,
    /// One province.
    Province(ProvinceId),
    /// One agency.
    Agency(AgencyId),
    /// The reports citing one legal document.
    Document(DocumentId),
}

/// Text for XML content or an attribute value: `& < > " '` escaped, and
/// the characters XML 1.0 does not allow (controls but tab, line feed and
/// carriage return; U+FFFE, U+FFFF) left out.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An RFC 3339 time for a date in Vietnam (UTC+7), at its start; a date
/// known to the month or the year alone starts with its first day.
fn rfc3339(d: &PartialDate) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00+07:00",
        d.year,
        d.month.unwrap_or(1),
        d.day.unwrap_or(1)
    )
}

impl<'a> Renderer<'a> {
    /// The site's address with one `/` at its end, when it has one.
    pub fn base(&self) -> Option<String> {
        self.config
            .base_url
            .as_deref()
            .map(|b| format!("{}/", b.trim_end_matches('/')))
    }

    /// Every feed of the site (none without `base_url`).
    pub fn feeds(&self) -> Vec<Feed> {
        if self.base().is_none() {
            return Vec::new();
        }
        let mut feeds = vec![Feed::Site];
        feeds.extend(self.catalog.province_ids().map(|(p, _)| Feed::Province(p)));
        feeds.extend(self.catalog.agencies().iter().map(|&a| Feed::Agency(a)));
        // Every document with a page, cited or not yet (a law that
        // replaced a cited one): a reader may follow it before a report
        // cites it.
        feeds.extend(
            self.catalog
                .documents()
                .iter()
                .map(|(d, _)| Feed::Document(d)),
        );
        feeds
    }

    /// Where a feed is written: beside the page it follows.
    pub fn feed_path(&self, feed: Feed) -> String {
        match feed {
            Feed::Site => urls::FEED.to_string(),
            Feed::Province(p) => urls::feed_of(&urls::province(&self.catalog.province(p).slug)),
            Feed::Agency(a) => urls::feed_of(&urls::agency(&self.content.agencies[a].slug)),
            Feed::Document(d) => urls::feed_of(&urls::document(&self.catalog.document(d).slug, 1)),
        }
    }

    /// The feed that follows a page, if it has one: the home page's, a
    /// province's, an agency's, a document's (on its first page).
    pub(super) fn feed_beside(&self, trail: &super::places::Trail) -> Option<String> {
        use super::{places::Trail, Page};
        self.base()?;
        let feed = match trail {
            Trail::Page(Page::Home) => Feed::Site,
            Trail::Page(Page::Province(p)) => Feed::Province(*p),
            Trail::Page(Page::Agency(a)) => Feed::Agency(*a),
            Trail::Page(Page::Document(d, 1)) => Feed::Document(*d),
            _ => return None,
        };
        Some(self.feed_path(feed))
    }

    /// The page a feed follows.
    fn feed_page(&self, feed: Feed) -> String {
        match feed {
            Feed::Site => urls::HOME.to_string(),
            Feed::Province(p) => urls::province(&self.catalog.province(p).slug),
            Feed::Agency(a) => urls::agency(&self.content.agencies[a].slug),
            Feed::Document(d) => urls::document(&self.catalog.document(d).slug, 1),
        }
    }

    /// Every report a feed may list, newest first (the site's order); the
    /// feed shows the first [`FEED_ENTRIES`].
    pub fn feed_candidates(&self, feed: Feed) -> Vec<ReportId> {
        let mut list: Vec<ReportId> = match feed {
            Feed::Site => return self.catalog.reports().to_vec(),
            Feed::Agency(a) => return self.catalog.reports_of_agency(a).to_vec(),
            Feed::Province(p) => self
                .catalog
                .province(p)
                .agencies
                .iter()
                .flat_map(|&a| self.catalog.reports_of_agency(a).iter().copied())
                .collect(),
            Feed::Document(d) => self.catalog.document(d).citing().map(|(r, _)| r).collect(),
        };
        list.sort_by(|&a, &b| crate::catalog::newest_first(self.content, a, b));
        list.dedup();
        list
    }

    /// The Atom feed.
    pub fn render_feed(&self, feed: Feed) -> Vec<u8> {
        let base = self.base().unwrap_or_default();
        let abs = |path: &str| format!("{base}{}", urls::pretty(path));
        let title = match feed {
            Feed::Site => self.config.title.clone(),
            Feed::Province(p) => {
                format!("{} — {}", self.catalog.province(p).name, self.config.title)
            }
            Feed::Agency(a) => format!("{} — {}", self.content.agencies[a].name, self.config.title),
            Feed::Document(d) => {
                let doc = self.catalog.document(d);
                format!(
                    "{} {} {} — {}",
                    self.t("feed_citing"),
                    doc.doc_type,
                    doc.symbol,
                    self.config.title
                )
            }
        };
        let reports: Vec<ReportId> = self
            .feed_candidates(feed)
            .into_iter()
            .take(FEED_ENTRIES)
            .collect();
        let date = |r: ReportId| {
            let report = &self.content.reports[r];
            report.date().unwrap_or(PartialDate {
                year: report.year.value,
                month: None,
                day: None,
            })
        };
        let updated = reports
            .iter()
            .map(|&r| rfc3339(&date(r)))
            .max()
            // A feed with no report yet (a new agency): the newest
            // approval of the site, else its first possible day.
            .or_else(|| super::site_date(self.content, self.catalog).map(|d| rfc3339(&d)))
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        let mut x = String::with_capacity(1024 + reports.len() * 800);
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(
            x,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
            self.config.language.code()
        );
        let self_url = abs(&self.feed_path(feed));
        let _ = writeln!(x, "  <id>{}</id>", xml_text(&self_url));
        let _ = writeln!(x, "  <title>{}</title>", xml_text(&title));
        if let Some(d) = &self.config.description {
            let _ = writeln!(x, "  <subtitle>{}</subtitle>", xml_text(d));
        }
        let _ = writeln!(x, "  <updated>{updated}</updated>");
        let _ = writeln!(
            x,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            xml_text(&self_url)
        );
        let _ = writeln!(
            x,
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_text(&abs(&self.feed_page(feed)))
        );
        let _ = writeln!(
            x,
            "  <author><name>{}</name></author>",
            xml_text(&self.config.title)
        );
        let _ = writeln!(
            x,
            "  <generator version=\"{}\">minhbach</generator>",
            env!("CARGO_PKG_VERSION")
        );
        for &r in &reports {
            let report = &self.content.reports[r];
            let url = abs(&urls::report(&report.slug));
            let when = rfc3339(&date(r));
            let agency = self
                .content
                .agency_of(r)
                .map_or_else(|| report.agency.value.clone(), |a| a.name.clone());
            x.push_str("  <entry>\n");
            let _ = writeln!(x, "    <id>{}</id>", xml_text(&url));
            let _ = writeln!(x, "    <title>{}</title>", xml_text(&report.title));
            let _ = writeln!(x, "    <updated>{when}</updated>");
            let _ = writeln!(x, "    <published>{when}</published>");
            let _ = writeln!(x, "    <author><name>{}</name></author>", xml_text(&agency));
            let _ = writeln!(
                x,
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
                xml_text(&url)
            );
            let _ = writeln!(x, "    <category term=\"{}\"/>", xml_text(&report.kind));
            let summary = report.summary.clone().unwrap_or_else(|| {
                let mut s = report.kind.clone();
                if let Some(n) = report.number() {
                    s.push_str(&format!(" {n}"));
                }
                format!("{s} — {agency}, {}", report.year.value)
            });
            let _ = writeln!(x, "    <summary>{}</summary>", xml_text(&summary));
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x.into_bytes()
    }

    /// Every page a search engine should know, by path, in a fixed order:
    /// the standalone pages (but the 404 page), each report and comparison.
    pub fn sitemap_paths(&self) -> anyhow::Result<Vec<String>> {
        let mut paths = Vec::new();
        for page in self.pages() {
            if page != super::Page::NotFound {
                paths.push(self.path(page)?.as_str().to_string());
            }
        }
        for &r in self.catalog.reports() {
            paths.push(self.report_path(r)?.as_str().to_string());
            if self.comparisons.previous_report.contains_key(&r) {
                paths.push(self.comparison_path(r)?.as_str().to_string());
            }
        }
        Ok(paths)
    }

    /// The sitemap files: `sitemap.xml` alone, or past [`SITEMAP_URLS`]
    /// addresses an index `sitemap.xml` of `sitemap-N.xml` files.
    pub fn sitemaps(&self, paths: &[String]) -> Vec<(String, Vec<u8>)> {
        sitemaps(&self.base().unwrap_or_default(), paths, SITEMAP_URLS)
    }

    /// Whether the site is at its host's root, where crawlers look for
    /// `robots.txt` (one in a sub-folder is never read).
    pub fn at_host_root(&self) -> bool {
        self.base()
            .and_then(|b| url::Url::parse(&b).ok())
            .is_some_and(|u| u.path() == "/")
    }

    /// `robots.txt`: everything may be read; where the sitemap is.
    pub fn robots(&self) -> Vec<u8> {
        format!(
            "# Written by minhbach. To write your own, list it under `keep` in config.toml.\nUser-agent: *\nAllow: /\nSitemap: {}{}\n",
            self.base().unwrap_or_default(),
            urls::SITEMAP
        )
        .into_bytes()
    }
}

/// The sitemap files for `paths` under `base`, at most `per_file`
/// addresses in each.
pub fn sitemaps(base: &str, paths: &[String], per_file: usize) -> Vec<(String, Vec<u8>)> {
    let urlset = |chunk: &[String]| {
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in chunk {
            let _ = writeln!(
                x,
                "  <url><loc>{}</loc></url>",
                xml_text(&format!("{base}{}", urls::pretty(p)))
            );
        }
        x.push_str("</urlset>\n");
        x.into_bytes()
    };
    if paths.len() <= per_file {
        return vec![(urls::SITEMAP.to_string(), urlset(paths))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in paths.chunks(per_file).enumerate() {
        let name = urls::sitemap_part(i + 1);
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            xml_text(&format!("{base}{name}"))
        );
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, (urls::SITEMAP.to_string(), index.into_bytes()));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            xml_text("a<b>&\"c'\u{1}\u{7}\td\u{FFFF}ư"),
            "a&lt;b&gt;&amp;&quot;c&apos;\td\u{2}ư".replace('\u{2}', "")
        );
    }

    #[test]
    fn past_the_limit_the_sitemap_is_an_index_of_files() {
        let paths: Vec<String> = (0..50_001).map(|i| format!("p/{i}/index.html")).collect();
        let files = sitemaps("https://x.gov.vn/bc/", &paths, SITEMAP_URLS);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://x.gov.vn/bc/sitemap-2.xml</loc>"));
        let count = |b: &[u8]| String::from_utf8_lossy(b).matches("<url>").count();
        assert_eq!(count(&files[1].1), 50_000);
        assert_eq!(count(&files[2].1), 1);
        assert!(String::from_utf8_lossy(&files[2].1)
            .contains("<loc>https://x.gov.vn/bc/p/50000/</loc>"));
        // At the limit, one file.
        let files = sitemaps("https://x.gov.vn/", &paths[..50_000], SITEMAP_URLS);
        assert_eq!(files.len(), 1);
        assert!(String::from_utf8_lossy(&files[0].1).contains("<urlset"));
    }
}
