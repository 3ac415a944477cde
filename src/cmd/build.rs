//! `minhbach build`: load, check, render and write the site; the output
//! directory is replaced only when everything succeeded.

use crate::model::Publish;
use crate::site::{Mark, Site};
use crate::write::Writer;
use anyhow::Result;
use std::path::Path;
use std::time::Instant;

/// What `build` was asked to do.
pub struct BuildOptions<'a> {
    /// Site root.
    pub root: &'a Path,
    /// Output directory.
    pub output: &'a Path,
    /// Publish drafts with a banner.
    pub drafts: bool,
    /// Print per-step timings.
    pub verbose: bool,
}

/// Builds the site; returns the number of files written.
pub fn run(opts: &BuildOptions<'_>) -> Result<usize> {
    let started = Instant::now();
    crate::write::check_output_location(opts.root, opts.output)?;
    let mut site = Site::load(
        opts.root,
        Publish {
            drafts: opts.drafts,
        },
    )?;
    super::print_diagnostics(&std::mem::take(&mut site.warnings), &site.root);
    let writer = Writer::to_dir(opts.output)?;
    site.build(&writer)?;
    let writing = writer.thread_time();
    let t = Mark::now();
    let output = writer.commit()?;
    site.timings.push("write", t);
    if opts.verbose {
        for step in &site.timings.steps {
            eprintln!(
                "{:>10}: {:>8.1} ms, {:>8.1} ms of CPU ({:.2} cores), peak memory {} MiB",
                step.name,
                step.wall.as_secs_f64() * 1000.0,
                step.cpu.as_secs_f64() * 1000.0,
                step.cpu.as_secs_f64() / step.wall.as_secs_f64().max(1e-9),
                step.peak_rss >> 20
            );
        }
        for (what, d) in &site.timings.threads {
            eprintln!(
                "{what:>14}: {:>8.1} ms of thread time",
                d.as_secs_f64() * 1000.0
            );
        }
        eprintln!(
            "{:>14}: {} reports went through the citation recogniser, once each ({} read)",
            "recognised",
            site.catalog.reports_recognised(),
            site.content.reports.len()
        );
        eprintln!(
            "(files are written while render and index run: {:.1} ms of thread time; `write` is the final swap)",
            writing.as_secs_f64() * 1000.0
        );
        for (kind, (d, n)) in &site.page_timings {
            eprintln!(
                "{kind:>14}: {n:>6} pages, {:>8.1} ms of thread time",
                d.as_secs_f64() * 1000.0
            );
        }
    }
    eprintln!(
        "built {} reports into {} ({} files, {} KiB) in {:.0} ms",
        site.catalog.reports().len(),
        opts.output.display(),
        output.len(),
        output.total_bytes() / 1024,
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(output.len())
}
