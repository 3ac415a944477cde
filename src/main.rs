//! The `minhbach` command line: parses arguments, runs a command, prints errors.

use clap::{Parser, Subcommand};
use minhbach::cmd;
use minhbach::diagnostics::{printable, ContentErrors};
use std::path::PathBuf;
use std::process::ExitCode;

/// Static-site generator for published Vietnamese transparency reports.
#[derive(Parser)]
#[command(name = "minhbach", version, about)]
struct Cli {
    /// Number of threads, 1 to 256 [default: one per core]; `--jobs 1`
    /// builds sequentially (the output is the same byte for byte).
    #[arg(long, short, global = true, value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: Option<u16>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build {
        /// Site root (holds config.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output directory, replaced only when the build succeeds
        /// [default: public/ inside the root].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Also publish draft reports, with a DRAFT banner.
        #[arg(long)]
        drafts: bool,
        /// Print the time spent in each step.
        #[arg(long, short)]
        verbose: bool,
        /// Print only problems: no progress bar, no summary.
        #[arg(long, short)]
        quiet: bool,
        /// Publish a site without reports over an output that has some
        /// (refused otherwise: an empty checkout must not wipe the site).
        #[arg(long)]
        allow_empty: bool,
        /// Sign the manifest with this minisign secret key (from
        /// `minhbach keygen`); config.toml must publish its public key.
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
        /// Also write ban-sao-trang.zip, the whole site in one file to
        /// download and open from disk, linked from the home page.
        #[arg(long)]
        archive: bool,
    },
    /// Check that a copy of a site (its folder or zip) is the one its
    /// manifest lists, and the manifest's signature; exit 1 on any
    /// difference.
    Verify {
        /// The site's folder, or its zip.
        copy: PathBuf,
        /// The publisher's public key: its base64 line, or a minisign
        /// `.pub` file.
        #[arg(long, value_name = "KEY")]
        public_key: Option<String>,
    },
    /// Make a minisign key pair to sign builds with (`build --sign`).
    Keygen {
        /// Where to write the secret key (never over a file; keep it off
        /// the web server and out of the site's repository); the public
        /// key goes beside it, with `.pub`.
        #[arg(long, value_name = "FILE")]
        secret_key: PathBuf,
        /// Encrypt the secret key with the password in MINHBACH_KEY_PASSWORD.
        #[arg(long)]
        encrypt: bool,
    },
    /// Check the content without writing anything.
    Check {
        /// Site root (holds config.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the legal citations found in a text, one JSON object per line.
    Cite {
        /// Text file to read; `-` reads standard input.
        #[arg(default_value = "-")]
        file: String,
        /// Province slug for provincial documents (e.g. binh-phuoc).
        #[arg(long)]
        province: Option<String>,
        /// Citing agency id (e.g. tra-vinh/so-tttt); also gives the province.
        #[arg(long)]
        agency: Option<String>,
        /// Site root whose registry (content/legal/) resolves names and years.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Turn a report (Word or text) into a draft report YAML for review.
    Import {
        /// The report: a Word document (.docx) or text (.txt, .md).
        file: PathBuf,
        /// The reporting agency's id (e.g. binh-phuoc/so-ldtbxh).
        #[arg(long)]
        agency: Option<String>,
        /// Where to write the draft (never over a file) [default: standard output].
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Site root whose indicators and registry are used.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Preview the site: serve it, rebuild what a change reaches, reload
    /// open pages and show content errors on them.
    Serve {
        /// Site root (holds config.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Show drafts too, with their banner.
        #[arg(long)]
        drafts: bool,
    },
    /// Write a draft report or a new agency, every field present and
    /// explained; never over an existing file.
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// A draft report at content/reports/<agency>/<year>-<title words>.yaml.
    Report {
        /// The reporting agency's id (e.g. binh-phuoc/so-ldtbxh).
        #[arg(long)]
        agency: String,
        /// The year reported on.
        #[arg(long)]
        year: i32,
        /// The title as printed.
        #[arg(long)]
        title: Option<String>,
        /// Site root (holds config.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// An agency at content/agencies/<province>/<agency>.yaml.
    Agency {
        /// Its id: province/agency (e.g. binh-phuoc/so-tttt).
        id: String,
        /// Its full name.
        #[arg(long)]
        name: String,
        /// Its province or city as written (e.g. "Bình Phước").
        #[arg(long)]
        province: String,
        /// Site root (holds config.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = Cli::parse();
    if let Some(jobs) = cli.jobs {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs))
            .build_global()
        {
            eprintln!("error: cannot start {jobs} threads: {e}");
            return ExitCode::FAILURE;
        }
    }
    let root = match &cli.command {
        Command::Build { root, .. }
        | Command::Check { root }
        | Command::Cite { root, .. }
        | Command::Serve { root, .. }
        | Command::Import { root, .. }
        | Command::New {
            what: NewWhat::Report { root, .. } | NewWhat::Agency { root, .. },
        } => root.clone(),
        Command::Verify { .. } | Command::Keygen { .. } => PathBuf::from("."),
    };
    let result = match &cli.command {
        Command::Build {
            root,
            output,
            drafts,
            verbose,
            quiet,
            allow_empty,
            sign,
            archive,
        } => {
            // A given --output is relative to the current directory, like
            // every other tool; the default is `public/` inside the root.
            let output = output.clone().unwrap_or_else(|| root.join("public"));
            cmd::build::run(&cmd::build::BuildOptions {
                root,
                output: &output,
                drafts: *drafts,
                verbose: *verbose,
                quiet: *quiet,
                allow_empty: *allow_empty,
                sign: sign.as_deref(),
                archive: *archive,
                pages: true,
            })
            .map(|_| ())
        }
        Command::Verify { copy, public_key } => cmd::verify::run(
            &cmd::verify::VerifyOptions {
                copy,
                public_key: public_key.as_deref(),
            },
            &mut std::io::stdout().lock(),
        ),
        Command::Keygen {
            secret_key,
            encrypt,
        } => cmd::keygen::run(&cmd::keygen::KeygenOptions {
            secret: secret_key,
            encrypt: *encrypt,
        })
        .map(|(public_file, public)| {
            println!("wrote the secret key {} (keep it secret: whoever holds it can sign your site) and the public key {}", secret_key.display(), public_file.display());
            println!("add to config.toml, so that the site shows it:\npublic_key = \"{public}\"");
            println!("then: minhbach build --sign {}", secret_key.display());
        }),
        Command::Check { root } => cmd::check::run(root),
        Command::Cite {
            file,
            province,
            agency,
            root,
        } => cmd::cite::run(
            &cmd::cite::CiteOptions {
                input: file,
                province: province.as_deref(),
                agency: agency.as_deref(),
                root,
            },
            &mut std::io::stdout().lock(),
        )
        .map(|_| ()),
        Command::Import {
            file,
            agency,
            output,
            root,
        } => cmd::import::run(&cmd::import::ImportOptions {
            file,
            root,
            agency: agency.as_deref(),
            output: output.as_deref(),
        })
        .map(|written| {
            if let Some(path) = written {
                eprintln!("wrote {}; next: `minhbach check`", path.display());
            }
        }),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
        } => cmd::serve::run(&cmd::serve::ServeOptions {
            root,
            bind: *bind,
            port: *port,
            drafts: *drafts,
        }),
        Command::New { what } => {
            let written = match what {
                NewWhat::Report {
                    agency,
                    year,
                    title,
                    root,
                } => cmd::new::report(&cmd::new::NewReport {
                    root,
                    agency,
                    year: *year,
                    title: title.as_deref(),
                }),
                NewWhat::Agency {
                    id,
                    name,
                    province,
                    root,
                } => cmd::new::agency(&cmd::new::NewAgency {
                    root,
                    id,
                    name,
                    province,
                }),
            };
            written.map(|path| {
                println!("wrote {}", path.display());
                println!("next: fill it in, then `minhbach check` and `minhbach build --drafts` to preview");
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(content) = e.downcast_ref::<ContentErrors>() {
                cmd::print_diagnostics(&content.0, &root);
                eprintln!("error: {content}; nothing was written");
            } else {
                let say = |x: &dyn std::fmt::Display| printable(&x.to_string()).into_owned();
                eprintln!("error: {}", say(&e));
                for cause in e.chain().skip(1) {
                    eprintln!("Caused by: {}", say(&cause));
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// mimalloc instead of the system allocator: rendering allocates many small
/// strings from both threads at once, and glibc's malloc spent a fifth of the
/// build's CPU time on them (measured with perf on 1,000 reports).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Asks Linux not to back this process's memory with transparent huge
/// pages. mimalloc advises them for its arenas, and a huge page's first
/// touch zeroes all of its 2 MiB: on the benchmark machine (a VM, THP in
/// `madvise` mode) that zeroing was 8.6% of a 1,000-report rebuild's
/// samples, and peak memory was 156 MiB where 108 MiB are used without
/// them (a huge page is whole even where only a corner is used). Alternating
/// rebuilds, this against the same build with them: 1,000 reports, 8
/// pairs, wall 2.22 → 2.01 s (system time 0.70 → 0.50 s); 10,000, 3 pairs,
/// wall 21.3 → 21.0 s (system time 5.2 → 3.9 s), user time the same. This
/// is what mimalloc's own `allow_thp = 0` does; a system without THP, or
/// that refuses, is left as it is.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory
    // of this process; its result is only a hint that may be refused.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
