//! The integrity manifest, `verify`, `keygen` and `build --sign`: every file
//! listed with its SHA-256, tampering named by `minhbach verify` and by the
//! Debian `minisign` tool, two builds giving the same manifest.

mod common;

use common::{append_config, example_site, minhbach};
use std::path::Path;
use std::process::Command;

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Makes a key pair in `dir`, publishes it in the site's config.toml and
/// returns (secret key path, public key line).
fn key_for(site: &Path, dir: &Path) -> (std::path::PathBuf, String) {
    let secret = dir.join("site.key");
    let out = minhbach(site, &["keygen", "--secret-key", secret.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let public = std::fs::read_to_string(dir.join("site.key.pub")).unwrap();
    let line = public.lines().last().unwrap().to_string();
    assert!(line.starts_with("RW"), "{public}");
    assert!(
        text(&out).contains(&format!("public_key = \"{line}\"")),
        "keygen prints the line for config.toml: {}",
        text(&out)
    );
    append_config(site, &format!("public_key = \"{line}\""));
    (secret, line)
}

#[test]
fn the_manifest_lists_every_file_with_its_digest_and_the_sources() {
    let site = example_site();
    let out = minhbach(site.path(), &["build", "--quiet"]);
    assert!(out.status.success(), "{}", text(&out));
    let public = site.path().join("public");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["generator"],
        format!("minhbach {}", env!("CARGO_PKG_VERSION"))
    );
    let files = manifest["files"].as_array().unwrap();
    // Every file on disk but the manifest, hidden files (the marker) and
    // nothing else is listed, with its real size and SHA-256.
    let mut on_disk = Vec::new();
    for e in walkdir::WalkDir::new(&public).min_depth(1) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if e.file_type().is_file() && !rel.split('/').any(|s| s.starts_with('.')) {
            on_disk.push(rel);
        }
    }
    on_disk.sort();
    let listed: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let expected: Vec<&str> = on_disk
        .iter()
        .map(String::as_str)
        .filter(|p| *p != "manifest.json")
        .collect();
    assert_eq!(listed, expected);
    assert!(listed.len() > 400, "{}", listed.len());
    for f in files {
        let bytes = std::fs::read(public.join(f["path"].as_str().unwrap())).unwrap();
        assert_eq!(f["size"].as_u64().unwrap(), bytes.len() as u64);
        assert_eq!(f["sha256"].as_str().unwrap(), sha256_hex(&bytes), "{f}");
    }
    // The sources' digest is what `sha256sum` of the sorted source files
    // gives, as the module says an auditor can compute it.
    let mut lines = String::new();
    let mut sources = vec!["config.toml".to_string()];
    for dir in ["content", "themes/default"] {
        for e in walkdir::WalkDir::new(site.path().join(dir)) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                sources.push(
                    e.path()
                        .strip_prefix(site.path())
                        .unwrap()
                        .to_string_lossy()
                        .to_string(),
                );
            }
        }
    }
    sources.sort();
    for s in &sources {
        lines.push_str(&format!(
            "{}  {s}\n",
            sha256_hex(&std::fs::read(site.path().join(s)).unwrap())
        ));
    }
    assert_eq!(manifest["content_sha256"], sha256_hex(lines.as_bytes()));
    // Each report page shows its source file's SHA-256.
    let report = std::fs::read_to_string(
        public.join("bao-cao/da-nang/so-ldtbxh/2018-dan-van-chinh-quyen/index.html"),
    )
    .unwrap();
    let source = std::fs::read(
        site.path()
            .join("content/reports/da-nang/so-ldtbxh/2018-dan-van-chinh-quyen.yaml"),
    )
    .unwrap();
    assert!(
        report.contains(&format!(
            "<code class=\"hash\">{}</code>",
            sha256_hex(&source)
        )),
        "the report page shows its source's SHA-256"
    );
    assert!(report.contains("Người phê duyệt"), "and its approval");
    // A build of the same content gives the same manifest.
    let first = std::fs::read(public.join("manifest.json")).unwrap();
    let again = minhbach(site.path(), &["--jobs", "1", "build", "--quiet"]);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(first, std::fs::read(public.join("manifest.json")).unwrap());
    // And verify finds it whole, without a signature to check.
    let v = minhbach(site.path(), &["verify", "public"]);
    assert!(v.status.success(), "{}", text(&v));
    assert!(text(&v).contains("verified"), "{}", text(&v));
    assert!(text(&v).contains("signature: none"), "{}", text(&v));
}

#[test]
fn verify_names_every_missing_changed_and_extra_file() {
    let site = example_site();
    let out = minhbach(site.path(), &["build", "--quiet"]);
    assert!(out.status.success(), "{}", text(&out));
    let public = site.path().join("public");
    let page = public.join("nam/2021/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[200] ^= 1; // one bit of one byte
    std::fs::write(&page, bytes).unwrap();
    std::fs::remove_file(public.join("404.html")).unwrap();
    std::fs::write(public.join("them.html"), "<p>added</p>").unwrap();
    let same_size = public.join("assets/style.css");
    let mut css = std::fs::read(&same_size).unwrap();
    css.push(b'\n');
    std::fs::write(&same_size, css).unwrap();
    // A hidden file is not the site's (a .git of a deployment).
    std::fs::write(public.join(".nojekyll"), "").unwrap();
    let v = minhbach(site.path(), &["verify", "public"]);
    let said = text(&v);
    assert_eq!(v.status.code(), Some(1), "{said}");
    assert!(
        said.contains("changed: nam/2021/index.html: other bytes"),
        "{said}"
    );
    assert!(said.contains("changed: assets/style.css: "), "{said}");
    assert!(said.contains("missing: 404.html"), "{said}");
    assert!(said.contains("extra: them.html"), "{said}");
    assert!(!said.contains(".nojekyll"), "{said}");
    assert!(said.contains("2 changed, 1 missing, 1 extra"), "{said}");
    // Not a site at all.
    let empty = tempfile::tempdir().unwrap();
    let v = minhbach(site.path(), &["verify", empty.path().to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1));
    assert!(text(&v).contains("has no manifest.json"), "{}", text(&v));
}

#[test]
fn a_signed_build_is_checked_by_minisign_and_by_verify_and_tampering_shows() {
    let site = example_site();
    let keys = tempfile::tempdir().unwrap();
    let (secret, public_key) = key_for(site.path(), keys.path());
    // Refused over an existing key.
    let again = minhbach(
        site.path(),
        &["keygen", "--secret-key", secret.to_str().unwrap()],
    );
    assert!(!again.status.success());
    assert!(
        text(&again).contains("never writes over a key"),
        "{}",
        text(&again)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the secret key is its owner's alone");
    }
    let out = minhbach(
        site.path(),
        &["build", "--quiet", "--sign", secret.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let public = site.path().join("public");
    assert!(public.join("manifest.json.minisig").is_file());
    // The verification page shows the key and the command.
    let page = std::fs::read_to_string(public.join("kiem-chung/index.html")).unwrap();
    assert!(
        page.contains(&format!("minisign -Vm manifest.json -P {public_key}")),
        "{page}"
    );

    // minisign itself, from Debian, accepts it.
    let minisign = |dir: &Path| {
        Command::new("minisign")
            .args(["-Vm", "manifest.json", "-P", &public_key])
            .current_dir(dir)
            .output()
            .expect("the minisign tool (Debian package minisign) is installed")
    };
    let ok = minisign(&public);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(
        text(&ok).contains("sources sha256"),
        "minisign shows the trusted comment: {}",
        text(&ok)
    );
    let v = minhbach(
        site.path(),
        &["verify", "public", "--public-key", &public_key],
    );
    assert!(v.status.success(), "{}", text(&v));
    assert!(text(&v).contains("signature: good"), "{}", text(&v));
    // The key as a .pub file works too.
    let pubfile = keys.path().join("site.key.pub");
    let v = minhbach(
        site.path(),
        &[
            "verify",
            "public",
            "--public-key",
            pubfile.to_str().unwrap(),
        ],
    );
    assert!(v.status.success(), "{}", text(&v));

    // One byte of one page changed: verify names the page.
    let page = public.join("index.html");
    let original = std::fs::read(&page).unwrap();
    let mut bytes = original.clone();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&page, &bytes).unwrap();
    let v = minhbach(
        site.path(),
        &["verify", "public", "--public-key", &public_key],
    );
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(text(&v).contains("changed: index.html"), "{}", text(&v));
    // Whoever changed it must also change its line in the manifest to hide
    // it: then the signature breaks, for minisign and for verify.
    let manifest_path = public.join("manifest.json");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    let forged = manifest.replace(&sha256_hex(&original), &sha256_hex(&bytes));
    assert_ne!(forged, manifest);
    std::fs::write(&manifest_path, forged).unwrap();
    let bad = minisign(&public);
    assert!(
        !bad.status.success(),
        "minisign must reject: {}",
        text(&bad)
    );
    assert!(
        text(&bad).contains("Signature verification failed"),
        "{}",
        text(&bad)
    );
    let v = minhbach(
        site.path(),
        &["verify", "public", "--public-key", &public_key],
    );
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(
        text(&v).contains("signature: the signature does not hold for the key given"),
        "{}",
        text(&v)
    );
    assert!(!text(&v).contains("changed: index.html"), "{}", text(&v));

    // Another key is not the publisher's.
    let other = tempfile::tempdir().unwrap();
    let stranger = minhbach(
        site.path(),
        &[
            "keygen",
            "--secret-key",
            other.path().join("k").to_str().unwrap(),
        ],
    );
    assert!(stranger.status.success());
    let stranger_key = std::fs::read_to_string(other.path().join("k.pub")).unwrap();
    std::fs::write(&manifest_path, &manifest).unwrap();
    std::fs::write(&page, &original).unwrap();
    let v = minhbach(
        site.path(),
        &[
            "verify",
            "public",
            "--public-key",
            stranger_key.lines().last().unwrap(),
        ],
    );
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(
        text(&v).contains("different from public key"),
        "{}",
        text(&v)
    );
    // Signing with a key config.toml does not publish is refused.
    let refused = minhbach(
        site.path(),
        &[
            "build",
            "--quiet",
            "--sign",
            other.path().join("k").to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("is not the key config.toml publishes"),
        "{}",
        text(&refused)
    );
    // The site was left as it was.
    let v = minhbach(
        site.path(),
        &["verify", "public", "--public-key", &public_key],
    );
    assert!(v.status.success(), "{}", text(&v));
}

#[test]
fn an_encrypted_key_signs_with_its_password() {
    let site = example_site();
    let keys = tempfile::tempdir().unwrap();
    let secret = keys.path().join("enc.key");
    let run = |args: &[&str], password: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_minhbach"));
        c.args(args).current_dir(site.path());
        match password {
            Some(p) => c.env("MINHBACH_KEY_PASSWORD", p),
            None => c.env_remove("MINHBACH_KEY_PASSWORD"),
        };
        c.stdin(std::process::Stdio::null()).output().unwrap()
    };
    let made = run(
        &[
            "keygen",
            "--encrypt",
            "--secret-key",
            secret.to_str().unwrap(),
        ],
        Some("mật khẩu dài"),
    );
    assert!(made.status.success(), "{}", text(&made));
    assert!(std::fs::read_to_string(&secret)
        .unwrap()
        .contains("minhbach secret key"));
    let line = std::fs::read_to_string(keys.path().join("enc.key.pub"))
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    append_config(site.path(), &format!("public_key = \"{line}\""));
    let wrong = run(
        &["build", "--quiet", "--sign", secret.to_str().unwrap()],
        Some("sai"),
    );
    assert!(!wrong.status.success(), "{}", text(&wrong));
    assert!(
        !site.path().join("public").exists(),
        "nothing was published"
    );
    let right = run(
        &["build", "--quiet", "--sign", secret.to_str().unwrap()],
        Some("mật khẩu dài"),
    );
    assert!(right.status.success(), "{}", text(&right));
    let ok = Command::new("minisign")
        .args(["-Vm", "manifest.json", "-P", &line])
        .current_dir(site.path().join("public"))
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", text(&ok));
}

/// Unzips `zip` into `into`.
fn unzip(zip: &Path, into: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    archive.extract(into).unwrap();
}

#[test]
fn the_bundle_is_deterministic_complete_and_verified_entry_by_entry() {
    let site = example_site();
    let out = minhbach(site.path(), &["build", "--archive"]);
    assert!(out.status.success(), "{}", text(&out));
    let public = site.path().join("public");
    let zip_path = public.join("ban-sao-trang.zip");
    let first = std::fs::read(&zip_path).unwrap();
    // The home page links it with its size, in the bundle too.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    let size = first.len() as f64;
    let shown = format!("{:.1}", size / 1e3).replace('.', ",");
    assert!(
        home.contains(&format!("(zip, {shown} kB)"))
            || home.contains(&format!("(zip, {:.1} MB)", size / 1e6).replace('.', ",")),
        "the home page shows the zip's size ({} bytes)",
        first.len()
    );
    assert!(home.contains("href=\"ban-sao-trang.zip\""));
    // The same content, one thread: the same bytes.
    let again = minhbach(
        site.path(),
        &["--jobs", "1", "build", "--archive", "--quiet"],
    );
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(
        first,
        std::fs::read(&zip_path).unwrap(),
        "two builds, two zips"
    );
    // Every file of the site but the zip itself, in one folder, sorted.
    let archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    assert!(names.iter().all(|n| n.starts_with("ban-sao-trang/")));
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["archive"], "ban-sao-trang.zip");
    let listed = manifest["files"].as_array().unwrap().len();
    assert_eq!(
        names.len(),
        listed + 1,
        "every listed file and the manifest"
    );
    assert!(!names.iter().any(|n| n.ends_with(".zip")));
    // verify checks the folder with its zip, and the zip alone.
    for copy in ["public", "public/ban-sao-trang.zip"] {
        let v = minhbach(site.path(), &["verify", copy]);
        assert!(v.status.success(), "{copy}: {}", text(&v));
    }
    // An unzipped bundle is a copy too; one byte changed shows.
    let unzipped = tempfile::tempdir().unwrap();
    unzip(&zip_path, unzipped.path());
    let copy = unzipped.path().join("ban-sao-trang");
    let v = minhbach(site.path(), &["verify", copy.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v));
    let page = copy.join("nam/2021/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[100] ^= 2;
    std::fs::write(&page, bytes).unwrap();
    let v = minhbach(site.path(), &["verify", copy.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1));
    assert!(
        text(&v).contains("changed: nam/2021/index.html"),
        "{}",
        text(&v)
    );
    // A zip with an entry left out, put in the site's place: the folder's
    // check names it.
    let mut from = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let shorter = site.path().join("shorter.zip");
    let mut to = zip::ZipWriter::new(std::fs::File::create(&shorter).unwrap());
    for i in 0..from.len() {
        let f = from.by_index_raw(i).unwrap();
        if f.name().unwrap() != "ban-sao-trang/404.html" {
            to.raw_copy_file(f).unwrap();
        }
    }
    to.finish().unwrap();
    std::fs::rename(&shorter, &zip_path).unwrap();
    let v = minhbach(site.path(), &["verify", "public"]);
    assert_eq!(v.status.code(), Some(1));
    assert!(
        text(&v).contains("missing: ban-sao-trang.zip: 404.html"),
        "{}",
        text(&v)
    );
}

#[test]
fn source_date_epoch_sets_the_bundles_time() {
    let site = example_site();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(["build", "--archive", "--quiet"])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14T22:13:20Z
        .env("MINHBACH_TODAY", common::TODAY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let zip_path = site.path().join("public/ban-sao-trang.zip");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    for i in 0..archive.len() {
        let f = archive.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!(
            (t.year(), t.month(), t.day()),
            (2023, 11, 14),
            "{}",
            f.name().unwrap()
        );
    }
    // Without it, the newest approval's day: other bytes.
    let first = std::fs::read(&zip_path).unwrap();
    let again = minhbach(site.path(), &["build", "--archive", "--quiet"]);
    assert!(again.status.success());
    assert_ne!(first, std::fs::read(&zip_path).unwrap());
}
