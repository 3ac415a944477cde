//! The record, beside the output, of the files the last two full builds
//! wrote (`.<output>.minhbach-files`): for each, its size, SHA-256, BLAKE3
//! and its identity on disk (inode, modification and change times) as they
//! were right after minhbach wrote it.
//!
//! A full build writes into its previous-but-one output and leaves a file
//! that already holds the new bytes as it is (its modification time then
//! still says when it last changed, for rsync). Finding that out used to
//! mean reading every old file back and comparing it: on a rebuild of
//! 10,000 reports, 2.5 GB read, and on a machine that has dropped them from
//! its page cache (a build an hour after the last, or a VM that pages out
//! what was not touched for a minute), read from the disk, with the
//! rendering threads waiting. With the record, a file whose identity on
//! disk is still the one recorded holds the recorded bytes, so when the new
//! bytes have the recorded digest nothing is read. The digest compared is
//! BLAKE3 (a collision of it is as far out of reach as one of SHA-256, and
//! it takes half the time); the SHA-256 the manifest lists is then the
//! recorded one, and is only computed for files that changed.
//!
//! Why the identity can be trusted: every change to a file's bytes gives it
//! a new change time (`ctime`, which no user call can set back), and a file
//! replaced by a rename has another inode, so a file edited, replaced or
//! copied since minhbach wrote it no longer matches and is read and
//! compared as before. The one change a timestamp cannot show is one made
//! within the same tick of the file system's clock as minhbach's own write,
//! the "racy clean" case of git's index: as git does, an entry is trusted
//! only when its change time is older than its section's stamp, the file
//! system's time when the record was written (after every file of the
//! build, before the build is swapped in; a section carried over to the
//! next record keeps its own stamp).
//! The record is only a cache: when it is missing, torn (its last line is a
//! SHA-256 of the rest), of another folder or of an older format, every
//! file is compared by reading, and the output is the same either way.

use super::integrity::{self, Blake3, Sha256};
use super::OutputPath;
use crate::FastMap;
use anyhow::{Context, Result};
use std::hash::BuildHasher;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Mutex;

/// The record's first line.
const HEADER: &str = "minhbach files 3";

/// A file's identity on disk, as `lstat` gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileId {
    size: u64,
    ino: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl FileId {
    /// The identity of a plain file; none for anything else.
    pub fn of(meta: &std::fs::Metadata) -> Option<FileId> {
        meta.is_file().then(|| FileId {
            size: meta.len(),
            ino: meta.ino(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        })
    }
}

/// A folder's identity: its device and inode, which a rename (the swap of
/// the new output and the old) keeps.
fn dir_id(dir: &Path) -> Option<(u64, u64)> {
    std::fs::symlink_metadata(dir)
        .ok()
        .filter(std::fs::Metadata::is_dir)
        .map(|m| (m.dev(), m.ino()))
}

/// What a full build knows of its staging folder from the record, and what
/// it records of the files it writes there.
pub struct Record {
    /// The staging folder's identity.
    staging: (u64, u64),
    /// Its files as the build that wrote them left them, by a hash of their
    /// path (a path's own string was most of the memory the record took: a
    /// file found under another path's hash still has to be that file, by
    /// inode and times), trusted only when changed before `stamp`.
    before: FastMap<u64, Entry>,
    /// Hashes the paths of `before`.
    paths: foldhash::fast::RandomState,
    /// When the section was recorded, by the file system's clock: after
    /// every file it lists was written.
    stamp: (i64, i64),
    /// The files this build leaves in the staging folder, as they are.
    now: Mutex<Vec<(OutputPath, Entry)>>,
}

/// What the record says of one file: its identity on disk and its digests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: FileId,
    pub blake3: Blake3,
    pub sha256: Sha256,
}

impl Record {
    /// The record at `path` for the staging folder `staging`; an empty one
    /// when there is none, or it is torn, of another format or of other
    /// folders.
    pub fn read(path: &Path, staging: &Path) -> Record {
        let staging = dir_id(staging).unwrap_or_default();
        let mut record = Record {
            staging,
            before: FastMap::default(),
            paths: Default::default(),
            stamp: (i64::MIN, 0),
            now: Mutex::default(),
        };
        if let Some((stamp, body)) = read_section(path, staging) {
            record.stamp = stamp;
            let paths = &record.paths;
            record.before = body
                .lines()
                .filter_map(entry)
                .map(|(path, e)| (paths.hash_one(path), e))
                .collect();
        }
        record
    }

    /// The SHA-256 of the file at `path`, whose `lstat` is `meta`, when it
    /// is the one a build recorded with the BLAKE3 digest `blake3`: it
    /// holds those bytes.
    pub fn unchanged(
        &self,
        path: &str,
        meta: &std::fs::Metadata,
        blake3: &Blake3,
    ) -> Option<Sha256> {
        FileId::of(meta).and_then(|now| self.unchanged_id(path, &now, blake3))
    }

    /// [`Record::unchanged`] for a file whose identity is now `now`.
    fn unchanged_id(&self, path: &str, now: &FileId, blake3: &Blake3) -> Option<Sha256> {
        self.before
            .get(&self.paths.hash_one(path))
            .filter(|e| e.blake3 == *blake3 && e.id == *now && e.id.ctime < self.stamp)
            .map(|e| e.sha256)
    }

    /// Notes a file this build leaves in the staging folder, as it is now.
    pub fn note(&self, path: OutputPath, entry: Entry) {
        self.now.lock().expect("record lock").push((path, entry));
    }

    /// Writes the record at `path`: this build's files for the staging
    /// folder, and the record's section of the output folder `dest` (the
    /// staging folder of the next build, once the two are exchanged), read
    /// again now rather than kept through the build. Called after the last
    /// file is written and before the exchange.
    pub fn save(self, path: &Path, dest: &Path) -> Result<()> {
        let dest = dir_id(dest).filter(|d| *d != self.staging);
        let kept = dest.and_then(|d| read_section(path, d).map(|(stamp, body)| (d, stamp, body)));
        // The section's stamp is the file system's time now, after the
        // last file of the build (emptying the record sets its times); a
        // section carried over keeps its own.
        let file = open_for_writing(path)?;
        file.set_len(0)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let now_meta = file
            .metadata()
            .with_context(|| format!("cannot read {}", path.display()))?;
        let stamp = (now_meta.mtime(), now_meta.mtime_nsec());
        let mut now = self.now.into_inner().expect("record lock");
        now.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Written as it is made, through a buffer that hashes it: at 50,000
        // reports a section's text is some 55 MB, which was held whole,
        // with the whole old record (both sections) read to keep one.
        let mut out = Sealing {
            file: std::io::BufWriter::with_capacity(1 << 16, file),
            hash: sha2::Sha256::default(),
        };
        let written = (|| -> std::io::Result<()> {
            use std::io::Write;
            writeln!(out, "{HEADER}")?;
            let (dev, ino) = self.staging;
            writeln!(out, "dir {dev} {ino} {} {}", stamp.0, stamp.1)?;
            for (p, Entry { id, blake3, sha256 }) in &now {
                writeln!(
                    out,
                    "{} {} {} {} {} {} {} {} {}",
                    id.size,
                    id.ino,
                    id.mtime.0,
                    id.mtime.1,
                    id.ctime.0,
                    id.ctime.1,
                    integrity::hex(sha256),
                    integrity::hex(blake3),
                    p.as_str()
                )?;
            }
            if let Some(((dev, ino), stamp, body)) = &kept {
                writeln!(out, "dir {dev} {ino} {} {}", stamp.0, stamp.1)?;
                out.write_all(body.as_bytes())?;
            }
            let sum = integrity::hex(&sha2::Digest::finalize(std::mem::take(&mut out.hash)).into());
            writeln!(out.file, "sha256 {sum}")?;
            out.file.flush()
        })();
        written
            .map_err(|e| super::place::disk_error(e, path))
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

/// The record's writer: what goes through it is hashed for the record's
/// last line.
struct Sealing {
    file: std::io::BufWriter<std::fs::File>,
    hash: sha2::Sha256,
}

impl std::io::Write for Sealing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        sha2::Digest::update(&mut self.hash, &buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The section of the record at `path` for the folder `dir`: its stamp
/// and its lines. None when the record is missing, a link, torn (its last
/// line is the SHA-256 of the rest), of another format or without that
/// folder. Read a line at a time, keeping only that section's lines.
fn read_section(path: &Path, dir: (u64, u64)) -> Option<((i64, i64), String)> {
    use std::io::BufRead;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .ok()?;
    file.metadata().ok().filter(std::fs::Metadata::is_file)?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut hash = sha2::Sha256::default();
    let mut line = String::new();
    let mut read_line = |line: &mut String| {
        line.clear();
        reader.read_line(line).ok().filter(|_| line.ends_with('\n'))
    };
    read_line(&mut line)?;
    if line.strip_suffix('\n')? != HEADER {
        return None;
    }
    sha2::Digest::update(&mut hash, line.as_bytes());
    // A section is its `dir` line and the lines up to the next one (entry
    // lines start with a digit); it may have none. Entry lines before the
    // first `dir` line make the record foreign.
    let mut found: Option<((i64, i64), String)> = None;
    let mut inside = false;
    let mut any_dir = false;
    loop {
        read_line(&mut line)?;
        if let Some(sum) = line.strip_prefix("sha256 ") {
            let sealed = integrity::unhex(sum.strip_suffix('\n')?)?;
            // The seal is the last line.
            line.clear();
            let rest = reader.read_line(&mut line).ok()?;
            let whole: Sha256 = sha2::Digest::finalize(hash).into();
            return (rest == 0 && sealed == whole).then_some(found).flatten();
        }
        sha2::Digest::update(&mut hash, line.as_bytes());
        if let Some(words) = line.strip_prefix("dir ") {
            let mut words = words.trim_end().split(' ');
            let mut number = || words.next()?.parse::<i64>().ok();
            let (dev, ino) = (number()?, number()?);
            let stamp = (number()?, number()?);
            let id = (u64::try_from(dev).ok()?, u64::try_from(ino).ok()?);
            any_dir = true;
            inside = id == dir && found.is_none();
            if inside {
                found = Some((stamp, String::new()));
            }
        } else if !any_dir {
            return None;
        } else if inside {
            if let Some((_, body)) = &mut found {
                body.push_str(&line);
            }
        }
    }
}

/// Opens the record to write it in place (it is minhbach's own file beside
/// the output, written while the build holds the lock; a record torn by a
/// crash fails its checksum and is ignored). Never through a link.
fn open_for_writing(path: &Path) -> Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// One line of a section: size, inode, modification and change times
/// (seconds, nanoseconds), SHA-256, BLAKE3 and path.
fn entry(line: &str) -> Option<(&str, Entry)> {
    let mut w = line.splitn(9, ' ');
    let mut number = || w.next()?.parse::<i64>().ok();
    let (size, ino) = (number()?, number()?);
    let mtime = (number()?, number()?);
    let ctime = (number()?, number()?);
    let sha256 = integrity::unhex(w.next()?)?;
    let blake3 = integrity::unhex(w.next()?)?;
    let path = w.next()?;
    let id = FileId {
        size: u64::try_from(size).ok()?,
        ino: u64::try_from(ino).ok()?,
        mtime,
        ctime,
    };
    Some((path, Entry { id, blake3, sha256 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder with a staging folder `prev` in it, and where
    /// the record goes.
    fn setup() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join("prev");
        std::fs::create_dir(&staging).unwrap();
        let path = dir.path().join("record");
        (dir, staging, path)
    }

    /// An entry whose digests are `n` repeated (BLAKE3) and `n + 100`
    /// (SHA-256).
    fn e(id: FileId, n: u8) -> Entry {
        Entry {
            id,
            blake3: [n; 32],
            sha256: [n + 100; 32],
        }
    }

    fn id(size: u64, ino: u64, ctime: i64) -> FileId {
        FileId {
            size,
            ino,
            mtime: (ctime, 5),
            ctime: (ctime, 7),
        }
    }

    #[test]
    fn a_record_reads_back_what_was_saved_for_its_folder_only() {
        let (dir, staging, path) = setup();
        let dest = dir.path().join("out");
        std::fs::create_dir(&dest).unwrap();
        let first = Record::read(&path, &staging);
        assert!(first.before.is_empty());
        let page = OutputPath::new("a/index.html").unwrap();
        first.note(page.clone(), e(id(10, 42, 100), 1));
        first.save(&path, &dest).unwrap();
        // Read for the same folder: the entry, trusted only when its change
        // time is older than the record's.
        let again = Record::read(&path, &staging);
        assert_eq!(again.get("a/index.html"), Some(&e(id(10, 42, 100), 1)));
        assert!(again.stamp > (100, 7));
        // Read for the other folder: nothing of this one is trusted, but
        // its section is kept for the build after, when the folders have
        // been exchanged.
        let other = Record::read(&path, &dest);
        assert!(other.before.is_empty());
        other.note(OutputPath::new("b.html").unwrap(), e(id(3, 9, 200), 2));
        other.save(&path, &staging).unwrap();
        let both = Record::read(&path, &staging);
        assert_eq!(both.get("a/index.html"), Some(&e(id(10, 42, 100), 1)));
        assert_eq!(both.get("b.html"), None);
        let b = Record::read(&path, &dest);
        assert_eq!(b.get("b.html"), Some(&e(id(3, 9, 200), 2)));
        assert_eq!(b.get("a/index.html"), None);
        // A third folder: the section of neither is written again but the
        // one of the folder given as the output.
        let third = dir.path().join("third");
        std::fs::create_dir(&third).unwrap();
        Record::read(&path, &third).save(&path, &dest).unwrap();
        assert_eq!(Record::read(&path, &staging).before.len(), 0);
        assert_eq!(Record::read(&path, &dest).before.len(), 1);
    }

    impl Record {
        fn get(&self, path: &str) -> Option<&Entry> {
            self.before.get(&self.paths.hash_one(path))
        }
    }

    #[test]
    fn a_torn_or_foreign_record_is_ignored() {
        let (dir, staging, path) = setup();
        let r = Record::read(&path, &staging);
        r.note(OutputPath::new("x.html").unwrap(), e(id(1, 2, 3), 3));
        r.save(&path, &staging).unwrap();
        let whole = std::fs::read_to_string(&path).unwrap();
        assert_eq!(Record::read(&path, &staging).before.len(), 1);
        // Every shorter prefix (a crash while writing) and a changed byte.
        for cut in 0..whole.len() {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert!(Record::read(&path, &staging).before.is_empty(), "{cut}");
        }
        std::fs::write(&path, whole.replacen("x.html", "y.html", 1)).unwrap();
        assert!(Record::read(&path, &staging).before.is_empty());
        // A whole record of the format before BLAKE3 (its lines had
        // SHA-256 alone): read as no record.
        let body = whole[..whole.rfind("sha256 ").unwrap()]
            .replacen(HEADER, "minhbach files 2", 1)
            .replacen(&format!(" {}", integrity::hex(&[3; 32])), "", 1);
        let old = format!(
            "{body}sha256 {}\n",
            integrity::hex(&integrity::sha256(body.as_bytes()))
        );
        std::fs::write(&path, &old).unwrap();
        assert!(Record::read(&path, &staging).before.is_empty());
        assert!(read_section(&path, dir_id(&staging).unwrap()).is_none());
        // Lines after the seal: not the record written.
        std::fs::write(&path, format!("{whole}1 2 3 4 5 6 x\n")).unwrap();
        assert!(Record::read(&path, &staging).before.is_empty());
        std::fs::write(&path, &whole).unwrap();
        assert_eq!(Record::read(&path, &staging).before.len(), 1);
        // A link is not followed.
        std::fs::remove_file(&path).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, &whole).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        assert!(Record::read(&path, &staging).before.is_empty());
    }

    #[test]
    fn a_file_changed_since_it_was_recorded_is_not_trusted() {
        let (_dir, staging, path) = setup();
        let file = staging.join("page.html");
        std::fs::write(&file, "old").unwrap();
        let meta = std::fs::symlink_metadata(&file).unwrap();
        let r = Record::read(&path, &staging);
        let (digest, sha256) = (integrity::blake3(b"old"), integrity::sha256(b"old"));
        r.note(
            OutputPath::new("page.html").unwrap(),
            Entry {
                id: FileId::of(&meta).unwrap(),
                blake3: digest,
                sha256,
            },
        );
        // The record is written a tick after the file (as after a build).
        std::thread::sleep(std::time::Duration::from_millis(20));
        r.save(&path, &staging).unwrap();
        let r = Record::read(&path, &staging);
        let now = || std::fs::symlink_metadata(&file).unwrap();
        // The file is known by its BLAKE3, and its SHA-256 is the one
        // recorded.
        assert_eq!(r.unchanged("page.html", &now(), &digest), Some(sha256));
        // Other bytes wanted: not the same file.
        assert_eq!(
            r.unchanged("page.html", &now(), &integrity::blake3(b"new")),
            None
        );
        // Nor is a path the record does not list.
        assert_eq!(r.unchanged("other.html", &now(), &digest), None);
        // Edited in place to the same length: a new change time.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, "odd").unwrap();
        assert_eq!(r.unchanged("page.html", &now(), &digest), None);
        // Put back as it was, even with its old modification time: still
        // not trusted (the change time moved on).
        std::fs::write(&file, "old").unwrap();
        let f = std::fs::File::options().write(true).open(&file).unwrap();
        f.set_modified(meta.modified().unwrap()).unwrap();
        assert_eq!(r.unchanged("page.html", &now(), &digest), None);
    }

    #[test]
    fn a_file_recorded_after_the_record_was_stamped_is_not_trusted() {
        // A file whose change time is not older than the record could have
        // been changed again within the same tick: it is read instead.
        let (_dir, staging, path) = setup();
        let r = Record::read(&path, &staging);
        r.save(&path, &staging).unwrap();
        let stamp = Record::read(&path, &staging).stamp;
        let file = staging.join("page.html");
        std::fs::write(&file, "old").unwrap();
        let digest = integrity::blake3(b"old");
        let mut r = Record::read(&path, &staging);
        let mut late = FileId::of(&std::fs::symlink_metadata(&file).unwrap()).unwrap();
        late.ctime = stamp;
        let entry = |id| Entry {
            id,
            blake3: digest,
            sha256: [9; 32],
        };
        r.before.insert(r.paths.hash_one("page.html"), entry(late));
        assert_eq!(r.unchanged_id("page.html", &late, &digest), None);
        late.ctime = (stamp.0 - 1, stamp.1);
        r.before.insert(r.paths.hash_one("page.html"), entry(late));
        assert_eq!(r.unchanged_id("page.html", &late, &digest), Some([9; 32]));
    }
}
