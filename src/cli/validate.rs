//! `chartroom validate`: flags, reading FILE|DIR|- into inputs, printing the report, exit code.
//! Validation itself is `crate::validate`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::validate::report::{self, Format};
use crate::validate::{Input, Options, ValidateError};

/// Largest file (or standard input) read; far above any real manifest stream.
const MAX_INPUT_BYTES: u64 = 1024 * 1024 * 1024;

/// Validate Kubernetes manifests offline against the embedded schemas (Kubernetes 1.25–1.37),
/// CRDs found in the input and schema folders.
#[derive(clap::Args, Debug, Clone)]
pub struct ValidateArgs {
    /// Files or directories to validate (directories are searched recursively for *.yaml,
    /// *.yml and *.json); `-` reads standard input.
    #[arg(required = true, value_name = "FILE|DIR|-")]
    pub paths: Vec<String>,
    /// Kubernetes version whose schemas to use, like 1.30 (default: the newest embedded).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Accept fields the schemas do not define (default: unknown fields are errors).
    #[arg(long)]
    pub no_strict: bool,
    /// A folder of JSON schemas in kubeconform's layouts (KIND-GROUP-VERSION.json,
    /// GROUP/KIND_VERSION.json, KIND_VERSION.json), searched before the embedded schemas.
    /// Repeatable.
    #[arg(long, value_name = "DIR")]
    pub schema_location: Vec<PathBuf>,
    /// Report documents whose kind has no schema as errors instead of skipping them.
    #[arg(long)]
    pub fail_on_missing_schema: bool,
    /// Quote offending values in messages (off by default: values may be secrets).
    #[arg(long)]
    pub show_values: bool,
    /// Output format.
    #[arg(short, long, default_value = "text", value_parser = Format::NAMES.to_vec())]
    pub output: String,
}

fn is_manifest_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Files under `dir`, recursively, sorted; symlinked directories are not followed.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read directory {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let ft = entry
            .file_type()
            .with_context(|| format!("cannot read {}", path.display()))?;
        if ft.is_dir() {
            walk(&path, out)?;
        } else if is_manifest_file(&path) && (ft.is_file() || path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

fn read_limited(reader: &mut dyn Read, what: &str) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        bail!("{what} is larger than 1 GiB; split it into smaller files");
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let bytes = e.into_bytes();
            // UTF-16 with a byte-order mark is how some Windows tools save YAML.
            bail!(
                "{what} is not UTF-8 text{}; save it as UTF-8",
                if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
                    " (it looks like UTF-16)"
                } else {
                    ""
                }
            )
        }
    }
}

/// Runs `chartroom validate`. Exit 0: no errors; 1: error findings or unreadable input;
/// 2: usage errors (unknown Kubernetes version, missing schema folder).
pub fn run(
    args: &ValidateArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let format: Format = args
        .output
        .parse()
        .map_err(|e: String| anyhow::anyhow!(e))?;
    let mut inputs = Vec::new();
    let mut stdin_used = false;
    for p in &args.paths {
        if p == "-" {
            if stdin_used {
                bail!("`-` (standard input) is given twice");
            }
            stdin_used = true;
            inputs.push(Input::file(
                "<stdin>",
                read_limited(stdin, "standard input")?,
            ));
            continue;
        }
        let path = Path::new(p);
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read {p}"))?;
        let files = if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            let name = file.display().to_string();
            let mut f =
                std::fs::File::open(&file).with_context(|| format!("cannot open {name}"))?;
            let text = read_limited(&mut f, &name)?;
            inputs.push(Input::file(name, text));
        }
    }
    let opts = Options {
        kube_version: args.kube_version.clone(),
        strict: !args.no_strict,
        schema_locations: args.schema_location.clone(),
        fail_on_missing_schema: args.fail_on_missing_schema,
        show_values: args.show_values,
    };
    let report = match crate::validate::validate(&inputs, &opts) {
        Ok(r) => r,
        Err(
            e @ (ValidateError::UnsupportedKubeVersion { .. }
            | ValidateError::InvalidKubeVersion { .. }
            | ValidateError::SchemaLocation { .. }),
        ) => return Err(UsageError(e.to_string()).into()),
        Err(e) => return Err(e.into()),
    };
    report::write(&report, format, stdout).context("cannot write the report")?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// An error that should exit with status 2 (bad flags or arguments).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
