//! `minhbach check`: everything `build` checks, without writing anything.

use crate::model::Publish;
use crate::site::Site;
use crate::write::Writer;
use anyhow::Result;
use std::path::Path;

/// Checks the site under `root`, drafts included.
pub fn run(root: &Path) -> Result<()> {
    let site = Site::load(root, Publish { drafts: true })?;
    // Rendering catches template and translation errors too; nothing is written.
    let mut site = site;
    let writer = Writer::dry();
    site.build(&writer)?;
    let output = writer.commit()?;
    super::print_diagnostics(&site.warnings, &site.root);
    eprintln!(
        "ok: {} reports, {} agencies, {} documents cited; {} files would be written",
        site.content.reports.len(),
        site.content.agencies.len(),
        site.catalog.documents().len(),
        output.len()
    );
    Ok(())
}
