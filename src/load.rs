//! Load stage: walks `content/`, parses every YAML file into the model's
//! typed values, NFC-normalises the text and attaches `path:line:col` to
//! every problem. A report file becomes its [`Report`] (metadata) and its
//! [`Body`], with the SHA-256 of the bytes read.
//!
//! Files are parsed in parallel; a file that fails to parse is reported and
//! skipped so that every broken file shows up in the same run.

use crate::diagnostics::{Diagnostics, Pos};
use crate::model::{
    Agency, Body, Checked, Content, Digest, Indicator, LegalEntry, Report, ReportFile,
};
use crate::vietnamese::nfc;
use rayon::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Largest content file accepted; a report is tens of kilobytes, so anything
/// this large is a mistake (or hostile) and is refused before parsing.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Folder of the report files, relative to the site root.
pub const REPORTS_DIR: &str = "content/reports";

/// Where the originals of reports (`source.file`) are kept.
pub const ORIGINALS_DIR: &str = "content/originals";

/// Kinds of file an original may be: documents as issued, scans, text.
const ORIGINAL_KINDS: &[&str] = &[
    "pdf", "docx", "doc", "odt", "rtf", "txt", "jpg", "jpeg", "png", "tif", "tiff",
];

/// An original is copied into the output as it is; one larger than this is
/// refused (a scanned report of a hundred pages is some 30 MB).
const MAX_ORIGINAL_BYTES: u64 = 256 * 1024 * 1024;

/// A report's original, found under [`ORIGINALS_DIR`].
#[derive(Debug, Clone)]
pub struct Original {
    /// The file on disk.
    pub path: PathBuf,
    /// Its extension, lower case: `pdf`, `docx`, …
    pub kind: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Finds the original `file` (a path under `content/originals/`) of a
/// report: a regular file of a known kind inside that folder, reached
/// without leaving it, whatever the path or a link says.
pub fn original(root: &Path, file: &str) -> std::result::Result<Original, String> {
    let relative = Path::new(file);
    if file.is_empty()
        || file.contains('\\')
        || !relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Err(format!(
            "source file `{file}` must be a path under {ORIGINALS_DIR}/, like binh-phuoc/so-ldtbxh/2021-bao-cao.pdf"
        ));
    }
    let kind = relative
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|k| ORIGINAL_KINDS.contains(&k.as_str()))
        .ok_or_else(|| {
            format!(
                "source file `{file}`: an original is one of {}",
                ORIGINAL_KINDS.join(", ")
            )
        })?;
    let base = root.join(ORIGINALS_DIR);
    let path = base.join(relative);
    let missing = || format!("source file `{file}` is not in {ORIGINALS_DIR}/");
    let real_base = std::fs::canonicalize(&base).map_err(|_| missing())?;
    let real = std::fs::canonicalize(&path).map_err(|_| missing())?;
    if !real.starts_with(&real_base) {
        return Err(format!(
            "source file `{file}` is a link out of {ORIGINALS_DIR}/: only files inside the site are published"
        ));
    }
    let meta = std::fs::metadata(&real).map_err(|e| format!("source file `{file}`: {e}"))?;
    if !meta.is_file() {
        return Err(format!("source file `{file}` is not a file"));
    }
    if meta.len() > MAX_ORIGINAL_BYTES {
        return Err(format!(
            "source file `{file}` is {} MiB: an original of more than {} MiB is not published; compress the scan",
            meta.len() >> 20,
            MAX_ORIGINAL_BYTES >> 20
        ));
    }
    Ok(Original {
        path: real,
        kind,
        bytes: meta.len(),
    })
}

/// Reads only the legal registry, `content/legal/*.yaml`.
pub fn load_legal(root: &Path, diags: &mut Diagnostics) -> Vec<LegalEntry> {
    let found = find_yaml(root, "content/legal", diags);
    let mut out = Vec::new();
    for f in &found {
        if let Some((mut entries, _)) = parse_file::<Vec<LegalEntry>>(f, diags) {
            entries
                .iter_mut()
                .for_each(|e: &mut LegalEntry| e.file = f.rel.clone());
            out.extend(entries);
        }
    }
    out
}

/// The indicator catalogue (`content/indicators.yaml`), empty when the site
/// has none; problems go to `diags`.
pub fn load_indicators(root: &Path, diags: &mut Diagnostics) -> Vec<Indicator> {
    let path = root.join("content/indicators.yaml");
    if !path.is_file() {
        return Vec::new();
    }
    let f = Found {
        path,
        rel: "content/indicators.yaml".into(),
        id: "indicators".into(),
        len: 0,
    };
    parse_file::<Vec<Indicator>>(&f, diags).map_or_else(Vec::new, |(list, _)| list)
}

/// The agencies (`content/agencies/`), sorted by id, those that parse;
/// problems go to `diags`.
pub fn load_agencies(root: &Path, diags: &mut Diagnostics) -> Vec<Agency> {
    let mut out: Vec<Agency> = find_yaml(root, "content/agencies", diags)
        .iter()
        .filter_map(|f| parse_agency(f, diags))
        .collect();
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}

/// An agency file, with its id and path set.
fn parse_agency(f: &Found, diags: &mut Diagnostics) -> Option<Agency> {
    parse_file::<Agency>(f, diags).map(|(mut a, _)| {
        a.slug = f.id.clone();
        a.file = f.rel.clone();
        a
    })
}

/// A content file found by the walk, with its id.
struct Found {
    path: PathBuf,
    rel: String,
    id: String,
    /// Size in bytes, as the walk saw it.
    len: u64,
}

/// Reads all of `content/` under `root`, handing each report, as soon as it
/// is parsed and on the thread that parsed it, to `each` with its body and
/// the rest of the content (agencies, registry, indicators; no reports
/// yet). What `each` returns comes back in report order (by slug) — so a
/// build cites and checks a report and decides what to keep of its body,
/// and never holds the text of every report at once. The shell's
/// `report_bytes` (the report files' total size) is set before any `each`.
/// Problems go to `diags`; files that cannot be parsed are left out so that
/// checking can go on. The content's body store is left empty.
pub fn load_content<T: Send>(
    root: &Path,
    diags: &mut Diagnostics,
    each: impl Fn(&Content, &mut Report, Body, &mut Diagnostics) -> T + Sync,
) -> (Content, Vec<T>) {
    let content = root.join("content");
    if !content.is_dir() {
        diags.error("content", Pos::default(), "the site has no content/ folder");
        return (Content::default(), Vec::new());
    }
    let agencies_found = find_yaml(root, "content/agencies", diags);
    let reports_found = find_yaml(root, REPORTS_DIR, diags);
    let legal_found = find_yaml(root, "content/legal", diags);

    for f in &agencies_found {
        if f.id.split('/').count() != 2 {
            diags.error(
                &f.rel,
                Pos::default(),
                "agency files go in content/agencies/<province>/<agency>.yaml",
            );
        }
    }

    let agencies: Vec<(Option<Agency>, Diagnostics)> = agencies_found
        .par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            (parse_agency(f, &mut d), d)
        })
        .collect();
    let legal: Vec<(Option<Vec<LegalEntry>>, Diagnostics)> = legal_found
        .par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            let entries = parse_file::<Vec<LegalEntry>>(f, &mut d).map(|(mut v, _)| {
                v.iter_mut().for_each(|e| e.file = f.rel.clone());
                v
            });
            (entries, d)
        })
        .collect();

    let mut out = Content::default();
    let mut agency_list = Vec::new();
    for ((a, d), f) in agencies.into_iter().zip(&agencies_found) {
        diags.extend(d);
        match a {
            Some(a) => agency_list.push(a),
            None => out.broken_agencies.push(f.id.clone()),
        }
    }
    agency_list.sort_by(|a, b| a.slug.cmp(&b.slug));
    out.agencies = agency_list.into();
    for (l, d) in legal {
        diags.extend(d);
        out.legal.extend(l.into_iter().flatten());
    }

    let indicators = root.join("content/indicators.yaml");
    if indicators.is_file() {
        let f = Found {
            path: indicators,
            rel: "content/indicators.yaml".into(),
            id: "indicators".into(),
            len: 0,
        };
        match parse_file::<Vec<Indicator>>(&f, diags) {
            Some((list, _)) => out.indicators = list.into(),
            None => out.indicators_broken = true,
        }
    }
    out.report_bytes = reports_found.iter().map(|f| f.len).sum();

    // Taken in the files' order by whichever thread is free, with no pause
    // between groups (the two threads each waited for the other's last
    // report at the end of every group of 128); the first report of each
    // group asks the disk for the group after it ([`read_ahead`]), so the
    // disk stays a group ahead of the parsing.
    let found = reports_found.len();
    let group = |k: usize| &reports_found[k.min(found)..(k + READ_AHEAD_GROUP).min(found)];
    read_ahead(group(0));
    let mut reports: Vec<_> = reports_found
        .iter()
        .enumerate()
        .par_bridge()
        .map(|(k, f)| {
            if k % READ_AHEAD_GROUP == 0 {
                read_ahead(group(k + READ_AHEAD_GROUP));
            }
            let mut d = Diagnostics::default();
            let parsed = read_report(&out, f, &mut d).map(|(mut report, body)| {
                let extra = each(&out, &mut report, body, &mut d);
                (report, extra)
            });
            (k, parsed, d)
        })
        .collect();
    // Diagnostics in the files' order, whatever the threads' order.
    reports.sort_unstable_by_key(|r| r.0);
    let mut kept: Vec<(Report, T)> = Vec::with_capacity(reports_found.len());
    for (_, parsed, d) in reports {
        diags.extend(d);
        kept.extend(parsed);
    }
    // The walk sorts names folder by folder; reports are kept sorted by slug.
    kept.sort_by(|a, b| a.0.slug.cmp(&b.0.slug));
    let (reports, extras): (Vec<Report>, Vec<T>) = kept.into_iter().unzip();
    out.reports = reports.into();
    (out, extras)
}

/// Report files read ahead at a time: a group's files are asked of the disk
/// while the group before is parsed (128 reports of a typical size are
/// about 4 MB, parsed in about 40 ms on two cores).
const READ_AHEAD_GROUP: usize = 128;

/// Asks the system to start reading `files` into its cache, without
/// waiting for them (`posix_fadvise(WILLNEED)`), so that a thread that
/// then reads one finds it there. A build hours after the last, or on a
/// machine that reclaims idle memory, finds the content's files out of
/// the cache: each thread then waited on its own file, one request at a
/// time (the load of 10,000 reports with the page cache dropped took
/// 5.5-5.9 s, 4.1 s with this, 3.3-4.0 s with the files in memory; `cat` of
/// the same files one at a time 1.67 s, sixteen at a time 0.64 s). Only a
/// hint: what fails here is found when the file is read.
fn read_ahead(files: &[Found]) {
    use std::os::unix::fs::OpenOptionsExt;
    for f in files {
        // Not blocking on something that is not a plain file (a pipe).
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&f.path);
        if let Ok(file) = file {
            let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
        }
    }
}

/// Parses one report file into its metadata (agency resolved against
/// `content`'s agencies) and body.
fn read_report(content: &Content, f: &Found, diags: &mut Diagnostics) -> Option<(Report, Body)> {
    let (file, checked) = parse_file::<ReportFile>(f, diags)?;
    let (mut report, body) = file.split(f.id.clone(), f.rel.clone(), checked);
    report.agency_id = content.agency_by_slug(&report.agency.value);
    Some((report, body))
}

/// Reads one report file of the site at `root` again, by its path relative
/// to the root (`content/reports/…`): for a build that reloads what changed.
/// Problems go to `diags`.
pub fn load_report(
    root: &Path,
    content: &Content,
    rel: &str,
    diags: &mut Diagnostics,
) -> Option<(Report, Body)> {
    let path = root.join(rel);
    let under = Path::new(rel).strip_prefix(REPORTS_DIR).ok()?;
    let id = to_slash(&under.with_extension(""));
    if !id.split('/').all(is_slug) {
        diags.error(
            rel,
            Pos::default(),
            "file and folder names must be lowercase ASCII words joined by `-` (they become URLs)",
        );
        return None;
    }
    let f = Found {
        len: std::fs::metadata(&path).map_or(0, |m| m.len()),
        path,
        rel: rel.to_string(),
        id,
    };
    read_report(content, &f, diags)
}

/// How the body store reads a report's file again: its body, and the digest
/// of the bytes it read (the store compares it with the one taken at load).
pub fn body_reader(
    root: &Path,
) -> impl Fn(&Report) -> anyhow::Result<(Body, Digest)> + Send + Sync {
    let root = root.to_path_buf();
    move |report: &Report| {
        let f = Found {
            path: root.join(&report.file),
            rel: report.file.clone(),
            id: report.slug.clone(),
            len: 0,
        };
        let mut diags = Diagnostics::default();
        match parse_file::<ReportFile>(&f, &mut diags) {
            Some((file, checked)) => {
                let (_, body) = file.split(String::new(), String::new(), checked);
                Ok((body, checked.digest))
            }
            None => {
                let why = diags
                    .sorted()
                    .into_iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                anyhow::bail!("{} changed during the build: {why}", report.file)
            }
        }
    }
}

/// Lists `*.yaml` / `*.yml` files under `root/dir`, sorted, with ids made of
/// their path segments, which must be lowercase ASCII slugs because they
/// become URLs. Nothing is skipped silently: a link is followed when it
/// stays inside the site (and named in a warning), refused when it leads
/// outside or loops; an upper-case extension is refused; any other file is
/// named as not read; two files that would be one page (`x.yaml` beside
/// `x.yml`) are both named. Hidden files and folders (an editor's swap file,
/// `.git`) are not content.
fn find_yaml(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<Found> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let rel_of = |p: &Path| match p.strip_prefix(&base) {
        Ok(under) if under.as_os_str().is_empty() => dir.to_string(),
        Ok(under) => format!("{dir}/{}", to_slash(under)),
        Err(_) => p.display().to_string(),
    };
    let mut found: Vec<Found> = Vec::new();
    let mut first_of: std::collections::BTreeMap<String, String> = Default::default();
    let mut walk = walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e.path().map_or_else(|| dir.to_string(), rel_of);
                let why = match e.loop_ancestor() {
                    Some(ancestor) => format!(
                        "a link that leads back to {}: links in the content must not loop",
                        rel_of(ancestor)
                    ),
                    None if e.path().is_some_and(Path::is_symlink) => {
                        "a link that leads nowhere".to_string()
                    }
                    None => format!("cannot read: {e}"),
                };
                diags.error(&at, Pos::default(), why);
                continue;
            }
        };
        let path = entry.path();
        if path == base {
            continue;
        }
        let rel = rel_of(path);
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            match std::fs::canonicalize(path) {
                Ok(target) if target.starts_with(&real_root) => diags.warning(
                    &rel,
                    Pos::default(),
                    format!(
                        "a link to {}: read as content",
                        to_slash(target.strip_prefix(&real_root).unwrap_or(&target))
                    ),
                ),
                Ok(target) => {
                    diags.error(
                        &rel,
                        Pos::default(),
                        format!(
                            "a link to {}, outside the site: only links inside the site are followed",
                            target.display()
                        ),
                    );
                    if entry.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
                Err(e) => {
                    diags.error(
                        &rel,
                        Pos::default(),
                        format!("a link that leads nowhere: {e}"),
                    );
                    continue;
                }
            }
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "yaml" | "yml" => {}
            _ if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
                diags.error(
                    &rel,
                    Pos::default(),
                    "write the extension in lower case (.yaml): file names become URLs",
                );
                continue;
            }
            _ => {
                diags.warning(&rel, Pos::default(), "not read: content files end in .yaml");
                continue;
            }
        }
        let Ok(under) = path.strip_prefix(&base) else {
            continue;
        };
        let id = to_slash(&under.with_extension(""));
        if !id.split('/').all(is_slug) {
            diags.error(
                &rel,
                Pos::default(),
                "file and folder names must be lowercase ASCII words joined by `-` (they become URLs)",
            );
            continue;
        }
        if let Some(first) = first_of.get(&id) {
            let message = |other: &str| {
                format!("{other} has the same name: the two would be one page; keep one of them")
            };
            diags.error(&rel, Pos::default(), message(first));
            diags.error(first, Pos::default(), message(&rel));
            found.retain(|f| f.id != id);
            continue;
        }
        first_of.insert(id.clone(), rel.clone());
        found.push(Found {
            path: path.to_path_buf(),
            rel,
            id,
            len: entry.metadata().map_or(0, |m| m.len()),
        });
    }
    found
}

fn to_slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// True for `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads and parses one YAML file, NFC-normalising its text first; returns
/// the value and what was known of the bytes read.
fn parse_file<T: for<'de> Deserialize<'de>>(
    f: &Found,
    diags: &mut Diagnostics,
) -> Option<(T, Checked)> {
    let seen = match std::fs::metadata(&f.path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            diags.error(
                &f.rel,
                Pos::default(),
                format!("file is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024),
            );
            return None;
        }
        Err(e) => {
            diags.error(&f.rel, Pos::default(), format!("cannot read: {e}"));
            return None;
        }
        Ok(m) => m.modified().ok().map(|t| (m.len(), t)),
    };
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            diags.error(&f.rel, Pos::default(), format!("cannot read: {e}"));
            return None;
        }
    };
    parse_bytes(&f.rel, bytes, diags).map(|(v, checked)| (v, Checked { seen, ..checked }))
}

/// `bytes` as a string, checked as UTF-8 with SIMD first (a content file's
/// Vietnamese text is mostly multi-byte, where std's check goes a
/// character at a time); std's check only runs for invalid bytes, to say
/// where they start.
pub fn string_from_utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just checked that `bytes` is valid UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// Parses the bytes of the content file `rel` (UTF-8, NFC-normalised, one
/// YAML document within the parser's budget); returns the value, the
/// digest of the bytes and whether they were NFC. Problems go to `diags`.
/// Never panics, whatever the bytes (the fuzz target `yaml` holds it to that).
pub fn parse_bytes<T: for<'de> Deserialize<'de>>(
    rel: &str,
    bytes: Vec<u8>,
    diags: &mut Diagnostics,
) -> Option<(T, Checked)> {
    let digest = Digest::of(&bytes);
    let text = match string_from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let pos = crate::config::offset_to_pos(&text, text.len());
            diags.error(rel, pos, "file is not UTF-8 text");
            return None;
        }
    };
    // Normalising the whole source keeps every string NFC; lines are unchanged
    // and columns are those of the normalised line (the same for NFC input).
    let text = nfc(&text);
    let checked = Checked {
        digest,
        nfc: matches!(text, std::borrow::Cow::Borrowed(_)),
        seen: None,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        diags.error(rel, Pos::new(1, 1), "file is empty");
        return None;
    }
    match serde_saphyr::from_str::<T>(text) {
        Ok(v) => Some((v, checked)),
        Err(e) => {
            let pos = e.location().map(Pos::from).unwrap_or_default();
            diags.error(rel, pos, yaml_message(&e));
            None
        }
    }
}

/// What a limit of the YAML parser means for a content file, in words.
/// The parser stops a file before it costs unbounded time or memory (its
/// default budget: 64 levels of nesting, 250,000 values, 64 MiB of text);
/// a report needs a small part of any of them.
fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Depth { .. } => format!(
            "nested deeper than a content file may be (64 levels of YAML): sections may nest {} levels; check the indentation",
            crate::model::MAX_SECTION_DEPTH
        ),
        B::Nodes { nodes } | B::Events { events: nodes } => format!(
            "more than {nodes} values (sections, figures, table cells, …): a report holds a few thousand; split the file or look for a paste gone wrong"
        ),
        B::ScalarBytes { .. } | B::InputBytes { .. } => {
            "more text than a content file may hold (64 MiB)".to_string()
        }
        B::Documents { .. } => {
            "more than one YAML document (`---`): a content file holds one".to_string()
        }
        B::Aliases { .. }
        | B::Anchors { .. }
        | B::MergeKeys { .. }
        | B::AliasAnchorRatio { .. } => {
            "too many YAML anchors, aliases or merge keys (`&`, `*`, `<<`): the content format needs none".to_string()
        }
        other => format!("beyond what a content file may hold ({other:?})"),
    }
}

/// The parser's message without its snippet and without the position, which
/// the diagnostic prints in front.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    // Wrapped in a snippet (or an alias's location) when it comes out.
    let mut inner = e;
    loop {
        match inner {
            serde_saphyr::Error::WithSnippet { error, .. }
            | serde_saphyr::Error::AliasError { error, .. } => inner = error,
            serde_saphyr::Error::Budget { breach, .. } => return budget_message(breach),
            _ => break,
        }
    }
    let mut options = serde_saphyr::RenderOptions::new(&serde_saphyr::UserMessageFormatter);
    options.snippets = serde_saphyr::SnippetMode::Off;
    let text = e.without_snippet().render_with_options(options);
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    // Drop a trailing " at line X, column Y" that the parser appends.
    let cut = first
        .find(" at line ")
        .map(|i| &first[..i])
        .unwrap_or(first);
    let message = cut.trim_end_matches('.');
    // serde's type names mean little to an editor.
    match message {
        "invalid i32" | "invalid u32" | "invalid i64" | "invalid u64" | "invalid u8" => {
            "expected a whole number".to_string()
        }
        "invalid f64" | "invalid f32" => {
            "expected a number (digits with `.` for decimals and no thousands separator, e.g. 28101 or 73.95)".to_string()
        }
        "recursion limit exceeded" => budget_message(&serde_saphyr::budget::BudgetBreach::Depth {
            depth: 0,
        }),
        other if other.contains("found a tab") => {
            "a tab where YAML needs spaces: indent with spaces, not tabs".to_string()
        }
        other => with_suggestion(other),
    }
}

/// "unknown field `sumary`, expected one of …" as "unknown field `sumary`
/// (did you mean `summary`?)" when one of the names is close; else as is.
fn with_suggestion(message: &str) -> String {
    static UNKNOWN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^unknown (field|variant) `([^`]*)`, expected (?:one of )?(.*)$")
            .expect("valid pattern")
    });
    let Some(c) = UNKNOWN.captures(message) else {
        return message.to_string();
    };
    let names = c[3].replace('`', "");
    let known = names.split(", ").flat_map(|n| n.split(" or "));
    match crate::diagnostics::did_you_mean(&c[2], known) {
        Some(k) => format!("unknown {} `{}` (did you mean `{k}`?)", &c[1], &c[2]),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("binh-phuoc"));
        assert!(is_slug("2021"));
        assert!(!is_slug("Binh"));
        assert!(!is_slug("bình"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug(".."));
        assert!(!is_slug(""));
    }
}
