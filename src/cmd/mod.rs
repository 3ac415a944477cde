//! Commands, one file each: `build` and `check`.

pub mod build;
pub mod check;

use crate::diagnostics::Diagnostic;

/// Prints warnings (one per line) to standard error.
pub fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{w}");
    }
}
