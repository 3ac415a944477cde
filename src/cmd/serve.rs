//! `minhbach serve`: a live preview. The site is built into a private
//! folder (never `public/`), served over HTTP (axum; files by tower-http),
//! and built again in part whenever a watched file changes (notify, with a
//! debouncer): the incremental [`Session`] renders only the outputs the
//! change reaches. Open pages hear of each rebuild over a WebSocket and
//! reload, keeping their scroll position; a content error is shown on them
//! as an overlay (`path:line:col`, the message, the source line) while the
//! last good site is still served, and cleared when fixed.

use crate::diagnostics::{printable, source_line, ContentErrors, Severity};
use crate::model::Publish;
use crate::site::session::Session;
use anyhow::{Context, Result};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use serde::Serialize;
use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tower_http::services::ServeDir;

/// What `serve` is given.
pub struct ServeOptions<'a> {
    /// The site root.
    pub root: &'a Path,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port (0: one the system chooses).
    pub port: u16,
    /// Show drafts, with their banner.
    pub drafts: bool,
}

/// Where the live-reload script is served; a site has no `__minhbach/`.
const LIVE_JS: &str = "/__minhbach/live.js";
/// Where pages open their WebSocket.
const LIVE_WS: &str = "/__minhbach/ws";
/// The script every served page gets.
const LIVE_SCRIPT: &str = include_str!("serve-live.js");
/// The folders and files of a site that the preview watches.
const WATCHED: [&str; 6] = [
    "content",
    "templates",
    "themes",
    "static",
    "i18n",
    "config.toml",
];

/// What the pages are told.
#[derive(Serialize, Clone)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum News {
    /// The site was built again: pages among `paths` (or every page when
    /// `everything`) reload.
    Reload {
        everything: bool,
        paths: Vec<String>,
    },
    /// The content has errors; the last good site is still served.
    Error { problems: Vec<Problem> },
}

/// One content problem, for the overlay.
#[derive(Serialize, Clone)]
struct Problem {
    /// `path:line:col`.
    at: String,
    message: String,
    /// The line of the file it points at.
    source: Option<String>,
}

/// What the server shares with the rebuilds.
struct Shared {
    output: PathBuf,
    news: broadcast::Sender<String>,
    /// The error standing now, told to pages that connect meanwhile.
    standing: Mutex<Option<String>>,
    /// Outputs a rebuild reached but left for after the pages (the large
    /// ones): a request for one waits until it is written.
    pending: Mutex<BTreeSet<String>>,
}

/// Outputs at least this large when last written are rendered after the
/// rest of a rebuild (the site-wide downloads, a large year page): the
/// changed pages reload first.
const DEFER_OVER: u64 = 1 << 20;

/// Most changed pages listed in a reload message; past it, every page
/// reloads.
const LISTED: usize = 2_000;

/// Runs the preview until Ctrl-C.
pub fn run(opts: &ServeOptions) -> Result<()> {
    let root = opts
        .root
        .canonicalize()
        .with_context(|| format!("cannot open the site folder {}", opts.root.display()))?;
    let output = tempfile::Builder::new()
        .prefix("minhbach-serve-")
        .tempdir()
        .context("cannot make a folder for the preview")?;
    let (news, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        output: output.path().to_path_buf(),
        news,
        standing: Mutex::new(None),
        pending: Mutex::new(BTreeSet::new()),
    });
    let publish = Publish {
        drafts: opts.drafts,
    };
    let started = Instant::now();
    let mut session = match Session::start(&root, output.path(), publish) {
        Ok((mut s, _)) => {
            s.defer_over(defer_over());
            println!(
                "built {} reports in {} ms",
                s.site().catalog.reports().len(),
                started.elapsed().as_millis()
            );
            Some(s)
        }
        Err(e) => {
            tell_error(&shared, &root, &e);
            None
        }
    };

    // The watcher: its events go to a thread that rebuilds, one change
    // after another.
    let (events_tx, events) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(50), None, events_tx)
        .context("cannot watch the site's files")?;
    for name in WATCHED {
        let path = root.join(name);
        if path.exists() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }
    let worker = {
        let shared = shared.clone();
        let root = root.clone();
        let out = output.path().to_path_buf();
        std::thread::spawn(move || {
            let changes = |batch: DebounceEventResult| -> Vec<PathBuf> {
                let Ok(batch) = batch else {
                    return Vec::new();
                };
                let mut changed: Vec<PathBuf> = batch
                    .iter()
                    .filter(|e| is_change(&e.kind))
                    .flat_map(|e| e.paths.iter().cloned())
                    .filter(|p| relevant(&root, p))
                    .collect();
                changed.sort();
                changed.dedup();
                changed
            };
            while let Ok(batch) = events.recv() {
                let changed = changes(batch);
                if changed.is_empty() {
                    continue;
                }
                rebuild(&shared, &root, &out, publish, &mut session, &changed);
                // Changes made meanwhile come before the large outputs.
                while let Ok(batch) = events.try_recv() {
                    let changed = changes(batch);
                    if !changed.is_empty() {
                        rebuild(&shared, &root, &out, publish, &mut session, &changed);
                    }
                }
                if let Some(s) = session.as_mut() {
                    render_deferred(&shared, s);
                }
            }
        })
    };

    let app = Router::new()
        .route(LIVE_JS, get(live_js))
        .route(LIVE_WS, get(live_ws))
        .fallback(page)
        .with_state(shared.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((opts.bind, opts.port))
            .await
            .with_context(|| format!("cannot listen on {}:{}", opts.bind, opts.port))?;
        let addr = listener.local_addr()?;
        println!("serving http://{addr}/ — watching the site; Ctrl-C stops");
        axum::serve(listener, app)
            .with_graceful_shutdown(stop_asked())
            .await
            .context("the server stopped")
    })?;
    // Stop watching; the rebuild thread ends with its channel.
    drop(debouncer);
    let _ = worker.join();
    println!("stopped");
    Ok(())
}

/// Resolves when the preview is asked to stop: Ctrl-C, or (on Unix) the
/// terminal closing (SIGHUP) or a process manager's SIGTERM. All three
/// end the same way, so that the preview folder is removed on the way
/// out instead of being left in the temporary directory.
async fn stop_asked() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// An event that changes a file: made, written, renamed or removed —
/// not a read (reading the site while building it would start another
/// build) nor a change of times or permissions.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        _ => false,
    }
}

/// A changed path worth a rebuild: not an editor's swap or backup file,
/// not a hidden file.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("#"))
}

/// Builds again after `changed`, and tells the pages.
fn rebuild(
    shared: &Shared,
    root: &Path,
    output: &Path,
    publish: Publish,
    session: &mut Option<Session>,
    changed: &[PathBuf],
) {
    let started = Instant::now();
    let result = match session {
        Some(s) => s.rebuild(changed).map(|r| {
            if let Ok(mut pending) = shared.pending.lock() {
                pending.extend(r.deferred);
            }
            let paths: Vec<String> = r.rendered.into_iter().collect();
            (r.everything, paths)
        }),
        None => Session::start(root, output, publish).map(|(mut s, _)| {
            s.defer_over(defer_over());
            *session = Some(s);
            (true, Vec::new())
        }),
    };
    match result {
        Ok((everything, paths)) => {
            println!(
                "rebuilt {} in {} ms",
                if everything {
                    "everything".to_string()
                } else {
                    format!("{} files", paths.len())
                },
                started.elapsed().as_millis()
            );
            let everything = everything || paths.len() > LISTED;
            let news = News::Reload {
                everything,
                paths: if everything { Vec::new() } else { paths },
            };
            if let Ok(mut standing) = shared.standing.lock() {
                *standing = None;
            }
            if let Ok(text) = serde_json::to_string(&news) {
                let _ = shared.news.send(text);
            }
        }
        Err(e) => tell_error(shared, root, &e),
    }
}

/// Renders what the last rebuilds left for later, then lets the requests
/// waiting for those files go and tells the pages among them to reload.
fn render_deferred(shared: &Shared, session: &mut Session) {
    if session.deferred().is_empty() {
        return;
    }
    let started = Instant::now();
    let result = session.render_deferred();
    if let Ok(mut pending) = shared.pending.lock() {
        pending.clear();
    }
    match result {
        Ok(r) => {
            println!(
                "wrote {} large files in {} ms",
                r.rendered.len(),
                started.elapsed().as_millis()
            );
            let news = News::Reload {
                everything: false,
                paths: r.rendered.into_iter().collect(),
            };
            if let Ok(text) = serde_json::to_string(&news) {
                let _ = shared.news.send(text);
            }
        }
        Err(e) => eprintln!(
            "error: cannot write the large files: {}",
            printable(&format!("{e:#}"))
        ),
    }
}

/// [`DEFER_OVER`], or `MINHBACH_SERVE_DEFER_OVER` bytes (for tests).
fn defer_over() -> u64 {
    std::env::var("MINHBACH_SERVE_DEFER_OVER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFER_OVER)
}

/// Prints an error to the terminal and shows it on the pages.
fn tell_error(shared: &Shared, root: &Path, e: &anyhow::Error) {
    let problems: Vec<Problem> = match e.downcast_ref::<ContentErrors>() {
        Some(content) => {
            super::print_diagnostics(&content.0, root);
            eprintln!("error: {content}; still serving the last good site");
            content
                .0
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| Problem {
                    at: format!("{}:{}:{}", d.path, d.pos.line, d.pos.column),
                    message: d.message.clone(),
                    source: source_line(d, root),
                })
                .collect()
        }
        None => {
            let text = e
                .chain()
                .map(|c| printable(&c.to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(": ");
            eprintln!("error: {text}; still serving the last good site");
            vec![Problem {
                at: String::new(),
                message: text,
                source: None,
            }]
        }
    };
    if let Ok(text) = serde_json::to_string(&News::Error { problems }) {
        if let Ok(mut standing) = shared.standing.lock() {
            *standing = Some(text.clone());
        }
        let _ = shared.news.send(text);
    }
}

async fn live_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_SCRIPT,
    )
        .into_response()
}

async fn live_ws(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| follow(socket, shared))
}

/// Tells one page every rebuild, starting with the error standing now.
async fn follow(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut news = shared.news.subscribe();
    let standing = shared.standing.lock().ok().and_then(|s| s.clone());
    if let Some(text) = standing {
        if socket.send(Message::Text(text.into())).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            item = news.recv() => match item {
                Ok(text) => if socket.send(Message::Text(text.into())).await.is_err() { return },
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => continue,
                _ => return,
            },
        }
    }
}

/// A page: an HTML file gets the live-reload script before `</body>`;
/// other files are served as they are; a missing page is the site's 404.
async fn page(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let Some(rel) = page_path(request.uri().path()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    // A file the last rebuild reached but has not written yet: wait for it
    // (never serve a stale download).
    let waiting = Instant::now();
    while shared.pending.lock().is_ok_and(|p| p.contains(&rel))
        && waiting.elapsed() < Duration::from_secs(600)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if rel.ends_with(".html") {
        let (status, file) = match tokio::fs::read(shared.output.join(&rel)).await {
            Ok(bytes) => (StatusCode::OK, bytes),
            Err(_) => match tokio::fs::read(shared.output.join("404.html")).await {
                Ok(bytes) => (StatusCode::NOT_FOUND, bytes),
                Err(_) => return StatusCode::NOT_FOUND.into_response(),
            },
        };
        let html = String::from_utf8_lossy(&file);
        let tag = format!("<script src=\"{LIVE_JS}\"></script>");
        let body = match html.rfind("</body>") {
            Some(at) => format!("{}{tag}{}", &html[..at], &html[at..]),
            None => format!("{html}{tag}"),
        };
        return (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response();
    }
    match tower::ServiceExt::oneshot(ServeDir::new(&shared.output), request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}

/// The file a request path names, relative to the output: percent-decoded,
/// a folder's `index.html`; `None` for a path that climbs out or holds a
/// NUL or a backslash.
fn page_path(uri_path: &str) -> Option<String> {
    let decoded = percent_decode(uri_path)?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains(['\0', '\\']) => return None,
            p => parts.push(p),
        }
    }
    let mut rel = parts.join("/");
    if rel.is_empty() || decoded.ends_with('/') {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    Some(rel)
}

/// `%XX` escapes decoded; `None` when an escape is malformed or they do
/// not make UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths() {
        assert_eq!(page_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            page_path("/co-quan/").as_deref(),
            Some("co-quan/index.html")
        );
        assert_eq!(
            page_path("/assets/style.css").as_deref(),
            Some("assets/style.css")
        );
        assert_eq!(page_path("/a/../../etc/passwd"), None);
        assert_eq!(page_path("/%2e%2e/x"), None);
        assert_eq!(page_path("/a%5c..%5cb"), None);
        assert_eq!(page_path("/t%C3%ACm").as_deref(), Some("tìm"));
        assert_eq!(page_path("/%ff"), None);
    }

    #[test]
    fn editor_files_are_not_changes() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/content/reports/a.yaml")));
        for name in [".a.yaml.swp", "a.yaml~", "#a.yaml#", ".goutputstream-X"] {
            assert!(
                !relevant(root, &Path::new("/site/content/reports").join(name)),
                "{name}"
            );
        }
        assert!(!relevant(root, Path::new("/elsewhere/a.yaml")));
    }
}
