//! `chartroom completion <shell>`: prints a completion script generated from the clap definitions.

use super::{Cli, CmdResult, Failure};
use clap::CommandFactory;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CompletionArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: CompletionArgs) -> CmdResult {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "chartroom", &mut buf);
    let text = String::from_utf8(buf).map_err(Failure::from)?;
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
