//! Command-line parsing (clap) and printing. One file per command group; no logic here beyond
//! turning flags into calls and results into text and exit codes.

pub mod validate;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A Helm-style chart packager and renderer.
#[derive(Parser, Debug)]
#[command(name = "chartroom", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate Kubernetes manifests offline (any YAML, standard input too).
    Validate(validate::ValidateArgs),
}

/// Runs the CLI and returns the process exit code (0 ok, 1 failure or findings, 2 usage).
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match &cli.command {
        Command::Validate(args) => validate::run(args, &mut std::io::stdin().lock(), &mut out),
    };
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.downcast_ref::<validate::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
