//! Benchmark lines beside the build's own: the floor of only reading and
//! parsing a site's reports, and the build without its pages (below).
//!
//! Reads every `content/reports/**/*.yaml` of a site and parses it into the
//! report model with the loader's own parser call (`load::parse_bytes`:
//! UTF-8 check, NFC, serde-saphyr), on every core as `build` does, and
//! nothing else: no citations, no checks, no rendering, no writing. Any
//! build of the site must do at least this, so `bench/run.sh` adds it to the
//! copy of the output as the floor a build's time is compared with.
//!
//! Usage: minhbach-floor SITE_ROOT → prints "files bytes seconds".
//!
//! `minhbach-floor --without-pages SITE_ROOT OUTPUT` is the other line
//! `bench/run.sh` prints: `build` as the command runs it (reading ahead the
//! output, loading, citing, checking, linking, writing through the record
//! of written files, swapping) but without the HTML pages: the downloads,
//! the search index, the feeds and the assets only (`Site::build_without_pages`).
//! Not a floor of any build (those parts could be made faster too), but
//! what a build costs before its first page → prints "seconds".

use minhbach::diagnostics::Diagnostics;
use minhbach::model::ReportFile;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = match args.as_slice() {
        [flag, root, output] if flag == "--without-pages" => {
            without_pages(&PathBuf::from(root), &PathBuf::from(output));
            return;
        }
        [root] if !root.starts_with('-') => PathBuf::from(root),
        _ => {
            eprintln!(
                "usage: minhbach-floor SITE_ROOT\n       minhbach-floor --without-pages SITE_ROOT OUTPUT"
            );
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/reports"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let parsed: Vec<Result<u64, String>> = files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let len = bytes.len() as u64;
            let mut diags = Diagnostics::default();
            let rel = path.display().to_string();
            match minhbach::load::parse_bytes::<ReportFile>(&rel, bytes, &mut diags) {
                Some(_) => Ok(len),
                None => Err(format!("{rel}: does not parse")),
            }
        })
        .collect();
    let mut bytes = 0;
    for p in parsed {
        match p {
            Ok(n) => bytes += n,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    if files.is_empty() {
        eprintln!(
            "no reports under {}",
            root.join("content/reports").display()
        );
        std::process::exit(1);
    }
    println!(
        "{} {} {:.2}",
        files.len(),
        bytes,
        started.elapsed().as_secs_f64()
    );
}

/// Builds the site under `root` into `output` without its pages, quietly,
/// and prints the seconds it took.
fn without_pages(root: &std::path::Path, output: &std::path::Path) {
    let started = Instant::now();
    let built = minhbach::cmd::build::run(&minhbach::cmd::build::BuildOptions {
        root,
        output,
        drafts: false,
        verbose: false,
        quiet: true,
        allow_empty: false,
        sign: None,
        archive: false,
        pages: false,
    });
    if let Err(e) = built {
        eprintln!("{e:#}");
        std::process::exit(1);
    }
    println!("{:.2}", started.elapsed().as_secs_f64());
}
