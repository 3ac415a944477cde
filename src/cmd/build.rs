//! `minhbach build`: load, check, render and write the site; the output
//! directory is replaced only when everything succeeded.

use crate::model::Publish;
use crate::site::{Mark, Site};
use crate::write::warm::{self, Warming};
use crate::write::Writer;
use anyhow::{bail, Result};
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// Publish a site without reports over one that has some.
    pub allow_empty: bool,
    /// No progress bar and no summary: only problems are printed.
    pub quiet: bool,
    /// A minisign secret key file to sign the manifest with.
    pub sign: Option<&'a Path>,
    /// Also write the site's bundle, a zip of it all.
    pub archive: bool,
    /// False only for the benchmark's build without its pages
    /// ([`Site::build_without_pages`]); `build` always renders them.
    pub pages: bool,
}

/// How long a build runs before its progress is drawn: a second, or
/// `MINHBACH_PROGRESS_AFTER_MS` (the tests draw it at once).
fn show_progress_after() -> Duration {
    std::env::var("MINHBACH_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// A progress bar on standard error for a build that takes longer than
/// [`show_progress_after`]; nothing when standard error is not a terminal.
struct Bar {
    bar: indicatif::ProgressBar,
}

impl Bar {
    fn new(enabled: bool) -> Option<Bar> {
        if !enabled || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg:<10} [{bar:30}] {pos}/{len} ({elapsed})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message("checking");
        // Drawn only once the build has run for a second.
        let later = bar.downgrade();
        let after = show_progress_after();
        std::thread::spawn(move || {
            std::thread::sleep(after);
            if let Some(bar) = later.upgrade() {
                if !bar.is_finished() {
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            }
        });
        Some(Bar { bar })
    }

    /// The callback rendering calls.
    fn progress(&self) -> crate::site::Progress {
        let bar = self.bar.clone();
        bar.set_message("rendering");
        Arc::new(move |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// Builds the site; returns the number of files written.
pub fn run(opts: &BuildOptions<'_>) -> Result<usize> {
    let started = Instant::now();
    crate::write::check_output_location(opts.root, opts.output)?;
    // Before the content is read: a build that stops on a content error
    // still puts back the last good output an interrupted build moved.
    crate::write::repair(opts.output)?;
    // The output's folders and files read ahead while the content loads
    // (`write::warm`), until the build is done.
    let _warming = crate::write::place::Place::of(opts.output)
        .ok()
        .map(|p| Warming::start(vec![p.dest, p.staging], Some(warm::SAMPLE)));
    let previous = crate::write::previous_files(opts.output)?.unwrap_or_default();
    let bar = Bar::new(!opts.quiet);
    let loaded = Site::load(
        opts.root,
        Publish {
            drafts: opts.drafts,
        },
    );
    let mut site = match loaded {
        Ok(site) => site,
        Err(e) => {
            if let Some(bar) = bar {
                bar.finish();
            }
            return Err(e);
        }
    };
    site.progress = bar.as_ref().map(Bar::progress);
    super::print_diagnostics(&std::mem::take(&mut site.warnings), &site.root);
    // The key is opened before anything is written: a wrong key or
    // password stops the build with the site unchanged.
    let key = match opts.sign {
        Some(path) => {
            let key = crate::write::integrity::SigningKey::read(path)?;
            let published = site.config.public_key.as_deref().map(str::trim);
            if published != Some(key.public_base64().as_str()) {
                bail!(
                    "{} is not the key config.toml publishes: set public_key = \"{}\" in config.toml (the site shows it, so that readers can check the signature), or sign with the key whose public half is there",
                    path.display(),
                    key.public_base64()
                );
            }
            Some(key)
        }
        None => {
            if site.config.public_key.is_some() && !opts.quiet {
                eprintln!("warning: config.toml publishes a public key but this build is not signed: sign it with --sign KEY, or readers' checks will fail");
            }
            None
        }
    };
    let before = published_reports(&previous);
    if site.catalog.reports().is_empty() && !before.is_empty() && !opts.allow_empty {
        bail!(
            "the site has no published report, and {} publishes {}: a broken checkout or an unmounted content folder must not empty the public site. Build with --allow-empty to publish a site without reports",
            opts.output.display(),
            count(before.len(), "report")
        );
    }
    let keep = crate::write::place::Keep::new(&site.config.keep);
    let writer = Writer::to_dir_keeping(opts.output, &keep)?;
    writer.seal(site.seal(key)?);
    let built = if opts.archive {
        site.build_with_archive(&writer).map(|size| {
            if !opts.quiet {
                eprintln!(
                    "bundle: {} ({}), linked from the home page",
                    crate::write::archive::ARCHIVE,
                    crate::render::file_size(size)
                );
            }
        })
    } else if opts.pages {
        site.build(&writer)
    } else {
        site.build_without_pages(&writer)
    };
    if let Some(bar) = bar {
        bar.finish();
    }
    built?;
    let writing = writer.thread_time();
    let files = writer.file_counts();
    let t = Mark::now();
    let output = writer.commit()?;
    site.timings.push("write", t);
    let now: BTreeSet<String> = site
        .catalog
        .reports()
        .iter()
        .map(|&r| site.content.reports[r].slug.clone())
        .collect();
    let gone: Vec<&String> = before.difference(&now).collect();
    if !gone.is_empty() {
        eprintln!(
            "no longer published ({}): {}",
            gone.len(),
            gone.iter()
                .take(20)
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
                + if gone.len() > 20 { ", …" } else { "" }
        );
    }
    for k in output.kept() {
        eprintln!(
            "kept your {} (`keep` in config.toml): minhbach's own was not written",
            crate::diagnostics::printable(k)
        );
    }
    if opts.verbose {
        for step in &site.timings.steps {
            eprintln!(
                "{:>16}: {:>8.1} ms, {:>8.1} ms of CPU ({:.2} cores), peak memory {} MiB",
                step.name,
                step.wall.as_secs_f64() * 1000.0,
                step.cpu.as_secs_f64() * 1000.0,
                step.cpu.as_secs_f64() / step.wall.as_secs_f64().max(1e-9),
                step.peak_rss >> 20
            );
        }
        for (what, d) in &site.timings.threads {
            eprintln!(
                "{what:>16}: {:>8.1} ms of thread time",
                d.as_secs_f64() * 1000.0
            );
        }
        eprintln!(
            "{:>16}: {} reports went through the citation recogniser, once each ({} read)",
            "recognised",
            site.catalog.reports_recognised(),
            site.content.reports.len()
        );
        eprintln!(
            "(files are written while the pages and the search index are made: {:.1} ms of thread time; `write` is the final swap)",
            writing.as_secs_f64() * 1000.0
        );
        eprintln!(
            "{:>16}: {} new or changed, {} as the record of the build before last left them, {} found unchanged by reading them",
            "files",
            files.written,
            files.recorded,
            files.read
        );
        for (kind, (d, n)) in &site.page_timings {
            eprintln!(
                "{kind:>16}: {n:>6} pages, {:>8.1} ms of thread time",
                d.as_secs_f64() * 1000.0
            );
        }
    }
    if opts.quiet {
        return Ok(output.len());
    }
    if site.config.base_url.is_none() {
        eprintln!("note: no base_url in config.toml: the feeds and sitemap.xml, which need the site's address, are left out");
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

/// The slugs of the reports an output's pages show, from its file list.
fn published_reports(files: &[String]) -> BTreeSet<String> {
    files
        .iter()
        .filter_map(|f| crate::urls::report_slug(f).map(str::to_string))
        .collect()
}

/// "1 report", "3 reports".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
