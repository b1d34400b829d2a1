//! What the caller hands to [`crate::validate::validate`]: the YAML texts and the options.
//! Holds plain data only; no parsing or checking happens here.

use std::path::PathBuf;

/// One YAML text to validate: a whole file (`line` 1, `document_index` 0) or a single rendered
/// document (`line` = where it starts in its source, `document_index` = its position there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// Shown in findings (a path, `<stdin>`, or a template name like `mychart/templates/x.yaml`).
    pub file: String,
    /// 1-based line of `file` where `text` starts.
    pub line: usize,
    /// Index of the first document of `text` within `file` (0-based).
    pub document_index: usize,
    /// The YAML or JSON text, possibly with several `---`-separated documents.
    pub text: String,
}

impl Input {
    /// A whole file: starts at line 1, first document index 0.
    pub fn file(file: impl Into<String>, text: impl Into<String>) -> Self {
        Input {
            file: file.into(),
            line: 1,
            document_index: 0,
            text: text.into(),
        }
    }
}

/// How to validate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Kubernetes version whose schemas to use, `"1.30"`, `"v1.30.2"`; `None` = newest embedded.
    pub kube_version: Option<String>,
    /// Unknown fields are errors (the default). `false` accepts them, like `--no-strict`.
    pub strict: bool,
    /// Extra schema folders in kubeconform's layouts (see `schema_dir.rs`), searched in order
    /// before the embedded schemas.
    pub schema_locations: Vec<PathBuf>,
    /// A document whose kind has no schema is an error finding instead of "skipped".
    pub fail_on_missing_schema: bool,
    /// Quote offending values in messages (off by default: values may be secrets).
    pub show_values: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kube_version: None,
            strict: true,
            schema_locations: Vec::new(),
            fail_on_missing_schema: false,
            show_values: false,
        }
    }
}
