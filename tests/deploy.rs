//! The site deployed under a sub-path, as the README's deploy sections put
//! it (`https://example.gov.vn/bao-cao/`): served by a real HTTP server
//! (Python's `http.server`, the output copied into `bao-cao/` of the
//! served folder), every link of every page followed over HTTP — none
//! broken, none leaving the sub-path — and the search run in Chromium over
//! HTTP.

mod common;

use common::{append_config, copy_tree, example_site, minhbach, repo};
use std::collections::{BTreeSet, VecDeque};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};

/// A static server on a free port of loopback, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(dir: &std::path::Path) -> Server {
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        let port = line
            .split("port ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in `{line}`"));
        Server { child, port }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every `href` and `src` of an HTML page.
fn links(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .collect()
}

#[test]
fn under_a_sub_path_every_link_answers_and_search_works_over_http() {
    let site = example_site();
    append_config(
        site.path(),
        "base_url = \"https://example.gov.vn/bao-cao/\"",
    );
    let out = minhbach(site.path(), &["build", "--quiet", "--archive"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let served = tempfile::tempdir().unwrap();
    copy_tree(&site.path().join("public"), &served.path().join("bao-cao"));
    let server = Server::start(served.path());
    let host = format!("http://127.0.0.1:{}", server.port);
    let root = url::Url::parse(&format!("{host}/bao-cao/")).unwrap();

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut queue: VecDeque<url::Url> = VecDeque::from([root.clone()]);
    let mut seen: BTreeSet<String> = BTreeSet::from([root.to_string()]);
    let mut pages = 0;
    let mut broken = Vec::new();
    while let Some(url) = queue.pop_front() {
        let mut response = agent.get(url.as_str()).call().expect("the server answers");
        let status = response.status().as_u16();
        if status != 200 {
            broken.push(format!("{url}: {status}"));
            continue;
        }
        let is_html = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if !is_html {
            continue;
        }
        pages += 1;
        let html = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .unwrap();
        for link in links(&html) {
            let Ok(mut target) = url.join(&link) else {
                broken.push(format!("{url}: cannot read the link `{link}`"));
                continue;
            };
            target.set_fragment(None);
            target.set_query(None);
            if target.host_str() != Some("127.0.0.1") {
                // The canonical address, feeds' absolute links: the site's
                // published host, not this server.
                assert!(
                    !link.starts_with('/') || link.starts_with("//"),
                    "{url}: a link from the host's root `{link}` leaves the sub-path"
                );
                continue;
            }
            assert!(
                target.path().starts_with("/bao-cao/"),
                "{url}: `{link}` leaves the sub-path for {target}"
            );
            if seen.insert(target.to_string()) {
                queue.push_back(target);
            }
        }
    }
    assert!(broken.is_empty(), "broken over HTTP: {broken:#?}");
    // Every page of the site is reached by its links (but the 404 page).
    let html = walkdir::WalkDir::new(served.path())
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".html"))
        })
        .count();
    assert_eq!(pages, html - 1, "pages reached over HTTP, of the site's");
    for file in [
        "bao-cao/feed.xml",
        "bao-cao/sitemap.xml",
        "bao-cao/ban-sao-trang.zip",
        "bao-cao/manifest.json",
    ] {
        assert!(
            seen.contains(&format!("{host}/{file}")) || file.ends_with("sitemap.xml"),
            "{file} is linked"
        );
        let status = agent
            .get(format!("{host}/{file}"))
            .call()
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, 200, "{file}");
    }

    // The search, in Chromium, from this server.
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists()
            && repo()
                .join("tests/browser/node_modules/playwright-core")
                .is_dir(),
        "this test needs Chromium and playwright-core: `bash .ci/run` installs them"
    );
    let run = Command::new("node")
        .arg(repo().join("tests/browser/search.mjs"))
        .arg(served.path().join("bao-cao"))
        .env("CHROMIUM", &chromium)
        .env("SEARCH_HTTP_ROOT", root.as_str())
        .env("SEARCH_BASE_URL", "https://example.gov.vn/bao-cao/")
        .output()
        .expect("node runs");
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && said.contains("search: ok"),
        "{said}{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
