//! Helpers shared by the integration tests: fixture sites copied into
//! temporary directories, the `minhbach` binary, and page text extraction.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the example site lives there).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies a directory tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A site made of the `basic` fixture with the files of `overlay` (another
/// fixture folder holding only the files it changes) copied over it.
pub fn site_with(overlay: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("basic"), dir.path());
    if let Some(o) = overlay {
        copy_tree(&fixture(o), dir.path());
    }
    dir
}

/// The example site (config.toml, content/, themes/) copied into a temp dir.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("config.toml"), dir.path().join("config.toml")).unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

/// Adds `line` (a setting) at the end of the site's config.toml.
pub fn append_config(site: &Path, line: &str) {
    let config = site.join("config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    std::fs::write(&config, text).unwrap();
}

/// The day the tests check content as of (`MINHBACH_TODAY`), so that
/// messages naming "next year" do not change with the calendar.
pub const TODAY: &str = "2026-12-02";

/// Runs the binary with `args` in `cwd`, as of [`TODAY`].
pub fn minhbach(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(args)
        .current_dir(cwd)
        .env("MINHBACH_TODAY", TODAY)
        .output()
        .expect("minhbach runs")
}

/// Builds the site at `root` into `root/public`, asserting success.
pub fn build_ok(root: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = minhbach(root, &args);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    root.join("public")
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Reads a built file as text.
pub fn read(public: &Path, rel: &str) -> String {
    std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The visible text of an HTML page: tags removed, entities decoded,
/// whitespace folded (enough for asserting what a reader sees).
pub fn page_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut skip_until: Option<&str> = None;
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if let Some(end) = skip_until {
            if lower[i..].starts_with(end) {
                skip_until = None;
                i += end.len();
            } else {
                i += 1;
            }
            continue;
        }
        if !in_tag && lower[i..].starts_with("<style") {
            skip_until = Some("</style>");
            continue;
        }
        let c = bytes[i];
        if c == b'<' {
            in_tag = true;
            text.push(' ');
        } else if c == b'>' && in_tag {
            in_tag = false;
        } else if !in_tag {
            let ch = html[i..].chars().next().unwrap();
            text.push(ch);
            i += ch.len_utf8();
            continue;
        }
        i += 1;
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// A synthetic corpus of `reports` reports (the benchmark generator) in a
/// new temporary folder: (the folder, the site root inside it).
pub fn corpus(reports: usize, seed: u64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_minhbach-corpus"))
        .args([
            "--reports",
            &reports.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .arg("--out")
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success(), "the corpus generator failed");
    (dir, site)
}
