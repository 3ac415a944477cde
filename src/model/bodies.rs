//! The body store: the one way to a report's [`Body`]. Small sites keep
//! every body in memory from loading to rendering; large ones keep only the
//! citations found in it and read the file again when a page needs the text.
//! A body read again must come from the very bytes that were checked (the
//! file's SHA-256 taken at load), so what is rendered is what was checked.

use super::{Body, CitationSpan, Digest, IdVec, Report, ReportId};
use anyhow::{bail, Result};
use std::borrow::Cow;
use std::sync::Arc;

/// Reads a report's file again: its body and the digest of the bytes read.
/// The load stage provides it; the store only calls it.
pub type ReadBody = dyn Fn(&Report) -> Result<(Body, Digest)> + Send + Sync;

/// What the store keeps of one report.
#[derive(Debug, Clone, Default)]
pub enum Stored {
    /// Nothing: the report is not published in this build.
    #[default]
    Absent,
    /// The whole body.
    Held(Box<Body>),
    /// The citations found in the body; the text is read again when needed.
    Citations(Box<[CitationSpan]>),
}

impl Stored {
    /// What to keep of `body`: all of it, or only its citations.
    pub fn of(body: Body, hold: bool) -> Stored {
        if hold {
            Stored::Held(Box::new(body))
        } else {
            Stored::Citations(body.citations.into_boxed_slice())
        }
    }
}

/// Every report's body, by report.
#[derive(Default, Clone)]
pub struct Bodies {
    stored: IdVec<ReportId, Stored>,
    read_again: Option<Arc<ReadBody>>,
}

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self
            .stored
            .values()
            .filter(|s| matches!(s, Stored::Held(_)))
            .count();
        write!(f, "Bodies({} reports, {held} held)", self.stored.len())
    }
}

impl Bodies {
    /// The store over `stored` (by report), reading files again with
    /// `read_again` for reports whose text is not held.
    pub fn new(stored: Vec<Stored>, read_again: Arc<ReadBody>) -> Bodies {
        Bodies {
            stored: stored.into(),
            read_again: Some(read_again),
        }
    }

    /// Report `id`'s body: held, or read again from its file and checked
    /// against the digest taken when it was loaded. Fails when the report
    /// is not published in this build, and when its file changed since it
    /// was checked (the page would show text nobody checked).
    pub fn get(&self, id: ReportId, report: &Report) -> Result<Cow<'_, Body>> {
        match self.stored.get(id) {
            Some(Stored::Held(body)) => Ok(Cow::Borrowed(body)),
            Some(Stored::Citations(citations)) => {
                let Some(read) = &self.read_again else {
                    bail!(
                        "{}: the text was not kept and cannot be read again",
                        report.file
                    );
                };
                let (mut body, digest) = read(report)?;
                if digest != report.digest {
                    bail!(
                        "{} changed during the build: it was checked as SHA-256 {} and now reads {}; nothing unchecked is published, build again",
                        report.file,
                        short(&report.digest),
                        short(&digest)
                    );
                }
                body.citations = citations.to_vec();
                Ok(Cow::Owned(body))
            }
            Some(Stored::Absent) | None => {
                bail!(
                    "{}: not published in this build, so its text is not kept",
                    report.file
                )
            }
        }
    }

    /// True when report `id`'s whole body is in memory.
    pub fn is_held(&self, id: ReportId) -> bool {
        matches!(self.stored.get(id), Some(Stored::Held(_)))
    }

    /// Replaces what is kept of report `id` (a report loaded again).
    pub fn replace(&mut self, id: ReportId, stored: Stored) {
        self.stored[id] = stored;
    }

    /// Everything kept, by report (to rebuild the store around changes).
    pub fn into_stored(self) -> Vec<Stored> {
        self.stored.into_vec()
    }

    /// How the store reads files again.
    pub fn reader(&self) -> Option<Arc<ReadBody>> {
        self.read_again.clone()
    }
}

fn short(d: &Digest) -> String {
    d.to_string()[..12].to_string()
}
