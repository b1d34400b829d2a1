//! `chartroom create NAME`: scaffolds a Jinja chart (NAME may be a path; the chart is named
//! after its last component, as with `helm create`).

use super::{CmdResult, Failure, print_stdout};
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CreateArgs {
    /// Name (or path) of the chart directory to create.
    pub name: String,
}

pub fn run(args: CreateArgs) -> CmdResult {
    let path = Path::new(&args.name);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Failure::usage(format!("invalid chart name {:?}", args.name)))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = crate::chart::create::create(parent, name)?;
    print_stdout(&format!("Creating {}\n", dir.display()))?;
    Ok(ExitCode::SUCCESS)
}
