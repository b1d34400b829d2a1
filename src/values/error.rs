//! The error type of the values module: one variant per stage (reading a values file, parsing a
//! `--set`-family flag, coalescing, dependencies, schema). Messages follow Helm's wording where
//! Helm has one, name the file or flag at fault, and never quote value contents.

use super::strvals::ParseError;
use crate::Value;

/// Everything that can go wrong while building a chart's values.
#[derive(Debug, thiserror::Error)]
pub enum ValuesError {
    /// A `-f` file (or `-` for stdin) could not be read.
    #[error("failed to read values file {file}: {reason}")]
    ReadValuesFile { file: String, reason: String },

    /// A `-f` file is not valid YAML or holds a document that is not a map.
    #[error("failed to parse {file}: {reason}")]
    ParseValuesFile { file: String, reason: String },

    /// A `-f` / `--set-file` argument is a URL; remote values are not fetched yet.
    #[error(
        "{flag} {location}: reading values from a URL is not supported yet; download the file and pass its local path"
    )]
    RemoteValues {
        flag: &'static str,
        location: String,
    },

    /// A `-f` argument is not a valid comma-separated list (`-f a.yaml,b.yaml`).
    #[error("invalid {flag} argument: {reason}")]
    BadFileList { flag: &'static str, reason: String },

    /// A `--set`, `--set-string`, `--set-file`, `--set-literal` or `--set-json key=value` flag
    /// does not follow the grammar (or writes through a value of the wrong type).
    #[error("failed parsing {flag} data: {source}")]
    SetFlag {
        flag: &'static str,
        #[source]
        source: ParseError,
    },

    /// A `--set-json '{...}'` flag is not one valid JSON object.
    #[error("failed parsing --set-json data JSON: {reason}")]
    SetJsonObject { reason: String },

    /// Values for a subchart are not a map (`--set sub=1`).
    #[error("type mismatch on {name}: the values for subchart {name:?} must be a map, got {found}")]
    SubchartNotMap { name: String, found: &'static str },

    /// `Chart.yaml` lists dependencies that are not in the chart's `charts/` directory.
    #[error(
        "an error occurred while checking for chart dependencies. You may need to run 'chartroom dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    )]
    MissingDependencies { chart: String, missing: Vec<String> },

    /// The values do not satisfy one or more `values.schema.json` files. `report` holds one block
    /// per failing chart, each ending with a newline.
    #[error(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
    )]
    Schema { report: String },
}

/// How a value is described in messages ("a string", "a list"), without its contents.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}
