//! Orchestration: `Site::load` reads, cites and checks everything and
//! builds the graph; `Site::build` only renders from it. Each step is timed
//! for `--verbose`. A [`session::Session`] keeps a loaded site and its
//! output's dependency graph ([`plan`]) between builds, and renders again
//! only the outputs a change reaches.

pub mod plan;
pub mod session;

use crate::catalog::Catalog;
use crate::cite::{CiteStore, Cited};
use crate::compare::{Comparisons, PreparedText, Stated};
use crate::config::Config;
use crate::diagnostics::{ContentErrors, Diagnostic, Diagnostics};
use crate::load::load_content;
use crate::model::{Bodies, Body, Content, Publish, ReportId, Stored};
use crate::render::{Page, Renderer};
use crate::search::{IndexState, Indexer};
use crate::validate::ReportChecks;
use crate::write::{OutputPath, Writer};
use crate::ThreadTime;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A loaded, checked site with its graph.
pub struct Site {
    /// The site root.
    pub root: PathBuf,
    /// Settings.
    pub config: Config,
    /// Everything under `content/`, with the reports' bodies.
    pub content: Content,
    /// The graph.
    pub catalog: Catalog,
    /// Figures, series and report-to-report links.
    pub comparisons: Comparisons,
    /// What is published.
    pub publish: Publish,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
    /// Time spent per step, in order.
    pub timings: Timings,
    /// Rendering time per kind of page (summed over threads), and the count.
    pub page_timings: std::collections::BTreeMap<&'static str, (Duration, usize)>,
    /// Told of each rendering job done: (done, of how many).
    pub progress: Option<Progress>,
    /// The sources' digests, for the manifest of each build of this site.
    sources: std::sync::Mutex<crate::write::integrity::SourceDigests>,
}

/// A callback told how far rendering is: (jobs done, jobs in all). Jobs
/// are pages and each agency's chain of reports.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Report sources up to this total size (384 MiB, some 12,000 reports of
/// 30 KB; a province's whole archive is a few MiB) are kept in memory with
/// their text from loading to rendering, instead of being read, hashed and
/// parsed a second time (`read again` in `build -v`: 7 % of the CPU of a
/// 10,000-report build, whose peak memory this raises from 0.3 to 0.8 GB).
/// Bigger sites keep only each report's citations once it is cited, so
/// that memory does not grow with the text of every report; the body store reads the file again and
/// checks that it is the one that was checked.
pub const KEEP_TEXT_UP_TO: u64 = 384 << 20;

/// What the load pass keeps of one report.
struct Loaded {
    cited: Vec<Cited>,
    figures: Vec<Stated>,
    stored: Stored,
}

/// What linking and comparing were made from, by report: kept by a session
/// so that reloading a report does not read the others again.
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    /// The citations the cite stage found in each report.
    pub cited: crate::model::IdVec<ReportId, Vec<Cited>>,
    /// The figures each report states.
    pub figures: crate::model::IdVec<ReportId, Vec<Stated>>,
}

/// Which outputs a build renders.
pub(crate) enum Selection<'s> {
    /// Every output.
    All,
    /// Every output but those at these paths.
    AllBut(&'s std::collections::BTreeSet<String>),
    /// Every output but the pages (the benchmark's build without its
    /// pages, [`Site::build_without_pages`]).
    AllButPages,
    /// The outputs at these paths; the reports with these slugs are
    /// indexed again.
    Only {
        paths: &'s std::collections::BTreeSet<String>,
        reindex: &'s std::collections::BTreeSet<String>,
    },
}

impl Selection<'_> {
    fn wants(&self, path: &OutputPath) -> bool {
        match self {
            Selection::All => true,
            Selection::AllBut(paths) => !paths.contains(path.as_str()),
            Selection::AllButPages => !path.as_str().ends_with(".html"),
            Selection::Only { paths, .. } => paths.contains(path.as_str()),
        }
    }

    fn reindexes(&self, slug: &str) -> bool {
        match self {
            Selection::All | Selection::AllBut(_) | Selection::AllButPages => true,
            Selection::Only { reindex, .. } => reindex.contains(slug),
        }
    }
}

impl Site {
    /// Loads, cites, checks and links the site under `root`, keeping the
    /// reports' text in memory on sites up to [`KEEP_TEXT_UP_TO`]. Fails
    /// with [`ContentErrors`] listing every problem when the content has
    /// errors.
    pub fn load(root: &Path, publish: Publish) -> Result<Site> {
        Site::load_keeping_text(root, publish, KEEP_TEXT_UP_TO)
    }

    /// [`Site::load`], keeping every report's text in memory when the
    /// report files total at most `keep_up_to` bytes; otherwise the body
    /// store reads each report again when a page needs it. The output is
    /// the same either way.
    pub fn load_keeping_text(root: &Path, publish: Publish, keep_up_to: u64) -> Result<Site> {
        Site::load_with(root, publish, keep_up_to, false).map(|(site, _)| site)
    }

    /// [`Site::load_keeping_text`], also returning what linking and
    /// comparing were made from when `keep_inputs` (for a session).
    pub(crate) fn load_with(
        root: &Path,
        publish: Publish,
        keep_up_to: u64,
        keep_inputs: bool,
    ) -> Result<(Site, Option<Inputs>)> {
        let mut timings = Timings::default();
        let mut diags = Diagnostics::default();
        let t = Mark::now();
        let config = Config::load(root, &mut diags);
        if let Some(config) = &config {
            crate::render::check_theme(root, config, &mut diags);
        }
        // One pass over the reports, in parallel: each is parsed, cited and
        // checked, its figures are taken out, and the body store keeps its
        // text or only its citations, so the text of every report is never
        // held at once on a large site.
        let store =
            CiteStore::new().context("cannot create a temporary file for citation sentences")?;
        let spill_failed = std::sync::Mutex::new(None);
        let checks = std::sync::OnceLock::new();
        let (check_time, cite_time) = (ThreadTime::default(), ThreadTime::default());
        let (mut content, per_report) =
            load_content(root, &mut diags, |shell, report, mut body, d| {
                let started = Instant::now();
                let cited = store.cite(shell, report, &mut body).unwrap_or_else(|e| {
                    if let Ok(mut first) = spill_failed.lock() {
                        first.get_or_insert(e);
                    }
                    Vec::new()
                });
                let cited_at = Instant::now();
                cite_time.add(cited_at - started);
                checks
                    .get_or_init(|| ReportChecks::new(shell, root))
                    .report(report, &body, d);
                if publish.drafts {
                    crate::validate::left_to_fill(report, &body, d);
                }
                check_time.since(cited_at);
                if publish.admits(report) {
                    Loaded {
                        cited,
                        figures: crate::compare::report_figures(shell, report, &body),
                        stored: Stored::of(body, shell.report_bytes <= keep_up_to),
                    }
                } else {
                    Loaded {
                        cited: Vec::new(),
                        figures: Vec::new(),
                        stored: Stored::Absent,
                    }
                }
            });
        let mut cited = Vec::with_capacity(per_report.len());
        let mut figures = Vec::with_capacity(per_report.len());
        let mut stored = Vec::with_capacity(per_report.len());
        for l in per_report {
            cited.push(l.cited);
            figures.push(l.figures);
            stored.push(l.stored);
        }
        content.bodies = Bodies::new(stored, Arc::new(crate::load::body_reader(root)));
        if let Some(e) = spill_failed.into_inner().ok().flatten() {
            return Err(anyhow::Error::new(e).context("cannot store citation sentences"));
        }
        let cites = store
            .finish(&content)
            .context("cannot store citation sentences")?;
        crate::validate::validate_shared(&content, &cites.registry, &mut diags);
        crate::validate::validate_reports(&content, &mut diags);
        timings.push("load", t);
        timings.threads.push(("check", check_time.get()));
        timings.threads.push(("cite", cite_time.get()));
        let (Some(config), false) = (config, diags.has_errors()) else {
            return Err(ContentErrors(diags.sorted()).into());
        };
        let inputs = Inputs {
            cited: cited.into(),
            figures: figures.into(),
        };
        let kept = keep_inputs.then(|| inputs.clone());
        let t = Mark::now();
        // Both serial, and the comparisons need only which reports are
        // published: the citation graph and the figures' comparisons are
        // made side by side.
        let published = Catalog::published(&content, publish);
        let (mut catalog, comparisons) = rayon::join(
            || Catalog::build(&content, publish, cites, inputs.cited),
            || Comparisons::build(&content, &published, inputs.figures),
        );
        debug_assert_eq!(catalog.reports(), published.as_slice());
        timings.push("link and compare", t);
        diags.extend(catalog.take_errors(&content, root));
        if diags.has_errors() {
            return Err(ContentErrors(diags.sorted()).into());
        }
        diags.extend(catalog.take_warnings(&content, root, None));
        // The reports were hashed as they were read: the manifest's digest
        // of the sources need not read them again (at 10,000 reports, some
        // 330 MB) unless they changed since.
        let sources = crate::write::integrity::SourceDigests::seeded(
            content.reports.iter().filter_map(|(_, r)| {
                let (len, modified) = r.source_seen?;
                Some((r.file.clone(), len, modified, r.digest.0))
            }),
        );
        let site = Site {
            root: root.to_path_buf(),
            config,
            content,
            catalog,
            comparisons,
            publish,
            warnings: diags.sorted(),
            timings,
            page_timings: Default::default(),
            progress: None,
            sources: std::sync::Mutex::new(sources),
        };
        Ok((site, kept))
    }

    /// Renders every page, download, search file and asset, in parallel,
    /// handing each to `writer` as soon as it exists.
    pub fn build(&mut self, writer: &Writer) -> Result<()> {
        self.render(writer, &Selection::All, None).map(|_| ())
    }

    /// [`Site::build`] without the HTML pages: the downloads, the search
    /// index (every report indexed), the feeds and the assets only. Not a
    /// site anyone can publish: `bench/run.sh` times it (through
    /// `minhbach-floor --without-pages`) to show what a build costs before
    /// its first page.
    pub fn build_without_pages(&mut self, writer: &Writer) -> Result<()> {
        self.render(writer, &Selection::AllButPages, None)
            .map(|_| ())
    }

    /// [`Site::build`] with the site's bundle (`build --archive`): every
    /// output but the home page, then the bundle of them all with the home
    /// page that links it, the manifest and its signature (the writer must
    /// be sealed). Returns the bundle's size.
    pub fn build_with_archive(&mut self, writer: &Writer) -> Result<u64> {
        let home = std::collections::BTreeSet::from([crate::urls::HOME.to_string()]);
        self.render(writer, &Selection::AllBut(&home), None)?;
        let date = crate::render::site_date(&self.content, &self.catalog);
        let render_home = |size: &str| -> Result<Vec<u8>> {
            let r = self.renderer()?.with_archive(size);
            Ok(r.render(crate::render::Page::Home)?.1)
        };
        crate::write::archive::bundle(
            writer,
            crate::urls::HOME,
            &render_home,
            &crate::render::file_size,
            date,
        )
    }

    /// What the output's integrity manifest says of this site, signed with
    /// `key` when given: a digest of its sources read now, and the paths
    /// the user keeps in the output.
    pub fn seal(
        &self,
        key: Option<crate::write::integrity::SigningKey>,
    ) -> Result<crate::write::integrity::Seal> {
        Ok(crate::write::integrity::Seal {
            content_sha256: self
                .sources
                .lock()
                .expect("digests lock")
                .digest(&self.root, &self.config.theme)?,
            kept: self.config.keep.clone(),
            key,
            title: self.config.title.clone(),
        })
    }

    /// The renderer of this site.
    pub fn renderer(&self) -> Result<Renderer<'_>> {
        Renderer::new(
            &self.root,
            &self.config,
            &self.content,
            &self.catalog,
            &self.comparisons,
            self.publish.drafts,
        )
    }

    /// Renders the selected outputs, indexing the selected reports; with
    /// `index` (what an earlier build's index kept), the index continues
    /// from it and what it keeps is returned, otherwise the index is made
    /// whole and nothing is kept.
    pub(crate) fn render(
        &mut self,
        writer: &Writer,
        select: &Selection<'_>,
        index: Option<Option<IndexState>>,
    ) -> Result<Option<IndexState>> {
        self.render_indexing(writer, select, Some(index))
    }

    /// [`Site::render`]; with `index` `None`, the search index is left as
    /// it is (only the selected files are written).
    pub(crate) fn render_indexing(
        &mut self,
        writer: &Writer,
        select: &Selection<'_>,
        index: Option<Option<Option<IndexState>>>,
    ) -> Result<Option<IndexState>> {
        let started = Mark::now();
        let renderer = self.renderer()?;
        let untouched = index.is_none();
        let index = index.flatten();
        let keep = index.is_some();
        let indexer = match index.flatten() {
            Some(state) => {
                let changed = self
                    .catalog
                    .reports()
                    .iter()
                    .map(|&r| &self.content.reports[r].slug)
                    .filter(|s| select.reindexes(s))
                    .cloned()
                    .collect();
                Indexer::resume(&self.content, &self.catalog, state, changed)
            }
            None => Indexer::new(&self.content, &self.catalog),
        };
        let mut jobs: Vec<Job> = renderer.chains().into_iter().map(Job::Chain).collect();
        for page in renderer.pages() {
            if select.wants(&renderer.path(page)?) {
                jobs.push(Job::Page(page));
            }
        }
        let (content, comparisons) = (&self.content, &self.comparisons);
        // Jobs differ a lot in size (a chain of reports against a year
        // page): one job per split lets an idle thread always take the
        // next, where rayon's default splitting can leave one thread with a
        // long sequential run at the end.
        let done = std::sync::atomic::AtomicU64::new(0);
        let total = jobs.len() as u64;
        let progress = self.progress.clone();
        let took: Vec<Vec<(&'static str, Duration)>> = jobs
            .par_iter()
            .with_max_len(1)
            .map(|job| -> Result<Vec<(&'static str, Duration)>> {
                if let Some(tell) = &progress {
                    tell(
                        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                        total,
                    );
                }
                let mut took = Vec::new();
                let mut timed = |kind: &'static str, started: Instant| {
                    took.push((kind, started.elapsed()));
                };
                match job {
                    Job::Page(p) => {
                        let started = Instant::now();
                        let (path, bytes) = renderer.render(*p)?;
                        timed(p.kind(), started);
                        writer.write(path, &bytes)?;
                    }
                    Job::Chain(chain) => {
                        let mut previous: Option<(ReportId, Cow<Body>)> = None;
                        // The text of the report last compared, prepared
                        // once for it and the next report's comparison.
                        let mut prepared: Option<(ReportId, PreparedText)> = None;
                        for &r in chain {
                            let page = select.wants(&renderer.report_path(r)?);
                            let earlier =
                                comparisons.previous_report.get(&r).copied().filter(|_| {
                                    renderer.comparison_path(r).is_ok_and(|p| select.wants(&p))
                                });
                            let index = select.reindexes(&content.reports[r].slug);
                            if !(page || earlier.is_some() || index) {
                                previous = None;
                                continue;
                            }
                            let started = Instant::now();
                            let body = content.body(r)?;
                            timed("read again", started);
                            if page {
                                let started = Instant::now();
                                let (path, bytes) = renderer.render_report(r, &body)?;
                                timed("report", started);
                                writer.write(path, &bytes)?;
                            }
                            if let Some(e) = earlier {
                                let started = Instant::now();
                                let old = match (prepared.take(), &previous) {
                                    (Some((p, text)), _) if p == e => text,
                                    (_, Some((p, old))) if *p == e => PreparedText::new(old),
                                    _ => PreparedText::new(&*content.body(e)?),
                                };
                                let new = PreparedText::new(&body);
                                if let Some((path, bytes)) =
                                    renderer.render_comparison(r, &old, &new)?
                                {
                                    timed("comparison", started);
                                    writer.write(path, &bytes)?;
                                }
                                prepared = Some((r, new));
                            }
                            if index {
                                let started = Instant::now();
                                indexer.add(r, &body, writer)?;
                                timed("search text", started);
                            }
                            previous = Some((r, body));
                        }
                    }
                }
                Ok(took)
            })
            .collect::<Vec<Result<_>>>()
            // Every job runs even when one fails, so that the error shown
            // is the first in the jobs' order, the same on every run, not
            // whichever thread failed first.
            .into_iter()
            .collect::<Result<_>>()?;
        // The search index's term files are made on one thread (its last,
        // serial step) while the rest of the site is written on the others:
        // the feeds, the generated assets, the downloads, the originals, the
        // static files and the documents' search files. The index writes and
        // removes only its own files (search/i/ and search/t/), and the
        // writer remembers the folders it made: a removal that empties a
        // folder the other side then writes into would fail that write, so
        // the two sides must keep to folders of their own.
        let finish_index = move || -> Result<(Option<IndexState>, Duration)> {
            let started = Instant::now();
            let kept = if untouched {
                None
            } else if keep {
                Some(indexer.finish_keeping(writer)?)
            } else {
                indexer.finish(writer)?;
                None
            };
            Ok((kept, started.elapsed()))
        };
        let (root, config, content, comparisons, catalog) = (
            &self.root,
            &self.config,
            &self.content,
            &self.comparisons,
            &self.catalog,
        );
        let renderer = &renderer;
        let rest = || -> Result<()> {
            // Feeds, the sitemap and robots.txt, when the site has an address.
            renderer
                .feeds()
                .par_iter()
                .try_for_each(|&feed| -> Result<()> {
                    let path = OutputPath::new(&renderer.feed_path(feed))?;
                    if select.wants(&path) {
                        writer.write(path, &renderer.render_feed(feed))?;
                    }
                    Ok(())
                })?;
            if renderer.base().is_some() {
                let pages = renderer.sitemap_paths()?;
                for (path, bytes) in renderer.sitemaps(&pages) {
                    let path = OutputPath::new(&path)?;
                    if select.wants(&path) {
                        writer.write(path, &bytes)?;
                    }
                }
                let robots = OutputPath::new(crate::urls::ROBOTS)?;
                if renderer.at_host_root() && select.wants(&robots) {
                    writer.write(robots, &renderer.robots())?;
                }
            }
            // The generated assets, unless the site has a static file of the
            // same name (the static files are copied below).
            let statics = crate::render::Theme::new(root, config).static_files(root)?;
            for &name in crate::render::GENERATED_ASSETS {
                let path = OutputPath::new(&crate::urls::asset(name))?;
                if !statics.contains_key(name) && select.wants(&path) {
                    writer.write(path, &renderer.render_generated(name)?)?;
                }
            }
            let base_url = config.base_url.as_deref();
            let files = crate::render::downloads::downloads(content, comparisons);
            let wanted: Vec<_> = files
                .iter()
                .filter(|(_, path)| OutputPath::new(path).is_ok_and(|p| select.wants(&p)))
                .collect();
            if !wanted.is_empty() {
                let rows = crate::render::downloads::Rows::new(content, comparisons);
                wanted.par_iter().with_max_len(1).try_for_each(|(d, _)| {
                    crate::render::downloads::write_file(
                        content,
                        comparisons,
                        base_url,
                        &rows,
                        *d,
                        writer,
                    )
                })?;
            }
            // Each published report's original, as it is (checked with the
            // content: a file of a known kind inside content/originals/).
            for &r in catalog.reports() {
                let report = &content.reports[r];
                if let Some(file) = report.source.as_ref().and_then(|s| s.file.as_ref()) {
                    let path = OutputPath::new(&crate::urls::original(&report.slug, &file.value))?;
                    if select.wants(&path) {
                        let original = crate::load::original(root, &file.value)
                            .map_err(|why| anyhow::anyhow!("{}: {why}", report.file))?;
                        writer.copy_file(path, &original.path)?;
                    }
                }
            }
            for (name, file) in statics {
                let path = OutputPath::new(&crate::urls::asset(&name))?;
                if select.wants(&path) {
                    match file {
                        crate::render::StaticFile::Embedded(bytes) => writer.write(path, bytes)?,
                        crate::render::StaticFile::File(source) => {
                            writer.copy_file(path, &source)?
                        }
                    }
                }
            }
            for (path, bytes) in crate::search::document_files(content, catalog)? {
                if select.wants(&path) {
                    writer.write(path, &bytes)?;
                }
            }
            Ok(())
        };
        let (rest, index) = rayon::join(rest, finish_index);
        rest?;
        let (kept, index_time) = index?;
        // The renderer borrows the whole site: the timings are written
        // after its last use.
        let templates = renderer.template_time();
        self.timings.threads.push(("templates", templates));
        for (kind, took) in took.into_iter().flatten() {
            let entry = self.page_timings.entry(kind).or_default();
            entry.0 += took;
            entry.1 += 1;
        }
        self.timings.push("render", started);
        self.timings.threads.push(("search index", index_time));
        Ok(kept)
    }
}

/// A unit of parallel rendering work.
enum Job {
    /// One agency's reports, oldest first: their pages, comparisons and
    /// search entries.
    Chain(Vec<ReportId>),
    /// Any other page.
    Page(Page),
}

/// Wall-clock and CPU time of each step, in order, for `--verbose`: CPU time
/// over wall time says whether a step keeps every core busy.
#[derive(Default)]
pub struct Timings {
    /// Each step in order.
    pub steps: Vec<Step>,
    /// Work done inside a step by every thread, summed: (what, time).
    pub threads: Vec<(&'static str, Duration)>,
}

/// One timed step.
pub struct Step {
    /// Its name.
    pub name: &'static str,
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time of the whole process (every thread) during the step.
    pub cpu: Duration,
    /// Peak resident memory of the process when the step ended, in bytes.
    pub peak_rss: u64,
}

/// When a step started.
#[derive(Clone, Copy)]
pub struct Mark {
    wall: Instant,
    cpu: Duration,
}

impl Mark {
    /// Now, on both clocks.
    pub fn now() -> Mark {
        Mark {
            wall: Instant::now(),
            cpu: cpu_time(),
        }
    }
}

impl Timings {
    /// Records a step that started at `since` and ends now.
    pub fn push(&mut self, step: &'static str, since: Mark) {
        let end = Mark::now();
        self.steps.push(Step {
            name: step,
            wall: end.wall - since.wall,
            cpu: end.cpu.saturating_sub(since.cpu),
            peak_rss: peak_rss(),
        });
    }
}

/// The process's resource usage so far. The standard library has no process
/// CPU clock nor peak-memory figure; `getrusage` is POSIX.
#[cfg(unix)]
fn usage() -> Option<libc::rusage> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes into the struct we own.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: zero-initialised and filled by a successful call.
    Some(unsafe { usage.assume_init() })
}

/// Peak resident set size so far, in bytes (Linux reports KiB).
#[cfg(unix)]
fn peak_rss() -> u64 {
    usage().map_or(0, |u| u.ru_maxrss.max(0) as u64 * 1024)
}

/// Without `getrusage`, memory is not measured.
#[cfg(not(unix))]
fn peak_rss() -> u64 {
    0
}

/// CPU time used so far by every thread of the process (user + system).
#[cfg(unix)]
fn cpu_time() -> Duration {
    let Some(usage) = usage() else {
        return Duration::ZERO;
    };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Without `getrusage`, CPU time is not measured.
#[cfg(not(unix))]
fn cpu_time() -> Duration {
    Duration::ZERO
}
