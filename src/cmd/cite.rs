//! `minhbach cite`: prints every citation found in a text as one JSON object
//! per line, so editors can check a text before publishing it.

use crate::cite::{recognise_all, resolve_years, Citation, CiteContext, Registry};
use crate::diagnostics::{ContentErrors, Diagnostics};
use anyhow::{Context, Result};
use std::io::{Read, Write};
use std::path::Path;

/// What `cite` was asked to do.
pub struct CiteOptions<'a> {
    /// File to read, or `-` for standard input.
    pub input: &'a str,
    /// Province slug for provincial documents.
    pub province: Option<&'a str>,
    /// Citing agency id (scopes internal issuers; gives the province too).
    pub agency: Option<&'a str>,
    /// Site root whose `content/legal/` registry resolves names and years.
    pub root: &'a Path,
}

/// Recognises the citations of the input and writes them as JSON lines.
pub fn run(opts: &CiteOptions<'_>, out: &mut dyn Write) -> Result<usize> {
    let text = if opts.input == "-" {
        let mut t = String::new();
        std::io::stdin()
            .read_to_string(&mut t)
            .context("cannot read standard input")?;
        t
    } else {
        std::fs::read_to_string(opts.input)
            .with_context(|| format!("cannot read {}", opts.input))?
    };
    let found = citations(&text, opts.root, opts.agency, opts.province)?;
    for c in &found {
        serde_json::to_writer(&mut *out, c).context("cannot write JSON")?;
        writeln!(out).context("cannot write JSON")?;
    }
    Ok(found.len())
}

/// The citations of `text` as the site at `root` reads them (its registry
/// resolves names and years), for a report of `agency` in `province`
/// (the agency's province when not given).
pub fn citations(
    text: &str,
    root: &Path,
    agency: Option<&str>,
    province: Option<&str>,
) -> Result<Vec<Citation>> {
    let registry = load_registry(root)?;
    let agency = agency.unwrap_or_default().to_string();
    let province = province
        .map(str::to_string)
        .or_else(|| agency.split('/').next().map(str::to_string))
        .unwrap_or_default();
    let ctx = CiteContext { province, agency };
    let mut found: Vec<Citation> = recognise_all(text, &ctx, &registry);
    {
        let mut refs: Vec<&mut Citation> = found.iter_mut().collect();
        resolve_years(&mut refs, &registry);
    }
    Ok(found)
}

/// The registry of the site at `root`, empty when it has none.
fn load_registry(root: &Path) -> Result<Registry> {
    let legal = root.join("content/legal");
    if !legal.is_dir() {
        return Ok(Registry::default());
    }
    let mut diags = Diagnostics::default();
    let entries = crate::load::load_legal(root, &mut diags);
    if diags.has_errors() {
        return Err(ContentErrors(diags.sorted()).into());
    }
    Ok(Registry::new(&entries))
}
