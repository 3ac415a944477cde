//! Write stage: the single funnel into the output directory. Every file of a
//! build goes through [`Writer`] under a checked relative path, into a fresh
//! directory beside the output that is swapped in only when all of it is on
//! disk, so a failed build leaves the previous site exactly as it was.

use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Name of the marker file that identifies a directory minhbach may replace.
pub const MARKER: &str = ".minhbach";

/// A path inside the output directory: relative, `/`-separated, with no
/// `..`, no empty or hidden segments, and only URL-safe characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputPath(String);

impl OutputPath {
    /// Checks `path`; whatever a slug says, the result stays inside the output.
    pub fn new(path: &str) -> Result<OutputPath> {
        let ok_segment = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && !s.starts_with('.')
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        };
        if path.starts_with('/') || !path.split('/').all(ok_segment) {
            bail!("refusing to write `{path}`: not a safe path inside the output directory");
        }
        Ok(OutputPath(path.to_string()))
    }

    /// The path as a `/`-separated string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Number of directories above the file: `a/b/index.html` → 2.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// Prefix that leads from this file back to the output root: "../../".
    pub fn root_prefix(&self) -> String {
        "../".repeat(self.depth())
    }
}

/// What one build wrote: every path with its size, sorted (so any listing,
/// such as a future integrity manifest, is deterministic).
#[derive(Debug, Default)]
pub struct Written {
    files: BTreeMap<OutputPath, u64>,
    removed: Vec<OutputPath>,
}

impl Written {
    /// Files the build said it no longer makes.
    pub fn removed(&self) -> &[OutputPath] {
        &self.removed
    }

    /// The files and their sizes, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&OutputPath, u64)> {
        self.files.iter().map(|(p, n)| (p, *n))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when nothing was written.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().sum()
    }
}

/// Where a build is being written, beside the output `dest`:
/// - `dir`, the staging directory. It is the output of the build before the
///   previous one, kept after each swap so that the next build overwrites
///   its files in place: creating tens of thousands of new files (and
///   deleting as many old ones) costs far more, on ext4, than rewriting
///   existing ones. Files this build does not write are removed from it
///   before the swap.
/// - `swap`, the name the previous output passes through during the swap.
/// - `_lock`, held for the whole build so that two builds into the same
///   output cannot mix their files.
struct Staging {
    dest: PathBuf,
    dir: PathBuf,
    swap: PathBuf,
    _lock: std::fs::File,
}

/// A file being streamed, and how many bytes went into it (nothing is
/// written for a dry run, but the size is still counted).
struct Counted {
    inner: Option<std::io::BufWriter<std::fs::File>>,
    bytes: u64,
}

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = match &mut self.inner {
            Some(w) => w.write(buf)?,
            None => buf.len(),
        };
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.as_mut().map_or(Ok(()), std::io::Write::flush)
    }
}

/// The single funnel into the output. Pages are written as soon as they are
/// rendered, from any thread, so no build holds its output in memory; the
/// writer remembers every path (refusing a second file at the same one) and
/// its size. Dropped without [`Writer::commit`], it leaves the output as it
/// was (the staging directory is kept, to be overwritten by the next build).
pub struct Writer {
    staging: Option<Staging>,
    in_place: Option<InPlace>,
    files: Mutex<BTreeMap<OutputPath, u64>>,
    removed: Mutex<Vec<OutputPath>>,
    dirs: Mutex<HashSet<PathBuf>>,
    nanos: AtomicU64,
}

impl Writer {
    /// A writer that checks and counts every file but writes nothing
    /// (`minhbach check`).
    pub fn dry() -> Writer {
        Writer {
            staging: None,
            in_place: None,
            files: Mutex::default(),
            removed: Mutex::default(),
            dirs: Mutex::default(),
            nanos: AtomicU64::new(0),
        }
    }

    /// Starts a build that will replace `dest`. `dest` may only be replaced
    /// if it is absent, empty, or a previous output (it holds [`MARKER`]).
    pub fn to_dir(dest: &Path) -> Result<Writer> {
        let dest = absolute(dest)?;
        let (parent, name) = parent_and_name(&dest)?;
        if dest.exists() {
            check_replaceable(&dest)?;
        }
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let lock = lock_beside(&dest)?;
        let dir = parent.join(format!(".{name}.minhbach-prev"));
        let swap = parent.join(format!(".{name}.minhbach-swap"));
        if swap.exists() {
            // Left by a swap that was interrupted: an old output.
            std::fs::remove_dir_all(&swap)
                .with_context(|| format!("cannot remove {}", swap.display()))?;
        }
        if dir.exists() && !dir.is_dir() {
            bail!("{} exists and is not a directory", dir.display());
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let marker = dir.join(MARKER);
        std::fs::write(&marker, b"generated by minhbach\n")
            .with_context(|| format!("cannot write {}", marker.display()))?;
        let mut writer = Writer::dry();
        writer.staging = Some(Staging {
            dest,
            dir,
            swap,
            _lock: lock,
        });
        Ok(writer)
    }

    /// Updates the previous output `dest` in place, file by file, for a
    /// build that renders only what changed: each file is written under a
    /// temporary name beside it and renamed over the old one (a reader, or
    /// a server, sees the old file or the new one, never half of one), and
    /// files the build no longer makes are removed with
    /// [`Writer::remove`]. Everything else in `dest` is left as it is.
    pub fn update(dest: &Path) -> Result<Writer> {
        let dest = absolute(dest)?;
        if !dest.join(MARKER).is_file() {
            bail!(
                "{} is not an output of minhbach (no {} file): build it in full first",
                dest.display(),
                MARKER
            );
        }
        let lock = lock_beside(&dest)?;
        let mut writer = Writer::dry();
        writer.in_place = Some(InPlace { dest, _lock: lock });
        Ok(writer)
    }

    /// Writes one file of the build; callable from any thread.
    pub fn write(&self, path: OutputPath, bytes: &[u8]) -> Result<()> {
        let started = Instant::now();
        let len = bytes.len() as u64;
        if let Some((target, existing)) = self.claim(path, len)? {
            // A file an older build wrote with the same bytes is left as it
            // is: reading it costs far less than rewriting it, and its
            // modification time still says when it last changed (so a
            // deployment by rsync only sends what changed).
            let unchanged = existing.is_some_and(|m| m.is_file() && m.len() == len)
                && std::fs::read(&target).is_ok_and(|old| old == bytes);
            if !unchanged {
                if self.in_place.is_some() {
                    let temp = temp_beside(&target);
                    std::fs::write(&temp, bytes)
                        .with_context(|| format!("cannot write {}", temp.display()))?;
                    std::fs::rename(&temp, &target)
                        .with_context(|| format!("cannot write {}", target.display()))?;
                } else {
                    std::fs::write(&target, bytes)
                        .with_context(|| format!("cannot write {}", target.display()))?;
                }
            }
        }
        self.nanos
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Writes one file of the build as `fill` produces it, for files too
    /// large to hold in memory (the site-wide figure downloads). Such a file
    /// is always rewritten.
    pub fn write_stream(
        &self,
        path: OutputPath,
        fill: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        let started = Instant::now();
        let key = path.clone();
        let mut counted = Counted {
            inner: None,
            bytes: 0,
        };
        let mut rename = None;
        if let Some((target, _)) = self.claim(path, 0)? {
            let written = if self.in_place.is_some() {
                let temp = temp_beside(&target);
                rename = Some((temp.clone(), target));
                temp
            } else {
                target
            };
            let file = std::fs::File::create(&written)
                .with_context(|| format!("cannot write {}", written.display()))?;
            counted.inner = Some(std::io::BufWriter::with_capacity(1 << 16, file));
        }
        fill(&mut counted)?;
        if let Some(mut w) = counted.inner.take() {
            std::io::Write::flush(&mut w)
                .with_context(|| format!("cannot write {}", key.as_str()))?;
        }
        if let Some((temp, target)) = rename {
            std::fs::rename(&temp, &target)
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        self.files
            .lock()
            .expect("writer lock")
            .insert(key, counted.bytes);
        self.nanos
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Records `path` (refusing a second file there) and makes room for it in
    /// the staging directory: its folder, and no folder of an older build
    /// in its place. Returns where to write and what is there now, or
    /// nothing for a dry run.
    fn claim(
        &self,
        path: OutputPath,
        len: u64,
    ) -> Result<Option<(PathBuf, Option<std::fs::Metadata>)>> {
        let target = match (&self.staging, &self.in_place) {
            (Some(s), _) => Some(s.dir.join(path.as_str())),
            (None, Some(p)) => Some(p.dest.join(path.as_str())),
            (None, None) => None,
        };
        {
            let mut files = self.files.lock().expect("writer lock");
            if files.contains_key(&path) {
                bail!("two files would be written to `{}`", path.as_str());
            }
            files.insert(path, len);
        }
        let Some(target) = target else {
            return Ok(None);
        };
        if let Some(parent) = target.parent() {
            let known = self.dirs.lock().expect("writer lock").contains(parent);
            if !known {
                if parent.is_file() {
                    // A file of an older build where this one needs a folder.
                    std::fs::remove_file(parent)
                        .with_context(|| format!("cannot remove {}", parent.display()))?;
                }
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
                self.dirs
                    .lock()
                    .expect("writer lock")
                    .insert(parent.to_path_buf());
            }
        }
        // One look at what an older build left there.
        let existing = std::fs::metadata(&target).ok();
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            // A folder of an older build where this one writes a file.
            std::fs::remove_dir_all(&target)
                .with_context(|| format!("cannot remove {}", target.display()))?;
        }
        Ok(Some((target, existing)))
    }

    /// Time spent writing files so far, summed over threads.
    pub fn thread_time(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }

    /// Says that the build no longer makes `path`: an update in place
    /// removes it (and the folders it leaves empty); a full build leaves out
    /// every file it did not write anyway.
    pub fn remove(&self, path: OutputPath) -> Result<()> {
        if let Some(p) = &self.in_place {
            let target = p.dest.join(path.as_str());
            // Never follows a link: a link or a folder there is left alone.
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
                std::fs::remove_file(&target)
                    .with_context(|| format!("cannot remove {}", target.display()))?;
                let mut dir = target.parent();
                while let Some(d) = dir.filter(|d| *d != p.dest) {
                    if std::fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
        }
        self.removed.lock().expect("writer lock").push(path);
        Ok(())
    }

    /// Removes from the staging directory what this build did not write,
    /// swaps it in place of the output (nothing for a dry run or an update
    /// in place) and returns the list of files written.
    pub fn commit(mut self) -> Result<Written> {
        let files = std::mem::take(&mut *self.files.lock().expect("writer lock"));
        let removed = std::mem::take(&mut *self.removed.lock().expect("writer lock"));
        let Some(staging) = self.staging.take() else {
            return Ok(Written { files, removed });
        };
        remove_stale(&staging.dir, &files)?;
        let Staging {
            dest, dir, swap, ..
        } = &staging;
        if dest.exists() {
            std::fs::rename(dest, swap).with_context(|| {
                format!("cannot move the previous output {} aside", dest.display())
            })?;
        }
        if let Err(e) = std::fs::rename(dir, dest) {
            // Put the previous site back before reporting.
            if swap.exists() {
                let _ = std::fs::rename(swap, dest);
            }
            return Err(e)
                .with_context(|| format!("cannot move the new site to {}", dest.display()));
        }
        if swap.exists() {
            std::fs::rename(swap, dir)
                .with_context(|| format!("cannot keep the previous output as {}", dir.display()))?;
        }
        Ok(Written { files, removed })
    }
}

/// Deletes every file and folder under `dir` that is not one of `files`
/// (or the marker): what an older build wrote and this one did not.
fn remove_stale(dir: &Path, files: &BTreeMap<OutputPath, u64>) -> Result<()> {
    let keep: HashSet<&str> = files.keys().map(OutputPath::as_str).collect();
    let mut stale_dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let rel = entry.path().strip_prefix(dir).expect("walk stays inside");
        let rel = rel.to_string_lossy();
        if entry.file_type().is_dir() {
            stale_dirs.push(entry.into_path());
        } else if rel != MARKER && !keep.contains(rel.as_ref()) {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    // Children come before their parents: remove the folders left empty.
    for d in stale_dirs {
        let _ = std::fs::remove_dir(&d);
    }
    Ok(())
}

/// An output being updated in place, and the lock that keeps other builds out.
struct InPlace {
    dest: PathBuf,
    _lock: std::fs::File,
}

/// Takes the lock beside the output `dest` (`.<name>.minhbach-lock`), which
/// keeps two builds from writing into one output at once.
fn lock_beside(dest: &Path) -> Result<std::fs::File> {
    let (parent, name) = parent_and_name(dest)?;
    let lock_path = parent.join(format!(".{name}.minhbach-lock"));
    let lock = std::fs::File::create(&lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))?;
    if lock.try_lock().is_err() {
        bail!(
            "another build is writing to {} (it holds {})",
            dest.display(),
            lock_path.display()
        );
    }
    Ok(lock)
}

/// The folder an output is in and its name, beside which minhbach keeps
/// its lock and its previous output.
fn parent_and_name(dest: &Path) -> Result<(&Path, String)> {
    let parent = dest
        .parent()
        .context("the output directory has no parent directory")?;
    let name = dest
        .file_name()
        .context("the output directory has no name")?
        .to_string_lossy()
        .into_owned();
    Ok((parent, name))
}

/// The temporary name a file is written under before it is renamed over
/// `target`: hidden, so never an output's own name.
fn temp_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.minhbach-new"))
}

fn absolute(p: &Path) -> Result<PathBuf> {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .context("cannot read the current directory")?
            .join(p)
    };
    // Resolve `.` and `..` lexically so that `public/..` cannot name the site root.
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Refuses to replace a directory that minhbach did not write: a wrong
/// `--output` must never delete someone's files.
fn check_replaceable(dest: &Path) -> Result<()> {
    if !dest.is_dir() {
        bail!("{} exists and is not a directory", dest.display());
    }
    if dest.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries =
        std::fs::read_dir(dest).with_context(|| format!("cannot read {}", dest.display()))?;
    if entries.next().is_some() {
        bail!(
            "refusing to replace {}: it is not empty and was not written by minhbach (no {} file)",
            dest.display(),
            MARKER
        );
    }
    Ok(())
}

/// Checks that the output directory is neither the site root nor one of
/// its ancestors, nor inside `content/` or the theme.
pub fn check_output_location(root: &Path, output: &Path) -> Result<()> {
    let root = absolute(root)?;
    let output = absolute(output)?;
    if root.starts_with(&output) {
        bail!(
            "the output directory {} contains the site itself; choose another --output",
            output.display()
        );
    }
    for protected in ["content", "themes", "templates"] {
        if output.starts_with(root.join(protected)) {
            bail!(
                "the output directory {} is inside the site's {protected}/ folder",
                output.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() {
        assert!(OutputPath::new("bao-cao/a/index.html").is_ok());
        for bad in [
            "../x.html",
            "/etc/passwd",
            "a/../../x",
            "a//b",
            ".hidden",
            "a/./b",
            "a\\b",
            "",
            "bao cao/x",
            "a/%2e%2e/b",
        ] {
            assert!(OutputPath::new(bad).is_err(), "{bad} accepted");
        }
        let p = OutputPath::new("co-quan/binh-phuoc/so-ldtbxh/index.html").unwrap();
        assert_eq!(p.root_prefix(), "../../../");
        assert_eq!(OutputPath::new("index.html").unwrap().root_prefix(), "");
    }

    #[test]
    fn commit_replaces_only_previous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        let out = Writer::to_dir(&dest).unwrap();
        out.write(OutputPath::new("a/index.html").unwrap(), b"one")
            .unwrap();
        let err = out
            .write(OutputPath::new("a/index.html").unwrap(), b"again")
            .unwrap_err();
        assert!(err.to_string().contains("two files"), "{err}");
        let written = out.commit().unwrap();
        assert_eq!(written.len(), 1);
        assert_eq!(std::fs::read(dest.join("a/index.html")).unwrap(), b"one");

        let second = Writer::to_dir(&dest).unwrap();
        second
            .write(OutputPath::new("b.html").unwrap(), b"two")
            .unwrap();
        second.commit().unwrap();
        assert!(!dest.join("a/index.html").exists());
        assert_eq!(std::fs::read(dest.join("b.html")).unwrap(), b"two");
        // Beside the output: the lock and the previous output, which the
        // next build overwrites in place.
        let names = || -> Vec<String> {
            let mut n: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            n.sort();
            n
        };
        let expected = [".public.minhbach-lock", ".public.minhbach-prev", "public"];
        assert_eq!(names(), expected);
        let prev = dir.path().join(".public.minhbach-prev");
        assert_eq!(std::fs::read(prev.join("a/index.html")).unwrap(), b"one");

        // The third build reuses it: what it does not write is gone, a file
        // becomes a folder, and nothing else is created beside.
        let third = Writer::to_dir(&dest).unwrap();
        third
            .write(OutputPath::new("a/index.html/x").unwrap(), b"3")
            .unwrap();
        third.commit().unwrap();
        assert_eq!(names(), expected);
        assert_eq!(std::fs::read(dest.join("a/index.html/x")).unwrap(), b"3");
        assert!(!dest.join("b.html").exists());
        assert!(dest.join(MARKER).is_file());
        assert_eq!(std::fs::read(prev.join("b.html")).unwrap(), b"two");

        // The next build finds b.html unchanged in the staging directory
        // (the output before last) and leaves it alone.
        let before = std::fs::metadata(prev.join("b.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let fourth = Writer::to_dir(&dest).unwrap();
        fourth
            .write(OutputPath::new("b.html").unwrap(), b"two")
            .unwrap();
        fourth.commit().unwrap();
        let after = std::fs::metadata(dest.join("b.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert_eq!(std::fs::read(dest.join("b.html")).unwrap(), b"two");
        assert_eq!(std::fs::read(prev.join("a/index.html/x")).unwrap(), b"3");

        // A build that fails (the writer is dropped) leaves the site as it was.
        let failed = Writer::to_dir(&dest).unwrap();
        failed
            .write(OutputPath::new("c.html").unwrap(), b"half")
            .unwrap();
        drop(failed);
        assert_eq!(names(), expected);
        assert_eq!(std::fs::read(dest.join("b.html")).unwrap(), b"two");
        assert!(!dest.join("c.html").exists());

        // Two builds into one output at once: the second is refused.
        let first = Writer::to_dir(&dest).unwrap();
        let err = Writer::to_dir(&dest).err().unwrap().to_string();
        assert!(err.contains("another build"), "{err}");
        drop(first);

        let foreign = dir.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.txt"), b"mine").unwrap();
        let err = Writer::to_dir(&foreign).err().unwrap().to_string();
        assert!(err.contains("refusing to replace"), "{err}");
        assert_eq!(std::fs::read(foreign.join("thesis.txt")).unwrap(), b"mine");
    }

    #[test]
    fn output_cannot_contain_the_site() {
        let root = Path::new("/srv/site");
        assert!(check_output_location(root, Path::new("/srv/site/public")).is_ok());
        assert!(check_output_location(root, Path::new("/srv/site")).is_err());
        assert!(check_output_location(root, Path::new("/srv")).is_err());
        assert!(check_output_location(root, Path::new("/srv/site/public/..")).is_err());
        assert!(check_output_location(root, Path::new("/srv/site/content/x")).is_err());
    }
}
