//! `chartroom template`: flags → render options, render, print the stream (or write files).

use super::values_flags::ValueFlags;
use super::{CmdResult, Failure, print_stdout};
use crate::engine::{Capabilities, Release};
use crate::manifest::output::{TemplateStream, show_only, write_files};
use crate::render::{self, RenderOptions};
use crate::yaml::NumberModel;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct TemplateArgs {
    /// `[NAME] CHART`: the release name (default `release-name`) and a chart directory or .tgz.
    #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
    pub args: Vec<String>,
    /// Generate the release name (`<chart>-<unix time>`) instead of taking it as an argument.
    #[arg(short = 'g', long)]
    pub generate_name: bool,
    /// Namespace of the release (`.Release.Namespace`).
    #[arg(short = 'n', long, env = "HELM_NAMESPACE", default_value = "default")]
    pub namespace: String,
    #[command(flatten)]
    pub values: ValueFlags,
    /// Only show manifests rendered from the given templates (glob, e.g. templates/*.yaml).
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    pub show_only: Vec<String>,
    /// Write each template's output to files in this directory instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// With --output-dir, write into <DIR>/<release name>/.
    #[arg(long)]
    pub release_name: bool,
    /// Include the charts' CRDs (files under crds/) first in the output.
    #[arg(long)]
    pub include_crds: bool,
    /// Leave out test hooks (`helm.sh/hook: test`).
    #[arg(long)]
    pub skip_tests: bool,
    /// Leave out all hooks.
    #[arg(long)]
    pub no_hooks: bool,
    /// Kubernetes version for capabilities and kubeVersion checks (e.g. 1.30).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Extra API versions for capabilities (repeatable or comma-separated).
    #[arg(
        short = 'a',
        long = "api-versions",
        value_delimiter = ',',
        value_name = "GROUP/VERSION"
    )]
    pub api_versions: Vec<String>,
    /// Render as an upgrade (`release.is_upgrade`) instead of an install.
    #[arg(long)]
    pub is_upgrade: bool,
    /// Print the rendered NOTES.txt after the manifests (as YAML comments).
    #[arg(long)]
    pub notes: bool,
    /// Treat undefined values as errors everywhere, conditions included, and fail on value keys
    /// (from -f/--set) that no template reads.
    #[arg(long)]
    pub strict: bool,
    /// Do not check values against values.schema.json.
    #[arg(long)]
    pub skip_schema_validation: bool,
    /// Validate every rendered object offline against the Kubernetes schemas of --kube-version
    /// (and custom resources against the charts' CRDs); findings go to stderr, errors exit 1.
    #[arg(long)]
    pub validate: bool,
}

pub fn run(args: TemplateArgs, debug: bool) -> CmdResult {
    let (name, chart_ref) = release_and_chart(&args)?;
    validate_release_name(&name)?;
    let mut capabilities = Capabilities::default();
    if let Some(v) = &args.kube_version {
        capabilities = capabilities.with_kube_version(v).map_err(Failure::usage)?;
    }
    capabilities
        .api_versions
        .extend(args.api_versions.iter().cloned());

    let chart = crate::chart::load(std::path::Path::new(&chart_ref))?;
    let model = match chart.engine {
        crate::chart::Engine::Jinja => NumberModel::Exact,
        crate::chart::Engine::GoTemplate => NumberModel::Helm,
    };
    let user = crate::values::merge_user_values(
        &args.values.sources(),
        model,
        &mut std::io::stdin().lock(),
    )?;
    let options = RenderOptions {
        release: Release {
            name: name.clone(),
            namespace: args.namespace.clone(),
            is_install: !args.is_upgrade,
            is_upgrade: args.is_upgrade,
            ..Release::default()
        },
        capabilities,
        strict: args.strict,
        debug,
        lint: false,
        skip_schema_validation: args.skip_schema_validation,
        exiting: true,
        skip_crds: !(args.include_crds || args.validate),
    };
    let unused = if args.strict {
        crate::lint::unused_values(&chart, &user)
    } else {
        Vec::new()
    };
    let out = render::render(chart, &user, &options)?;
    if !unused.is_empty() {
        let lines: Vec<String> = unused
            .iter()
            .map(|u| {
                let (message, fix) = crate::lint::unused_message(u);
                format!("{message}; {fix}")
            })
            .collect();
        return Err(Failure::from(format!(
            "--strict: {} (check the keys of -f/--set, or run without --strict)",
            lines.join("\n")
        )));
    }
    for w in &out.warnings {
        eprintln!("warning: {}", w.trim_start_matches("warning: "));
    }
    let findings = if args.validate {
        Some(validate_rendered(&out, args.kube_version.as_deref())?)
    } else {
        None
    };
    let no_crds = Vec::new();
    let stream = TemplateStream {
        crds: if args.include_crds {
            &out.crds
        } else {
            &no_crds
        },
        manifests: &out.manifests,
        hooks: &out.hooks,
        skip_tests: args.skip_tests,
        no_hooks: args.no_hooks,
    };
    if let Some(dir) = &args.output_dir {
        let dir = if args.release_name {
            dir.join(&name)
        } else {
            dir.clone()
        };
        let files = stream.to_files();
        let written = write_files(&dir, &files)
            .map_err(|e| format!("cannot write to --output-dir {}: {e}", dir.display()))?;
        let mut text = String::new();
        for path in written {
            text.push_str(&format!("wrote {}\n", path.display()));
        }
        print_stdout(&text)?;
        return finish_validation(findings);
    }
    let mut text = stream.to_helm_text();
    if !args.show_only.is_empty() {
        text = show_only(&text, &args.show_only)?;
    }
    if args.notes
        && let Some(notes) = out.notes.as_deref().filter(|n| !n.trim().is_empty())
    {
        text.push_str("---\n# NOTES:\n");
        for line in notes.trim_end().lines() {
            text.push_str(if line.is_empty() { "#" } else { "# " });
            text.push_str(line);
            text.push('\n');
        }
    }
    print_stdout(&text)?;
    // The process ends right after this: leave the parsed documents to the OS instead of
    // freeing them one by one (a tenth of the run time on large charts).
    std::mem::forget(out);
    finish_validation(findings)
}

/// Validates the rendered manifests and hooks (the charts' CRDs are read too, so custom
/// resources are checked against them); findings name the template that produced each object.
fn validate_rendered(
    out: &render::RenderOutput,
    kube_version: Option<&str>,
) -> Result<crate::validate::Report, Failure> {
    let mut inputs: Vec<crate::validate::Input> = out
        .crds
        .iter()
        .map(|c| crate::validate::Input::file(c.source.clone(), c.content.clone()))
        .collect();
    inputs.extend(
        out.manifests
            .iter()
            .chain(&out.hooks)
            .map(|d| crate::validate::Input {
                file: d.source.clone(),
                line: d.line,
                document_index: d.index,
                text: d.text.clone(),
            }),
    );
    let opts = crate::validate::Options {
        kube_version: kube_version.map(|v| v.trim_start_matches('v').to_string()),
        ..crate::validate::Options::default()
    };
    crate::validate::validate(&inputs, &opts).map_err(Failure::from)
}

fn finish_validation(report: Option<crate::validate::Report>) -> CmdResult {
    let Some(report) = report else {
        return Ok(ExitCode::SUCCESS);
    };
    let mut text = Vec::new();
    crate::validate::report::write(&report, crate::validate::report::Format::Text, &mut text)
        .map_err(Failure::from)?;
    eprint!("{}", String::from_utf8_lossy(&text));
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn release_and_chart(args: &TemplateArgs) -> Result<(String, String), Failure> {
    match (args.args.as_slice(), args.generate_name) {
        ([chart], false) => Ok(("release-name".into(), chart.clone())),
        ([chart], true) => Ok((generated_name(chart), chart.clone())),
        ([_, _], true) => Err(Failure::usage(
            "cannot set --generate-name and also specify a name",
        )),
        ([name, chart], false) => Ok((name.clone(), chart.clone())),
        _ => Err(Failure::usage("expected [NAME] CHART")),
    }
}

/// `<chart base name>-<unix seconds>`, as Helm's `--generate-name` (time-dependent on purpose).
fn generated_name(chart: &str) -> String {
    let base = std::path::Path::new(chart.trim_end_matches('/'))
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("chart");
    let base = base
        .split('.')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("chart");
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{}-{secs}", base.to_ascii_lowercase())
}

/// Helm's release-name rule: a DNS-1123 subdomain of at most 53 characters.
fn validate_release_name(name: &str) -> Result<(), Failure> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.is_empty() || name.len() > 53 || !name.split('.').all(label_ok) {
        return Err(Failure::usage(format!(
            "invalid release name {name:?}: use at most 53 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names() {
        for ok in ["a", "my-db", "a.b-c", "x1"] {
            assert!(validate_release_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "My", "-a", "a-", "a..b", "a_b", &"a".repeat(54)] {
            assert!(validate_release_name(bad).is_err(), "{bad}");
        }
        assert!(generated_name("charts/postgres/").starts_with("postgres-"));
        assert!(generated_name("./mychart-1.2.0.tgz").starts_with("mychart-1-"));
    }
}
