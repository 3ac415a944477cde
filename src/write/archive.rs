//! The offline bundle (`build --archive`): a zip of the whole site but
//! itself, written into the output, so that an auditor downloads one file
//! and opens `index.html` from disk. Its entries sit in one folder (an
//! unzipped bundle never spills into the folder it is unzipped in), sorted
//! by path, with one fixed time from the content (the site's date) and
//! fixed permissions: two builds of the same content give the same bytes.
//!
//! The home page links the zip with its size, and the zip holds the home
//! page: the home page, the manifest and its signature are stored
//! uncompressed, so the zip's size depends only on their lengths, and the
//! home page is rendered again until the size it shows is the size of the
//! zip holding it (once or twice: the size is shown rounded).

use super::integrity;
use super::{OutputPath, Writer};
use crate::model::PartialDate;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::io::Write;

/// The zip's path in the output.
pub const ARCHIVE: &str = "ban-sao-trang.zip";

/// The folder the zip's entries are in.
pub const FOLDER: &str = "ban-sao-trang/";

/// Counts what goes through it.
struct Counter<W: Write> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The entries' time: the site's date at noon (a zip time has no zone),
/// or the oldest a zip can say.
fn zip_time(date: Option<PartialDate>) -> zip::DateTime {
    date.and_then(|d| {
        zip::DateTime::from_date_and_time(
            u16::try_from(d.year).ok()?,
            d.month.unwrap_or(1),
            d.day.unwrap_or(1),
            12,
            0,
            0,
        )
        .ok()
    })
    .unwrap_or_default()
}

/// Writes the bundle of what `writer` holds, with the home page at `home`
/// made by `render_home` for the size text it shows, and the manifest and
/// its signature; `size_text` writes a size as the home page shows it.
/// Returns the zip's size.
pub fn bundle(
    writer: &Writer,
    home: &str,
    render_home: &dyn Fn(&str) -> Result<Vec<u8>>,
    size_text: &dyn Fn(u64) -> String,
    date: Option<PartialDate>,
) -> Result<u64> {
    use rayon::prelude::*;
    let root = writer
        .target
        .root()
        .context("a bundle needs an output folder")?
        .to_path_buf();
    let special = [home, integrity::MANIFEST, integrity::SIGNATURE];
    let files: Vec<String> = writer
        .files
        .lock()
        .expect("writer lock")
        .keys()
        .map(|p| p.as_str().to_string())
        .filter(|p| !special.contains(&p.as_str()) && p != ARCHIVE)
        .collect();
    let time = zip_time(date);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(time)
        .unix_permissions(0o644);
    let stored = deflated
        .compression_method(zip::CompressionMethod::Stored)
        .compression_level(None);
    // Every other file compressed once, on every core, into a zip of its
    // own beside the output, copied raw into each try of the bundle.
    let prepared: Vec<zip::write::PreparedZipFile> = files
        .par_iter()
        .map(|p| {
            zip::write::PreparedZipFile::from_path(format!("{FOLDER}{p}"), root.join(p), deflated)
                .with_context(|| format!("cannot compress {p}"))
        })
        .collect::<Result<_>>()?;
    let mut parts =
        zip::ZipWriter::new(tempfile::tempfile().context("cannot make a temporary file")?);
    for p in prepared {
        parts
            .add_prepared_file(p)
            .context("cannot compress the site")?;
    }
    let mut parts = zip::ZipArchive::new(parts.finish().context("cannot compress the site")?)
        .context("cannot read the compressed site back")?;
    let assemble = |out: &mut dyn Write,
                    parts: &mut zip::ZipArchive<std::fs::File>,
                    specials: &BTreeMap<&str, &[u8]>|
     -> Result<u64> {
        let mut order: Vec<&str> = files.iter().map(String::as_str).collect();
        order.extend(specials.keys());
        order.sort_unstable();
        let mut z = zip::ZipWriter::new_stream(Counter {
            inner: out,
            bytes: 0,
        });
        for name in &order {
            match specials.get(name) {
                Some(bytes) => {
                    z.start_file(format!("{FOLDER}{name}"), stored)?;
                    z.write_all(bytes)?;
                }
                None => {
                    let entry = parts.by_name_raw(format!("{FOLDER}{name}").as_bytes())?;
                    z.raw_copy_file(entry)?;
                }
            }
        }
        Ok(z.finish()?.into_inner().bytes)
    };

    let mut shown = size_text(0);
    for _ in 0..6 {
        let page = render_home(&shown)?;
        let (manifest, signature) = writer.sealed_texts(&[(home, &page)], Some(ARCHIVE))?;
        let mut specials: BTreeMap<&str, &[u8]> = BTreeMap::new();
        specials.insert(home, &page);
        specials.insert(integrity::MANIFEST, manifest.as_bytes());
        if let Some(s) = &signature {
            specials.insert(integrity::SIGNATURE, s.as_bytes());
        }
        let size = assemble(&mut std::io::sink(), &mut parts, &specials)?;
        if size_text(size) != shown {
            shown = size_text(size);
            continue;
        }
        writer.write(OutputPath::new(home)?, &page)?;
        writer.write_sealed(&manifest, signature.as_deref())?;
        let mut written = 0;
        writer.write_stream(OutputPath::new(ARCHIVE)?, |out| {
            written = assemble(out, &mut parts, &specials)?;
            Ok(())
        })?;
        if written != size {
            bail!("the bundle came out {written} bytes instead of {size}: please report this");
        }
        return Ok(size);
    }
    bail!("the size the home page shows for the bundle does not settle: please report this")
}
