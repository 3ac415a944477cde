//! The broken and hostile sites of `tests/broken/`: each case is the `basic`
//! fixture changed by the case's files, and must fail in `build` and in
//! `check` with exit code 1 and exactly the standard error of its `stderr`
//! file, leave the previous output byte for byte as it was, and put nothing
//! beside it or outside the site.
//!
//! A case folder holds:
//! - `about`: one line saying what the case is;
//! - `site/`: files copied over the `basic` fixture (may be absent);
//! - `remove` (optional): paths of `basic` to delete, one per line;
//! - `links` (optional): symbolic links to make, `path -> target` per line,
//!   where a target may start with `$OUTSIDE/`, a folder beside the site
//!   holding `secret.yaml` (a valid report) and `dir/`;
//! - `args` (optional): more arguments for `build`, one per line;
//! - `commands` (optional): the commands that must fail, when not both
//!   `build` and `check` (a case about replacing the output is `build` only);
//! - `stderr`: the exact standard error, with `$ROOT` for the site's folder
//!   and `$OUTSIDE` for the folder beside it.
//!
//! `MINHBACH_BLESS=1 cargo test --test broken` writes each case's `stderr`
//! from what the build printed: read every change before committing it.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The names in `dir` (not recursive), with the kind of each.
fn entries(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let t = e.file_type().unwrap();
        let kind = if t.is_symlink() {
            format!(
                "link to {}",
                std::fs::read_link(e.path()).unwrap().display()
            )
        } else if t.is_dir() {
            "folder".to_string()
        } else {
            format!("file of {} bytes", e.metadata().unwrap().len())
        };
        out.insert(e.file_name().to_string_lossy().into_owned(), kind);
    }
    out
}

/// Every file, folder and link under `dir` with its content, links not
/// followed.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).follow_links(false) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let t = e.file_type();
        let value = if t.is_symlink() {
            format!("-> {}", std::fs::read_link(e.path()).unwrap().display()).into_bytes()
        } else if t.is_dir() {
            b"/".to_vec()
        } else {
            std::fs::read(e.path()).unwrap()
        };
        out.insert(rel, value);
    }
    out
}

/// Lines of a case file, without blank lines and `#` comments.
fn lines(path: &Path) -> Vec<String> {
    match std::fs::read_to_string(path) {
        Ok(s) => s
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(case: &Path, bless: bool) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let top = tempfile::tempdir().unwrap();
    let root = top.path().join("site");
    let outside = top.path().join("outside");
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    std::fs::copy(
        fixture("basic").join("content/reports/da-nang/so-y-te/2021-bao-cao.yaml"),
        outside.join("secret.yaml"),
    )
    .unwrap();
    std::fs::write(outside.join("dir/note.txt"), "not the site's").unwrap();
    copy_tree(&fixture("basic"), &root);

    // The good build the broken one must not disturb.
    let public = build_ok(&root, &[]);
    let before = snapshot(&public);

    for path in lines(&case.join("remove")) {
        let p = root.join(&path);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        } else {
            std::fs::remove_file(&p).map_err(|e| format!("{name}: remove {path}: {e}"))?;
        }
    }
    if case.join("site").is_dir() {
        copy_tree(&case.join("site"), &root);
    }
    for link in lines(&case.join("links")) {
        let (path, target) = link
            .split_once(" -> ")
            .ok_or_else(|| format!("{name}: bad line in links: {link}"))?;
        let target = target.replace("$OUTSIDE", &outside.to_string_lossy());
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, &p).unwrap();
    }
    let beside = entries(&root);
    let outside_before = tree(&outside);

    let expected_path = case.join("stderr");
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    let extra = lines(&case.join("args"));
    let mut commands = lines(&case.join("commands"));
    if commands.is_empty() {
        commands = vec!["build".to_string(), "check".to_string()];
    }
    let mut problems = Vec::new();
    for command in &commands {
        let command = command.as_str();
        let mut args = vec![command];
        if command == "build" {
            args.extend(extra.iter().map(String::as_str));
        }
        let out = minhbach(&root, &args);
        let err = stderr(&out)
            .replace(&*root.to_string_lossy(), "$ROOT")
            .replace(&*outside.to_string_lossy(), "$OUTSIDE");
        if out.status.code() != Some(1) {
            problems.push(format!(
                "`{}` exited with {:?}, not 1",
                args.join(" "),
                out.status.code()
            ));
        }
        if bless && command == "build" && err != expected {
            std::fs::write(&expected_path, &err).unwrap();
        } else if err != expected {
            problems.push(format!(
                "`{}` printed:\n{err}\ninstead of:\n{expected}",
                args.join(" ")
            ));
        }
    }
    if snapshot(&public) != before {
        problems.push("the previous output changed".to_string());
    }
    if entries(&root) != beside {
        problems.push(format!(
            "the site's folder changed: {:?} became {:?}",
            beside,
            entries(&root)
        ));
    }
    if tree(&outside) != outside_before {
        problems.push("the folder beside the site changed".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}: {}", problems.join("\n")))
    }
}

/// The case folders, in name order.
fn cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn every_broken_site_fails_cleanly() {
    let bless = std::env::var_os("MINHBACH_BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        assert!(
            !lines(&case.join("about")).is_empty(),
            "{} has no `about`",
            case.display()
        );
        if let Err(e) = run_case(case, bless) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// A case too large to keep in the repository, made when the test runs:
/// a section of 1.5 MiB of text.
#[test]
fn a_text_over_one_mebibyte_is_refused() {
    let case = tempfile::tempdir().unwrap();
    let report = "content/reports/ha-noi/so-noi-vu/2022-bao-cao.yaml";
    let text = std::fs::read_to_string(fixture("basic").join(report)).unwrap();
    let long = "Giải quyết việc làm cho người lao động. ".repeat(30_000);
    let text = text.replace(
        "        body: Tỷ lệ thất nghiệp 2,5%.",
        &format!("        body: Tỷ lệ thất nghiệp 2,5%. {long}"),
    );
    let path = case.path().join("site").join(report);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    std::fs::write(case.path().join("about"), "a section of 1.5 MiB\n").unwrap();
    std::fs::write(
        case.path().join("stderr"),
        format!("{report}:24:15: section `i-1` is 1.5 MiB long: a text longer than 1 MiB is not a report's section; split it, or look for a paste gone wrong\nerror: 1 problem in the content; nothing was written\n"),
    )
    .unwrap();
    run_case(case.path(), false).unwrap();
}
