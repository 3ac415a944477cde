//! minhbach turns approved Vietnamese transparency reports, kept as YAML, into
//! a static website that works on any host and opened from disk.
//!
//! A report passes through the stages in order: [`load`] → [`cite`] →
//! [`validate`] (check) → [`catalog`] (link) → [`compare`] → [`render`] →
//! [`search`] (index). Each stage may use the earlier ones and the shared
//! pieces — [`model`], [`config`], [`diagnostics`], [`vietnamese`],
//! [`urls`], [`intern`] and the output funnel [`write`] — which use no stage.
//! [`site`] runs the stages and [`cmd`] holds the commands.

pub mod catalog;
pub mod cite;
pub mod cmd;
pub mod compare;
pub mod config;
pub mod diagnostics;
pub mod import;
pub mod intern;
pub mod load;
pub mod model;
pub mod render;
pub mod search;
pub mod site;
pub mod urls;
pub mod validate;
pub mod vietnamese;
pub mod write;

/// A hash map for the hot loops over report text (comparison maps, search
/// terms), whose order nothing written depends on. std's SipHash took about
/// a tenth of comparing two reports and of indexing one; foldhash, which
/// still seeds itself per process, makes a comparison 8% faster (1.81
/// against 1.67 ms a pair on the 1,000-report corpus).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// The set of [`FastMap`]: membership only, never iterated into output.
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Time spent by every thread on one kind of work, summed: what `build -v`
/// prints as thread time (citing, checking, the templates, writing files).
#[derive(Default)]
pub struct ThreadTime(std::sync::atomic::AtomicU64);

impl ThreadTime {
    /// Adds `d`.
    pub fn add(&self, d: std::time::Duration) {
        self.0
            .fetch_add(d.as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
    }

    /// Adds the time since `started`.
    pub fn since(&self, started: std::time::Instant) {
        self.add(started.elapsed());
    }

    /// The total.
    pub fn get(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.0.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// A seeded generator for the unit tests that check a function against a
/// slower oracle on many random inputs (Knuth's MMIX linear congruential
/// generator): the same cases on every run, without a crate for it.
#[cfg(test)]
pub(crate) struct TestRng(u64);

#[cfg(test)]
impl TestRng {
    /// A generator started from `seed`.
    pub(crate) fn new(seed: u64) -> TestRng {
        TestRng(seed)
    }

    /// A number below `m` (from the state's high bits, the better ones).
    pub(crate) fn below(&mut self, m: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % m
    }
}
