//! The output folder under real-world conditions: a git worktree and the
//! user's files in it, links in and around it, hard-linked snapshots,
//! names planted beside it, a build killed between every pair of renames,
//! a full disk, a mount point, an empty checkout. Nothing minhbach did not
//! write is lost, nothing outside the output is written, and the next build
//! repairs what an interrupted one left.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Asserts two snapshots are equal, naming the files that differ.
#[track_caller]
fn same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let differ: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: {:?}",
        &differ[..differ.len().min(10)]
    );
}

/// The names beside an output (its siblings), sorted.
fn beside(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The files of an output that minhbach wrote (its dot-files and the
/// user's entries left out).
fn site_files(dir: &Path, user: &[&str]) -> BTreeMap<String, Vec<u8>> {
    snapshot(dir)
        .into_iter()
        .filter(|(k, _)| {
            !k.split('/').any(|s| s.starts_with('.')) && !user.iter().any(|u| k.starts_with(u))
        })
        .collect()
}

/// The basic fixture with a `keep` list, in `parent/site`.
fn site_in(parent: &Path) -> PathBuf {
    let root = parent.join("site");
    copy_tree(&fixture("basic"), &root);
    append_config(
        &root,
        "keep = [\"CNAME\", \"google123.html\", \"tai-lieu/\"]",
    );
    root
}

fn build(root: &Path, env: &[(&str, &str)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .arg("build")
        .current_dir(root)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn edit_title(root: &Path, n: usize) {
    let f = root.join("content/reports/da-nang/so-y-te/2021-bao-cao.yaml");
    let text = std::fs::read_to_string(&f).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let i = lines.iter().position(|l| l.starts_with("title:")).unwrap();
    lines[i] = format!("title: \"Báo cáo công tác năm 2021 (bản {n})\"");
    std::fs::write(&f, lines.join("\n") + "\n").unwrap();
}

/// The user's entries: a git worktree's `.git`, GitHub Pages' files, a
/// verification file, a folder of their own.
fn add_user_files(public: &Path) {
    let git = Command::new("git")
        .args(["init", "-q"])
        .arg(public)
        .status()
        .unwrap();
    assert!(git.success());
    std::fs::write(public.join("CNAME"), "minhbach.example.vn\n").unwrap();
    std::fs::write(public.join(".nojekyll"), "").unwrap();
    std::fs::create_dir_all(public.join(".well-known")).unwrap();
    std::fs::write(public.join(".well-known/security.txt"), "Contact: x@y\n").unwrap();
    std::fs::write(public.join("google123.html"), "google-site-verification\n").unwrap();
    std::fs::create_dir_all(public.join("tai-lieu")).unwrap();
    std::fs::write(public.join("tai-lieu/ban-goc.pdf"), b"%PDF-1.4 hand-made").unwrap();
}

/// The user's entries that are not dot-files.
const USER: &[&str] = &["CNAME", "google123.html", "tai-lieu/"];

/// What the user keeps, file by file.
fn user_files(public: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(public)
        .into_iter()
        .filter(|(k, _)| {
            k.starts_with(".git/")
                || k.starts_with(".well-known/")
                || k.starts_with("tai-lieu/")
                || ["CNAME", ".nojekyll", "google123.html"].contains(&k.as_str())
        })
        .collect()
}

#[test]
fn a_git_worktree_and_the_users_files_survive_ten_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    let public = root.join("public");
    // A folder with only the user's entries (a fresh worktree) is adopted.
    add_user_files(&public);
    let mine = user_files(&public);
    assert!(mine.keys().any(|k| k == ".git/HEAD"));
    for n in 0..10 {
        edit_title(&root, n);
        let out = build(&root, &[]);
        assert!(out.status.success(), "build {n}: {}", stderr(&out));
        same(
            &user_files(&public),
            &mine,
            &format!("build {n}, the user's files"),
        );
        let page = read(&public, "bao-cao/da-nang/so-y-te/2021-bao-cao/index.html");
        assert!(
            page.contains(&format!("(bản {n})")),
            "build {n} is not published"
        );
        let status = Command::new("git")
            .args(["-C"])
            .arg(&public)
            .args(["status", "--porcelain"])
            .output()
            .unwrap();
        assert!(status.status.success(), "git no longer sees its worktree");
    }
    assert_eq!(
        beside(&root),
        [
            ".public.minhbach-files",
            ".public.minhbach-lock",
            ".public.minhbach-prev",
            "config.toml",
            "content",
            "public"
        ]
    );
    // The previous output holds none of the user's files.
    let prev = root.join(".public.minhbach-prev");
    assert!(!prev.join(".git").exists() && !prev.join("CNAME").exists());
}

#[test]
fn a_file_in_the_output_that_is_not_minhbachs_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    let public = root.join("public");
    assert!(build(&root, &[]).status.success());
    // A page of minhbach's taken over by hand: the build stops rather than
    // replace it, and says how to keep it.
    let file = public.join("nam/index.html");
    std::fs::write(&file, "mine").unwrap();
    // Now minhbach's list says it wrote nam/index.html, so it is its own:
    // only a file it never wrote is the user's.
    let out = public.join("nam/ghi-chu.txt");
    std::fs::write(&out, "ghi chú").unwrap();
    assert!(build(&root, &[]).status.success());
    assert_eq!(
        std::fs::read_to_string(public.join("nam/ghi-chu.txt")).unwrap(),
        "ghi chú"
    );
    // A kept path is never written: minhbach's own file there is not made.
    std::fs::write(public.join("google123.html"), "verification").unwrap();
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    std::fs::write(
        root.join("config.toml"),
        config.replace("\"google123.html\"", "\"google123.html\", \"404.html\""),
    )
    .unwrap();
    std::fs::write(public.join("404.html"), "my own 404").unwrap();
    let out = build(&root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("kept your 404.html"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(public.join("404.html")).unwrap(),
        "my own 404"
    );
}

#[test]
fn links_in_the_output_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    let public = root.join("public");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("folder")).unwrap();
    std::fs::write(elsewhere.join("file"), "outside").unwrap();
    std::fs::write(elsewhere.join("folder/index.html"), "outside too").unwrap();
    assert!(build(&root, &[]).status.success());
    assert!(build(&root, &[]).status.success());
    // In the output and in the previous output (the next staging folder):
    // a page replaced by a link, a folder replaced by a link.
    for out in [public.clone(), root.join(".public.minhbach-prev")] {
        std::fs::remove_file(out.join("404.html")).unwrap();
        symlink(elsewhere.join("file"), out.join("404.html")).unwrap();
        std::fs::remove_dir_all(out.join("nam")).unwrap();
        symlink(elsewhere.join("folder"), out.join("nam")).unwrap();
    }
    for n in 0..3 {
        edit_title(&root, n);
        let out = build(&root, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("file")).unwrap(),
        "outside"
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("folder/index.html")).unwrap(),
        "outside too"
    );
    assert_eq!(files(&elsewhere), ["file", "folder/index.html"]);
    let m = std::fs::symlink_metadata(public.join("404.html")).unwrap();
    assert!(m.is_file(), "404.html is minhbach's again");
    assert!(std::fs::symlink_metadata(public.join("nam"))
        .unwrap()
        .is_dir());
}

#[test]
fn hard_linked_snapshots_are_never_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    let public = root.join("public");
    assert!(build(&root, &[]).status.success());
    assert!(build(&root, &[]).status.success());
    // rsnapshot / cp -al: every file of the output hard-linked elsewhere.
    let snap = dir.path().join("snapshot");
    let cp = Command::new("cp")
        .arg("-al")
        .arg(&public)
        .arg(&snap)
        .status()
        .unwrap();
    assert!(cp.success());
    let before = snapshot(&snap);
    for n in 0..3 {
        edit_title(&root, n);
        assert!(build(&root, &[]).status.success());
    }
    same(
        &snapshot(&snap),
        &before,
        "a build changed a hard-linked file in place",
    );
    assert_ne!(site_files(&public, &[]), site_files(&snap, &[]));
}

#[test]
fn names_planted_beside_the_output_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    let outside = dir.path().join("precious.txt");
    let foreign = dir.path().join("foreign");
    type Plant<'a> = Box<dyn Fn(&Path) + 'a>;
    let cases: [(&str, Plant, &str); 5] = [
        (
            ".public.minhbach-lock",
            Box::new(|p: &Path| symlink(&outside, p).unwrap()),
            "is a link, not minhbach's: minhbach keeps its own lock file there",
        ),
        (
            ".public.minhbach-prev",
            Box::new(|p: &Path| symlink(&foreign, p).unwrap()),
            "is a link, not minhbach's: minhbach keeps its own previous output there",
        ),
        (
            ".public.minhbach-prev",
            Box::new(|p: &Path| {
                std::fs::create_dir(p).unwrap();
                std::fs::write(p.join("thesis.txt"), "mine").unwrap();
            }),
            "is a folder without minhbach's marker, not minhbach's",
        ),
        (
            ".public.minhbach-lock",
            Box::new(|p: &Path| std::fs::create_dir(p).unwrap()),
            "is not a plain file, not minhbach's",
        ),
        (
            ".public.minhbach-files",
            Box::new(|p: &Path| symlink(&outside, p).unwrap()),
            "is a link, not minhbach's: minhbach keeps its own record of the files it wrote there",
        ),
    ];
    for (name, plant, message) in cases {
        std::fs::write(&outside, "keep me").unwrap();
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("a.txt"), "foreign").unwrap();
        let planted = root.join(name);
        plant(&planted);
        let before = snapshot(dir.path());
        let out = build(&root, &[]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(&planted.display().to_string()));
        same(
            &snapshot(dir.path()),
            &before,
            &format!("{name}: something changed"),
        );
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
        if std::fs::symlink_metadata(&planted).unwrap().is_dir() {
            std::fs::remove_dir_all(&planted).unwrap();
        } else {
            std::fs::remove_file(&planted).unwrap();
        }
    }
}

#[test]
fn an_output_behind_a_link_is_built_and_the_link_stays() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    let webroot = dir.path().join("www").join("site");
    std::fs::create_dir_all(&webroot).unwrap();
    symlink(&webroot, root.join("public")).unwrap();
    for n in 0..4 {
        edit_title(&root, n);
        let out = build(&root, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(std::fs::symlink_metadata(root.join("public"))
            .unwrap()
            .file_type()
            .is_symlink());
        let page = read(&webroot, "bao-cao/da-nang/so-y-te/2021-bao-cao/index.html");
        assert!(page.contains(&format!("(bản {n})")));
    }
    // minhbach's names are beside the real folder, not beside the link.
    assert_eq!(
        beside(&dir.path().join("www")),
        [
            ".site.minhbach-files",
            ".site.minhbach-lock",
            ".site.minhbach-prev",
            "site"
        ]
    );
    assert_eq!(beside(&root), ["config.toml", "content", "public"]);
}

/// Builds killed at every step of publishing: the next build — even one
/// that stops on a content error — leaves the last good output or the new
/// one, whole, with every user file, and nothing else beside it.
#[test]
fn a_build_killed_between_any_two_renames_is_repaired() {
    for exchange in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let root = site_in(dir.path());
        let public = root.join("public");
        assert!(build(&root, &[]).status.success());
        add_user_files(&public);
        assert!(build(&root, &[]).status.success());
        let old = site_files(&public, USER);
        let mine = user_files(&public);
        // What the next build makes, built elsewhere.
        let other = tempfile::tempdir().unwrap();
        let new_root = site_in(other.path());
        edit_title(&new_root, 7);
        assert!(build(&new_root, &[]).status.success());
        let new = site_files(&new_root.join("public"), &[]);
        assert_ne!(old, new);
        let template = dir.path().join("template");
        copy_tree(&root, &template);
        let mut killed = 0;
        for n in 1.. {
            let work = tempfile::tempdir().unwrap();
            let root = work.path().join("site");
            let cp = Command::new("cp")
                .arg("-a")
                .arg(&template)
                .arg(&root)
                .status()
                .unwrap();
            assert!(cp.success());
            let public = root.join("public");
            edit_title(&root, 7);
            let mut env = vec![("MINHBACH_TEST_CRASH_AT", n.to_string())];
            if !exchange {
                env.push(("MINHBACH_TEST_NO_EXCHANGE", "1".to_string()));
            }
            let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let out = build(&root, &env);
            if out.status.success() {
                break;
            }
            assert_eq!(
                out.status.code(),
                None,
                "step {n}: not killed: {}",
                stderr(&out)
            );
            killed += 1;
            // A build that stops on a content error repairs first.
            let report = root.join("content/reports/ha-noi/so-noi-vu/2022-bao-cao.yaml");
            let good = std::fs::read_to_string(&report).unwrap();
            std::fs::write(&report, "status: [").unwrap();
            let out = build(&root, &[]);
            assert_eq!(out.status.code(), Some(1), "step {n}: {}", stderr(&out));
            let now = site_files(&public, USER);
            assert!(
                now == old || now == new,
                "step {n}: the output is neither the old nor the new site"
            );
            same(
                &user_files(&public),
                &mine,
                &format!("step {n}: the user's files"),
            );
            // The next good build publishes the new site.
            std::fs::write(&report, good).unwrap();
            let out = build(&root, &[]);
            assert!(out.status.success(), "step {n}: {}", stderr(&out));
            same(&site_files(&public, USER), &new, &format!("step {n}"));
            same(
                &user_files(&public),
                &mine,
                &format!("step {n}: the user's files after"),
            );
            assert_eq!(
                beside(&root),
                [
                    ".public.minhbach-files",
                    ".public.minhbach-lock",
                    ".public.minhbach-prev",
                    "config.toml",
                    "content",
                    "public"
                ],
                "step {n}"
            );
        }
        assert!(
            killed >= if exchange { 8 } else { 10 },
            "only {killed} steps"
        );
    }
}

/// Runs `script` with `$MINHBACH` and `$DIR` set, in a mount namespace of
/// its own (so it can mount a small tmpfs without being root).
fn in_namespace(dir: &Path, script: &str) -> std::process::Output {
    Command::new("unshare")
        .args([
            "--user",
            "--map-root-user",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
        ])
        .arg(script)
        .env("MINHBACH", env!("CARGO_BIN_EXE_minhbach"))
        .env("DIR", dir)
        .output()
        .expect("unshare (util-linux) runs")
}

#[test]
fn a_full_disk_says_so_and_gives_the_space_back() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("basic");
    copy_tree(&fixture("basic"), &small);
    let big = dir.path().join("example");
    let example = example_site();
    copy_tree(example.path(), &big);
    let result = dir.path().join("result");
    std::fs::create_dir(&result).unwrap();
    // On a 2 MB disk: the basic site fits twice, with the example site's
    // content beside it (0.4 MB), but not the example site's output (4 MB).
    let out = in_namespace(
        dir.path(),
        r#"set -u
        mkdir -p "$DIR/disk" && mount -t tmpfs -o size=2048k tmpfs "$DIR/disk" || exit 90
        cp -r "$DIR/basic" "$DIR/disk/site"
        cd "$DIR/disk/site" && "$MINHBACH" build >/dev/null 2>&1 && "$MINHBACH" build >/dev/null 2>&1 || exit 91
        cp -a public "$DIR/result/before"
        rm -rf content && cp -r "$DIR/example/content" content && cp "$DIR/example/config.toml" config.toml || exit 92
        "$MINHBACH" build 2>"$DIR/result/stderr"; echo $? > "$DIR/result/code"
        cp -a public "$DIR/result/after"
        ls -a > "$DIR/result/beside"
        find . -name '*.minhbach-new' > "$DIR/result/temp"
        df -k . | tail -1 > "$DIR/result/df"
        "#,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = |f: &str| std::fs::read_to_string(result.join(f)).unwrap();
    assert_eq!(text("code").trim(), "1");
    let err = text("stderr");
    assert!(err.contains("error: disk full while writing "), "{err}");
    assert!(err.contains("/disk/site/.public.minhbach-prev/"), "{err}");
    assert!(err.contains("the published site is unchanged"), "{err}");
    same(
        &snapshot(&result.join("after")),
        &snapshot(&result.join("before")),
        "the published site",
    );
    assert_eq!(
        text("beside").lines().collect::<Vec<_>>(),
        // The record of the two builds before stays (a few hundred bytes;
        // its section of the removed folder matches no folder again).
        [
            ".",
            "..",
            ".public.minhbach-files",
            ".public.minhbach-lock",
            "config.toml",
            "content",
            "public"
        ],
        "the staging folder is removed"
    );
    assert_eq!(text("temp"), "");
}

#[test]
fn a_mount_point_output_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let out = in_namespace(
        dir.path(),
        r#"mkdir -p "$DIR/site/public" && mount -t tmpfs tmpfs "$DIR/site/public" || exit 90
        cd "$DIR/site" && "$MINHBACH" build; echo "code $?"; ls -a public"#,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("code 1"), "{stdout}{stderr}");
    assert!(
        stderr.contains("is a mount point: minhbach publishes a new site by swapping it"),
        "{stderr}"
    );
    assert!(stderr.contains("--output "), "{stderr}");
}

#[test]
fn an_empty_checkout_does_not_empty_the_public_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    assert!(build(&root, &[]).status.success());
    let before = snapshot(&root.join("public"));
    let reports = root.join("content/reports");
    std::fs::remove_dir_all(&reports).unwrap();
    std::fs::create_dir(&reports).unwrap();
    let out = build(&root, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the site has no published report, and ")
            && stderr(&out).contains("publishes 2 reports: a broken checkout or an unmounted content folder must not empty the public site. Build with --allow-empty"),
        "{}",
        stderr(&out)
    );
    same(
        &snapshot(&root.join("public")),
        &before,
        "the published site",
    );
    let out = minhbach(&root, &["build", "--allow-empty"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "no longer published (2): da-nang/so-y-te/2021-bao-cao, ha-noi/so-noi-vu/2022-bao-cao"
        ),
        "{}",
        stderr(&out)
    );
}
