//! The parallel build is deterministic: the same synthetic corpus built on
//! one thread and on several gives the same files, byte for byte.

mod common;
use common::*;
use std::process::Command;

#[test]
fn sequential_and_parallel_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_minhbach-corpus"))
        .args(["--reports", "120", "--seed", "7", "--out"])
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success());
    let build = |jobs: &str, out: &str| {
        let out = dir.path().join(out);
        let o = minhbach(
            &site,
            &["--jobs", jobs, "build", "--output", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        snapshot(&out)
    };
    let one = build("1", "one");
    let four = build("4", "four");
    assert!(one.len() > 500, "only {} files", one.len());
    assert!(
        one.keys().any(|k| k.starts_with("so-sanh/")),
        "no comparison page"
    );
    let differ: Vec<&String> = one
        .keys()
        .filter(|k| one.get(*k) != four.get(*k))
        .chain(four.keys().filter(|k| !one.contains_key(*k)))
        .collect();
    assert!(
        differ.is_empty(),
        "differ: {:?}",
        &differ[..differ.len().min(10)]
    );
    // Rebuilding over a previous output (its files overwritten in place)
    // gives the same bytes again.
    assert_eq!(build("2", "one"), one);
}
