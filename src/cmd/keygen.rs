//! `minhbach keygen`: a minisign key pair to sign a site's manifest with
//! (`build --sign`). The secret key is written once, never over a file,
//! readable by its owner alone; its public half beside it (`.pub`, the
//! file `minisign -p` reads) and printed for `config.toml`.

use crate::write::integrity;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `keygen` was asked to make.
pub struct KeygenOptions<'a> {
    /// Where the secret key goes; the public key goes beside it with `.pub`.
    pub secret: &'a Path,
    /// Encrypt the secret key with a password (from
    /// `MINHBACH_KEY_PASSWORD`, or asked for on the terminal).
    pub encrypt: bool,
}

/// Makes the key pair; returns the public key's file and its base64 line.
pub fn run(opts: &KeygenOptions<'_>) -> Result<(PathBuf, String)> {
    let mut public_path = opts.secret.as_os_str().to_owned();
    public_path.push(".pub");
    let public_path = PathBuf::from(public_path);
    for p in [opts.secret, public_path.as_path()] {
        if std::fs::symlink_metadata(p).is_ok() {
            bail!("{} exists: minhbach never writes over a key", p.display());
        }
    }
    let password = if opts.encrypt {
        Some(match std::env::var("MINHBACH_KEY_PASSWORD") {
            Ok(p) if !p.is_empty() => p,
            _ => bail!(
                "--encrypt takes the password from MINHBACH_KEY_PASSWORD (set it in the environment, not on the command line)"
            ),
        })
    } else {
        None
    };
    let (secret, public) = integrity::keygen(password)?;
    let mut file = new_file(opts.secret, 0o600)?;
    file.write_all(secret.as_bytes())
        .with_context(|| format!("cannot write {}", opts.secret.display()))?;
    let mut pubfile = new_file(&public_path, 0o644)?;
    writeln!(
        pubfile,
        "untrusted comment: minisign public key of a minhbach site\n{public}"
    )
    .with_context(|| format!("cannot write {}", public_path.display()))?;
    Ok((public_path, public))
}

/// Creates `path`, failing if anything is there, with `mode` on Unix.
fn new_file(path: &Path, mode: u32) -> Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, mode);
    #[cfg(not(unix))]
    let _ = mode;
    o.open(path)
        .with_context(|| format!("cannot create {}", path.display()))
}
