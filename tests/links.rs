//! A link checker over the whole output: every internal link and asset is
//! relative, names a file (folders as `…/index.html`), and every `#anchor`
//! exists in its target, so the site works from any sub-path and from disk.

mod common;
use common::*;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                assert!(out.pop(), "link climbs out of the output: {}", p.display());
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Checks every link in `public`; returns the number of internal links checked.
fn check_links(public: &Path) -> usize {
    let attr = Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let id_attr = Regex::new(r#"\sid="([^"]*)""#).unwrap();
    let all = files(public);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let html = read(public, f);
        let mut set = BTreeSet::new();
        for c in id_attr.captures_iter(&html) {
            assert!(
                set.insert(c[1].to_string()),
                "{f}: duplicate id `{}`",
                &c[1]
            );
        }
        ids.insert(f.clone(), set);
    }
    let mut checked = 0;
    let mut broken = Vec::new();
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let html = read(public, f);
        let dir = Path::new(f).parent().unwrap_or(Path::new(""));
        for c in attr.captures_iter(&html) {
            let link = c[1].replace("&amp;", "&");
            if link.starts_with("https://")
                || link.starts_with("http://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            // The 404 page is served by a host at any missing address: its
            // links go from the host's root (from base_url when set).
            if f == "404.html" && link.starts_with('/') {
                continue;
            }
            assert!(
                !link.starts_with('/'),
                "{f}: absolute link `{link}` breaks file://"
            );
            assert!(!link.is_empty(), "{f}: empty link");
            let (path, fragment) = match link.split_once('#') {
                Some((p, frag)) => (p.to_string(), Some(frag.to_string())),
                None => (link.clone(), None),
            };
            let target = if path.is_empty() {
                f.clone()
            } else {
                assert!(
                    !path.ends_with('/'),
                    "{f}: `{link}` names a folder, not index.html"
                );
                normalise(&dir.join(&path))
                    .to_string_lossy()
                    .replace('\\', "/")
            };
            checked += 1;
            if !public.join(&target).is_file() {
                broken.push(format!("{f}: `{link}` → missing {target}"));
                continue;
            }
            if let Some(frag) = fragment {
                let known = ids.get(&target).is_some_and(|s| s.contains(&frag));
                if !known {
                    broken.push(format!("{f}: `{link}` → no id `{frag}` in {target}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

#[test]
fn example_site_has_no_broken_links() {
    let site = example_site();
    let public = build_ok(site.path(), &[]);
    let n = check_links(&public);
    assert!(n > 1000, "only {n} links checked");
}

#[test]
fn fixture_site_with_drafts_has_no_broken_links() {
    let site = site_with(None);
    let public = build_ok(site.path(), &["--drafts"]);
    assert!(check_links(&public) > 100);
}

#[test]
fn the_checker_finds_broken_links() {
    let site = site_with(None);
    let public = build_ok(site.path(), &[]);
    let page = public.join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        html.replace("co-quan/index.html", "co-quan/khong-co.html"),
    )
    .unwrap();
    let result = std::panic::catch_unwind(|| check_links(&public));
    assert!(result.is_err(), "a broken link went unnoticed");
}

#[test]
fn comparison_fixture_has_no_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("compare"), dir.path());
    let public = build_ok(dir.path(), &[]);
    assert!(check_links(&public) > 500);
}
