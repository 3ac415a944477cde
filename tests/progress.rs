//! Feedback while building: a progress bar in a terminal for a build that
//! takes longer than a second, never when standard error is a pipe or a
//! file, and none (nor the summary) with `--quiet`.

mod common;
use common::*;
use std::process::Command;

#[test]
fn no_bar_in_a_pipe_and_nothing_but_problems_when_quiet() {
    let (_dir, site) = corpus(40, 7);
    let out = minhbach(&site, &["build"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("built 40 reports"), "{err}");
    assert!(!err.contains('\r') && !err.contains("rendering"), "{err}");
    let out = minhbach(&site, &["build", "--quiet"]);
    assert!(out.status.success());
    assert!(!stderr(&out).contains("built"), "{}", stderr(&out));
}

/// In a terminal (a pseudo-terminal made by util-linux's `script`), the
/// bar is drawn, then cleared for the summary. (It is drawn after a
/// second; `MINHBACH_PROGRESS_AFTER_MS=0` draws it at once, so that the
/// test does not depend on the machine's speed.)
#[test]
fn a_build_in_a_terminal_shows_its_progress() {
    let (_dir, site) = corpus(100, 7);
    let bin = env!("CARGO_BIN_EXE_minhbach");
    let run = |after: &str| {
        let out = Command::new("script")
            .args(["-qec", &format!("{bin} build"), "/dev/null"])
            .current_dir(&site)
            .env("MINHBACH_TODAY", TODAY)
            .env("MINHBACH_PROGRESS_AFTER_MS", after)
            .output()
            .expect("script (util-linux) runs");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = run("0");
    assert!(text.contains("rendering") && text.contains("/"), "{text}");
    assert!(text.contains("\x1b[2K"), "the bar is cleared: {text}");
    assert!(text.contains("built 100 reports"), "{text}");
    // A build shorter than the wait draws nothing.
    let text = run("600000");
    assert!(!text.contains("rendering"), "{text}");
    assert!(text.contains("built 100 reports"), "{text}");
}
