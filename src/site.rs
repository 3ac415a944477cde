//! Orchestration: `Site::load` reads and checks everything and builds the
//! graph; `Site::build` only renders from it. Each step is timed for `--verbose`.

use crate::catalog::{Catalog, Publish};
use crate::compare::Comparisons;
use crate::config::Config;
use crate::diagnostics::{ContentErrors, Diagnostic, Diagnostics};
use crate::load::{load_content, Content};
use crate::render::Renderer;
use crate::write::{OutputPath, Writer};
use anyhow::Result;
use rayon::prelude::*;
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

impl Site {
    /// Loads, validates and links the site under `root`. Fails with
    /// [`ContentErrors`] listing every problem when the content has errors.
    pub fn load(root: &Path, publish: Publish) -> Result<Site> {
        let mut timings = Timings::default();
        let mut diags = Diagnostics::default();
        let t = Mark::now();
        let config = Config::load(root, &mut diags);
        let content = load_content(root, &mut diags);
        crate::validate::validate(&content, &mut diags);
        timings.push("load", t);
        let (Some(config), false) = (config, diags.has_errors()) else {
            return Err(ContentErrors(diags.sorted()).into());
        };
        let catalog = Catalog::build(&content, publish, &mut timings);
        diags.extend(catalog.warnings(&content, root));
        let t = Mark::now();
        let comparisons = Comparisons::build(&content, &catalog.reports, &catalog.agency_index);
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
        let pages = renderer.pages();
        let took: Vec<(&'static str, Duration)> = pages
            .par_iter()
            .map(|&p| {
                let started = Instant::now();
                let (path, bytes) = renderer.render(p)?;
                let took = started.elapsed();
                writer.write(path, &bytes)?;
                Ok((p.kind(), took))
            })
            .collect::<Result<_>>()?;
        for (kind, took) in took {
            let entry = self.page_timings.entry(kind).or_default();
            entry.0 += took;
            entry.1 += 1;
        }
        crate::downloads::files(
            &self.content,
            &self.comparisons,
            self.config.base_url.as_deref(),
        )?
        .into_iter()
        .try_for_each(|(path, bytes)| writer.write(path, &bytes))?;
        let theme = crate::render::Theme::new(&self.root, &self.config);
        for (name, bytes) in theme.static_files(&self.root)? {
            writer.write(OutputPath::new(&format!("assets/{name}"))?, &bytes)?;
        }
        self.timings.push("render", t);
        let t = Mark::now();
        crate::search::files(&self.content, &self.catalog, writer)?;
        self.timings.push("index", t);
        Ok(())
    }
}

/// Wall-clock and CPU time of each step, in order, for `--verbose`: CPU time
/// over wall time says whether a step keeps every core busy.
#[derive(Default)]
pub struct Timings {
    /// (step, wall time, CPU time of the whole process).
    pub steps: Vec<(&'static str, Duration, Duration)>,
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
        self.steps.push((
            step,
            end.wall - since.wall,
            end.cpu.saturating_sub(since.cpu),
        ));
    }
}

/// CPU time used so far by every thread of the process (user + system).
/// The standard library has no process CPU clock; `getrusage` is POSIX.
#[cfg(unix)]
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes into the struct we own.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return Duration::ZERO;
    }
    // SAFETY: zero-initialised and filled by a successful call.
    let usage = unsafe { usage.assume_init() };
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
