//! `minhbach verify DIR|ZIP`: recomputes every file's size and SHA-256 in
//! a copy of a site (a folder, or the zip `build --archive` writes) and
//! compares them with its `manifest.json`; checks the manifest's minisign
//! signature. Lists every missing, changed and extra file.

use crate::write::integrity::{self, Manifest, Sha256};
use crate::write::place::Keep;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What `verify` was asked to check.
pub struct VerifyOptions<'a> {
    /// A site's folder or its zip.
    pub copy: &'a Path,
    /// The publisher's public key (its base64 line or a `.pub` file).
    pub public_key: Option<&'a str>,
}

/// What differs between a copy and its manifest.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Differences {
    /// Listed, not in the copy.
    pub missing: Vec<String>,
    /// In the copy with other bytes: the path and how it differs.
    pub changed: Vec<(String, String)>,
    /// In the copy, not listed (dot-files and the user's kept paths aside).
    pub extra: Vec<String>,
    /// What is wrong with the signature, if anything.
    pub signature: Option<String>,
}

impl Differences {
    /// True when the copy is the one the manifest describes.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty()
            && self.changed.is_empty()
            && self.extra.is_empty()
            && self.signature.is_none()
    }
}

/// The outcome of a verification.
pub struct Verified {
    /// The copy's manifest.
    pub manifest: Manifest,
    /// Files checked.
    pub files: usize,
    /// What differs.
    pub differences: Differences,
    /// What was learnt of the signature, for a person.
    pub signature: String,
}

/// The files of a copy: path → (size, SHA-256).
type Found = BTreeMap<String, (u64, Sha256)>;

/// A copy of a site: a folder or a zip.
enum Copy {
    Dir(PathBuf),
    /// A zip, its site in the folder `prefix` (`ban-sao-trang/`, or none).
    Zip(Box<zip::ZipArchive<std::fs::File>>, String),
}

impl Copy {
    fn open(path: &Path) -> Result<Copy> {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            return Ok(Copy::Dir(path.to_path_buf()));
        }
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let zip = zip::ZipArchive::new(file)
            .with_context(|| format!("{} is neither a folder nor a zip", path.display()))?;
        // The site is at the zip's root, or in its one folder.
        let prefix = if zip.index_for_name(integrity::MANIFEST).is_some() {
            String::new()
        } else {
            zip.file_names()
                .filter_map(|n| n.ok())
                .filter_map(|n| n.strip_suffix(integrity::MANIFEST).map(str::to_string))
                .find(|p| p.ends_with('/') && p.matches('/').count() == 1)
                .unwrap_or_default()
        };
        Ok(Copy::Zip(Box::new(zip), prefix))
    }

    /// The file at `path`, if there is one.
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>> {
        match self {
            Copy::Dir(dir) => {
                let p = dir.join(path);
                match std::fs::symlink_metadata(&p) {
                    Ok(m) if m.is_file() => Ok(Some(
                        std::fs::read(&p)
                            .with_context(|| format!("cannot read {}", p.display()))?,
                    )),
                    _ => Ok(None),
                }
            }
            Copy::Zip(zip, prefix) => match zip.by_name(&format!("{prefix}{path}")) {
                Ok(mut f) => {
                    let mut out = Vec::new();
                    f.read_to_end(&mut out)
                        .with_context(|| format!("cannot read {path} in the zip"))?;
                    Ok(Some(out))
                }
                Err(zip::result::ZipError::FileNotFound) => Ok(None),
                Err(e) => Err(e).with_context(|| format!("cannot read {path} in the zip")),
            },
        }
    }

    /// Every file in the copy with its size and SHA-256, but hidden ones
    /// (a `.git`, the marker) and links, which are listed apart.
    fn files(&mut self) -> Result<(Found, Vec<String>)> {
        let mut out = BTreeMap::new();
        let mut odd = Vec::new();
        match self {
            Copy::Dir(dir) => {
                for entry in walkdir::WalkDir::new(&*dir)
                    .min_depth(1)
                    .follow_links(false)
                    .into_iter()
                    .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
                {
                    let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
                    let rel = entry
                        .path()
                        .strip_prefix(&*dir)
                        .unwrap_or(entry.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    if entry.file_type().is_dir() {
                        continue;
                    }
                    if !entry.file_type().is_file() {
                        odd.push(rel);
                        continue;
                    }
                    let file = std::fs::File::open(entry.path())
                        .with_context(|| format!("cannot read {}", entry.path().display()))?;
                    let size = file.metadata()?.len();
                    let digest = integrity::sha256_of(file)
                        .with_context(|| format!("cannot read {}", entry.path().display()))?;
                    out.insert(rel, (size, digest));
                }
            }
            Copy::Zip(zip, prefix) => {
                for i in 0..zip.len() {
                    let mut f = zip.by_index(i).context("cannot read the zip")?;
                    let name = f
                        .name()
                        .context("a name in the zip is not UTF-8")?
                        .to_string();
                    if f.is_dir() || name.split('/').any(|s| s.starts_with('.')) {
                        continue;
                    }
                    if !f.is_file() || f.enclosed_name().is_none() {
                        odd.push(name);
                        continue;
                    }
                    let Some(rel) = name.strip_prefix(prefix.as_str()) else {
                        odd.push(name);
                        continue;
                    };
                    let rel = rel.to_string();
                    let digest = integrity::sha256_of(&mut f)
                        .with_context(|| format!("cannot read {name} in the zip"))?;
                    out.insert(rel, (f.size(), digest));
                }
            }
        }
        Ok((out, odd))
    }
}

/// Checks the copy at `opts.copy` against its manifest and signature.
pub fn check(opts: &VerifyOptions<'_>) -> Result<Verified> {
    let mut copy = Copy::open(opts.copy)?;
    let Some(bytes) = copy.read(integrity::MANIFEST)? else {
        bail!(
            "{} has no {}: it is not a site minhbach built (or the manifest was removed)",
            opts.copy.display(),
            integrity::MANIFEST
        );
    };
    let manifest = Manifest::parse(&bytes)?;
    let signature_file = copy.read(integrity::SIGNATURE)?;
    let mut differences = Differences::default();
    let given = opts.public_key.map(|k| -> Result<_> {
        let text = if Path::new(k).is_file() {
            std::fs::read_to_string(k).with_context(|| format!("cannot read {k}"))?
        } else {
            k.to_string()
        };
        integrity::public_key(&text)
    });
    let given = given.transpose()?;
    let signature = match (&signature_file, &given) {
        (None, Some(_)) => {
            differences.signature = Some(format!(
                "the copy is not signed ({} is missing), so it cannot be checked against the key given",
                integrity::SIGNATURE
            ));
            "missing".to_string()
        }
        (None, None) => "none (the site was built without --sign)".to_string(),
        (Some(sig), key) => {
            let named = manifest
                .public_key
                .as_deref()
                .map(integrity::public_key)
                .transpose()?;
            let sig = String::from_utf8_lossy(sig);
            match (key, named) {
                (Some(key), _) => match integrity::check_signature(key, &bytes, &sig) {
                    Ok(comment) => format!("good, by the key given (trusted comment: {comment})"),
                    Err(e) => {
                        differences.signature = Some(format!(
                            "the signature does not hold for the key given: {e}"
                        ));
                        "bad".to_string()
                    }
                },
                (None, Some(named)) => match integrity::check_signature(&named, &bytes, &sig) {
                    Ok(_) => format!(
                        "consistent with the key the manifest names ({}); that proves nothing until you compare it with the key the publisher announced, then pass it with --public-key",
                        named.to_base64()
                    ),
                    Err(e) => {
                        differences.signature = Some(format!(
                            "the signature does not hold for the key the manifest names: {e}"
                        ));
                        "bad".to_string()
                    }
                },
                (None, None) => {
                    differences.signature = Some(
                        "the copy is signed but its manifest names no key: pass the publisher's key with --public-key".to_string(),
                    );
                    "unchecked".to_string()
                }
            }
        }
    };
    let (mut found, odd) = copy.files()?;
    found.remove(integrity::MANIFEST);
    found.remove(integrity::SIGNATURE);
    // The bundle cannot list its own digest: when the copy has it, it is
    // checked entry by entry against the same manifest, which it must hold
    // unchanged.
    if let (Some(archive), Copy::Dir(dir)) = (&manifest.archive, &copy) {
        // A copy unzipped from the bundle cannot hold the bundle.
        if found.remove(archive).is_some() {
            let inner = check(&VerifyOptions {
                copy: &dir.join(archive),
                public_key: opts.public_key,
            })?;
            let d = inner.differences;
            let named = |p: String| format!("{archive}: {p}");
            differences.missing.extend(d.missing.into_iter().map(named));
            differences.extra.extend(d.extra.into_iter().map(named));
            differences
                .changed
                .extend(d.changed.into_iter().map(|(p, how)| (named(p), how)));
            if inner.manifest.files != manifest.files {
                differences.changed.push((
                    format!("{archive}: {}", integrity::MANIFEST),
                    "another manifest than the folder's".to_string(),
                ));
            }
        }
    }
    let keep = Keep::new(&manifest.kept);
    for entry in &manifest.files {
        match found.remove(&entry.path) {
            None => differences.missing.push(entry.path.clone()),
            Some((size, digest)) => {
                if size != entry.size {
                    differences.changed.push((
                        entry.path.clone(),
                        format!("{size} bytes, {} listed", entry.size),
                    ));
                } else if integrity::hex(&digest) != entry.sha256 {
                    differences.changed.push((
                        entry.path.clone(),
                        "other bytes (SHA-256 differs)".to_string(),
                    ));
                }
            }
        }
    }
    differences.extra = found
        .into_keys()
        .chain(odd)
        .filter(|p| !keep.has(p))
        .collect();
    differences.extra.sort();
    let files = manifest.files.len();
    Ok(Verified {
        manifest,
        files,
        differences,
        signature,
    })
}

/// Runs `verify`, printing what it found; fails when the copy differs.
pub fn run(opts: &VerifyOptions<'_>, out: &mut dyn std::io::Write) -> Result<()> {
    let v = check(opts)?;
    let d = &v.differences;
    for (path, how) in &d.changed {
        writeln!(out, "changed: {path}: {how}")?;
    }
    for path in &d.missing {
        writeln!(out, "missing: {path}")?;
    }
    for path in &d.extra {
        writeln!(out, "extra: {path}")?;
    }
    if let Some(why) = &d.signature {
        writeln!(out, "signature: {why}")?;
    } else {
        writeln!(out, "signature: {}", v.signature)?;
    }
    writeln!(
        out,
        "manifest: {} files, built by {} from sources with SHA-256 {}",
        v.files, v.manifest.generator, v.manifest.content_sha256
    )?;
    if d.is_empty() {
        writeln!(
            out,
            "verified: {} is the copy its manifest describes",
            opts.copy.display()
        )?;
        Ok(())
    } else {
        bail!(
            "{} differs from its manifest: {} changed, {} missing, {} extra{}",
            opts.copy.display(),
            d.changed.len(),
            d.missing.len(),
            d.extra.len(),
            if d.signature.is_some() {
                ", and the signature does not hold"
            } else {
                ""
            }
        )
    }
}
