//! Command-line parsing (clap) and printing. One file per command group; no logic here beyond
//! turning flags into calls and results into text and exit codes.

use std::process::ExitCode;

/// Runs the CLI and returns the process exit code (0 ok, 1 failure or findings, 2 usage).
pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
