//! Render stage: minijinja views over the catalog. Templates are looked up in
//! tiers — the site's `templates/`, then the theme's, then the default theme
//! embedded in the binary — so a site overrides a theme file by file and the
//! binary builds with no theme folder at all. Templates receive small view
//! structs, never the whole site.

pub mod chart;
mod documents;
pub mod downloads;
pub mod feeds;
pub use documents::CITING_PER_PAGE;
mod figures;
mod jsonld;
pub mod markdown;
mod places;
mod report;

use crate::catalog::{Catalog, LegalDoc};
use crate::compare::Comparisons;
use crate::config::Config;
use crate::diagnostics::{Diagnostics, Pos};
use crate::model::{
    Agency, AgencyId, Body, Cell, Content, DocumentId, IndicatorId, PartialDate, ProvinceId,
    ReportId,
};
use crate::urls;
use crate::vietnamese::{format_number, format_percent};
use crate::write::OutputPath;
use anyhow::{Context, Result};
use markdown::Linker;
use minijinja::value::Serde;
use minijinja::{Environment, Value};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Templates of the default theme, embedded so the binary needs no theme folder.
const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "report.html",
        include_str!("../../themes/default/templates/report.html"),
    ),
    (
        "agency.html",
        include_str!("../../themes/default/templates/agency.html"),
    ),
    (
        "province.html",
        include_str!("../../themes/default/templates/province.html"),
    ),
    (
        "agencies.html",
        include_str!("../../themes/default/templates/agencies.html"),
    ),
    (
        "year.html",
        include_str!("../../themes/default/templates/year.html"),
    ),
    (
        "years.html",
        include_str!("../../themes/default/templates/years.html"),
    ),
    (
        "document.html",
        include_str!("../../themes/default/templates/document.html"),
    ),
    (
        "documents.html",
        include_str!("../../themes/default/templates/documents.html"),
    ),
    (
        "most_cited.html",
        include_str!("../../themes/default/templates/most_cited.html"),
    ),
    (
        "indicator.html",
        include_str!("../../themes/default/templates/indicator.html"),
    ),
    (
        "indicators.html",
        include_str!("../../themes/default/templates/indicators.html"),
    ),
    (
        "comparison.html",
        include_str!("../../themes/default/templates/comparison.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "labels.css",
        include_str!("../../themes/default/templates/labels.css"),
    ),
    (
        "strings.js",
        include_str!("../../themes/default/templates/strings.js"),
    ),
    (
        "data.html",
        include_str!("../../themes/default/templates/data.html"),
    ),
    (
        "verify.html",
        include_str!("../../themes/default/templates/verify.html"),
    ),
];

/// Assets rendered from the theme's templates of the same name, written
/// under `assets/`: what every page would otherwise repeat in the site's
/// language (the labels of the figure cards, the search script's strings).
/// A site's static file of the same name replaces one.
pub const GENERATED_ASSETS: &[&str] = &["labels.css", "strings.js"];

/// Static files of the default theme, copied under `assets/`.
const EMBEDDED_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// Interface strings of the default theme.
const EMBEDDED_I18N: &[(&str, &str)] = &[
    ("vi", include_str!("../../themes/default/i18n/vi.toml")),
    ("en", include_str!("../../themes/default/i18n/en.toml")),
];

/// Where templates, static files and translations come from.
#[derive(Debug, Clone)]
pub struct Theme {
    site_templates: PathBuf,
    theme_dir: PathBuf,
}

impl Theme {
    /// The theme named in the config, with the site's overrides.
    pub fn new(root: &Path, config: &Config) -> Theme {
        Theme {
            site_templates: root.join("templates"),
            theme_dir: root.join("themes").join(&config.theme),
        }
    }

    /// Template source by name: site, then theme, then embedded.
    pub fn template(&self, name: &str) -> Result<Option<String>, std::io::Error> {
        if !name
            .split('/')
            .all(|s| crate::config::is_plain_name(&s.replace('.', "_")))
        {
            return Ok(None);
        }
        for dir in [&self.site_templates, &self.theme_dir.join("templates")] {
            let p = dir.join(name);
            if p.is_file() {
                return std::fs::read_to_string(&p).map(Some);
            }
        }
        Ok(EMBEDDED_TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.to_string()))
    }

    /// Where the template `name` comes from, relative to the site's root:
    /// the site's `templates/`, the theme's folder, or the built-in theme.
    pub fn origin(&self, root: &Path, name: &str) -> String {
        for dir in [&self.site_templates, &self.theme_dir.join("templates")] {
            let p = dir.join(name);
            if p.is_file() {
                let rel = p.strip_prefix(root).unwrap_or(&p);
                return rel.to_string_lossy().replace('\\', "/");
            }
        }
        format!("{name} (built-in theme)")
    }

    /// The names of every template the site has: the built-in ones and the
    /// `.html`, `.css` and `.js` files of the theme's and the site's
    /// `templates/`.
    pub fn template_names(&self) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = EMBEDDED_TEMPLATES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        for dir in [&self.site_templates, &self.theme_dir.join("templates")] {
            for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
                let kind = e.path().extension().and_then(|x| x.to_str());
                if e.file_type().is_file() && matches!(kind, Some("html" | "css" | "js")) {
                    if let Ok(rel) = e.path().strip_prefix(dir) {
                        names.insert(rel.to_string_lossy().replace('\\', "/"));
                    }
                }
            }
        }
        names
    }

    /// Static files by name: the theme's `static/` on disk, else the
    /// embedded ones; then the site's `static/`, which wins file by file.
    /// Files on disk are named, not read: they are copied in pieces.
    pub fn static_files(&self, root: &Path) -> Result<BTreeMap<String, StaticFile>> {
        let (files, problems) = self.static_files_checked(root);
        match problems.into_iter().next() {
            Some((path, why)) => anyhow::bail!("{path}: {why}"),
            None => Ok(files),
        }
    }

    /// [`Theme::static_files`] with every problem found: (path, what).
    fn static_files_checked(
        &self,
        root: &Path,
    ) -> (BTreeMap<String, StaticFile>, Vec<(String, String)>) {
        let mut files = BTreeMap::new();
        let mut problems = Vec::new();
        let theme_static = self.theme_dir.join("static");
        if theme_static.is_dir() {
            list_tree(root, &theme_static, &mut files, &mut problems);
        } else {
            for (name, bytes) in EMBEDDED_STATIC {
                files.insert(name.to_string(), StaticFile::Embedded(bytes));
            }
        }
        let site_static = root.join("static");
        if site_static.is_dir() {
            list_tree(root, &site_static, &mut files, &mut problems);
        }
        (files, problems)
    }

    /// Interface strings for `lang`: theme file (or embedded), then the
    /// site's `i18n/<lang>.toml`, key by key.
    pub fn strings(
        &self,
        root: &Path,
        lang: crate::config::Language,
    ) -> Result<BTreeMap<String, String>> {
        let code = lang.code();
        let theme_file = self.theme_dir.join("i18n").join(format!("{code}.toml"));
        let base = if theme_file.is_file() {
            std::fs::read_to_string(&theme_file)
                .with_context(|| format!("cannot read {}", theme_file.display()))?
        } else {
            EMBEDDED_I18N
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, s)| s.to_string())
                .unwrap_or_default()
        };
        let mut strings: BTreeMap<String, String> = toml::from_str(&base)
            .with_context(|| format!("translation file {code}.toml is not valid"))?;
        let site_file = root.join("i18n").join(format!("{code}.toml"));
        if site_file.is_file() {
            let text = std::fs::read_to_string(&site_file)
                .with_context(|| format!("cannot read {}", site_file.display()))?;
            let extra: BTreeMap<String, String> = toml::from_str(&text)
                .with_context(|| format!("{} is not valid", site_file.display()))?;
            strings.extend(extra);
        }
        Ok(strings)
    }
}

/// A static file of the theme or the site.
#[derive(Debug, Clone)]
pub enum StaticFile {
    /// Built into the binary.
    Embedded(&'static [u8]),
    /// On disk, copied in pieces (a static file may be a large video).
    File(PathBuf),
}

/// Lists the files under `dir` by their path inside it. A link is followed
/// when it stays inside the site `root`, refused otherwise.
fn list_tree(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, StaticFile>,
    problems: &mut Vec<(String, String)>,
) {
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let shown = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(true)
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(shown).unwrap_or_else(|| shown(dir));
                let why = if e.loop_ancestor().is_some() {
                    "a link that loops back to a folder containing it".to_string()
                } else if e.path().is_some_and(|p| p.is_symlink()) {
                    "a link that leads nowhere".to_string()
                } else {
                    format!(
                        "cannot be read: {}",
                        e.io_error().map_or(e.to_string(), |io| io.to_string())
                    )
                };
                problems.push((path, why));
                continue;
            }
        };
        if entry.path_is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if !target.starts_with(&real_root) => {
                    problems.push((
                        shown(entry.path()),
                        format!(
                            "a link to {}, outside the site: only links inside the site are followed",
                            target.display()
                        ),
                    ));
                    continue;
                }
                Ok(_) => {}
                Err(_) => {
                    problems.push((shown(entry.path()), "a link that leads nowhere".to_string()));
                    continue;
                }
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.insert(rel, StaticFile::File(entry.path().to_path_buf()));
    }
}

/// One page of the site that stands on its own. Report pages and report
/// comparisons are rendered with the reports' bodies, agency by agency
/// ([`Renderer::render_report`], [`Renderer::render_comparison`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    /// The home page.
    Home,
    /// An agency.
    Agency(AgencyId),
    /// A province: its agencies, reports and figures.
    Province(ProvinceId),
    /// All agencies.
    Agencies,
    /// One year.
    Year(i32),
    /// All years.
    Years,
    /// A legal document, and the page (from 1) of its citing reports.
    Document(DocumentId, usize),
    /// All legal documents, by type and issuer.
    Documents,
    /// All legal documents, most cited first.
    MostCited,
    /// An indicator.
    Indicator(IndicatorId),
    /// The indicator catalogue.
    Indicators,
    /// The search page, the landing page of shared search links.
    Search,
    /// The 404 page.
    NotFound,
    /// What the downloads hold, column by column.
    Data,
    /// How to check that a copy is the published one.
    Verify,
}

impl Page {
    /// The kind of page, for timings.
    pub fn kind(self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Agency(_) => "agency",
            Page::Province(_) => "province",
            Page::Agencies => "agencies",
            Page::Year(_) => "year",
            Page::Years => "years",
            Page::Document(..) => "document",
            Page::Documents => "documents",
            Page::MostCited => "most cited",
            Page::Indicator(_) => "indicator",
            Page::Indicators => "indicators",
            Page::Search => "search",
            Page::NotFound => "404",
            Page::Data => "data",
            Page::Verify => "verify",
        }
    }
}

/// A CSS string literal of `text`: quoted, with `"`, `\\`, line breaks and
/// other control characters written as CSS escapes, so that no string from
/// a translation file can end the string or the rule.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c == '<' || c == '>' => {
                out.push_str(&format!("\\{:x} ", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// minijinja's `tojson` without the spaces after `,` and `:` (kilobytes on
/// a report page's structured data): the same characters escaped, so that
/// the text is safe in HTML (`<`, `>`, `&` and `'` only occur inside JSON
/// strings, where `\u` escapes mean the same). With an indent, minijinja's.
fn tojson_compact(
    value: &Value,
    indent: Option<Value>,
    kwargs: minijinja::value::Kwargs,
) -> Result<Value, minijinja::Error> {
    if indent.is_some() || kwargs.has("indent") {
        return minijinja::filters::tojson(value, indent, kwargs);
    }
    kwargs.assert_all_used()?;
    let json = serde_json::to_string(value).map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "cannot serialize to JSON",
        )
        .with_source(e)
    })?;
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\'' => out.push_str("\\u0027"),
            c => out.push(c),
        }
    }
    Ok(Value::from_safe_string(out))
}

/// Checks the theme and the site's own templates and static files before
/// anything is rendered: each template parses, each `extends`, `include`,
/// `import` and `from` that names a template in quotes names one that
/// exists, and no link among the static files leads outside the site or
/// nowhere. Problems are reported with the content's, as
/// `file:line:col: message`.
pub fn check_theme(root: &Path, config: &Config, diags: &mut Diagnostics) {
    let theme = Theme::new(root, config);
    for (path, why) in theme.static_files_checked(root).1 {
        diags.error(&path, Pos::default(), why);
    }
    for name in theme.template_names() {
        let origin = theme.origin(root, &name);
        let source = match theme.template(&name) {
            Ok(Some(source)) => source,
            Ok(None) => continue,
            Err(e) => {
                diags.error(&origin, Pos::default(), format!("cannot read: {e}"));
                continue;
            }
        };
        let mut env = Environment::new();
        if let Err(e) = env.add_template_owned(name.clone(), source.clone()) {
            let (pos, message) = template_problem(&e, &source);
            diags.error(&origin, pos, message);
            continue;
        }
        for (offset, tag, target) in template_references(&source) {
            if !matches!(theme.template(&target), Ok(Some(_))) {
                diags.error(
                    &origin,
                    pos_at(&source, offset),
                    format!(
                        "{tag} \"{target}\": there is no such template in templates/, themes/{}/templates/ or the built-in theme",
                        config.theme
                    ),
                );
            }
        }
    }
}

/// Where in `source` a template error is, and what it says in one line.
fn template_problem(e: &minijinja::Error, source: &str) -> (Pos, String) {
    let pos = match (e.range(), e.line()) {
        (Some(r), _) => pos_at(source, r.start),
        (None, Some(line)) => Pos {
            line: line as u64,
            column: 1,
        },
        _ => Pos::default(),
    };
    let message = match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    };
    (pos, message)
}

/// The line and column (in characters) of byte `offset` of `source`.
fn pos_at(source: &str, offset: usize) -> Pos {
    let mut end = offset.min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let before = &source[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: before.matches('\n').count() as u64 + 1,
        column: before[line_start..].chars().count() as u64 + 1,
    }
}

/// The templates a template names in quotes after `extends`, `include`,
/// `import` or `from`, with the byte offset of each name. minijinja checks
/// these only when a page is rendered (and then for the first page only);
/// this reads the tags' first words, which is all a quoted name needs.
fn template_references(source: &str) -> Vec<(usize, &'static str, String)> {
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"\{%[-+]?\s*(extends|include|import|from)\s+(?:"([^"]*)"|'([^']*)')"#)
            .expect("valid pattern")
    });
    TAG.captures_iter(source)
        .filter_map(|c| {
            let tag = match &c[1] {
                "extends" => "extends",
                "include" => "include",
                "import" => "import",
                _ => "from",
            };
            let name = c.get(2).or_else(|| c.get(3))?;
            Some((name.start(), tag, name.as_str().to_string()))
        })
        .collect()
}

/// The most a page's buffer is made ready for before it is written: a
/// larger page grows its buffer as it goes.
const MAX_SIZE_HINT: usize = 4 << 20;

/// Renders pages from a loaded site.
pub struct Renderer<'a> {
    env: Environment<'static>,
    content: &'a Content,
    catalog: &'a Catalog,
    comparisons: &'a Comparisons,
    config: &'a Config,
    drafts: bool,
    strings: Arc<BTreeMap<String, String>>,
    theme: Theme,
    root: PathBuf,
    /// The site's date ([`site_date`]) in words.
    updated: Option<String>,
    /// The size of the site's bundle as the home page shows it, when the
    /// build writes one.
    archive: Option<String>,
    /// Time every thread spent inside the templates, for `--verbose`.
    template_time: crate::ThreadTime,
    /// Per template, the largest page it has made so far: a page's buffer
    /// starts that large instead of growing from minijinja's guess (the
    /// template's own text), which copied every page several times over.
    page_sizes: std::sync::Mutex<crate::FastMap<String, usize>>,
}

/// The date a page gives as the site's: `SOURCE_DATE_EPOCH` (seconds, as
/// reproducible builds set it) when set, else the newest approval among
/// the published reports — never the clock, so that the same content
/// builds the same bytes.
pub fn site_date(content: &Content, catalog: &Catalog) -> Option<PartialDate> {
    if let Some(day) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| jiff::tz::Offset::UTC.to_datetime(t).date())
    {
        return Some(PartialDate {
            year: i32::from(day.year()),
            month: u8::try_from(day.month()).ok(),
            day: u8::try_from(day.day()).ok(),
        });
    }
    catalog
        .reports()
        .iter()
        .filter_map(|&r| content.reports[r].approved_on.as_ref().map(|d| d.value))
        .max()
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    /// The site's date ([`site_date`]), as the interface writes dates.
    updated: Option<&'a str>,
    description: Option<&'a str>,
    lang: &'static str,
    drafts: bool,
    links: urls::SiteLinks,
    csp: &'static str,
}

/// The Content-Security-Policy of every page (a `<meta>` in the theme's
/// `base.html`): only the site's own scripts, styles and images run or
/// load, never inline script or style, no plugins, no `<base>`, forms
/// submit only to the site. Report text is escaped already; this is the
/// second wall should a template or a browser ever let something through.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'";

/// A report as the lists and comparisons link to it. Its text is borrowed
/// from the content: a link is made for every report a document page, a
/// year, an agency, a province or an indicator lists, and cloning its
/// title, summary and names was 0.11% of a rebuild's instructions at 1,000
/// reports (`bench/instructions.sh`).
#[derive(Serialize, Clone)]
struct ReportLink<'a> {
    url: String,
    title: &'a str,
    kind: &'a str,
    number: Option<&'a str>,
    year: i32,
    year_url: String,
    date: Option<String>,
    agency: &'a str,
    agency_url: String,
    province: &'a str,
    province_url: Option<String>,
    summary: Option<&'a str>,
    draft: bool,
}

#[derive(Serialize)]
struct TocEntry {
    anchor: String,
    label: String,
    depth: usize,
}

#[derive(Serialize)]
struct MetricView {
    indicator: String,
    indicator_url: String,
    value: Option<String>,
    /// The part of the period the figure covers, when not the whole.
    through: Option<String>,
    target: Option<String>,
    achieved: Option<String>,
    achieved_stated: bool,
    period: String,
    stated: Option<String>,
    note: Option<String>,
    section_anchor: Option<String>,
    section_label: Option<String>,
    agency: Option<String>,
    agency_url: Option<String>,
}

#[derive(Serialize)]
struct CellView {
    text: String,
    colspan: u32,
    rowspan: u32,
}

#[derive(Serialize)]
struct TableView {
    anchor: String,
    number: Option<String>,
    title: String,
    group: Option<String>,
    head: Vec<Vec<CellView>>,
    rows: Vec<Vec<CellView>>,
    note: Option<String>,
}

#[derive(Serialize)]
struct DocLink {
    url: String,
    symbol: String,
    doc_type: String,
    /// The issuing body in words, when known.
    issuer: Option<String>,
    scope: String,
    title: Option<String>,
    date: Option<String>,
    year: Option<i32>,
    mentions: usize,
    reports: usize,
}

#[derive(Serialize)]
struct DocGroup {
    doc_type: String,
    documents: Vec<DocLink>,
}

#[derive(Serialize)]
struct IssuerGroup {
    issuer: String,
    documents: Vec<DocLink>,
}

/// A template value from anything serialisable.
fn v<T: Serialize + ?Sized>(x: &T) -> Value {
    Value::from(Serde(x))
}

/// A figure with its unit: "28.101 người", "60,3%", "3,774 tỷ đồng".
fn with_unit(value: f64, unit: &str) -> String {
    let n = format_number(value, 3);
    if unit == "%" {
        format!("{n}%")
    } else if unit.is_empty() {
        n
    } else {
        format!("{n} {unit}")
    }
}

/// A figure as the report means it: "28.101 người" (a result, read beside
/// its plan elsewhere), or a count out of a total, "10/12 cơ quan (83,33%)",
/// which is never shown as a plan.
fn figure_text(value: Option<f64>, of: Option<f64>, unit: &str) -> Option<String> {
    let value = value?;
    Some(match of {
        Some(total) => {
            let share = if total != 0.0 {
                format!(" ({})", format_percent(value / total * 100.0))
            } else {
                String::new()
            };
            format!(
                "{}/{}{share}",
                format_number(value, 3),
                with_unit(total, unit)
            )
        }
        None => with_unit(value, unit),
    })
}

/// The style of the 404 page, inline because the page is served at any
/// address and cannot count on finding the site's files.
const NOT_FOUND_CSS: &str = "body{margin:0;font:17px/1.6 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:#1f2328;background:#fff}\
.site-header{background:#0b3d6e;padding:.8rem 1rem}.brand{color:#fff;font-weight:700;text-decoration:none}\
main{max-width:42rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.6rem;line-height:1.25}a{color:#0b5cad}\
li{margin:.4rem 0}";

/// The 404 page's style and the policy that allows that one style.
fn not_found_view() -> Value {
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(NOT_FOUND_CSS));
    let csp =
        CONTENT_SECURITY_POLICY.replace("style-src 'self'", &format!("style-src 'sha256-{hash}'"));
    minijinja::context! { style => v(NOT_FOUND_CSS), csp => v(&csp) }
}

/// The media type of an original of kind `kind` (its extension).
fn mime_type(kind: &str) -> &'static str {
    match kind {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" => "application/msword",
        "odt" => "application/vnd.oasis.opendocument.text",
        "rtf" => "application/rtf",
        "txt" => "text/plain",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        _ => "application/octet-stream",
    }
}

/// A file's size the Vietnamese way, in SI units: "812 B", "12,3 kB",
/// "1,2 MB".
pub fn file_size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} kB", format_number(b / 1e3, 1)),
        1_000_000..1_000_000_000 => format!("{} MB", format_number(b / 1e6, 1)),
        _ => format!("{} GB", format_number(b / 1e9, 1)),
    }
}

/// A date the way the interface language writes it, from the translation
/// file's patterns ("ngày 09/01/2015", "9 January 2015").
fn date_text(strings: &BTreeMap<String, String>, d: &PartialDate) -> String {
    use std::fmt::Write;
    const MONTHS: [&str; 12] = [
        "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8",
        "month_9", "month_10", "month_11", "month_12",
    ];
    let t = |key: &str| strings.get(key).map_or("", String::as_str);
    let (month, day) = (d.month.unwrap_or(1), d.day.unwrap_or(1));
    let pattern = t(match (d.month, d.day) {
        (Some(_), Some(_)) => "date_day",
        (Some(_), None) => "date_month",
        _ => "date_year",
    });
    // The placeholders filled in one pass over the pattern (a date is on
    // every report link: replacing each placeholder in turn made a string
    // per placeholder).
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let from = &rest[open..];
        let Some(close) = from.find('}') else {
            rest = from;
            break;
        };
        let _ = match &from[1..close] {
            "year" => write!(out, "{}", d.year),
            "month_name" => {
                match MONTHS.get(usize::from(month).wrapping_sub(1)) {
                    Some(key) => out.push_str(t(key)),
                    None => out.push_str(t(&format!("month_{month}"))),
                }
                Ok(())
            }
            "month" => write!(out, "{month}"),
            "mm" => write!(out, "{month:02}"),
            "day" => write!(out, "{day}"),
            "dd" => write!(out, "{day:02}"),
            _ => {
                out.push_str(&from[..=close]);
                Ok(())
            }
        };
        rest = &from[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A web address from content, when it is one a reader may follow: `href`
/// as browsers parse it (percent-encoded), `text` as the content wrote it.
#[derive(Serialize)]
struct WebLink {
    href: String,
    text: String,
}

fn web_url(url: Option<&str>) -> Option<WebLink> {
    let text = url?.trim();
    urls::web_address(text).map(|href| WebLink {
        href,
        text: text.to_string(),
    })
}

impl<'a> Renderer<'a> {
    /// An interface string (the templates' `t`), for text made in Rust.
    fn t<'s>(&'s self, key: &'s str) -> &'s str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// A date the way the interface language writes it.
    fn date_text(&self, d: &PartialDate) -> String {
        date_text(&self.strings, d)
    }

    /// Place and date as the document prints them, blanks kept: "Bình
    /// Phước, ngày … tháng … năm 2021".
    fn issued_text(&self, place: Option<&str>, date: Option<&PartialDate>) -> Option<String> {
        let date = date?;
        let blank = self.t("issued_blank");
        let text = self
            .t("issued_date")
            .replace("{date}", &self.date_text(date))
            .replace(
                "{day}",
                &date.day.map_or(blank.to_string(), |d| d.to_string()),
            )
            .replace(
                "{month}",
                &date.month.map_or(blank.to_string(), |m| m.to_string()),
            )
            .replace("{year}", &date.year.to_string());
        Some(match place {
            Some(p) if !p.trim().is_empty() => format!("{p}, {text}"),
            _ => text,
        })
    }

    /// What part of its period a figure covers, when not the whole:
    /// "đến hết tháng 9 năm 2020", "đến ngày 31/08/2018".
    fn through_text(&self, through: Option<&PartialDate>) -> Option<String> {
        through.map(|d| {
            let key = if d.day.is_some() {
                "through_day"
            } else {
                "through_month"
            };
            self.t(key).replace("{date}", &self.date_text(d))
        })
    }

    /// An ISO date as [`Renderer::date_text`] writes it.
    fn iso_text(&self, iso: &str) -> String {
        PartialDate::parse(iso)
            .map(|d| self.date_text(&d))
            .unwrap_or_else(|_| iso.to_string())
    }

    /// Time every thread has spent inside the templates so far.
    pub fn template_time(&self) -> std::time::Duration {
        self.template_time.get()
    }

    /// This renderer, its home page linking the site's bundle with the
    /// size `size` (as [`file_size`] writes it).
    pub fn with_archive(mut self, size: &str) -> Renderer<'a> {
        self.archive = Some(size.to_string());
        self
    }

    /// Prepares templates and strings.
    pub fn new(
        root: &Path,
        config: &'a Config,
        content: &'a Content,
        catalog: &'a Catalog,
        comparisons: &'a Comparisons,
        drafts: bool,
    ) -> Result<Renderer<'a>> {
        let theme = Theme::new(root, config);
        let strings = Arc::new(theme.strings(root, config.language)?);
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        // Debug mode names the expression that was undefined ("`page.nope`
        // is undefined"); minijinja turns it off in release builds, which
        // are the ones editors run.
        env.set_debug(true);
        // Pages are HTML; the generated script's values are JSON; the
        // generated style sheet quotes its strings with `css_string`.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".js") {
                minijinja::AutoEscape::Json
            } else if name.ends_with(".css") {
                minijinja::AutoEscape::None
            } else {
                minijinja::AutoEscape::Html
            }
        });
        env.add_filter("css_string", css_string);
        env.add_filter("tojson", tojson_compact);
        // minijinja's HTML escaping also escapes `/`, which turns every relative
        // link into `..&#x2f;..&#x2f;`; escaping `& < > "` is what attributes
        // quoted with `"` and text need, and keeps URLs readable.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text)
                if !value.is_safe() && *state.auto_escape() == minijinja::AutoEscape::Html =>
            {
                pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(out), text)
                    .map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure))
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        let loader_theme = theme.clone();
        env.set_loader(move |name| {
            loader_theme.template(name).map_err(|e| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("cannot read template {name}"),
                )
                .with_source(e)
            })
        });
        // Each string once as a template value: handing it out is a
        // reference count, not a copy (`t` is called tens of times a page).
        // A hash map, not a sorted one: a lookup is one hash instead of
        // eight or nine string comparisons among the few hundred keys.
        let t_strings: crate::FastMap<String, Value> = strings
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        env.add_function("t", move |key: &str| -> Result<Value, minijinja::Error> {
            t_strings.get(key).cloned().ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("no translation for `{key}`"),
                )
            })
        });
        let updated = site_date(content, catalog).map(|d| date_text(&strings, &d));
        Ok(Renderer {
            updated,
            archive: None,
            template_time: Default::default(),
            page_sizes: Default::default(),
            env,
            content,
            catalog,
            comparisons,
            config,
            drafts,
            strings,
            theme,
            root: root.to_path_buf(),
        })
    }

    /// A template error in one line: the template's file, line and column,
    /// and what went wrong.
    fn describe(&self, e: &minijinja::Error) -> String {
        let Some(name) = e.name() else {
            return e.to_string();
        };
        let source = self.theme.template(name).ok().flatten().unwrap_or_default();
        let (pos, message) = template_problem(e, &source);
        format!(
            "{}:{}:{}: {message}",
            self.theme.origin(&self.root, name),
            pos.line,
            pos.column
        )
    }

    /// Every standalone page of the site, in a fixed order.
    pub fn pages(&self) -> Vec<Page> {
        let mut pages = vec![
            Page::Home,
            Page::Agencies,
            Page::Years,
            Page::Documents,
            Page::MostCited,
            Page::Indicators,
            Page::Search,
            Page::NotFound,
            Page::Data,
            Page::Verify,
        ];
        pages.extend(self.catalog.province_ids().map(|(p, _)| Page::Province(p)));
        pages.extend(self.catalog.agencies().iter().map(|&a| Page::Agency(a)));
        pages.extend(self.catalog.years().map(|(y, _)| Page::Year(y)));
        for (d, doc) in self.catalog.documents().iter() {
            pages.extend((1..=document_pages(doc)).map(|p| Page::Document(d, p)));
        }
        pages.extend(
            self.comparisons
                .series_by_indicator
                .keys()
                .map(|&i| Page::Indicator(i)),
        );
        pages
    }

    /// Report pages and comparisons go by agency: each agency's published
    /// reports oldest first, so each report's text is read once and is
    /// still at hand when the next report is compared with it.
    pub fn chains(&self) -> Vec<Vec<ReportId>> {
        let mut chains: Vec<Vec<ReportId>> = self
            .catalog
            .agencies_with_reports()
            .map(|(_, list)| {
                // The order comparisons pair reports in, so each report's
                // predecessor is the one read just before it.
                let mut chain = list.to_vec();
                chain.sort_by_cached_key(|&r| crate::compare::report_order(self.content, r));
                chain
            })
            .collect();
        // Longest first, so no long chain starts last.
        chains.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        chains
    }

    /// Where report `r`'s page is written.
    pub fn report_path(&self, r: ReportId) -> Result<OutputPath> {
        OutputPath::new(&urls::report(&self.content.reports[r].slug))
    }

    /// Where the comparison of report `r` with its predecessor is written.
    pub fn comparison_path(&self, r: ReportId) -> Result<OutputPath> {
        OutputPath::new(&urls::comparison(&self.content.reports[r].slug))
    }

    /// Renders report `r`'s page from its body.
    pub fn render_report(&self, r: ReportId, body: &Body) -> Result<(OutputPath, Vec<u8>)> {
        let path = self.report_path(r)?;
        let view = self.report_view(r, body, &path.root_prefix());
        self.finish(path, "report.html", view, places::Trail::Report(r))
    }

    /// Renders the comparison of report `r` with its agency's previous
    /// report from both bodies; `None` when it has no previous report.
    pub fn render_comparison(
        &self,
        r: ReportId,
        old: &crate::compare::PreparedText,
        new: &crate::compare::PreparedText,
    ) -> Result<Option<(OutputPath, Vec<u8>)>> {
        let Some(&earlier) = self.comparisons.previous_report.get(&r) else {
            return Ok(None);
        };
        let path = self.comparison_path(r)?;
        let view = self.comparison_view(earlier, r, old, new);
        self.finish(
            path,
            "comparison.html",
            view,
            places::Trail::Comparison(earlier, r),
        )
        .map(Some)
    }

    /// Where a page is written.
    pub fn path(&self, page: Page) -> Result<OutputPath> {
        let p = match page {
            Page::Home => urls::HOME.to_string(),
            Page::Agency(a) => urls::agency(&self.content.agencies[a].slug),
            Page::Province(p) => urls::province(&self.catalog.province(p).slug),
            Page::Agencies => urls::AGENCIES.to_string(),
            Page::Year(y) => urls::year(y),
            Page::Years => urls::YEARS.to_string(),
            Page::Document(d, p) => urls::document(&self.catalog.document(d).slug, p),
            Page::Documents => urls::DOCUMENTS.to_string(),
            Page::MostCited => urls::MOST_CITED.to_string(),
            Page::Indicator(i) => urls::indicator(&self.content.indicators[i].id.value),
            Page::Indicators => urls::INDICATORS.to_string(),
            Page::Search => urls::SEARCH.to_string(),
            Page::NotFound => urls::NOT_FOUND.to_string(),
            Page::Data => urls::DATA.to_string(),
            Page::Verify => urls::VERIFY.to_string(),
        };
        OutputPath::new(&p)
    }

    /// Renders one page to HTML.
    pub fn render(&self, page: Page) -> Result<(OutputPath, Vec<u8>)> {
        let path = self.path(page)?;
        let (template, view) = match page {
            Page::Home => ("index.html", self.home_view()),
            Page::Agency(a) => ("agency.html", self.agency_view(a)),
            Page::Province(p) => ("province.html", self.province_view(p)),
            Page::Agencies => ("agencies.html", self.agencies_view()),
            Page::Year(y) => ("year.html", self.year_view(y)),
            Page::Years => ("years.html", self.years_view()),
            Page::Document(d, p) => ("document.html", self.document_view(d, p)?),
            Page::Documents => ("documents.html", self.documents_view()),
            Page::MostCited => ("most_cited.html", self.most_cited_view()),
            Page::Indicator(i) => ("indicator.html", self.indicator_view(i)),
            Page::Indicators => ("indicators.html", self.indicators_view()),
            Page::Search => ("search.html", Value::from(())),
            Page::NotFound => ("404.html", not_found_view()),
            Page::Data => (
                "data.html",
                minijinja::context! {
                    jsonld => v(&self.data_jsonld(&path.root_prefix())),
                    columns => v(&downloads::HEADER),
                    agency_csv => v(&urls::agency_csv("…/…")),
                    indicator_csv => v(&urls::indicator_csv("…")),
                    report_csv => v(&urls::report_csv("…/…/…")),
                },
            ),
            Page::Verify => (
                "verify.html",
                minijinja::context! {
                    public_key => v(&self.config.public_key.as_deref().map(str::trim)),
                    generator => v(&format!("minhbach {}", env!("CARGO_PKG_VERSION"))),
                },
            ),
        };
        self.finish(path, template, view, places::Trail::Page(page))
    }

    /// The page's HTML from its template and view.
    fn finish(
        &self,
        path: OutputPath,
        template: &str,
        view: Value,
        trail: places::Trail,
    ) -> Result<(OutputPath, Vec<u8>)> {
        // A host serves 404.html at whatever missing address was asked
        // for, however deep: its links go from the site's address when
        // there is one, else from the host's root (a site published in a
        // sub-folder sets base_url).
        let root = if path.as_str() == urls::NOT_FOUND {
            match &self.config.base_url {
                Some(b) => format!("{}/", b.trim_end_matches('/')),
                None => "/".to_string(),
            }
        } else {
            path.root_prefix()
        };
        let canonical = self
            .config
            .base_url
            .as_ref()
            .filter(|_| path.as_str() != urls::NOT_FOUND)
            .map(|b| {
                format!(
                    "{}/{}",
                    b.trim_end_matches('/'),
                    urls::pretty(path.as_str())
                )
            });
        let feed = self.feed_beside(&trail);
        let site = SiteView {
            title: &self.config.title,
            updated: self.updated.as_deref(),
            description: self.config.description.as_deref(),
            lang: self.config.language.code(),
            drafts: self.drafts,
            links: urls::site_links(),
            csp: CONTENT_SECURITY_POLICY,
        };
        let tmpl = self
            .env
            .get_template(template)
            .with_context(|| format!("cannot load template {template}"))?;
        // The views become template values first (`v` serialises them), so
        // that the time measured is the templates' own.
        let context = minijinja::context! {site => v(&site), root => v(&root), path => v(&path.as_str()), canonical => v(&canonical), feed => v(&feed), page => v(&view), crumbs => v(&self.crumbs(trail)) };
        let started = std::time::Instant::now();
        let hint = (self.page_sizes.lock().ok()).and_then(|sizes| sizes.get(template).copied());
        let mut html = Vec::with_capacity(hint.unwrap_or(0).min(MAX_SIZE_HINT));
        tmpl.render_captured_to(context, &mut html)
            .map_err(|e| anyhow::anyhow!("{}", self.describe(&e)))
            .with_context(|| format!("cannot render {} with {template}", path.as_str()))?;
        if hint.is_none_or(|h| h < html.len()) {
            if let Ok(mut sizes) = self.page_sizes.lock() {
                let size = sizes.entry(template.to_string()).or_default();
                *size = (*size).max(html.len());
            }
        }
        self.template_time.since(started);
        Ok((path, html))
    }

    /// Renders a generated asset ([`GENERATED_ASSETS`]) from its template;
    /// the template sees only `t`.
    pub fn render_generated(&self, name: &str) -> Result<Vec<u8>> {
        let tmpl = self
            .env
            .get_template(name)
            .with_context(|| format!("cannot load template {name}"))?;
        let text = tmpl
            .render(minijinja::context! {})
            .map_err(|e| anyhow::anyhow!("{}", self.describe(&e)))
            .with_context(|| format!("cannot render {} with {name}", urls::asset(name)))?;
        Ok(text.into_bytes())
    }

    fn agency(&self, slug: &str) -> Option<&'a Agency> {
        self.content
            .agency_by_slug(slug)
            .map(|i| &self.content.agencies[i])
    }

    fn report_link(&self, r: ReportId) -> ReportLink<'a> {
        let content: &'a Content = self.content;
        let (report, agency) = (&content.reports[r], content.agency_of(r));
        ReportLink {
            url: urls::report(&report.slug),
            title: &report.title,
            kind: &report.kind,
            // A report issued without its number ("Số:      /BC-SLĐTBXH")
            // is listed without one, not with a dangling slash.
            number: report.number().filter(|n| {
                n.split('/')
                    .next()
                    .is_some_and(|k| k.chars().any(|c| c.is_ascii_digit()))
            }),
            year: report.year.value,
            year_url: urls::year(report.year.value),
            date: report.date().map(|d| self.date_text(&d)),
            agency: agency.map_or("", |a| a.name.as_str()),
            agency_url: urls::agency(&report.agency.value),
            province: agency.map_or("", |a| a.province.value.as_str()),
            province_url: report
                .agency_id
                .map(|a| urls::province(&self.catalog.province(self.catalog.province_of(a)).slug)),
            summary: report.summary.as_deref(),
            draft: !report.is_approved(),
        }
    }

    fn home_view(&self) -> Value {
        let latest: Vec<ReportLink> = self
            .catalog
            .reports()
            .iter()
            .take(10)
            .map(|&r| self.report_link(r))
            .collect();
        let archive = self.archive.as_ref().map(|size| {
            minijinja::context! { url => crate::write::archive::ARCHIVE, size => size }
        });
        minijinja::context! {archive => archive, latest => v(&latest), provinces => v(&self.provinces()), years => v(&self.year_counts()), report_count => v(&self.catalog.reports().len()), agency_count => v(&self.content.agencies.len()), document_count => v(&self.catalog.cited_documents().count()) }
    }

    fn provinces(&self) -> Vec<Value> {
        self.catalog
            .provinces()
            .iter()
            .map(|province| {
                let list: Vec<Value> = province
                    .agencies
                    .iter()
                    .map(|&a| {
                        let agency = &self.content.agencies[a];
                        minijinja::context! {name => v(&agency.name), url => v(&urls::agency(&agency.slug)), level => v(&agency.level.as_str()), reports => v(&self.catalog.reports_of_agency(a).len()) }
                    })
                    .collect();
                minijinja::context! {name => v(&province.name), url => v(&urls::province(&province.slug)), agencies => v(&list) }
            })
            .collect()
    }

    fn year_counts(&self) -> Vec<Value> {
        self.catalog
            .years()
            .rev()
            .map(|(y, list)| minijinja::context! {year => v(&y), url => v(&urls::year(y)), reports => v(&list.len()) })
            .collect()
    }

    fn agencies_view(&self) -> Value {
        minijinja::context! {provinces => v(&self.provinces()) }
    }

    fn years_view(&self) -> Value {
        minijinja::context! {years => v(&self.year_counts()) }
    }
}

/// Number of pages a document's citing reports fill.
pub fn document_pages(doc: &LegalDoc) -> usize {
    doc.report_count()
        .div_ceil(documents::CITING_PER_PAGE)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    #[test]
    fn figures_carry_units_the_vietnamese_way() {
        assert_eq!(with_unit(28101.0, "người"), "28.101 người");
        assert_eq!(with_unit(60.3, "%"), "60,3%");
        assert_eq!(with_unit(3.774, "tỷ đồng"), "3,774 tỷ đồng");
    }

    #[test]
    fn dates_in_both_languages() {
        let theme = Theme {
            site_templates: PathBuf::from("/nonexistent/templates"),
            theme_dir: PathBuf::from("/nonexistent/theme"),
        };
        let vi = theme.strings(Path::new("/x"), Language::Vi).unwrap();
        let en = theme.strings(Path::new("/x"), Language::En).unwrap();
        let d = PartialDate::parse("2020-11").unwrap();
        assert_eq!(date_text(&vi, &d), "tháng 11 năm 2020");
        assert_eq!(date_text(&en, &d), "November 2020");
        let d = PartialDate::parse("2015-01-09").unwrap();
        assert_eq!(date_text(&vi, &d), "ngày 09/01/2015");
        assert_eq!(date_text(&en, &d), "9 January 2015");
        let d = PartialDate::parse("2021").unwrap();
        assert_eq!(
            (date_text(&vi, &d).as_str(), date_text(&en, &d).as_str()),
            ("năm 2021", "2021")
        );
        // A site's own pattern: what is not a placeholder stays as written.
        let mut own = vi.clone();
        own.insert(
            "date_day".into(),
            "{weekday} {d}{dd}.{mm}.{year} ({month_name}) {unclosed".into(),
        );
        let d = PartialDate::parse("2015-12-31").unwrap();
        assert_eq!(
            date_text(&own, &d),
            "{weekday} {d}31.12.2015 (tháng 12) {unclosed"
        );
    }

    #[test]
    fn embedded_theme_is_complete() {
        let theme = Theme {
            site_templates: PathBuf::from("/nonexistent/templates"),
            theme_dir: PathBuf::from("/nonexistent/theme"),
        };
        for name in ["base.html", "report.html", "404.html"] {
            assert!(theme.template(name).unwrap().is_some(), "{name}");
        }
        assert!(theme.template("../secret").unwrap().is_none());
        let vi = theme
            .strings(Path::new("/nonexistent"), Language::Vi)
            .unwrap();
        let en = theme
            .strings(Path::new("/nonexistent"), Language::En)
            .unwrap();
        let vi_keys: Vec<_> = vi.keys().collect();
        let en_keys: Vec<_> = en.keys().collect();
        assert_eq!(vi_keys, en_keys, "vi and en translate the same keys");
    }

    /// Templates link only to addresses their views give them: an output
    /// A translation cannot end the generated style sheet's string or rule.
    #[test]
    fn css_strings_escape_what_would_end_them() {
        assert_eq!(css_string("Kết quả"), "\"Kết quả\"");
        assert_eq!(
            css_string("a\"b\\c\nd</style>"),
            "\"a\\\"b\\\\c\\a d\\3c /style\\3e \""
        );
    }

    /// Structured data without spaces, and nothing in it can close its
    /// script block or its attribute.
    #[test]
    fn compact_json_is_safe_in_html() {
        let mut env = Environment::new();
        env.add_filter("tojson", tojson_compact);
        let out = env
            .render_str(
                "{{ v|tojson }}|{{ v|tojson(indent=1) }}",
                minijinja::context! { v => v(&serde_json::json!({"a": ["</script>", "'&"], "b": 1})) },
            )
            .unwrap();
        let (compact, indented) = out.split_once('|').unwrap();
        assert_eq!(
            compact,
            r#"{"a":["\u003c/script\u003e","\u0027\u0026"],"b":1}"#
        );
        assert!(indented.contains("\n "), "{indented}");
        let back: serde_json::Value = serde_json::from_str(compact).unwrap();
        assert_eq!(back["a"][0], "</script>");
    }

    /// path written in a template would escape the URL module.
    #[test]
    fn templates_hold_no_output_paths() {
        for (name, source) in EMBEDDED_TEMPLATES {
            for literal in [
                "index.html",
                ".js\"",
                ".css",
                ".svg",
                "data/",
                "co-quan/",
                "nam/",
                "van-ban/",
                "chi-tieu/",
                "tim-kiem/",
                "tinh/",
                "bao-cao/",
                "so-sanh/",
            ] {
                assert!(
                    !source.contains(literal),
                    "{name} writes the path `{literal}`: give the template its URL in the view"
                );
            }
        }
    }
}
