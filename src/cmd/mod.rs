//! Commands, one file each: `build`, `check`, `cite`, `import`, `keygen`,
//! `new`, `serve` and `verify`.

pub mod build;
pub mod check;
pub mod cite;
pub mod import;
pub mod keygen;
pub mod new;
pub mod serve;
pub mod verify;

use crate::diagnostics::{render_with_source, Diagnostic, Sources};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Prints problems to standard error: one `path:line:col: message` line each
/// for scripts and editors, or with the source line underlined when a person
/// reads a terminal. Buffered: standard error is not, and a problem's
/// line was about ten writes to it (33,363 system calls for the 3,700
/// warnings of 1,000 synthetic reports, printed before the pages are made).
pub fn print_diagnostics(diags: &[Diagnostic], root: &Path) {
    let terminal = std::io::stderr().is_terminal();
    let mut sources = Sources::new(root);
    let mut out = std::io::BufWriter::new(std::io::stderr().lock());
    // A closed standard error stops no build.
    for d in diags {
        let _ = if terminal {
            writeln!(out, "{}", render_with_source(d, &mut sources, true))
        } else {
            writeln!(out, "{d}")
        };
    }
    let _ = out.flush();
}
