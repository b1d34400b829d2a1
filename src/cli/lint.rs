//! `chartroom lint`: flags → [`crate::lint::LintOptions`], run, print the report, exit code
//! (0 clean, 1 errors — or warnings with `--strict` — or a failed run, 2 usage).

use super::values_flags::ValueFlags;
use super::{CmdResult, Failure, print_stdout};
use crate::lint::{self, LintError, LintOptions, report};
use crate::validate::report::Format;
use std::io::Read;
use std::process::ExitCode;

/// Examine charts for possible issues: Helm's lint rules, Kubernetes schemas of every rendered
/// object, production readiness and unused values.
#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Chart directories or archives (.tgz).
    #[arg(value_name = "CHART", required = true)]
    pub charts: Vec<String>,
    #[command(flatten)]
    pub values: ValueFlags,
    /// Kubernetes version to check against (API deprecations, schemas, capabilities), e.g. 1.30.
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Namespace of the release (`.Release.Namespace`).
    #[arg(short = 'n', long, env = "HELM_NAMESPACE", default_value = "default")]
    pub namespace: String,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Switch a rule off (repeatable or comma-separated).
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub disable: Vec<String>,
    /// Switch an opt-in rule on, like no-network-policy (repeatable or comma-separated).
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub enable: Vec<String>,
    /// Output format.
    #[arg(short, long, default_value = "text", value_parser = Format::NAMES.to_vec())]
    pub output: String,
    /// Also lint every chart found under charts/ on its own.
    #[arg(long)]
    pub with_subcharts: bool,
    /// Print only charts with findings, and only those lines (text output).
    #[arg(long)]
    pub quiet: bool,
    /// Do not check values against values.schema.json.
    #[arg(long)]
    pub skip_schema_validation: bool,
}

pub fn run(args: LintArgs, debug: bool) -> CmdResult {
    let format: Format = args.output.parse().map_err(Failure::usage)?;
    let mut stdin = Vec::new();
    if args
        .values
        .values
        .iter()
        .any(|v| v.split(',').any(|f| f.trim() == "-"))
    {
        std::io::stdin()
            .take(crate::values::MAX_VALUES_FILE_BYTES + 1)
            .read_to_end(&mut stdin)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    }
    let opts = LintOptions {
        values: args.values.sources(),
        stdin,
        kube_version: args.kube_version.clone(),
        namespace: args.namespace.clone(),
        strict: args.strict,
        disable: args.disable.clone(),
        enable: args.enable.clone(),
        skip_schema_validation: args.skip_schema_validation,
        with_subcharts: args.with_subcharts,
        debug,
    };
    let mut result = lint::lint(&args.charts, &opts).map_err(|e| match e {
        LintError::Usage(m) => Failure::usage(m),
        other => Failure::from(other),
    })?;
    let failed = result.failed();
    let summary = report::summary(&result);
    if args.quiet {
        result.charts.retain(|c| {
            c.findings
                .iter()
                .any(|f| f.severity != lint::Severity::Info)
        });
        for c in &mut result.charts {
            c.findings.retain(|f| f.severity != lint::Severity::Info);
        }
    }
    let mut text = report::render(&result, format);
    if format == Format::Text && !failed {
        text.push_str(&summary);
        text.push('\n');
    }
    print_stdout(&text)?;
    if failed {
        if format == Format::Text {
            return Err(Failure::from(summary));
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
