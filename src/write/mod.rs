//! Write stage: the single funnel into the output directory. Every file of a
//! build goes through [`Writer`] under a checked relative path, into the
//! staging folder beside the output, which is exchanged with the output in
//! one step only when all of it is on disk: a failed build leaves the
//! previous site exactly as it was. What minhbach may and may not do in and
//! beside the output is in [`place`].

pub mod archive;
pub mod integrity;
pub mod place;
mod record;
pub mod warm;

use anyhow::{bail, Context, Result};
use integrity::{Seal, Sha256};
use place::{Keep, Manifest, Place};
use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use place::MARKER;

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
/// such as an integrity manifest, is deterministic).
#[derive(Debug, Default)]
pub struct Written {
    files: BTreeMap<OutputPath, Sized>,
    removed: Vec<OutputPath>,
    kept: Vec<String>,
}

impl Written {
    /// Files the build said it no longer makes.
    pub fn removed(&self) -> &[OutputPath] {
        &self.removed
    }

    /// Outputs not written because the user keeps a file there (`keep`).
    pub fn kept(&self) -> &[String] {
        &self.kept
    }

    /// The files and their sizes, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&OutputPath, u64)> {
        self.files.iter().map(|(p, n)| (p, n.0))
    }

    /// The SHA-256 of a file written (none for a dry run).
    pub fn sha256(&self, path: &str) -> Option<Sha256> {
        self.files
            .get(&OutputPath(path.to_string()))
            .and_then(|n| n.1)
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
        self.files.values().map(|n| n.0).sum()
    }
}

/// A file's size and, unless the run is dry, its SHA-256.
type Sized = (u64, Option<Sha256>);

/// A full build: written into the staging folder (minhbach's previous
/// output, whose files are overwritten only where they changed: creating
/// tens of thousands of new files costs far more, on ext4, than leaving
/// equal ones), then exchanged with the output.
struct Staged {
    place: Place,
    /// Whether this build made the staging folder: a build that fails
    /// removes it again, leaving beside the output only what was there.
    created: bool,
    /// What the build that last wrote the staging folder left there, and
    /// what this one leaves.
    record: record::Record,
    _lock: std::fs::File,
}

/// An update of the output in place, file by file (a build that renders
/// only what changed).
struct InPlace {
    place: Place,
    /// What the output's marker listed when the update began.
    manifest: Manifest,
    _lock: std::fs::File,
}

/// Where the writer writes.
enum Target {
    /// Nowhere: files are checked and counted (`minhbach check`).
    Dry,
    /// A full build.
    Staged(Staged),
    /// An update in place.
    InPlace(InPlace),
}

impl Target {
    /// The folder files go to.
    fn root(&self) -> Option<&Path> {
        match self {
            Target::Dry => None,
            Target::Staged(s) => Some(&s.place.staging),
            Target::InPlace(p) => Some(&p.place.dest),
        }
    }
}

/// A file being streamed, and how many bytes went into it (nothing is
/// written for a dry run, but the size is still counted).
struct Counted {
    inner: Option<std::io::BufWriter<std::fs::File>>,
    bytes: u64,
    digest: Option<(blake3::Hasher, sha2::Sha256)>,
}

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = match &mut self.inner {
            Some(w) => w.write(buf)?,
            None => buf.len(),
        };
        if let Some((b, s)) = &mut self.digest {
            b.update(&buf[..n]);
            sha2::Digest::update(s, &buf[..n]);
        }
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
/// was (the staging folder is kept, to be reused by the next build, unless
/// the disk filled up: then it is removed to give the space back).
pub struct Writer {
    target: Target,
    keep: Keep,
    files: Mutex<BTreeMap<OutputPath, Sized>>,
    removed: Mutex<Vec<OutputPath>>,
    seal: Mutex<Option<Seal>>,
    kept: Mutex<Vec<String>>,
    dirs: Mutex<HashSet<PathBuf>>,
    nanos: crate::ThreadTime,
    disk_full: AtomicBool,
    counts: [AtomicUsize; 3],
}

/// What became of the files [`Writer::write`] was given: written (new or
/// changed), found unchanged by the record, or found unchanged by reading
/// the old file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileCounts {
    pub written: usize,
    pub recorded: usize,
    pub read: usize,
}

impl Writer {
    fn with(target: Target, keep: Keep) -> Writer {
        Writer {
            target,
            keep,
            files: Mutex::default(),
            removed: Mutex::default(),
            seal: Mutex::default(),
            kept: Mutex::default(),
            dirs: Mutex::default(),
            nanos: Default::default(),
            disk_full: AtomicBool::new(false),
            counts: Default::default(),
        }
    }

    /// A writer that checks and counts every file but writes nothing
    /// (`minhbach check`).
    pub fn dry() -> Writer {
        Writer::with(Target::Dry, Keep::default())
    }

    /// Starts a full build that will replace the output `dest` (a folder,
    /// or a link to one), leaving what the user keeps there in place. The
    /// output may only be replaced if it is absent, a previous output of
    /// minhbach (it holds [`MARKER`]), or holds only dot-files and `keep`
    /// paths. Repairs first what an interrupted build left.
    pub fn to_dir(dest: &Path) -> Result<Writer> {
        Writer::to_dir_keeping(dest, &Keep::default())
    }

    /// [`Writer::to_dir`] with the paths the user keeps in the output.
    pub fn to_dir_keeping(dest: &Path, keep: &Keep) -> Result<Writer> {
        let place = Place::of(dest)?;
        place.check_names()?;
        let lock = place.lock()?;
        place.recover()?;
        place.check_dest(keep)?;
        let created = !place.staging.exists();
        if created {
            std::fs::create_dir(&place.staging)
                .map_err(|e| place::disk_error(e, &place.staging))
                .with_context(|| format!("cannot create {}", place.staging.display()))?;
        }
        if place::read_manifest(&place.staging)?.is_none() {
            place::write_manifest(&place.staging, std::iter::empty())?;
        }
        let record = record::Record::read(&place.record, &place.staging);
        Ok(Writer::with(
            Target::Staged(Staged {
                place,
                created,
                record,
                _lock: lock,
            }),
            keep.clone(),
        ))
    }

    /// Updates the previous output `dest` in place, file by file, for a
    /// build that renders only what changed: each file is written under a
    /// temporary name beside it and renamed over the old one (a reader, or
    /// a server, sees the old file or the new one, never half of one), and
    /// files the build no longer makes are removed with
    /// [`Writer::remove`]. Everything else in `dest` is left as it is.
    pub fn update(dest: &Path) -> Result<Writer> {
        Writer::update_keeping(dest, &Keep::default())
    }

    /// [`Writer::update`] with the paths the user keeps in the output.
    pub fn update_keeping(dest: &Path, keep: &Keep) -> Result<Writer> {
        let place = Place::of(dest)?;
        place.check_names()?;
        let lock = place.lock()?;
        place.recover()?;
        let Some(manifest) = place::read_manifest(&place.dest)? else {
            bail!(
                "{} is not an output of minhbach (no {} file): build it in full first",
                place.dest.display(),
                MARKER
            );
        };
        Ok(Writer::with(
            Target::InPlace(InPlace {
                place,
                manifest,
                _lock: lock,
            }),
            keep.clone(),
        ))
    }

    /// Writes one file of the build; callable from any thread.
    pub fn write(&self, path: OutputPath, bytes: &[u8]) -> Result<()> {
        let started = Instant::now();
        let len = bytes.len() as u64;
        let key = path.clone();
        let digest = match self.claim(path, (len, None))? {
            Some((target, existing)) => {
                // A file an older build wrote with the same bytes is left as
                // it is: its modification time still says when it last
                // changed (so a deployment by rsync only sends what
                // changed). Reading it to know costs far less than
                // rewriting it.
                // (BLAKE3 only for the record: an update in place keeps none.)
                let blake3 = self.record().map(|_| integrity::blake3(bytes));
                let (same, recorded) = self.unchanged(&key, &existing, blake3.as_ref(), || {
                    Ok(place::holds(&target, existing.as_ref(), bytes))
                })?;
                let sha256 = recorded.unwrap_or_else(|| integrity::sha256(bytes));
                let now = if same {
                    existing
                } else {
                    place::put(&target, bytes).map_err(|e| self.failed(e))?;
                    self.record().and_then(|_| place::existing(&target))
                };
                if let Some(blake3) = blake3 {
                    self.note(&key, now, blake3, sha256);
                }
                Some(sha256)
            }
            // A path the user keeps is listed with the bytes the build
            // would have written there.
            None => (!matches!(self.target, Target::Dry)).then(|| integrity::sha256(bytes)),
        };
        self.settle(&key, digest);
        self.nanos.since(started);
        Ok(())
    }

    /// Gives the file at `path`, claimed without it, its SHA-256.
    fn settle(&self, path: &OutputPath, digest: Option<Sha256>) {
        if let Some(entry) = self.files.lock().expect("writer lock").get_mut(path) {
            entry.1 = digest;
        }
    }

    /// Writes one file of the build as `fill` produces it, for files too
    /// large to hold in memory (the site-wide figure downloads): under a
    /// temporary name beside it, renamed over the old file unless a full
    /// build finds that it already holds the same bytes (from the record,
    /// else by reading both), in which case the old file is left as it is,
    /// as [`Writer::write`] leaves it.
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
            digest: None,
        };
        let mut rename = None;
        if let Some((target, existing)) = self.claim(path, (0, None))? {
            let temp = place::temp_beside(&target);
            let file = place::create_temp(&temp).map_err(|e| self.failed(e))?;
            counted.inner = Some(std::io::BufWriter::with_capacity(1 << 16, file));
            counted.digest = Some((blake3::Hasher::new(), <sha2::Sha256 as sha2::Digest>::new()));
            rename = Some((temp, target, existing));
        }
        let filled = fill(&mut counted).and_then(|()| {
            if let Some(mut w) = counted.inner.take() {
                std::io::Write::flush(&mut w)
                    .with_context(|| format!("cannot write {}", key.as_str()))?;
            }
            Ok(())
        });
        let digests: Option<(integrity::Blake3, Sha256)> = counted
            .digest
            .map(|(b, s)| (b.finalize().into(), sha2::Digest::finalize(s).into()));
        let digest = digests.map(|d| d.1);
        if let Some((temp, target, existing)) = rename {
            if let Err(e) = filled {
                let _ = std::fs::remove_file(&temp);
                let disk = e
                    .chain()
                    .filter_map(|c| c.downcast_ref::<std::io::Error>())
                    .find(|io| io.raw_os_error() == Some(libc::ENOSPC))
                    .map(|io| std::io::Error::from_raw_os_error(io.raw_os_error().unwrap_or(0)));
                return Err(match disk {
                    Some(io) => self.failed(place::disk_error(io, &target)),
                    None => e,
                });
            }
            // An update in place (a live preview) replaces the file without
            // reading it back: these files are the largest of the site.
            let (blake3, sha256) = digests.expect("digests of a file written");
            let staged = self.record().is_some();
            let (same, _) = self.unchanged(&key, &existing, Some(&blake3), || match staged {
                true => place::same_file_contents(&target, existing.as_ref(), &temp),
                false => Ok(false),
            })?;
            let now = if same {
                std::fs::remove_file(&temp)
                    .with_context(|| format!("cannot remove {}", temp.display()))?;
                existing
            } else {
                place::replace_with(&temp, &target).map_err(|e| self.failed(e))?;
                self.record().and_then(|_| place::existing(&target))
            };
            self.note(&key, now, blake3, sha256);
        } else {
            filled?;
        }
        self.files
            .lock()
            .expect("writer lock")
            .insert(key, (counted.bytes, digest));
        self.nanos.since(started);
        Ok(())
    }

    /// Copies the file `source` to `path` in pieces (a static file may be
    /// larger than memory); left as it is when the output already holds
    /// the same bytes.
    pub fn copy_file(&self, path: OutputPath, source: &Path) -> Result<()> {
        let started = Instant::now();
        let len = std::fs::metadata(source)
            .with_context(|| format!("cannot read {}", source.display()))?
            .len();
        let digests = match self.target {
            Target::Dry => None,
            _ => Some(
                std::fs::File::open(source)
                    .and_then(integrity::digests_of)
                    .with_context(|| format!("cannot read {}", source.display()))?,
            ),
        };
        let key = path.clone();
        if let Some((target, existing)) = self.claim(path, (len, digests.map(|d| d.1)))? {
            let (blake3, sha256) = digests.expect("digests of a file written");
            let (same, _) = self.unchanged(&key, &existing, Some(&blake3), || {
                place::same_file_contents(&target, existing.as_ref(), source)
            })?;
            let mut now = existing;
            if !same {
                let temp = place::temp_beside(&target);
                let mut into = place::create_temp(&temp).map_err(|e| self.failed(e))?;
                let mut from = std::fs::File::open(source)
                    .with_context(|| format!("cannot read {}", source.display()))?;
                std::io::copy(&mut from, &mut into)
                    .map_err(|e| place::disk_error(e, &target))
                    .with_context(|| format!("cannot copy {}", source.display()))
                    .map_err(|e| self.failed(e))?;
                drop(into);
                place::replace_with(&temp, &target).map_err(|e| self.failed(e))?;
                now = self.record().and_then(|_| place::existing(&target));
            }
            self.note(&key, now, blake3, sha256);
        }
        self.nanos.since(started);
        Ok(())
    }

    /// Notes a failure; a full disk is said first and remembered, so that
    /// the staging folder is removed when the writer is dropped.
    fn failed(&self, e: anyhow::Error) -> anyhow::Error {
        let full = e.downcast_ref::<place::DiskFull>();
        match (full, &self.target) {
            (Some(full), Target::Staged(s)) => {
                self.disk_full.store(true, Ordering::Relaxed);
                anyhow::anyhow!(
                    "{full}: the build stopped, the published site is unchanged, and minhbach removes its staging folder {} to give the space back",
                    s.place.staging.display()
                )
            }
            (Some(full), _) => anyhow::anyhow!("{full}: the build stopped"),
            (None, _) => e,
        }
    }

    /// Records `path` (refusing a second file there) and makes room for it:
    /// its folders, never going through a link. Returns where to write and
    /// what is there now, or nothing for a dry run or a path the user keeps.
    fn claim(
        &self,
        path: OutputPath,
        len: Sized,
    ) -> Result<Option<(PathBuf, Option<std::fs::Metadata>)>> {
        if self.keep.has(path.as_str()) {
            self.kept
                .lock()
                .expect("writer lock")
                .push(path.as_str().to_string());
            return Ok(None);
        }
        let root = self.target.root().map(Path::to_path_buf);
        let target = root.as_ref().map(|r| r.join(path.as_str()));
        {
            let mut files = self.files.lock().expect("writer lock");
            if files.contains_key(&path) {
                bail!("two files would be written to `{}`", path.as_str());
            }
            files.insert(path, len);
        }
        let (Some(root), Some(target)) = (root, target) else {
            return Ok(None);
        };
        if let Some(parent) = target.parent() {
            // The deepest folder above that this build made or checked
            // already: only the folders below it are looked at (most pages
            // are an index.html in a folder of their own, under folders
            // that thousands of pages share).
            let base = {
                let dirs = self.dirs.lock().expect("writer lock");
                if dirs.contains(parent) {
                    None
                } else {
                    Some(
                        parent
                            .ancestors()
                            .skip(1)
                            .take_while(|a| a.starts_with(&root) && *a != root)
                            .find(|a| dirs.contains(*a))
                            .unwrap_or(&root)
                            .to_path_buf(),
                    )
                }
            };
            if let Some(base) = base {
                place::make_dirs(&base, parent).map_err(|e| self.failed(e))?;
                let mut dirs = self.dirs.lock().expect("writer lock");
                for made in parent.ancestors().take_while(|a| *a != base) {
                    dirs.insert(made.to_path_buf());
                }
            }
        }
        let existing = place::existing(&target);
        Ok(Some((target, existing)))
    }

    /// The record a full build keeps of its files.
    fn record(&self) -> Option<&record::Record> {
        match &self.target {
            Target::Staged(s) => Some(&s.record),
            _ => None,
        }
    }

    /// Whether the file at `key` (its `lstat` `existing`) already holds the
    /// bytes of BLAKE3 digest `blake3`: known from the record when it is
    /// the file the build before last wrote (with the SHA-256 recorded),
    /// else found by `compare` reading it. Counted for `build -v`.
    fn unchanged(
        &self,
        key: &OutputPath,
        existing: &Option<std::fs::Metadata>,
        blake3: Option<&integrity::Blake3>,
        compare: impl FnOnce() -> Result<bool>,
    ) -> Result<(bool, Option<Sha256>)> {
        let recorded = match (self.record(), existing, blake3) {
            (Some(r), Some(m), Some(b)) => r.unchanged(key.as_str(), m, b),
            _ => None,
        };
        let how = match recorded {
            Some(_) => 1,
            None if compare()? => 2,
            None => 0,
        };
        self.counts[how].fetch_add(1, Ordering::Relaxed);
        Ok((how > 0, recorded))
    }

    /// Records, when the build keeps a record, the file at `key` as it is
    /// now (`now`, its `lstat`) with its digests.
    fn note(
        &self,
        key: &OutputPath,
        now: Option<std::fs::Metadata>,
        blake3: integrity::Blake3,
        sha256: Sha256,
    ) {
        if let (Some(r), Some(id)) = (self.record(), now.as_ref().and_then(record::FileId::of)) {
            r.note(key.clone(), record::Entry { id, blake3, sha256 });
        }
    }

    /// What became of the files written so far.
    pub fn file_counts(&self) -> FileCounts {
        let [written, recorded, read] = &self.counts;
        let n = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        FileCounts {
            written: n(written),
            recorded: n(recorded),
            read: n(read),
        }
    }

    /// Time spent writing files so far, summed over threads.
    pub fn thread_time(&self) -> Duration {
        self.nanos.get()
    }

    /// Says that the build no longer makes `path`: an update in place
    /// removes it (and the folders it leaves empty) if minhbach wrote it; a
    /// full build leaves out every file it did not write anyway.
    pub fn remove(&self, path: OutputPath) -> Result<()> {
        if let Target::InPlace(p) = &self.target {
            if p.manifest.has(path.as_str()) {
                place::remove_file(&p.place.dest, path.as_str())?;
            }
        }
        self.removed.lock().expect("writer lock").push(path);
        Ok(())
    }

    /// Finishes the build. A full build removes from the staging folder what
    /// it did not write, moves the user's entries from the output into it,
    /// records what it wrote in its marker, and exchanges it with the
    /// output in one step (the previous output becomes the next staging
    /// folder). An update in place records what the output now holds.
    /// Returns the list of files written.
    pub fn commit(mut self) -> Result<Written> {
        self.write_integrity_manifest()?;
        let files = std::mem::take(&mut *self.files.lock().expect("writer lock"));
        let removed = std::mem::take(&mut *self.removed.lock().expect("writer lock"));
        let kept = std::mem::take(&mut *self.kept.lock().expect("writer lock"));
        let written = Written {
            files,
            removed,
            kept,
        };
        match std::mem::replace(&mut self.target, Target::Dry) {
            Target::Dry => {}
            Target::Staged(Staged {
                place,
                record,
                _lock,
                ..
            }) => {
                // Recorded after the last file and before the exchange: the
                // record is older than any change made to the site once it
                // is published.
                record
                    .save(&place.record, &place.dest)
                    .map_err(|e| self.failed(e))?;
                commit_staged(&place, &written, &self.keep).map_err(|e| self.failed(e))?
            }
            Target::InPlace(p) => {
                let mut now: std::collections::BTreeSet<String> =
                    p.manifest.files().cloned().collect();
                if matches!(p.manifest, Manifest::Everything) {
                    now.extend(
                        place::foreign_entries(
                            &p.place.dest,
                            &Manifest::Files(Default::default()),
                            &self.keep,
                        )?
                        .into_iter()
                        .filter(|f| !f.split('/').any(|s| s.starts_with('.'))),
                    );
                }
                for r in &written.removed {
                    now.remove(r.as_str());
                }
                now.extend(written.files.keys().map(|p| p.as_str().to_string()));
                place::write_manifest(&p.place.dest, now.iter().map(String::as_str))?;
            }
        }
        Ok(written)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // A build that did not commit (it failed, or filled the disk) gives
        // back what it made: the staging folder is minhbach's, and the next
        // build makes it again. One that was there before (the previous
        // output, kept for reuse) stays unless the disk is full.
        if let Target::Staged(s) = &self.target {
            if s.created || self.disk_full.load(Ordering::Relaxed) {
                let _ = std::fs::remove_dir_all(&s.place.staging);
            }
        }
    }
}

/// Test hook: with `MINHBACH_TEST_CRASH_AT=N`, the process stops at the
/// N-th step of publishing a build (each removal or rename that moves the
/// site, the user's entries or the journal), as `kill -9` would: no
/// destructor runs. Without the variable it does nothing. The fault tests
/// use it to stop a build between every pair of renames.
fn step(done: &mut usize) {
    *done += 1;
    if std::env::var("MINHBACH_TEST_CRASH_AT").is_ok_and(|v| v.parse() == Ok(*done)) {
        std::process::abort();
    }
}

impl Writer {
    /// Has [`Writer::commit`] write `manifest.json` (and sign it with the
    /// seal's key) listing every file of the output but the user's.
    pub fn seal(&self, seal: Seal) {
        *self.seal.lock().expect("writer lock") = Some(seal);
    }

    /// Writes the manifest the writer was sealed with (if it was not
    /// written with a bundle), last of all files.
    fn write_integrity_manifest(&self) -> Result<()> {
        if self.seal.lock().expect("writer lock").is_none() || matches!(self.target, Target::Dry) {
            return Ok(());
        }
        let (manifest, signature) = self.sealed_texts(&[], None)?;
        self.write_sealed(&manifest, signature.as_deref())
    }

    /// The manifest the writer was sealed with, and its signature, as they
    /// would be with `extra` files written too and the bundle `archive`
    /// named.
    pub(crate) fn sealed_texts(
        &self,
        extra: &[(&str, &[u8])],
        archive: Option<&str>,
    ) -> Result<(String, Option<String>)> {
        let seal = self.seal.lock().expect("writer lock");
        let Some(seal) = seal.as_ref() else {
            bail!("the writer was not sealed");
        };
        let mut listed = self.listing()?;
        for (path, bytes) in extra {
            listed.insert(
                path.to_string(),
                (bytes.len() as u64, integrity::sha256(bytes)),
            );
        }
        let text = integrity::render(seal, &listed, archive);
        let signature = match &seal.key {
            Some(key) => Some(integrity::sign(seal, key, text.as_bytes())?),
            None => None,
        };
        Ok((text, signature))
    }

    /// Writes the manifest and its signature (or, unsigned, removes an
    /// earlier signature an update in place would leave); the seal is used.
    pub(crate) fn write_sealed(&self, manifest: &str, signature: Option<&str>) -> Result<()> {
        self.seal.lock().expect("writer lock").take();
        self.write(OutputPath::new(integrity::MANIFEST)?, manifest.as_bytes())?;
        match signature {
            Some(s) => self.write(OutputPath::new(integrity::SIGNATURE)?, s.as_bytes())?,
            None => {
                if let Target::InPlace(p) = &self.target {
                    if p.manifest.has(integrity::SIGNATURE) {
                        // An unsigned update must not leave the signature
                        // of a manifest that no longer is.
                        self.remove(OutputPath::new(integrity::SIGNATURE)?)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Every file of the output the manifest lists, with its size and
    /// SHA-256: what this build wrote and, for an update in place, what
    /// earlier builds wrote that is still there (their digests taken from
    /// the previous manifest, else read).
    /// Not the manifest, its signature or the bundle.
    fn listing(&self) -> Result<BTreeMap<String, (u64, Sha256)>> {
        let own = [integrity::MANIFEST, integrity::SIGNATURE, archive::ARCHIVE];
        let mut listed: BTreeMap<String, (u64, Sha256)> = BTreeMap::new();
        for (path, (size, digest)) in self.files.lock().expect("writer lock").iter() {
            let Some(digest) = digest else {
                bail!("no digest of {} (a dry run)", path.as_str());
            };
            if !own.contains(&path.as_str()) {
                listed.insert(path.as_str().to_string(), (*size, *digest));
            }
        }
        if let Target::InPlace(p) = &self.target {
            let removed: HashSet<String> = self
                .removed
                .lock()
                .expect("writer lock")
                .iter()
                .map(|r| r.as_str().to_string())
                .collect();
            let previous: BTreeMap<String, (u64, String)> =
                std::fs::read(p.place.dest.join(integrity::MANIFEST))
                    .ok()
                    .and_then(|b| integrity::Manifest::parse(&b).ok())
                    .map(|m| {
                        m.files
                            .into_iter()
                            .map(|e| (e.path, (e.size, e.sha256)))
                            .collect()
                    })
                    .unwrap_or_default();
            for f in p.manifest.files() {
                if listed.contains_key(f)
                    || removed.contains(f)
                    || own.contains(&f.as_str())
                    || self.keep.has(f)
                {
                    continue;
                }
                // The output is minhbach's own (an update in place is a
                // live preview's private folder): a file it did not write
                // now is as the previous manifest lists it. One it does
                // not list is read.
                if let Some((size, digest)) = previous
                    .get(f)
                    .and_then(|(size, hex)| Some((*size, integrity::unhex(hex)?)))
                {
                    listed.insert(f.clone(), (size, digest));
                    continue;
                }
                let on_disk = p.place.dest.join(f);
                let Ok(meta) = std::fs::symlink_metadata(&on_disk) else {
                    continue;
                };
                if !meta.is_file() {
                    continue;
                }
                let digest = std::fs::File::open(&on_disk)
                    .and_then(integrity::sha256_of)
                    .with_context(|| format!("cannot read {}", on_disk.display()))?;
                listed.insert(f.clone(), (meta.len(), digest));
            }
        }
        Ok(listed)
    }
}

/// Swaps the staging folder in as the output (see [`Writer::commit`]).
fn commit_staged(place: &Place, written: &Written, keep: &Keep) -> Result<()> {
    let steps = &mut 0;
    let staging = &place.staging;
    // The user's entries in the output move with the site, journalled
    // beside it so that a build killed half way puts them back. Finding
    // them walks the output, and removing the stale files walks the staging
    // folder: the two walks (tens of thousands of entries each, the last
    // work of a build) touch different folders and run side by side.
    let find_foreign = || -> Result<Vec<String>> {
        match place::read_manifest(&place.dest)? {
            Some(manifest) => place::foreign_entries(&place.dest, &manifest, keep),
            None if place.dest.is_dir() => {
                place::foreign_entries(&place.dest, &Manifest::Files(Default::default()), keep)
            }
            None => Ok(Vec::new()),
        }
    };
    let (stale, foreign) = rayon::join(|| remove_stale(staging, &written.files), find_foreign);
    stale?;
    step(steps);
    let foreign = foreign?;
    for f in &foreign {
        let clash = written.files.keys().any(|p| {
            let p = p.as_str();
            p == f || p.starts_with(&format!("{f}/")) || f.starts_with(&format!("{p}/"))
        });
        if clash {
            bail!(
                "{} is not minhbach's, and this build writes {f}: move it away, or list it in `keep` in config.toml so that minhbach leaves it and does not write its own",
                place.dest.join(f).display()
            );
        }
    }
    if !foreign.is_empty() {
        place::put(
            &place.journal,
            format!("{}\n", foreign.join("\n")).as_bytes(),
        )?;
        step(steps);
        for f in &foreign {
            let to = staging.join(f);
            if let Some(parent) = to.parent() {
                place::make_dirs(staging, parent)?;
            }
            place::rename(&place.dest.join(f), &to)?;
            step(steps);
        }
    }
    place::write_manifest(staging, written.files.keys().map(OutputPath::as_str))?;
    step(steps);
    if place.dest.exists() {
        let exchange = std::env::var_os("MINHBACH_TEST_NO_EXCHANGE").is_none();
        if exchange {
            place::exchange(staging, &place.dest, &place.swap)?;
        } else {
            // What a file system without an atomic exchange goes through.
            place::rename(&place.dest, &place.swap)?;
            step(steps);
            place::rename(staging, &place.dest)?;
            step(steps);
            place::rename(&place.swap, staging)?;
        }
    } else {
        place::rename(staging, &place.dest)?;
    }
    step(steps);
    if !foreign.is_empty() {
        std::fs::remove_file(&place.journal)
            .with_context(|| format!("cannot remove {}", place.journal.display()))?;
        step(steps);
    }
    Ok(())
}

/// Deletes every file and folder under the staging folder `dir` that is not
/// one of `files` (or the marker): what an older build wrote and this one
/// did not. (The user's entries are never there: they are moved into the
/// output at every swap, and back by the repair of an interrupted one.)
fn remove_stale(dir: &Path, files: &BTreeMap<OutputPath, Sized>) -> Result<()> {
    let keep: HashSet<&str> = files.keys().map(OutputPath::as_str).collect();
    // The folders holding a file of this build stay: removing them was an
    // `rmdir` refused as not empty for each (6,963 of them at 1,000
    // reports, all but the emptied ones).
    let holding: HashSet<&str> = keep
        .iter()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    let mut stale_dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .contents_first(true)
    {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let rel = place::rel_of(dir, entry.path());
        if entry.file_type().is_dir() {
            if !holding.contains(rel.as_str()) {
                stale_dirs.push(entry.into_path());
            }
        } else if rel != MARKER && !keep.contains(rel.as_str()) {
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

/// Repairs what an interrupted build left beside the output `dest` (the
/// previous output moved aside, the user's entries half moved), before
/// anything else: even a build that then stops on a content error leaves
/// the last good output in place. Does nothing (and creates nothing) when
/// there is nothing to repair.
pub fn repair(dest: &Path) -> Result<()> {
    let place = Place::of(dest)?;
    if !place.needs_repair() {
        return Ok(());
    }
    place.check_names()?;
    let _lock = place.lock()?;
    place.recover()
}

/// The files the output `dest` (or the folder its link names) holds from
/// minhbach's last build, when it is one of minhbach's outputs.
pub fn previous_files(dest: &Path) -> Result<Option<Vec<String>>> {
    let Ok(place) = Place::of(dest) else {
        return Ok(None);
    };
    Ok(place::read_manifest(&place.dest)?.map(|m| m.files().cloned().collect()))
}

pub(crate) fn absolute(p: &Path) -> Result<PathBuf> {
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
    fn a_file_changed_beside_the_record_is_written_again() {
        // Builds 1 and 2 leave two outputs; build 3 writes into build 1's,
        // trusting the record for the files it wrote there unless they
        // changed since.
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        let prev = dir.path().join(".public.minhbach-prev");
        let build = |files: &[(&str, &[u8])]| {
            let w = Writer::to_dir(&dest).unwrap();
            for (path, bytes) in files {
                w.write(OutputPath::new(path).unwrap(), bytes).unwrap();
            }
            // The record is stamped a tick of the clock after the files
            // (a file changed in the tick of the stamp is not trusted).
            std::thread::sleep(std::time::Duration::from_millis(20));
            w.commit().unwrap();
        };
        let site: [(&str, &[u8]); 3] = [
            ("kept.html", b"kept"),
            ("edited.html", b"page"),
            ("replaced.html", b"same"),
        ];
        build(&site);
        std::thread::sleep(std::time::Duration::from_millis(20));
        build(&site);
        let ino = |p: &Path| std::fs::symlink_metadata(p).unwrap().ino();
        let kept = ino(&prev.join("kept.html"));
        // In the staging folder: one file edited in place to other bytes
        // of the same length, one replaced by a copy of the same bytes.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(prev.join("edited.html"), b"PAGE").unwrap();
        std::fs::remove_file(prev.join("replaced.html")).unwrap();
        std::fs::write(prev.join("replaced.html"), b"same").unwrap();
        let replaced = ino(&prev.join("replaced.html"));
        let w = Writer::to_dir(&dest).unwrap();
        for (path, bytes) in site {
            w.write(OutputPath::new(path).unwrap(), bytes).unwrap();
        }
        // Only the file left as build 1 wrote it is known from the record.
        let counts = w.file_counts();
        let written = w.commit().unwrap();
        let expected = FileCounts {
            written: 1,
            recorded: 1,
            read: 1,
        };
        assert_eq!(counts, expected);
        // Each file holds its bytes, and has their SHA-256 (the manifest's
        // listing), also the file known from the record (by BLAKE3), whose
        // SHA-256 the record gave.
        for (path, bytes) in site {
            assert_eq!(std::fs::read(dest.join(path)).unwrap(), bytes, "{path}");
            assert_eq!(
                written.sha256(path),
                Some(integrity::sha256(bytes)),
                "{path}"
            );
        }
        // The files that hold the right bytes are left as they are.
        assert_eq!(ino(&dest.join("kept.html")), kept);
        assert_eq!(ino(&dest.join("replaced.html")), replaced);
        // And a record that is not minhbach's format is only ignored.
        std::fs::write(dir.path().join(".public.minhbach-files"), "junk").unwrap();
        std::fs::write(prev.join("edited.html"), b"PAGE").unwrap();
        build(&site);
        assert_eq!(std::fs::read(dest.join("edited.html")).unwrap(), b"page");
    }

    #[test]
    fn stale_files_and_the_folders_they_empty_go_and_the_rest_stays() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a/b/kept.html",
            "a/b/stale.html",
            "a/c/stale.html",
            "d/e/f/stale.html",
            "g/kept.html",
        ] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), f).unwrap();
        }
        std::fs::create_dir_all(root.join("h/empty")).unwrap();
        std::fs::write(root.join(MARKER), "").unwrap();
        let files: BTreeMap<OutputPath, Sized> = ["a/b/kept.html", "g/kept.html"]
            .iter()
            .map(|p| (OutputPath::new(p).unwrap(), (0, None)))
            .collect();
        remove_stale(root, &files).unwrap();
        let mut left: Vec<String> = walkdir::WalkDir::new(root)
            .min_depth(1)
            .into_iter()
            .map(|e| place::rel_of(root, e.unwrap().path()))
            .collect();
        left.sort();
        assert_eq!(
            left,
            [MARKER, "a", "a/b", "a/b/kept.html", "g", "g/kept.html"]
        );
        assert_eq!(
            std::fs::read_to_string(root.join("a/b/kept.html")).unwrap(),
            "a/b/kept.html"
        );
    }

    #[test]
    fn a_streamed_file_with_the_same_bytes_is_left_as_it_is() {
        // The site-wide downloads are streamed: like any other file, one
        // the build before last wrote with the same bytes is kept (its
        // inode and time), known from the record or else by reading it;
        // other bytes replace it, and no temporary file is left.
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        let prev = dir.path().join(".public.minhbach-prev");
        let build = |bytes: &[u8]| {
            let w = Writer::to_dir(&dest).unwrap();
            let path = OutputPath::new("data/all.csv").unwrap();
            w.write_stream(path, |out| Ok(out.write_all(bytes)?))
                .unwrap();
            let counts = w.file_counts();
            std::thread::sleep(std::time::Duration::from_millis(20));
            w.commit().unwrap();
            counts
        };
        let counts = |written, recorded, read| FileCounts {
            written,
            recorded,
            read,
        };
        let ino = |p: &Path| {
            std::fs::symlink_metadata(p.join("data/all.csv"))
                .unwrap()
                .ino()
        };
        // Over the stream's buffer (64 KiB), so that it is written in pieces.
        let big: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        assert_eq!(build(&big), counts(1, 0, 0));
        assert_eq!(build(&big), counts(1, 0, 0));
        let first = ino(&prev);
        assert_eq!(build(&big), counts(0, 1, 0));
        assert_eq!(ino(&dest), first);
        // Without a record, the old file is read.
        std::fs::write(dir.path().join(".public.minhbach-files"), "junk").unwrap();
        let second = ino(&prev);
        assert_eq!(build(&big), counts(0, 0, 1));
        assert_eq!(ino(&dest), second);
        // Edited in place to the same length: not trusted, written again.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut edited = big.clone();
        edited[1000] ^= 1;
        std::fs::write(prev.join("data/all.csv"), &edited).unwrap();
        assert_eq!(build(&big), counts(1, 0, 0));
        assert_eq!(std::fs::read(dest.join("data/all.csv")).unwrap(), big);
        // Other bytes replace the file.
        let mut other = big.clone();
        other[299_999] ^= 1;
        assert_eq!(build(&other), counts(1, 0, 0));
        assert_eq!(std::fs::read(dest.join("data/all.csv")).unwrap(), other);
        for out in [&dest, &prev] {
            let names: Vec<String> = std::fs::read_dir(out.join("data"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names, ["all.csv"], "{}", out.display());
        }
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
        let expected = [
            ".public.minhbach-files",
            ".public.minhbach-lock",
            ".public.minhbach-prev",
            "public",
        ];
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

    #[test]
    fn threads_replacing_the_same_link_by_a_folder_all_succeed() {
        // Pages are written in parallel: many threads find the same planted
        // link where their folder must be (the CI failure of stop 23).
        for round in 0..50 {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("out");
            let elsewhere = dir.path().join("elsewhere");
            std::fs::create_dir_all(&root).unwrap();
            std::fs::create_dir_all(&elsewhere).unwrap();
            std::os::unix::fs::symlink(&elsewhere, root.join("nam")).unwrap();
            let errors: Vec<String> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..8)
                    .map(|t| {
                        let root = &root;
                        s.spawn(move || place::make_dirs(root, &root.join(format!("nam/{t}"))))
                    })
                    .collect();
                handles
                    .into_iter()
                    .filter_map(|h| h.join().unwrap().err().map(|e| format!("{e:#}")))
                    .collect()
            });
            assert!(errors.is_empty(), "round {round}: {errors:?}");
            assert!(std::fs::symlink_metadata(root.join("nam"))
                .unwrap()
                .is_dir());
            assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
            assert_eq!(std::fs::read_dir(root.join("nam")).unwrap().count(), 8);
        }
    }
}
