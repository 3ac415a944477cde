//! Write stage: the single funnel into the output directory. Every file of a
//! build is collected here under a checked relative path, then written to a
//! fresh directory beside the output and swapped in only when all of it is on
//! disk, so a failed build leaves the previous site exactly as it was.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

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

/// Every file of one build, in memory, keyed by path (sorted, so the write
/// order and any listing of the files are deterministic).
#[derive(Debug, Default)]
pub struct Output {
    files: BTreeMap<OutputPath, Vec<u8>>,
}

impl Output {
    /// Adds a file; two files at one path is a bug in the caller.
    pub fn add(&mut self, path: OutputPath, bytes: Vec<u8>) -> Result<()> {
        if self.files.contains_key(&path) {
            bail!("two files would be written to `{}`", path.as_str());
        }
        self.files.insert(path, bytes);
        Ok(())
    }

    /// The files, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&OutputPath, &Vec<u8>)> {
        self.files.iter()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(|b| b.len() as u64).sum()
    }

    /// Writes everything to `dest`, replacing its previous content atomically:
    /// the new site is written to a sibling directory and renamed into place.
    /// `dest` is only replaced if it is absent, empty, or a previous output.
    pub fn commit(&self, dest: &Path) -> Result<()> {
        let dest = absolute(dest)?;
        let parent = dest
            .parent()
            .context("the output directory has no parent directory")?;
        let name = dest
            .file_name()
            .context("the output directory has no name")?
            .to_string_lossy()
            .to_string();
        if dest.exists() {
            check_replaceable(&dest)?;
        }
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.minhbach-new-{pid}"));
        let retired = parent.join(format!(".{name}.minhbach-old-{pid}"));
        for stale in [&staging, &retired] {
            if stale.exists() {
                std::fs::remove_dir_all(stale)
                    .with_context(|| format!("cannot remove {}", stale.display()))?;
            }
        }
        let result = self.write_tree(&staging);
        if let Err(e) = result {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        if dest.exists() {
            std::fs::rename(&dest, &retired).with_context(|| {
                format!("cannot move the previous output {} aside", dest.display())
            })?;
        }
        if let Err(e) = std::fs::rename(&staging, &dest) {
            // Put the previous site back before reporting.
            if retired.exists() {
                let _ = std::fs::rename(&retired, &dest);
            }
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e)
                .with_context(|| format!("cannot move the new site to {}", dest.display()));
        }
        if retired.exists() {
            std::fs::remove_dir_all(&retired)
                .with_context(|| format!("cannot remove {}", retired.display()))?;
        }
        Ok(())
    }

    fn write_tree(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        std::fs::write(dir.join(MARKER), b"generated by minhbach\n")
            .with_context(|| format!("cannot write {}", dir.join(MARKER).display()))?;
        for (path, bytes) in &self.files {
            let target = dir.join(path.as_str());
            if let Some(p) = target.parent() {
                std::fs::create_dir_all(p)
                    .with_context(|| format!("cannot create {}", p.display()))?;
            }
            std::fs::write(&target, bytes)
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        Ok(())
    }
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
        let mut out = Output::default();
        out.add(OutputPath::new("a/index.html").unwrap(), b"one".to_vec())
            .unwrap();
        out.commit(&dest).unwrap();
        assert_eq!(std::fs::read(dest.join("a/index.html")).unwrap(), b"one");

        let mut second = Output::default();
        second
            .add(OutputPath::new("b.html").unwrap(), b"two".to_vec())
            .unwrap();
        second.commit(&dest).unwrap();
        assert!(!dest.join("a/index.html").exists());
        assert_eq!(std::fs::read(dest.join("b.html")).unwrap(), b"two");
        // No staging directories are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);

        let foreign = dir.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.txt"), b"mine").unwrap();
        let err = second.commit(&foreign).unwrap_err().to_string();
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
