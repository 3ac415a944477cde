//! `minhbach serve` over HTTP with a real client (ureq): pages with the
//! live-reload script, files, the 404 page, refused paths; an edit shown
//! without a restart and byte for byte what a full build makes; a content
//! error that leaves the last good site served; Ctrl-C stopping cleanly.
//! In headless Chromium (tests/browser/serve.mjs): the page reloads by
//! itself where it was scrolled, an error overlay appears and clears.

mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `minhbach serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    output: std::sync::mpsc::Receiver<String>,
    /// The server's temporary directory (TMPDIR), where it keeps its
    /// preview folder.
    tmp: tempfile::TempDir,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_with(root, extra, &[])
    }

    fn start_with(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_minhbach"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(root)
            .env("MINHBACH_TODAY", TODAY)
            .env("TMPDIR", tmp.path())
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("minhbach serve starts");
        let (tx, output) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        // Held by the server from here on, so that a failure kills it.
        let mut server = Server {
            child,
            url: String::new(),
            output,
            tmp,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        loop {
            let line = server
                .output
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("serve printed no address: {seen:?}"));
            if let Some(at) = line.find("http://") {
                server.url = line[at..].split_whitespace().next().unwrap().to_string();
                return server;
            }
            seen.push(line);
        }
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = agent
            .get(format!("{}{}", self.url, path))
            .call()
            .expect("the server answers");
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, kind, body)
    }

    /// Waits until a line containing `text` is printed; returns the lines.
    fn wait_for_line(&self, text: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut lines = Vec::new();
        while let Ok(line) = self
            .output
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            let done = line.contains(text);
            lines.push(line);
            if done {
                return lines;
            }
        }
        panic!("serve never printed {text:?}: {lines:?}");
    }

    /// Ctrl-C; returns whether it stopped cleanly within 10 s.
    fn interrupt(mut self) -> bool {
        self.stop(libc::SIGINT, Duration::from_secs(10))
    }

    /// Sends `signal`; whether the server then ended with success within
    /// `wait`.
    fn stop(&mut self, signal: i32, wait: Duration) -> bool {
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// The preview folders left in the server's temporary directory.
    fn previews(&self) -> Vec<String> {
        std::fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("minhbach-serve-"))
            .collect()
    }
}

impl Drop for Server {
    /// Asked to stop as a process manager would (SIGTERM), so that it
    /// removes its preview folder; killed if it does not stop.
    fn drop(&mut self) {
        if !self.stop(libc::SIGTERM, Duration::from_secs(5)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

const REPORT: &str = "content/reports/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen.yaml";
const PAGE: &str = "bao-cao/binh-phuoc/so-ldtbxh/2021-dan-van-chinh-quyen/index.html";
const SCRIPT: &str = "<script src=\"/__minhbach/live.js\"></script>";

fn set_title(root: &Path, title: &str) {
    let file = root.join(REPORT);
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    std::fs::write(&file, text.replacen(&line, &format!("title: {title}"), 1)).unwrap();
}

#[test]
fn serves_rebuilds_what_changed_and_keeps_the_last_good_site() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, &[]);
    let (status, kind, home) = server.get("");
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(
        home.contains(&format!("{SCRIPT}</body>")),
        "the live script"
    );
    let (status, kind, _) = server.get("assets/style.css");
    assert_eq!((status, kind.as_str()), (200, "text/css"));
    let (status, _, js) = server.get("__minhbach/live.js");
    assert!(status == 200 && js.contains("WebSocket"));
    let (status, _, missing) = server.get("khong-co/trang/");
    assert_eq!(status, 404);
    assert!(missing.contains("Không tìm thấy trang"));
    let (status, _, _) = server.get("..%2f..%2fetc%2fpasswd");
    assert_eq!(status, 400, "a path that climbs out is refused");
    assert!(
        !root.join("public").exists(),
        "the preview never writes public/"
    );

    // An edit is served without a restart, and is what a full build makes.
    set_title(root, "Tiêu đề đã sửa khi xem trước");
    let lines = server.wait_for_line("rebuilt");
    assert!(!lines.last().unwrap().contains("everything"), "{lines:?}");
    let (_, _, page) = server.get(PAGE);
    assert!(page.contains("<h1>Tiêu đề đã sửa khi xem trước</h1>"));
    let public = build_ok(root, &[]);
    assert_eq!(
        page.replacen(SCRIPT, "", 1),
        read(&public, PAGE),
        "the preview's page is the full build's, but for the script"
    );

    // A content error: named, and the last good site still served.
    let file = root.join(REPORT);
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replacen("year: 2021", "year: hai nghìn", 1)).unwrap();
    let lines = server.wait_for_line("still serving the last good site");
    assert!(
        lines.iter().any(|l| l.contains(&format!("{REPORT}:"))),
        "{lines:?}"
    );
    let (status, _, page) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Tiêu đề đã sửa khi xem trước</h1>"));
    // Fixed: built again.
    std::fs::write(
        &file,
        good.replacen("Tiêu đề đã sửa khi xem trước", "Sửa lần hai", 1),
    )
    .unwrap();
    server.wait_for_line("rebuilt");
    assert!(server.get(PAGE).2.contains("<h1>Sửa lần hai</h1>"));
    assert!(server.interrupt(), "Ctrl-C stops it cleanly");
}

/// However it is stopped — Ctrl-C, the terminal closing, a process
/// manager's SIGTERM — the preview removes the folder it built into and
/// nothing else.
#[test]
fn stopping_removes_the_preview_folder() {
    for signal in [libc::SIGINT, libc::SIGHUP, libc::SIGTERM] {
        let site = example_site();
        let mut server = Server::start(site.path(), &[]);
        let planted = server.tmp.path().join("minhbach-serve-not-ours");
        std::fs::create_dir(&planted).unwrap();
        assert_eq!(server.previews().len(), 2, "signal {signal}");
        assert_eq!(server.get("/index.html").0, 200);
        assert!(
            server.stop(signal, Duration::from_secs(10)),
            "signal {signal}: stopped cleanly"
        );
        assert_eq!(
            server.previews(),
            vec!["minhbach-serve-not-ours".to_string()],
            "signal {signal}: its own preview folder is gone, the other one stays"
        );
    }
}

/// Large outputs (here anything over 20 kB: the site-wide downloads, a
/// year page) are written after the pages; a request for one waits until
/// it is, so a download is never older than the content it was built from.
#[test]
fn large_files_come_after_the_pages_and_are_never_served_stale() {
    let site = example_site();
    let server = Server::start_with(site.path(), &[], &[("MINHBACH_SERVE_DEFER_OVER", "20000")]);
    let (_, _, before) = server.get("/data/metrics.csv");
    assert!(before.contains("report_title") && !before.contains("Tiêu đề lớn"));
    set_title(site.path(), "Tiêu đề lớn đã sửa");
    server.wait_for_line("rebuilt");
    // Asked for at once: it waits for the large files, if they are not
    // written yet, and has the new title.
    let (status, _, csv) = server.get("/data/metrics.csv");
    assert_eq!(status, 200);
    assert!(
        csv.contains("Tiêu đề lớn đã sửa"),
        "a stale download was served"
    );
    let (_, _, json) = server.get("/data/metrics.json");
    assert!(json.contains("Tiêu đề lớn đã sửa"));
    let lines = server.wait_for_line("large files");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("wrote ") && l.contains(" large files in ")),
        "{lines:?}"
    );
    // And the pages are what a full build gives (but for the script).
    let (_, _, page) = server.get(&format!("/{PAGE}"));
    let public = build_ok(site.path(), &[]);
    assert_eq!(page.replace(SCRIPT, ""), read(&public, PAGE));
    assert_eq!(csv, read(&public, "data/metrics.csv"));
    assert!(server.interrupt(), "Ctrl-C stops the preview cleanly");
}

#[test]
fn drafts_are_shown_only_when_asked() {
    let site = example_site();
    let root = site.path();
    let file = root.join(REPORT);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("status: approved", "status: draft", 1)).unwrap();
    let server = Server::start(root, &[]);
    assert_eq!(server.get(PAGE).0, 404);
    drop(server);
    let server = Server::start(root, &["--drafts"]);
    let (status, _, page) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("class=\"draft-banner\""));
}

#[test]
fn a_site_with_errors_is_served_once_fixed() {
    let site = example_site();
    let root = site.path();
    let file = root.join(REPORT);
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replacen("year: 2021", "year: [", 1)).unwrap();
    let server = Server::start(root, &[]);
    std::fs::write(&file, &good).unwrap();
    server.wait_for_line("rebuilt");
    assert_eq!(server.get(PAGE).0, 200);
}

/// In Chromium: the page reloads by itself where it was scrolled; a
/// content error shows as an overlay with `path:line:col` and clears when
/// fixed.
#[test]
fn the_browser_follows_edits_and_errors() {
    let site = example_site();
    let root: PathBuf = site.path().to_path_buf();
    let server = Server::start(&root, &[]);
    let script = repo().join("tests/browser/serve.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(format!("{}{PAGE}", server.url))
        .arg(root.join(REPORT))
        .env(
            "CHROMIUM",
            std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        )
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("serve in the browser: ok"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
