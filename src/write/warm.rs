//! Reading ahead the folders a build goes through file by file: its output
//! and the staging folder beside it. A rebuild looks at every file there
//! (the record trusts a file by its `lstat`; the swap's two walks read every
//! folder), one file at a time on each thread. When the system no longer
//! holds them in memory (a build a day later, a machine that reclaims what
//! it has not used for a while), each look waits on the disk in turn.
//! Many threads that only read keep many of those waits in flight at once,
//! as the loader does for the report files (`posix_fadvise`, which has no
//! form for folders and inodes).
//!
//! The readers never write, never follow a link, and stop when told or when
//! the first folders they read show that the system holds them already.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Threads reading at once: enough to keep a disk's queue busy; they wait on
/// the disk, not on the processor.
const READERS: usize = 16;
/// When to stop early: after reading `folders` folders in less than `each`
/// apiece on average, the system holds them in memory and likely the rest
/// too, so reading on would only take processor time from the build.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub folders: usize,
    pub each: Duration,
}

/// 64 folders at under 100 µs each (a folder: its listing and each entry's
/// `lstat`). On the development machine the readers stop there when the
/// output is in memory (about 65 folders read, `perf stat`), and read it to
/// the end with the page cache dropped.
pub const SAMPLE: Sample = Sample {
    folders: 64,
    each: Duration::from_micros(100),
};

/// Readers at work; dropping it stops and waits for them.
pub struct Warming {
    shared: Arc<Shared>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
    stop: AtomicBool,
    sample: Option<Sample>,
}

#[derive(Default)]
struct Queue {
    folders: Vec<PathBuf>,
    /// Folders being read now (their subfolders may still come).
    reading: usize,
    /// Folders read so far, and the time they took, for the sample.
    read: usize,
    took: Duration,
}

impl Warming {
    /// Starts reading `roots` (those that are folders; the last first) and
    /// everything under them, stopping early as `sample` says (never with
    /// `None`).
    pub fn start(roots: Vec<PathBuf>, sample: Option<Sample>) -> Warming {
        let folders: Vec<PathBuf> = roots
            .into_iter()
            .filter(|r| std::fs::symlink_metadata(r).is_ok_and(|m| m.is_dir()))
            .collect();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                folders,
                ..Queue::default()
            }),
            ready: Condvar::new(),
            stop: AtomicBool::new(false),
            sample,
        });
        let threads = (0..READERS)
            .filter_map(|_| {
                let shared = Arc::clone(&shared);
                std::thread::Builder::new()
                    .name("minhbach-warm".into())
                    .spawn(move || shared.read())
                    .ok()
            })
            .collect();
        Warming { shared, threads }
    }

    /// Folders read, for tests.
    #[cfg(test)]
    fn finish(mut self) -> usize {
        for t in std::mem::take(&mut self.threads) {
            let _ = t.join();
        }
        self.shared.queue.lock().map_or(0, |q| q.read)
    }
}

impl Drop for Warming {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.ready.notify_all();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Shared {
    /// One reader: takes folders until there are none left and none being
    /// read (which could add more), or until stopped.
    fn read(&self) {
        loop {
            let folder = {
                let Ok(mut q) = self.queue.lock() else { return };
                loop {
                    if self.stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Some(f) = q.folders.pop() {
                        q.reading += 1;
                        break f;
                    }
                    if q.reading == 0 {
                        self.ready.notify_all();
                        return;
                    }
                    q = match self.ready.wait(q) {
                        Ok(q) => q,
                        Err(_) => return,
                    };
                }
            };
            let started = Instant::now();
            let mut found = Vec::new();
            if let Ok(entries) = std::fs::read_dir(&folder) {
                for entry in entries.flatten() {
                    // The entry's type comes with the folder's listing; a
                    // link is not a folder here and is never followed.
                    match entry.file_type() {
                        Ok(t) if t.is_dir() => found.push(entry.path()),
                        // What the record asks of each file.
                        _ => drop(std::fs::symlink_metadata(entry.path())),
                    }
                }
            }
            let took = started.elapsed();
            let Ok(mut q) = self.queue.lock() else { return };
            q.reading -= 1;
            q.read += 1;
            q.took += took;
            if let Some(s) = self.sample {
                if q.read == s.folders && q.took < s.each * s.folders as u32 {
                    self.stop.store(true, Ordering::Relaxed);
                }
            }
            q.folders.extend(found);
            self.ready.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_folder_once_and_never_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        for d in ["a/b/c", "a/d", "e"] {
            std::fs::create_dir_all(out.join(d)).unwrap();
            std::fs::write(out.join(d).join("index.html"), d).unwrap();
        }
        // A link out of the output, to a folder with subfolders of its own.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(elsewhere.join("x/y")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("link")).unwrap();
        let before = std::fs::read_dir(&out).unwrap().count();
        // out, a, a/b, a/b/c, a/d, e; not link, x or x/y; a missing root
        // and a file as root are left out.
        let roots = vec![
            out.clone(),
            dir.path().join("missing"),
            out.join("e/index.html"),
        ];
        assert_eq!(Warming::start(roots, None).finish(), 6);
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), before);
        assert_eq!(
            std::fs::read_to_string(out.join("a/d/index.html")).unwrap(),
            "a/d"
        );
    }

    #[test]
    fn folders_read_fast_stop_it_after_the_sample() {
        // A chain of folders: each shows the next only once read, so the
        // readers take them one at a time and the count is exact.
        let dir = tempfile::tempdir().unwrap();
        let mut path = dir.path().to_path_buf();
        for i in 0..40 {
            path.push(format!("d{i}"));
        }
        std::fs::create_dir_all(&path).unwrap();
        let root = || vec![dir.path().to_path_buf()];
        let fast = Sample {
            folders: 5,
            each: Duration::from_secs(3600),
        };
        assert_eq!(Warming::start(root(), Some(fast)).finish(), 5);
        // Read slower than `each` (nothing is): all 41.
        let slow = Sample {
            folders: 5,
            each: Duration::ZERO,
        };
        assert_eq!(Warming::start(root(), Some(slow)).finish(), 41);
    }
}
