//! Orchestration: `Site::load` reads and checks everything and builds the
//! graph; `Site::build` only renders from it. Each step is timed for `--verbose`.

use crate::catalog::{Catalog, Publish};
use crate::cite::Registry;
use crate::compare::Comparisons;
use crate::config::Config;
use crate::diagnostics::{ContentErrors, Diagnostic, Diagnostics};
use crate::load::{load_content_with, Content, Report};
use crate::render::Renderer;
use crate::validate::ReportChecks;
use crate::write::{OutputPath, Writer};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A loaded, checked site with its graph.
pub struct Site {
    /// The site root.
    pub root: PathBuf,
    /// Settings.
    pub config: Config,
    /// Everything under `content/`.
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
}

/// Report sources up to this total size (128 MiB, some 4,000 reports of
/// 30 KB; a province's whole archive is a few MiB) are kept in memory with
/// their text from loading to rendering, instead of being read and parsed
/// a second time (a tenth of a build's CPU). Bigger sites drop each
/// report's text once it is cited, so that memory does not grow with the
/// text of every report.
pub const KEEP_TEXT_UP_TO: u64 = 128 << 20;

impl Site {
    /// Loads, validates and links the site under `root`, holding no report
    /// text (see [`Site::load_keeping_text`]). Fails with [`ContentErrors`]
    /// listing every problem when the content has errors.
    pub fn load(root: &Path, publish: Publish) -> Result<Site> {
        Site::load_keeping_text(root, publish, 0)
    }

    /// [`Site::load`], keeping every report's text in memory when the
    /// report files total at most `keep_up_to` bytes; otherwise rendering
    /// reads each report again ([`Report::with_text`]). The output is the
    /// same either way.
    pub fn load_keeping_text(root: &Path, publish: Publish, keep_up_to: u64) -> Result<Site> {
        let mut timings = Timings::default();
        let mut diags = Diagnostics::default();
        let t = Mark::now();
        let config = Config::load(root, &mut diags);
        // One pass over the reports, in parallel: each is parsed, checked and
        // its citations recognised, then, unless the site is small enough to
        // keep, its text is dropped, so the text of every report is never
        // held at once. Rendering reads it again.
        let registry = std::sync::OnceLock::new();
        let contexts = crate::catalog::Contexts::new()
            .context("cannot create a temporary file for citation sentences")?;
        // Citation forms and wordings, stored once for the whole build.
        let found = std::sync::Mutex::new(crate::catalog::Found::default());
        let spill_failed = std::sync::Mutex::new(None);
        let checks = std::sync::OnceLock::new();
        let (check_time, cite_time) = (ThreadTime::default(), ThreadTime::default());
        let (content, per_report) = load_content_with(root, &mut diags, |shell, report, d| {
            let started = Instant::now();
            checks
                .get_or_init(|| ReportChecks::new(shell))
                .report(report, d);
            let checked = Instant::now();
            check_time.add(checked - started);
            let publish_it = publish.admits(shell, report);
            let kept = if publish_it {
                let figures = crate::compare::report_figures(shell, report);
                let registry = registry.get_or_init(|| Registry::new(&shell.legal));
                let cited =
                    crate::catalog::report_citations(shell, registry, &contexts, &found, report)
                        .unwrap_or_else(|e| {
                            if let Ok(mut first) = spill_failed.lock() {
                                first.get_or_insert(e);
                            }
                            Vec::new()
                        });
                (cited, figures)
            } else {
                (Vec::new(), Vec::new())
            };
            cite_time.add(checked.elapsed());
            if shell.report_bytes > keep_up_to {
                report.drop_text();
            }
            kept
        });
        let (cited, figures): (Vec<_>, Vec<_>) = per_report.into_iter().unzip();
        crate::validate::validate_shared(&content, &mut diags);
        timings.push("load", t);
        timings.threads.push(("check", check_time.get()));
        timings.threads.push(("cite", cite_time.get()));
        let (Some(config), false) = (config, diags.has_errors()) else {
            return Err(ContentErrors(diags.sorted()).into());
        };
        if let Some(e) = spill_failed.into_inner().ok().flatten() {
            return Err(anyhow::Error::new(e).context("cannot store citation sentences"));
        }
        contexts
            .flush()
            .context("cannot store citation sentences")?;
        let registry = registry
            .into_inner()
            .unwrap_or_else(|| Registry::new(&content.legal));
        let found = found
            .into_inner()
            .map_err(|_| anyhow::anyhow!("citation store poisoned"))?;
        let mut catalog = Catalog::build(
            &content,
            publish,
            registry,
            contexts,
            found,
            cited,
            &mut timings,
        );
        diags.extend(catalog.take_warnings(&content, root));
        let t = Mark::now();
        let comparisons = Comparisons::build(&content, &catalog.reports, figures);
        timings.push("compare", t);
        Ok(Site {
            root: root.to_path_buf(),
            config,
            content,
            catalog,
            comparisons,
            publish,
            warnings: diags.sorted(),
            timings,
            page_timings: Default::default(),
        })
    }

    /// Renders every page, download, search file and asset, in parallel,
    /// handing each to `writer` as soon as it exists.
    pub fn build(&mut self, writer: &Writer) -> Result<()> {
        let t = Mark::now();
        let renderer = Renderer::new(
            &self.root,
            &self.config,
            &self.content,
            &self.catalog,
            &self.comparisons,
            self.publish.drafts,
        )?;
        let indexer = crate::search::Indexer::new(&self.content, &self.catalog);
        let jobs: Vec<Job> = renderer
            .chains()
            .into_iter()
            .map(Job::Chain)
            .chain(renderer.pages().into_iter().map(Job::Page))
            .collect();
        let (content, comparisons, root) = (&self.content, &self.comparisons, &self.root);
        // Jobs differ a lot in size (a chain of reports against a year
        // page): one job per split lets an idle thread always take the
        // next, where rayon's default splitting can leave one thread with a
        // long sequential run at the end.
        let took: Vec<Vec<(&'static str, Duration)>> = jobs
            .par_iter()
            .with_max_len(1)
            .map(|job| -> Result<Vec<(&'static str, Duration)>> {
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
                        let mut previous: Option<(usize, Cow<Report>)> = None;
                        for &r in chain {
                            let started = Instant::now();
                            let report = content.reports[r].with_text(root)?;
                            timed("read again", started);
                            let started = Instant::now();
                            let (path, bytes) = renderer.render_report(r, &report)?;
                            timed("report", started);
                            writer.write(path, &bytes)?;
                            if let Some(&e) = comparisons.previous_report.get(&r) {
                                let started = Instant::now();
                                let old = match &previous {
                                    Some((p, old)) if *p == e => Cow::Borrowed(&**old),
                                    _ => content.reports[e].with_text(root)?,
                                };
                                let (path, bytes) = renderer.render_comparison(r, &old, &report)?;
                                timed("comparison", started);
                                writer.write(path, &bytes)?;
                            }
                            let started = Instant::now();
                            indexer.add(r, &report, writer)?;
                            timed("search text", started);
                            previous = Some((r, report));
                        }
                    }
                }
                Ok(took)
            })
            .collect::<Result<_>>()?;
        for (kind, took) in took.into_iter().flatten() {
            let entry = self.page_timings.entry(kind).or_default();
            entry.0 += took;
            entry.1 += 1;
        }
        crate::downloads::write_files(
            &self.content,
            &self.comparisons,
            self.config.base_url.as_deref(),
            writer,
        )?;
        let theme = crate::render::Theme::new(&self.root, &self.config);
        for (name, bytes) in theme.static_files(&self.root)? {
            writer.write(OutputPath::new(&format!("assets/{name}"))?, &bytes)?;
        }
        self.timings.push("render", t);
        let t = Mark::now();
        indexer.finish(writer)?;
        self.timings.push("index", t);
        Ok(())
    }
}

/// A unit of parallel rendering work.
enum Job {
    /// One agency's reports, oldest first: their pages, comparisons and
    /// search entries.
    Chain(Vec<usize>),
    /// Any other page.
    Page(crate::render::Page),
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

/// Time spent by every thread on one kind of work, summed.
#[derive(Default)]
pub struct ThreadTime(std::sync::atomic::AtomicU64);

impl ThreadTime {
    /// Adds `d`.
    pub fn add(&self, d: Duration) {
        self.0
            .fetch_add(d.as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
    }

    /// The total.
    pub fn get(&self) -> Duration {
        Duration::from_nanos(self.0.load(std::sync::atomic::Ordering::Relaxed))
    }
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
