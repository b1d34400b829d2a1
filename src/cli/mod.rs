//! Command-line parsing (clap) and printing. One file per command group; no logic here beyond
//! turning flags into library calls and results into text and exit codes
//! (0 ok, 1 failure or findings, 2 usage).

mod completion;
mod create;
mod lint;
mod show;
mod template;
pub mod validate;
mod values_flags;
mod version;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

/// Render, validate and package Helm-style charts (Jinja and Go templates).
#[derive(Parser, Debug)]
#[command(name = "chartroom", version, about, propagate_version = true)]
pub struct Cli {
    /// Show more detail in errors, including rendered text and value contents (may reveal secrets).
    #[arg(long, global = true)]
    pub debug: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Render chart templates locally and print the manifests (like `helm template`).
    Template(Box<template::TemplateArgs>),
    /// Validate Kubernetes manifests offline (files, directories or `-` for stdin).
    Validate(validate::ValidateArgs),
    /// Examine charts for possible issues: Helm's rules, Kubernetes schemas, production
    /// readiness and unused values.
    Lint(Box<lint::LintArgs>),
    /// Show information about a chart.
    #[command(subcommand)]
    Show(show::ShowCommand),
    /// Create a new Jinja chart with a production-minded layout.
    Create(create::CreateArgs),
    /// Print the chartroom version.
    Version(version::VersionArgs),
    /// Generate a shell completion script.
    Completion(completion::CompletionArgs),
}

/// A failure already explained to the user, with the exit code to use.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(err: E) -> Self {
        Failure {
            code: 1,
            message: err.to_string(),
        }
    }
}

pub type CmdResult = Result<ExitCode, Failure>;

/// Runs the CLI and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = match err.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 2,
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let debug = cli.debug;
    // Commands run on a big stack (see `crate::stack`).
    let result = crate::stack::run_on_big_stack(move || match cli.command {
        Command::Template(args) => template::run(*args, debug),
        Command::Show(cmd) => show::run(cmd),
        Command::Validate(args) => run_validate(&args),
        Command::Lint(args) => lint::run(*args, debug),
        Command::Create(args) => create::run(args),
        Command::Version(args) => version::run(args),
        Command::Completion(args) => completion::run(args),
    });
    match result {
        Ok(code) => code,
        Err(failure) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "Error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn run_validate(args: &validate::ValidateArgs) -> CmdResult {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = validate::run(args, &mut std::io::stdin().lock(), &mut out);
    let _ = out.flush();
    result.map_err(|e| Failure {
        code: if e.downcast_ref::<validate::UsageError>().is_some() {
            2
        } else {
            1
        },
        message: format!("{e:#}"),
    })
}

/// Writes to stdout, treating a closed pipe (`| head`) as success.
pub(crate) fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::from(format!("cannot write output: {e}"))),
    }
}
