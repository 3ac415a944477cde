//! The output dependency graph: every file a build writes, what makes it
//! (a page, a report, a search file, a download), and the facts about the
//! content it shows, each with a fingerprint. Two plans of the same site
//! tell which files a change reached (their facts' fingerprints differ),
//! and a plan tells which files depend on a report: those that show a fact
//! the report contributes to.
//!
//! Facts are named by what stays the same from one build to the next
//! (slugs, document ids), never by a place in a list.

use super::Site;
use crate::compare::Figure;
use crate::model::{AgencyId, DocumentId, FigureId, IndicatorId, ReportId};
use crate::render::downloads::{downloads, Download};
use crate::render::feeds::{Feed, FEED_ENTRIES};
use crate::render::{Page, Renderer};
use crate::search;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

/// A name in a fact: a slug or an id, shared (a plan names the same report
/// in tens of thousands of facts).
pub type Key = std::sync::Arc<str>;

/// One fact about the content that an output shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// Everything but the reports: settings, templates, theme, agencies,
    /// indicators, the legal registry.
    Site,
    /// A report's file, all of it (its page, its text).
    Source(Key),
    /// What a link to a report shows: title, kind, number, year, date,
    /// agency, summary, whether it is a draft.
    Label(Key),
    /// The report a report is compared with, and that report's label.
    Previous(Key),
    /// The counts the lists show: reports per agency and per year, the
    /// numbers of reports and of documents.
    Counts,
    /// The newest reports, on the home page.
    Latest,
    /// The reports of a year, in order.
    YearReports(i32),
    /// An agency's reports in order, and which have a comparison.
    AgencyReports(Key),
    /// What a link to a legal document shows: its address, type, symbol,
    /// issuer, scope, date and year.
    DocName(Key),
    /// How often a document is cited, and by how many reports.
    DocCounts(Key),
    /// A document page besides the links on it: other names, the documents
    /// cited with it, its citing reports and their sentences.
    Document(Key),
    /// Every document's name and counts (the document indexes).
    Documents,
    /// One agency's figures for one indicator: the series, its changes and
    /// every figure's source.
    Series(Key, Key),
    /// The indicators an agency has figures for.
    AgencySeries(Key),
    /// The agencies an indicator has figures of.
    IndicatorSeries(Key),
    /// Every figure of the site.
    Figures,
    /// The published reports in the search index's order, with their facets.
    Order,
    /// The address of every page (what the sitemap lists).
    Pages,
}

/// What makes an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// A standalone page.
    Page(Page),
    /// A report's page.
    Report(ReportId),
    /// A report beside its agency's previous report.
    Comparison(ReportId),
    /// A report's search fragment.
    Fragment(ReportId),
    /// A file of legal documents for search.
    DocShard(u32),
    /// The search index's metadata.
    SearchMeta,
    /// A download.
    Download(Download),
    /// A theme asset, by name.
    Asset(String),
    /// An asset rendered from the theme's template of that name, in the
    /// site's language ([`crate::render::GENERATED_ASSETS`]).
    Generated(&'static str),
    /// An Atom feed.
    Feed(Feed),
    /// The sitemap (0) or one of its parts (from 1).
    Sitemap(usize),
    /// `robots.txt`.
    Robots,
    /// A report's original, copied as it is.
    Original(ReportId),
}

/// One output of the plan.
#[derive(Debug, Clone)]
pub struct Planned {
    /// What makes it.
    pub job: Job,
    /// The facts it shows.
    pub facts: Vec<Fact>,
    /// Of the facts and their fingerprints.
    pub fingerprint: u64,
}

/// Every output of a build (but the search index's term buckets, which the
/// index tracks) with what makes it and what it shows.
#[derive(Debug, Default)]
pub struct Plan {
    outputs: BTreeMap<String, Planned>,
    facts: Memo,
}

/// A stable hasher (the same input gives the same number in every run of a
/// process, unlike `RandomState`).
struct Fp(foldhash::quality::FoldHasher<'static>);

impl Fp {
    fn new() -> Fp {
        use std::hash::BuildHasher;
        Fp(foldhash::quality::FixedState::with_seed(0x6d69_6e68_6261_6368).build_hasher())
    }
    fn add<T: Hash + ?Sized>(&mut self, x: &T) -> &mut Fp {
        x.hash(&mut self.0);
        self
    }
    fn num(&mut self, x: Option<f64>) -> &mut Fp {
        x.map(f64::to_bits).hash(&mut self.0);
        self
    }
    fn done(&self) -> u64 {
        self.0.finish()
    }
}

/// The keys of a site's reports, documents, agencies and indicators, made
/// once per plan and shared by its facts.
struct Keys {
    reports: Vec<Key>,
    documents: Vec<Key>,
    agencies: Vec<Key>,
    indicators: Vec<Key>,
}

impl Keys {
    fn new(site: &Site) -> Keys {
        let (content, catalog) = (&site.content, &site.catalog);
        Keys {
            reports: content
                .reports
                .values()
                .map(|r| Key::from(r.slug.as_str()))
                .collect(),
            documents: catalog
                .documents()
                .values()
                .map(|d| Key::from(d.id.as_str()))
                .collect(),
            agencies: content
                .agencies
                .values()
                .map(|a| Key::from(a.slug.as_str()))
                .collect(),
            indicators: content
                .indicators
                .values()
                .map(|i| Key::from(i.id.value.as_str()))
                .collect(),
        }
    }
    fn report(&self, r: ReportId) -> Key {
        self.reports[r.index()].clone()
    }
    fn document(&self, d: DocumentId) -> Key {
        self.documents[d.index()].clone()
    }
    fn agency(&self, a: AgencyId) -> Key {
        self.agencies[a.index()].clone()
    }
    fn indicator(&self, i: IndicatorId) -> Key {
        self.indicators[i.index()].clone()
    }
    /// The series of agency `a` for indicator `i`.
    fn series(&self, a: AgencyId, i: IndicatorId) -> Fact {
        Fact::Series(self.agency(a), self.indicator(i))
    }
}

/// Works out the facts' fingerprints, each once.
struct Facts<'a> {
    site: &'a Site,
    keys: &'a Keys,
    site_files: u64,
    /// Of the addresses of every page.
    pages: u64,
    /// Each series' figures, by (agency, indicator).
    series_figures: BTreeMap<(AgencyId, IndicatorId), Vec<FigureId>>,
    memo: Memo,
}

/// Facts' fingerprints by fact.
type Memo = std::collections::HashMap<Fact, u64, foldhash::fast::FixedState>;

impl<'a> Facts<'a> {
    fn new(site: &'a Site, keys: &'a Keys, site_files: u64, pages: u64) -> Facts<'a> {
        let mut series_figures: BTreeMap<(AgencyId, IndicatorId), Vec<FigureId>> = BTreeMap::new();
        for (id, f) in site.comparisons.figures.iter() {
            series_figures
                .entry((f.agency, f.indicator))
                .or_default()
                .push(id);
        }
        Facts {
            site,
            keys,
            site_files,
            pages,
            series_figures,
            memo: Memo::default(),
        }
    }

    fn get(&mut self, fact: &Fact) -> u64 {
        if let Some(&fp) = self.memo.get(fact) {
            return fp;
        }
        let fp = self.compute(fact);
        self.memo.insert(fact.clone(), fp);
        fp
    }

    fn report(&self, slug: &str) -> Option<ReportId> {
        self.site.content.report_by_slug(slug)
    }

    fn document(&self, id: &str) -> Option<DocumentId> {
        self.site
            .catalog
            .document_by_id(id)
            .filter(|&d| self.site.catalog.document(d).id == id)
    }

    fn compute(&mut self, fact: &Fact) -> u64 {
        let (content, catalog, comparisons) = (
            &self.site.content,
            &self.site.catalog,
            &self.site.comparisons,
        );
        let mut h = Fp::new();
        h.add(fact);
        match fact {
            Fact::Site => {
                h.add(&self.site_files)
                    .add(&format!("{:?}", self.site.config))
                    .add(&format!("{:?}", content.agencies))
                    .add(&format!("{:?}", content.indicators))
                    .add(&format!("{:?}", content.legal))
                    .add(&self.site.publish.drafts)
                    // Every page's footer gives the site's date.
                    .add(&crate::render::site_date(content, catalog).map(|d| d.iso()));
            }
            Fact::Source(slug) => {
                if let Some(r) = self.report(slug) {
                    let report = &content.reports[r];
                    h.add(&report.digest).add(&self.site.publish.admits(report));
                }
            }
            Fact::Label(slug) => {
                if let Some(r) = self.report(slug) {
                    let r = &content.reports[r];
                    h.add(&r.slug)
                        .add(&r.title)
                        .add(&r.kind)
                        .add(&r.number())
                        .add(&r.year.value)
                        .add(&r.date())
                        .add(&r.agency.value)
                        .add(&r.summary)
                        .add(&r.is_approved());
                }
            }
            Fact::Previous(slug) => {
                let previous = self
                    .report(slug)
                    .and_then(|r| comparisons.previous_report.get(&r))
                    .map(|&p| self.keys.report(p));
                if let Some(p) = previous {
                    let label = self.get(&Fact::Label(p.clone()));
                    h.add(&p).add(&label);
                }
            }
            Fact::Counts => {
                for &a in catalog.agencies() {
                    h.add(&catalog.reports_of_agency(a).len());
                }
                for (y, list) in catalog.years() {
                    h.add(&y).add(&list.len());
                }
                h.add(&catalog.reports().len())
                    .add(&catalog.cited_documents().count());
            }
            Fact::Latest => {
                for &r in catalog.reports().iter().take(FEED_ENTRIES.max(10)) {
                    h.add(&content.reports[r].slug);
                }
            }
            Fact::YearReports(y) => {
                for &r in catalog.reports_of_year(*y) {
                    h.add(&content.reports[r].slug);
                }
            }
            Fact::AgencyReports(slug) => {
                if let Some(a) = content.agency_by_slug(slug) {
                    for &r in catalog.reports_of_agency(a) {
                        h.add(&content.reports[r].slug)
                            .add(&comparisons.previous_report.contains_key(&r));
                    }
                }
            }
            Fact::DocName(id) => {
                if let Some(d) = self.document(id) {
                    let d = catalog.document(d);
                    h.add(&d.slug)
                        .add(&d.symbol)
                        .add(&d.doc_type)
                        .add(&d.issuer)
                        .add(&d.scope)
                        .add(&d.registry)
                        .add(&d.date)
                        .add(&d.year);
                    // An internal document's issuer is named with its agency's name.
                    if let Some(a) = content.agency_by_slug(&d.scope) {
                        h.add(&content.agencies[a].short_name);
                    }
                }
            }
            Fact::DocCounts(id) => {
                if let Some(d) = self.document(id) {
                    let d = catalog.document(d);
                    h.add(&d.mention_count()).add(&d.report_count());
                }
            }
            Fact::Document(id) => {
                if let Some(d) = self.document(id) {
                    let d = catalog.document(d);
                    h.add(&d.also_cited_as);
                    // The replacing document is linked when it has a page.
                    if let Some(by) = d.registry.and_then(|i| catalog.registry().replacement(i)) {
                        h.add(&catalog.document_by_id(&by.id).is_some());
                    }
                    for &(o, n) in &d.cited_with {
                        h.add(&catalog.document(o).id).add(&n);
                    }
                    for (r, mentions) in d.citing() {
                        // The sentences shown come from the citing report's file.
                        h.add(&content.reports[r].slug)
                            .add(&content.reports[r].digest)
                            .add(&mentions.len());
                    }
                }
            }
            Fact::Documents => {
                let ids: Vec<Key> = self.keys.documents.clone();
                for id in ids {
                    let name = self.get(&Fact::DocName(id.clone()));
                    let counts = self.get(&Fact::DocCounts(id));
                    h.add(&name).add(&counts);
                }
            }
            Fact::Series(agency, indicator) => {
                if let (Some(a), Some(i)) = (
                    content.agency_by_slug(agency),
                    content.indicator_by_id(indicator),
                ) {
                    let figures = self
                        .series_figures
                        .get(&(a, i))
                        .cloned()
                        .unwrap_or_default();
                    for f in figures {
                        self.figure(&mut h, &comparisons.figures[f]);
                    }
                    let series = comparisons
                        .series_by_agency
                        .get(&a)
                        .into_iter()
                        .flatten()
                        .map(|&s| &comparisons.series[s])
                        .find(|s| s.indicator == i);
                    for p in series.into_iter().flat_map(|s| &s.points) {
                        let key = |f: FigureId| {
                            let f = &comparisons.figures[f];
                            (content.reports[f.report].slug.clone(), f.metric)
                        };
                        h.add(&key(p.figure));
                        for &o in &p.superseded {
                            h.add(&key(o));
                        }
                        if let Some(c) = p.change {
                            h.add(&c.from)
                                .num(Some(c.absolute))
                                .num(c.percent)
                                .add(&format!("{:?}", c.verdict));
                        }
                    }
                }
            }
            Fact::AgencySeries(slug) => {
                if let Some(a) = content.agency_by_slug(slug) {
                    for &s in comparisons.series_by_agency.get(&a).into_iter().flatten() {
                        h.add(&content.indicators[comparisons.series[s].indicator].id.value);
                    }
                }
            }
            Fact::IndicatorSeries(id) => {
                if let Some(i) = content.indicator_by_id(id) {
                    for &s in comparisons
                        .series_by_indicator
                        .get(&i)
                        .into_iter()
                        .flatten()
                    {
                        h.add(&content.agencies[comparisons.series[s].agency].slug);
                    }
                }
            }
            Fact::Figures => {
                let keys: Vec<(AgencyId, IndicatorId)> =
                    self.series_figures.keys().copied().collect();
                for (a, i) in keys {
                    let fact = self.keys.series(a, i);
                    let fp = self.get(&fact);
                    h.add(&fp);
                }
            }
            Fact::Pages => {
                h.add(&self.pages);
            }
            Fact::Order => {
                for &r in catalog.reports() {
                    let r = &content.reports[r];
                    h.add(&r.slug)
                        .add(&r.agency.value)
                        .add(&r.year.value)
                        .add(&r.kind);
                }
            }
        }
        h.done()
    }

    /// A figure as the pages and downloads show it.
    fn figure(&mut self, h: &mut Fp, f: &Figure) {
        let (content, comparisons) = (&self.site.content, &self.site.comparisons);
        let slug = self.keys.report(f.report);
        let label = self.get(&Fact::Label(slug.clone()));
        h.add(&slug)
            .add(&label)
            .add(&f.metric)
            .add(&f.period)
            .num(f.value)
            .num(f.target)
            .num(f.of)
            .add(&f.through)
            .num(f.achieved)
            .add(&f.achieved_stated)
            .add(&f.anchor)
            .num(f.stated_value)
            .num(f.stated_target)
            .add(&f.stated)
            .add(&f.note)
            // A comparison page says which report revised the figure, and to what.
            .add(&f.superseded_by.map(|s| {
                let s = &comparisons.figures[s];
                (
                    content.reports[s.report].slug.clone(),
                    s.metric,
                    s.value.map(f64::to_bits),
                    s.of.map(f64::to_bits),
                )
            }));
    }
}

impl Plan {
    /// The plan of `site`, whose settings and theme files hash to
    /// `site_files`, with the theme's asset names.
    pub fn of(
        site: &Site,
        renderer: &Renderer,
        site_files: u64,
        assets: &[String],
    ) -> Result<Plan> {
        let (content, catalog, comparisons) = (&site.content, &site.catalog, &site.comparisons);
        let keys = Keys::new(site);
        let slug = |r: ReportId| keys.report(r);
        let label = |r: ReportId| Fact::Label(slug(r));
        let doc_id = |d: DocumentId| keys.document(d);
        let agency_slug = |a: AgencyId| keys.agency(a);
        let indicator_id = |i: IndicatorId| keys.indicator(i);
        let series_fact = |_: &Site, a: AgencyId, i: IndicatorId| keys.series(a, i);
        let mut outputs: BTreeMap<String, (Job, Vec<Fact>)> = BTreeMap::new();
        let mut put = |path: String, job: Job, mut facts: Vec<Fact>| {
            facts.insert(0, Fact::Site);
            outputs.insert(path, (job, facts));
        };

        for page in renderer.pages() {
            let facts: Vec<Fact> = match page {
                Page::Home => {
                    let mut f = vec![Fact::Latest, Fact::Counts];
                    f.extend(catalog.reports().iter().take(10).map(|&r| label(r)));
                    f
                }
                Page::Agencies | Page::Years => vec![Fact::Counts],
                Page::Year(y) => {
                    let mut f = vec![Fact::Counts, Fact::YearReports(y)];
                    f.extend(catalog.reports_of_year(y).iter().map(|&r| label(r)));
                    for s in comparisons.series.values() {
                        if s.points
                            .iter()
                            .any(|p| comparisons.figures[p.figure].period.year == y)
                        {
                            f.push(series_fact(site, s.agency, s.indicator));
                        }
                    }
                    f
                }
                Page::Agency(a) => {
                    let mut f = vec![
                        Fact::AgencyReports(agency_slug(a)),
                        Fact::AgencySeries(agency_slug(a)),
                    ];
                    f.extend(catalog.reports_of_agency(a).iter().map(|&r| label(r)));
                    for &s in comparisons.series_by_agency.get(&a).into_iter().flatten() {
                        f.push(series_fact(site, a, comparisons.series[s].indicator));
                    }
                    f
                }
                Page::Province(p) => {
                    let mut f = vec![Fact::Counts];
                    for &a in &catalog.province(p).agencies {
                        f.push(Fact::AgencyReports(agency_slug(a)));
                        f.extend(catalog.reports_of_agency(a).iter().map(|&r| label(r)));
                        for &s in comparisons.series_by_agency.get(&a).into_iter().flatten() {
                            f.push(series_fact(site, a, comparisons.series[s].indicator));
                        }
                    }
                    f
                }
                Page::Document(d, p) => {
                    let doc = catalog.document(d);
                    let mut f = vec![
                        Fact::DocName(doc_id(d)),
                        Fact::DocCounts(doc_id(d)),
                        Fact::Document(doc_id(d)),
                    ];
                    let per_page = crate::render::CITING_PER_PAGE;
                    f.extend(
                        doc.citing()
                            .skip((p - 1) * per_page)
                            .take(per_page)
                            .map(|(r, _)| label(r)),
                    );
                    f.extend(
                        doc.cited_with
                            .iter()
                            .map(|&(o, _)| Fact::DocName(doc_id(o))),
                    );
                    f
                }
                Page::Documents | Page::MostCited => vec![Fact::Documents],
                Page::Indicator(i) => {
                    let mut f = vec![Fact::IndicatorSeries(indicator_id(i))];
                    for &s in comparisons
                        .series_by_indicator
                        .get(&i)
                        .into_iter()
                        .flatten()
                    {
                        f.push(series_fact(site, comparisons.series[s].agency, i));
                    }
                    f
                }
                Page::Indicators => keys
                    .indicators
                    .iter()
                    .map(|i| Fact::IndicatorSeries(i.clone()))
                    .collect(),
                Page::Search | Page::NotFound | Page::Data | Page::Verify => Vec::new(),
            };
            put(
                renderer.path(page)?.as_str().to_string(),
                Job::Page(page),
                facts,
            );
        }

        for (position, &r) in catalog.reports().iter().enumerate() {
            let mut f = vec![Fact::Source(slug(r)), Fact::Previous(slug(r))];
            f.extend(
                catalog
                    .cited_by(r)
                    .iter()
                    .map(|&d| Fact::DocName(doc_id(d))),
            );
            put(
                renderer.report_path(r)?.as_str().to_string(),
                Job::Report(r),
                f,
            );
            if let Some(&e) = comparisons.previous_report.get(&r) {
                put(
                    renderer.comparison_path(r)?.as_str().to_string(),
                    Job::Comparison(r),
                    vec![
                        Fact::Source(slug(r)),
                        Fact::Source(slug(e)),
                        Fact::Previous(slug(r)),
                    ],
                );
            }
            if let Some(file) = content.reports[r]
                .source
                .as_ref()
                .and_then(|s| s.file.as_ref())
            {
                put(
                    crate::urls::original(&slug(r), &file.value),
                    Job::Original(r),
                    vec![Fact::Source(slug(r))],
                );
            }
            put(
                search::fragment_path(position),
                Job::Fragment(r),
                vec![Fact::Source(slug(r)), Fact::Order],
            );
        }

        let mut shards: BTreeMap<u32, Vec<Fact>> = BTreeMap::new();
        for (d, doc) in catalog.documents().iter() {
            let facts = shards.entry(search::doc_shard(doc)).or_default();
            facts.push(Fact::DocName(doc_id(d)));
            facts.push(Fact::DocCounts(doc_id(d)));
            facts.extend(doc.citing().take(3).map(|(r, _)| label(r)));
        }
        for n in 0..search::DOC_SHARDS {
            put(
                search::doc_shard_path(n),
                Job::DocShard(n),
                shards.remove(&n).unwrap_or_default(),
            );
        }
        put(
            crate::urls::SEARCH_META.to_string(),
            Job::SearchMeta,
            vec![Fact::Order],
        );

        for (d, path) in downloads(content, comparisons) {
            let facts = match d {
                Download::MetricsCsv | Download::MetricsJson => vec![Fact::Figures],
                Download::Readme => Vec::new(),
                // A report's own figures, and whether a later report replaced each.
                Download::Report(r) => {
                    let mut facts = vec![Fact::Source(slug(r))];
                    facts.extend(
                        comparisons
                            .figures_by_report
                            .get(&r)
                            .into_iter()
                            .flatten()
                            .map(|&f| {
                                let f = &comparisons.figures[f];
                                series_fact(site, f.agency, f.indicator)
                            }),
                    );
                    facts.sort();
                    facts.dedup();
                    facts
                }
                Download::Agency(a) => comparisons
                    .series_by_agency
                    .get(&a)
                    .into_iter()
                    .flatten()
                    .map(|&s| series_fact(site, a, comparisons.series[s].indicator))
                    .collect(),
                Download::Indicator(i) => comparisons
                    .series_by_indicator
                    .get(&i)
                    .into_iter()
                    .flatten()
                    .map(|&s| series_fact(site, comparisons.series[s].agency, i))
                    .collect(),
            };
            put(path, Job::Download(d), facts);
        }
        for &name in crate::render::GENERATED_ASSETS {
            put(crate::urls::asset(name), Job::Generated(name), Vec::new());
        }
        // A static file of the same name is the site's own: it wins.
        for name in assets {
            put(
                crate::urls::asset(name),
                Job::Asset(name.clone()),
                Vec::new(),
            );
        }

        // Discovery files, with an address to give (base_url).
        let page_paths = renderer.sitemap_paths()?;
        for feed in renderer.feeds() {
            let mut facts = match feed {
                Feed::Site => vec![Fact::Latest],
                Feed::Agency(a) => vec![Fact::AgencyReports(agency_slug(a))],
                Feed::Province(p) => catalog
                    .province(p)
                    .agencies
                    .iter()
                    .map(|&a| Fact::AgencyReports(agency_slug(a)))
                    .collect(),
                Feed::Document(d) => vec![Fact::DocName(doc_id(d)), Fact::Document(doc_id(d))],
            };
            // Which reports a feed lists depends on every candidate's date.
            facts.extend(renderer.feed_candidates(feed).into_iter().map(label));
            put(renderer.feed_path(feed), Job::Feed(feed), facts);
        }
        if renderer.base().is_some() {
            for (n, (path, _)) in renderer.sitemaps(&page_paths).into_iter().enumerate() {
                put(path, Job::Sitemap(n), vec![Fact::Pages]);
            }
            if renderer.at_host_root() {
                put(crate::urls::ROBOTS.to_string(), Job::Robots, Vec::new());
            }
        }
        let mut pages = Fp::new();
        pages.add(&page_paths);

        let mut facts = Facts::new(site, &keys, site_files, pages.done());
        let outputs = outputs
            .into_iter()
            .map(|(path, (job, list))| {
                let mut h = Fp::new();
                h.add(&path);
                // A fact's fingerprint starts with the fact itself.
                for f in &list {
                    h.add(&facts.get(f));
                }
                let planned = Planned {
                    job,
                    facts: list,
                    fingerprint: h.done(),
                };
                (path, planned)
            })
            .collect();
        Ok(Plan {
            outputs,
            facts: facts.memo,
        })
    }

    /// Every output, by path.
    pub fn outputs(&self) -> &BTreeMap<String, Planned> {
        &self.outputs
    }

    /// True when a change since `old` reaches every output: the settings or
    /// the theme changed, or the published reports or their order did (each
    /// report's place in the search index moves).
    pub fn changes_everything(&self, old: &Plan) -> bool {
        [Fact::Site, Fact::Order]
            .iter()
            .any(|f| self.facts.get(f) != old.facts.get(f))
    }

    /// The outputs whose facts changed since `old`, or that are new; and
    /// those `old` had that this plan does not.
    pub fn changed_since(&self, old: &Plan) -> (BTreeSet<String>, BTreeSet<String>) {
        let changed = self
            .outputs
            .iter()
            .filter(|(path, p)| {
                old.outputs
                    .get(*path)
                    .is_none_or(|o| o.fingerprint != p.fingerprint)
            })
            .map(|(path, _)| path.clone())
            .collect();
        let gone = old
            .outputs
            .keys()
            .filter(|p| !self.outputs.contains_key(*p))
            .cloned()
            .collect();
        (changed, gone)
    }

    /// The facts report `r` of `site` contributes to: its file and label,
    /// its place beside the next report, its agency's and year's lists, the
    /// documents it cites, and the series of its figures. (Adding or
    /// removing a report, or moving it in the order, changes the counts and
    /// the order, which reach every list and the whole search index.)
    fn contributions(site: &Site, r: ReportId) -> BTreeSet<Fact> {
        let (content, catalog, comparisons) = (&site.content, &site.catalog, &site.comparisons);
        let report = &content.reports[r];
        let key = |s: &str| Key::from(s);
        let mut out = BTreeSet::from([
            Fact::Source(key(&report.slug)),
            Fact::Label(key(&report.slug)),
            Fact::AgencyReports(key(&report.agency.value)),
            Fact::YearReports(report.year.value),
        ]);
        for (&later, &earlier) in &comparisons.previous_report {
            if earlier == r {
                out.insert(Fact::Previous(key(&content.reports[later].slug)));
            }
        }
        for &d in catalog.cited_by(r) {
            let doc = catalog.document(d);
            if names(site, d, r) {
                out.insert(Fact::DocName(key(&doc.id)));
            }
            out.insert(Fact::DocCounts(key(&doc.id)));
            out.insert(Fact::Document(key(&doc.id)));
            out.insert(Fact::Documents);
        }
        for &f in comparisons.figures_by_report.get(&r).into_iter().flatten() {
            let f = &comparisons.figures[f];
            let (agency, indicator) = (
                key(&content.agencies[f.agency].slug),
                key(&content.indicators[f.indicator].id.value),
            );
            out.insert(Fact::Series(agency.clone(), indicator.clone()));
            out.insert(Fact::AgencySeries(agency));
            out.insert(Fact::IndicatorSeries(indicator));
            out.insert(Fact::Figures);
        }
        out
    }

    /// The outputs of this plan (of `site`) that show a fact report `r`
    /// contributes to.
    pub fn dependents(&self, site: &Site, r: ReportId) -> BTreeSet<String> {
        let contributes = Plan::contributions(site, r);
        self.outputs
            .iter()
            .filter(|(_, p)| p.facts.iter().any(|f| contributes.contains(f)))
            .map(|(path, _)| path.clone())
            .collect()
    }
}

/// True when report `r` decides how document `d` is named: its first
/// citation gives the type, symbol and issuer; the first citation with a
/// full date gives the date (unless the registry does); and a symbol without
/// a year takes its year from the dates citations give. (Two documents
/// merged because they share a day, or a year given by another document's
/// citations, are found by comparing the graphs before and after a change.)
fn names(site: &Site, d: DocumentId, r: ReportId) -> bool {
    let catalog = &site.catalog;
    let doc = catalog.document(d);
    let mut citing = doc.citing();
    if citing.next().is_some_and(|(first, _)| first == r) {
        return true;
    }
    let full_date =
        |m: &crate::catalog::Mention| catalog.mention_date(m).is_some_and(|d| d.len() == 10);
    if doc.registry.is_none() {
        let first_dated = doc
            .citing()
            .find(|(_, mentions)| mentions.iter().any(full_date))
            .map(|(report, _)| report);
        if first_dated == Some(r) {
            return true;
        }
    }
    // A year not in the symbol comes from the dates citations give; while
    // another report gives one too, this one alone does not decide it.
    let year_in_symbol = doc
        .year
        .is_some_and(|y| doc.symbol.contains(&y.to_string()));
    let mut dated = doc
        .citing()
        .filter(|(_, mentions)| mentions.iter().any(|m| catalog.mention_date(m).is_some()))
        .map(|(report, _)| report);
    !year_in_symbol && dated.next() == Some(r) && dated.next().is_none()
}

/// A fingerprint of the files a site's pages are made with besides the
/// content: `config.toml`, the site's `templates/`, `static/` and `i18n/`,
/// and the theme's folder.
pub fn site_files(root: &std::path::Path, theme: &str) -> u64 {
    let mut h = Fp::new();
    h.add(&std::fs::read(root.join(crate::config::Config::FILE)).unwrap_or_default());
    for file in crate::write::integrity::source_files(root, theme, false) {
        h.add(&file);
        // In pieces: a static file may be larger than memory.
        if let Ok(mut file) = std::fs::File::open(root.join(&file)) {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = std::io::Read::read(&mut file, &mut buf) {
                if n == 0 {
                    break;
                }
                h.add(&buf[..n]);
            }
        }
    }
    h.done()
}
