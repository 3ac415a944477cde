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

use crate::diagnostics::{render_with_source, Diagnostic};
use std::io::IsTerminal;
use std::path::Path;

/// Prints problems to standard error: one `path:line:col: message` line each
/// for scripts and editors, or with the source line underlined when a person
/// reads a terminal.
pub fn print_diagnostics(diags: &[Diagnostic], root: &Path) {
    let terminal = std::io::stderr().is_terminal();
    for d in diags {
        if terminal {
            eprintln!("{}", render_with_source(d, root, true));
        } else {
            eprintln!("{d}");
        }
    }
}
