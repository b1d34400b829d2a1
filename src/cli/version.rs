//! `chartroom version`.

use super::{CmdResult, print_stdout};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct VersionArgs {
    /// Print only the version number.
    #[arg(long)]
    pub short: bool,
}

pub fn run(args: VersionArgs) -> CmdResult {
    let version = env!("CARGO_PKG_VERSION");
    if args.short {
        print_stdout(&format!("v{version}\n"))?;
    } else {
        print_stdout(&format!(
            "chartroom v{version} (renders Helm 4.3-compatible charts; default Kubernetes {})\n",
            crate::engine::context::DEFAULT_KUBE_VERSION
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
