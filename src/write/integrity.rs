//! The integrity manifest of an output: `manifest.json` at its root lists
//! every file the build wrote with its size and SHA-256, the generator and
//! a digest of the sources it was built from; `manifest.json.minisig`, when
//! the build is signed, is minisign's signature of it (Ed25519), so that an
//! auditor can check a copy with `minisign -Vm manifest.json -P KEY` as
//! well as with `minhbach verify`.
//!
//! What the signature proves: this copy's manifest is the one the holder of
//! the key published, and (through the hashes) so is every file it lists.
//! It is not an agency's legal digital signature of a report.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// The manifest's name at the output root.
pub const MANIFEST: &str = "manifest.json";
/// Its signature's name, beside it.
pub const SIGNATURE: &str = "manifest.json.minisig";
/// The manifest format written and read.
const FORMAT: u32 = 1;

/// A SHA-256 digest.
pub type Sha256 = [u8; 32];

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Sha256 {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// A BLAKE3 digest: what the record beside the output knows a file it
/// wrote by (see `record`), where the manifest gives SHA-256.
pub type Blake3 = [u8; 32];

/// BLAKE3 of `bytes`.
pub fn blake3(bytes: &[u8]) -> Blake3 {
    blake3::hash(bytes).into()
}

/// SHA-256 of what `from` yields, read in pieces.
pub fn sha256_of(from: impl Read) -> std::io::Result<Sha256> {
    read_in_pieces(from, sha2::Sha256::default(), |h, b| {
        sha2::Digest::update(h, b)
    })
    .map(|h| sha2::Digest::finalize(h).into())
}

/// BLAKE3 and SHA-256 of what `from` yields, read once in pieces.
pub fn digests_of(from: impl Read) -> std::io::Result<(Blake3, Sha256)> {
    read_in_pieces(
        from,
        (blake3::Hasher::new(), sha2::Sha256::default()),
        |(b, s), bytes| {
            b.update(bytes);
            sha2::Digest::update(s, bytes);
        },
    )
    .map(|(b, s)| (b.finalize().into(), sha2::Digest::finalize(s).into()))
}

/// Feeds what `from` yields to `state` with `update`, in pieces.
fn read_in_pieces<S>(
    mut from: impl Read,
    mut state: S,
    update: impl Fn(&mut S, &[u8]),
) -> std::io::Result<S> {
    // One buffer per thread: a fresh one was 64 KiB zeroed for every file
    // read (each report's source is hashed), more than most files hold.
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| {
        if buf.is_empty() {
            buf.resize(1 << 16, 0);
        }
        loop {
            let n = from.read(buf)?;
            if n == 0 {
                return Ok(state);
            }
            update(&mut state, &buf[..n]);
        }
    })
}

/// Lower-case hexadecimal.
pub fn hex(d: &Sha256) -> String {
    let mut out = String::with_capacity(64);
    push_hex(&mut out, d);
    out
}

/// Appends `d` in lower-case hexadecimal (a manifest has one per file:
/// tens of thousands).
fn push_hex(out: &mut String, d: &Sha256) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in d {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

/// The digest written by [`hex`], if `text` is one.
pub fn unhex(text: &str) -> Option<Sha256> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// What a build's manifest says besides its files, and the key it is
/// signed with.
pub struct Seal {
    /// [`sources_digest`] of the site.
    pub content_sha256: String,
    /// The paths in the output that are the user's (`keep`): not listed,
    /// and not "extra" to `verify`.
    pub kept: Vec<String>,
    /// The key to sign with, if any.
    pub key: Option<SigningKey>,
    /// The site's title, named in the signature's trusted comment.
    pub title: String,
}

/// A minisign secret key with its public half.
pub struct SigningKey {
    secret: minisign::SecretKey,
    public: minisign::PublicKey,
}

impl SigningKey {
    /// Reads a minisign secret key file; an encrypted key's password is
    /// taken from `MINHBACH_KEY_PASSWORD`, or asked for on the terminal.
    pub fn read(path: &Path) -> Result<SigningKey> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the key {}", path.display()))?;
        let boxed = || {
            minisign::SecretKeyBox::from_string(&text).map_err(|e| {
                anyhow::anyhow!("{} is not a minisign secret key: {e}", path.display())
            })
        };
        let password = std::env::var("MINHBACH_KEY_PASSWORD").ok();
        let secret = match boxed()?.into_unencrypted_secret_key() {
            Ok(sk) if !sk.is_encrypted() => sk,
            _ => boxed()?
                .into_secret_key(password)
                .map_err(|e| anyhow::anyhow!("cannot open the key {}: {e}", path.display()))?,
        };
        let public = minisign::PublicKey::from_secret_key(&secret)
            .map_err(|e| anyhow::anyhow!("cannot open the key {}: {e}", path.display()))?;
        Ok(SigningKey { secret, public })
    }

    /// The public key as one base64 line, as `minisign -P` takes it.
    pub fn public_base64(&self) -> String {
        self.public.to_base64()
    }
}

/// Makes a new key pair; returns the secret key file's text (encrypted
/// with `password` when given) and the public key as one base64 line.
pub fn keygen(password: Option<String>) -> Result<(String, String)> {
    let pair = match password {
        Some(p) => minisign::KeyPair::generate_encrypted_keypair(Some(p)),
        None => minisign::KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| anyhow::anyhow!("cannot make a key: {e}"))?;
    let secret = pair
        .sk
        .to_box(Some("minhbach secret key: keep it off the web server"))
        .map_err(|e| anyhow::anyhow!("cannot write the key: {e}"))?
        .into_string();
    Ok((secret, pair.pk.to_base64()))
}

/// A public key given as its base64 line or a minisign `.pub` file's text.
pub fn public_key(text: &str) -> Result<minisign::PublicKey> {
    let line = text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
        .unwrap_or("");
    minisign::PublicKey::from_base64(line)
        .map_err(|e| anyhow::anyhow!("`{line}` is not a minisign public key: {e}"))
}

/// One file of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Entry {
    /// Where, relative to the output root, `/`-separated.
    pub path: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256, lower-case hexadecimal.
    pub sha256: String,
}

/// A manifest as read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The format number.
    pub format: u32,
    /// "minhbach VERSION".
    pub generator: String,
    /// [`sources_digest`] of the site built.
    pub content_sha256: String,
    /// The public key the manifest is signed with, when it is.
    #[serde(default)]
    pub public_key: Option<String>,
    /// The bundle of the site (`build --archive`), checked through its
    /// entries (it cannot list its own digest).
    #[serde(default)]
    pub archive: Option<String>,
    /// The user's paths in the output (`keep`).
    #[serde(default)]
    pub kept: Vec<String>,
    /// Every file but the manifest and its signature, by path.
    pub files: Vec<Entry>,
}

impl Manifest {
    /// Parses a manifest.
    pub fn parse(bytes: &[u8]) -> Result<Manifest> {
        let m: Manifest =
            serde_json::from_slice(bytes).context("manifest.json is not a manifest")?;
        if m.format != FORMAT {
            bail!(
                "manifest.json is in format {}; this minhbach reads format {FORMAT}",
                m.format
            );
        }
        Ok(m)
    }
}

/// The text of a manifest: one file per line, sorted by path, so that two
/// builds of the same content give the same bytes and a `diff` of two
/// manifests reads line by line.
pub fn render(
    seal: &Seal,
    files: &BTreeMap<String, (u64, Sha256)>,
    archive: Option<&str>,
) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
    let mut out = String::with_capacity(files.len() * 140 + 512);
    out.push_str(&format!("{{\n  \"format\": {FORMAT},\n"));
    out.push_str(&format!(
        "  \"generator\": {},\n",
        q(&format!("minhbach {}", env!("CARGO_PKG_VERSION")))
    ));
    out.push_str(&format!(
        "  \"content_sha256\": {},\n",
        q(&seal.content_sha256)
    ));
    if let Some(key) = &seal.key {
        out.push_str(&format!("  \"public_key\": {},\n", q(&key.public_base64())));
    }
    if let Some(a) = archive {
        out.push_str(&format!("  \"archive\": {},\n", q(a)));
    }
    if !seal.kept.is_empty() {
        let kept: Vec<String> = seal.kept.iter().map(|k| q(k)).collect();
        out.push_str(&format!("  \"kept\": [{}],\n", kept.join(", ")));
    }
    out.push_str("  \"files\": [");
    for (i, (path, (size, digest))) in files.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str("    {\"path\": ");
        // An output path is letters, digits, `-_./` (`OutputPath`): JSON
        // as it is; anything else goes through the JSON writer.
        if path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
        {
            out.push('"');
            out.push_str(path);
            out.push('"');
        } else {
            out.push_str(&q(path));
        }
        out.push_str(", \"size\": ");
        out.push_str(&size.to_string());
        out.push_str(", \"sha256\": \"");
        push_hex(&mut out, digest);
        out.push_str("\"}");
    }
    out.push_str("\n  ]\n}\n");
    out
}

/// minisign's signature of `manifest`, its trusted comment naming the site
/// and the sources (no time: the same content signs the same comment).
pub fn sign(seal: &Seal, key: &SigningKey, manifest: &[u8]) -> Result<String> {
    let title: String = seal
        .title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trusted = format!(
        "minhbach manifest of \"{title}\", sources sha256 {}",
        seal.content_sha256
    );
    let sig = minisign::sign(
        Some(&key.public),
        &key.secret,
        std::io::Cursor::new(manifest),
        Some(&trusted),
        Some("signature of manifest.json by minhbach; check with: minisign -Vm manifest.json -P <key>"),
    )
    .map_err(|e| anyhow::anyhow!("cannot sign the manifest: {e}"))?;
    Ok(sig.into_string())
}

/// Checks `signature` of `manifest` with `key`.
pub fn check_signature(
    key: &minisign::PublicKey,
    manifest: &[u8],
    signature: &str,
) -> Result<String> {
    let sig = minisign::SignatureBox::from_string(signature)
        .map_err(|e| anyhow::anyhow!("{SIGNATURE} is not a minisign signature: {e}"))?;
    minisign::verify(
        key,
        &sig,
        std::io::Cursor::new(manifest),
        true,
        false,
        false,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    sig.trusted_comment()
        .map_err(|e| anyhow::anyhow!("{SIGNATURE}: {e}"))
}

/// The files a site is built from, relative to `root` and sorted: the
/// settings, `content/`, the site's `templates/`, `static/` and `i18n/`,
/// and the theme's folder; hidden files and folders are left out.
pub fn source_files(root: &Path, theme: &str, with_content: bool) -> Vec<String> {
    let mut files = Vec::new();
    if root.join(crate::config::Config::FILE).is_file() {
        files.push(crate::config::Config::FILE.to_string());
    }
    let mut dirs = vec![
        root.join("templates"),
        root.join("static"),
        root.join("i18n"),
        root.join("themes").join(theme),
    ];
    if with_content {
        dirs.insert(0, root.join("content"));
    }
    for dir in dirs {
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .flatten()
        {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                files.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    // By bytes, as `LC_ALL=C sort` orders them.
    files.sort();
    files
}

/// The digest of a site's sources: SHA-256 of the lines `HASH  PATH` of
/// [`source_files`] (what `sha256sum` prints), so that anyone can compute
/// it again: `find config.toml content templates static i18n themes/THEME
/// -type f -not -path '*/.*' | LC_ALL=C sort | xargs sha256sum | sha256sum`
/// (for the folders that exist).
pub fn sources_digest(root: &Path, theme: &str) -> Result<String> {
    SourceDigests::default().digest(root, theme)
}

/// Each source file's SHA-256, kept while its size and modification time
/// stay the same: a live preview reads again only the files that changed
/// (at 10,000 reports the sources are some 330 MB).
#[derive(Debug, Default)]
pub struct SourceDigests(
    std::collections::HashMap<String, (u64, Option<std::time::SystemTime>, Sha256)>,
);

impl SourceDigests {
    /// Digests known before the first call: (path under the root, size,
    /// modification time, SHA-256) of files already read and hashed, such
    /// as the reports `load` checked, with the size and time taken before
    /// they were read. Each is taken while the file's size and time are
    /// still those; a file changed since is read again.
    pub fn seeded(
        known: impl IntoIterator<Item = (String, u64, std::time::SystemTime, Sha256)>,
    ) -> SourceDigests {
        SourceDigests(
            known
                .into_iter()
                .map(|(f, len, modified, d)| (f, (len, Some(modified), d)))
                .collect(),
        )
    }

    /// [`sources_digest`], reading only the files that changed since the
    /// last call.
    pub fn digest(&mut self, root: &Path, theme: &str) -> Result<String> {
        use rayon::prelude::*;
        let files = source_files(root, theme, true);
        let known = &self.0;
        let digests: Vec<(u64, Option<std::time::SystemTime>, Sha256)> = files
            .par_iter()
            .map(|f| -> Result<_> {
                let path = root.join(f);
                let meta = std::fs::metadata(&path).with_context(|| format!("cannot read {f}"))?;
                let (len, modified) = (meta.len(), meta.modified().ok());
                if let Some(&(l, m, d)) = known.get(f) {
                    if l == len && m == modified && m.is_some() {
                        return Ok((len, modified, d));
                    }
                }
                let d = std::fs::File::open(&path)
                    .and_then(sha256_of)
                    .with_context(|| format!("cannot read {f}"))?;
                Ok((len, modified, d))
            })
            .collect::<Result<_>>()?;
        let mut lines = String::with_capacity(files.len() * 100);
        for (f, (_, _, d)) in files.iter().zip(&digests) {
            lines.push_str(&hex(d));
            lines.push_str("  ");
            lines.push_str(f);
            lines.push('\n');
        }
        self.0 = files.into_iter().zip(digests).collect();
        Ok(hex(&sha256(lines.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site root with a report and a config.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/reports/a")).unwrap();
        std::fs::write(dir.path().join("config.toml"), "title = \"t\"\n").unwrap();
        std::fs::write(dir.path().join("content/reports/a/b.yaml"), "x: 1\n").unwrap();
        dir
    }

    fn seen(path: &Path) -> (u64, std::time::SystemTime) {
        let m = std::fs::metadata(path).unwrap();
        (m.len(), m.modified().unwrap())
    }

    #[test]
    fn a_seeded_digest_is_taken_while_the_file_is_as_seen() {
        let dir = site();
        let report = dir.path().join("content/reports/a/b.yaml");
        let truth = sources_digest(dir.path(), "default").unwrap();
        // The digest load took for the file, with its size and time.
        let (len, modified) = seen(&report);
        let seed = |d: Sha256| {
            SourceDigests::seeded([("content/reports/a/b.yaml".to_string(), len, modified, d)])
        };
        assert_eq!(
            seed(sha256(b"x: 1\n"))
                .digest(dir.path(), "default")
                .unwrap(),
            truth
        );
        // Taken as given, not read again: a digest the file does not have
        // shows in the result (which is why only `load`'s own digests,
        // taken from the bytes it read, are seeded).
        assert_ne!(seed([7; 32]).digest(dir.path(), "default").unwrap(), truth);
    }

    #[test]
    fn a_seeded_digest_of_a_file_changed_since_is_not_used() {
        let dir = site();
        let report = dir.path().join("content/reports/a/b.yaml");
        let (len, modified) = seen(&report);
        // What load saw, with a digest the file never had: used, it would
        // show in the result.
        let stale = || {
            SourceDigests::seeded([(
                "content/reports/a/b.yaml".to_string(),
                len,
                modified,
                [7; 32],
            )])
        };
        // The file changes after load saw it (its time set, not waited
        // for): another size, then the same size at a later time.
        for (text, secs) in [("x: 22\n", 5), ("x: 3\n", 10)] {
            std::fs::write(&report, text).unwrap();
            std::fs::File::options()
                .write(true)
                .open(&report)
                .unwrap()
                .set_modified(modified + std::time::Duration::from_secs(secs))
                .unwrap();
            assert_eq!(
                stale().digest(dir.path(), "default").unwrap(),
                sources_digest(dir.path(), "default").unwrap(),
                "{text:?}"
            );
        }
    }
}
