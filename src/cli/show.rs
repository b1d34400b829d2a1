//! `chartroom show chart|values|readme|crds|all CHART`, in `helm show`'s format.

use super::{CmdResult, print_stdout};
use crate::chart::Chart;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// A chart directory or .tgz.
    pub chart: PathBuf,
}

#[derive(clap::Subcommand, Debug)]
pub enum ShowCommand {
    /// Show the chart's Chart.yaml.
    Chart(ShowArgs),
    /// Show the chart's values.yaml as written.
    Values(ShowArgs),
    /// Show the chart's README.
    Readme(ShowArgs),
    /// Show the chart's CRDs (its own and its subcharts').
    Crds(ShowArgs),
    /// Show all of the above.
    All(ShowArgs),
}

pub fn run(cmd: ShowCommand) -> CmdResult {
    let (what, args) = match cmd {
        ShowCommand::Chart(a) => (Part::Chart, a),
        ShowCommand::Values(a) => (Part::Values, a),
        ShowCommand::Readme(a) => (Part::Readme, a),
        ShowCommand::Crds(a) => (Part::Crds, a),
        ShowCommand::All(a) => (Part::All, a),
    };
    let chart = crate::chart::load(&args.chart)?;
    print_stdout(&show(&chart, what))?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Chart,
    Values,
    Readme,
    Crds,
    All,
}

fn show(chart: &Chart, what: Part) -> String {
    let all = what == Part::All;
    let mut out = String::new();
    if what == Part::Chart || all {
        out.push_str(&chart_yaml(chart));
        out.push('\n');
    }
    if what == Part::Values || all {
        if all {
            out.push_str("---\n");
        }
        out.push_str(&String::from_utf8_lossy(&chart.raw_values));
        out.push('\n');
    }
    if (what == Part::Readme || all)
        && let Some(readme) = chart.files.iter().find(|f| {
            ["readme.md", "readme.txt", "readme"]
                .iter()
                .any(|n| f.name.eq_ignore_ascii_case(n))
        })
    {
        if all {
            out.push_str("---\n");
        }
        out.push_str(&String::from_utf8_lossy(&readme.data));
        out.push('\n');
    }
    if what == Part::Crds || all {
        for (_, file) in chart.crd_files_in_tree() {
            let data = String::from_utf8_lossy(&file.data);
            if !data.starts_with("---") {
                out.push_str("---\n");
            }
            out.push_str(&data);
            out.push('\n');
        }
    }
    out
}

/// Chart.yaml as Helm prints it: the metadata re-serialized by Go's YAML library (keys in
/// alphabetical order, Go's quoting and line folding), through the Go-template engine's emitter.
fn chart_yaml(chart: &Chart) -> String {
    let value = serde_json::to_value(&chart.metadata).unwrap_or_default();
    let go = crate::engine::gotmpl::Value::from_json(&value);
    crate::engine::gotmpl::to_yaml(&go).unwrap_or_else(|_| crate::yaml::to_string(&value))
}
