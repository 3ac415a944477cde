//! The benchmark's own tools measure what they say they measure.

mod common;
use common::*;
use std::process::Command;

/// `minhbach-floor` with `args`, as of [`TODAY`].
fn floor(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_minhbach-floor"))
        .args(args)
        .env("MINHBACH_TODAY", TODAY)
        .output()
        .expect("minhbach-floor runs")
}

#[test]
fn the_parse_floor_reads_every_report() {
    let site = example_site();
    let o = floor(&[site.path().as_os_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let line = String::from_utf8(o.stdout).unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields.len(), 3, "{line}");
    let reports = files(&site.path().join("content/reports"))
        .iter()
        .filter(|f| f.ends_with(".yaml"))
        .count();
    assert_eq!(fields[0].parse::<usize>().unwrap(), reports);
    assert!(fields[1].parse::<u64>().unwrap() > 0);
    assert!(fields[2].parse::<f64>().is_ok(), "{line}");
}

/// A call of neither form is refused with both forms named, not taken as a
/// site at a path such as `--without-pages`.
#[test]
fn a_call_of_neither_form_is_refused() {
    for args in [&["--without-pages", "site"][..], &[], &["site", "out"]] {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
        let o = floor(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("minhbach-floor --without-pages SITE_ROOT OUTPUT"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

/// The files that list the others.
const LISTS: [&str; 2] = ["manifest.json", ".minhbach"];

/// The build without pages is the build less its HTML: every other file is
/// there with the bytes the whole build gives it (the manifest and the list
/// of the files minhbach wrote aside: they name the pages), so the bench's
/// `no-pages` line times the rest of a build, not something else.
#[test]
fn the_build_without_pages_is_the_build_less_its_html() {
    let site = example_site();
    let whole = build_ok(site.path(), &[]);
    let bare = site.path().join("bare");
    for _ in 0..2 {
        let o = floor(&[
            "--without-pages".as_ref(),
            site.path().as_os_str(),
            bare.as_os_str(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let secs = String::from_utf8(o.stdout).unwrap();
        assert!(secs.trim().parse::<f64>().is_ok(), "{secs}");
    }
    let whole = snapshot(&whole);
    let bare = snapshot(&bare);
    assert!(
        bare.keys().all(|f| !f.ends_with(".html")),
        "a page was built"
    );
    let expected: Vec<&String> = whole
        .keys()
        .filter(|f| !f.ends_with(".html") && !LISTS.contains(&f.as_str()))
        .collect();
    assert!(expected.iter().any(|f| f.starts_with("search/")));
    assert!(expected.iter().any(|f| f.ends_with(".csv")));
    for f in &expected {
        assert!(bare.get(*f) == whole.get(*f), "{f} differs or is missing");
    }
    for f in LISTS {
        assert!(bare.contains_key(f), "no {f}");
    }
    assert_eq!(
        bare.len(),
        expected.len() + LISTS.len(),
        "{:?}",
        bare.keys()
    );
}
