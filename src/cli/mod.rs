//! The headless command line.

use std::process::ExitCode;

/// Entry point of the `octa` binary.
pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
