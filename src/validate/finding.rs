//! The results of a validation run: [`Finding`]s, their [`Severity`], the rule ids they carry
//! and the [`Report`] that gathers them. Plain data; formatting lives in `report.rs`.

use serde::Serialize;

/// How serious a finding is. Errors make `chartroom validate` exit 1; warnings don't.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// The input's `file`.
    pub file: String,
    /// 1-based line of the offending field where known, else where the document starts.
    pub line: usize,
    /// 0-based index of the document within `file`.
    pub document: usize,
    /// The document's `apiVersion`, `kind`, `metadata.name` and `metadata.namespace` ("" if absent).
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// Field path like `spec.template.spec.containers[0].image`; "" for the whole document.
    pub path: String,
    /// What is wrong and, where it helps, what to do. Contains no field values unless
    /// [`crate::validate::Options::show_values`] asked for them.
    pub message: String,
    /// Stable rule id, one of [`RULES`] (lint rules will add their own).
    pub rule: String,
}

/// Rule ids used by schema validation, with a one-line description each (SARIF lists them).
pub const RULES: &[(&str, &str)] = &[
    (rule::INVALID_YAML, "The document is not valid YAML."),
    (
        rule::DUPLICATE_KEY,
        "A mapping has the same key twice; Kubernetes rejects duplicate fields.",
    ),
    (
        rule::NOT_AN_OBJECT,
        "A document must be a mapping (a Kubernetes object).",
    ),
    (rule::MISSING_API_VERSION, "The document has no apiVersion."),
    (rule::MISSING_KIND, "The document has no kind."),
    (
        rule::DOCUMENT_TOO_LARGE,
        "The document is larger than any Kubernetes object can be.",
    ),
    (
        rule::MISSING_SCHEMA,
        "No schema is known for the document's apiVersion and kind.",
    ),
    (
        rule::INVALID_SCHEMA,
        "The schema for the document's kind (from a CRD or a schema file) could not be used.",
    ),
    (
        rule::UNKNOWN_FIELD,
        "A field that the schema does not define (strict mode).",
    ),
    (rule::REQUIRED_FIELD, "A required field is missing."),
    (rule::WRONG_TYPE, "A field has the wrong type."),
    (
        rule::INVALID_ENUM,
        "A field has a value outside the allowed set.",
    ),
    (
        rule::INVALID_VALUE,
        "A field's value breaks a schema constraint (pattern, range, length, ...).",
    ),
];

/// Rule id constants.
pub mod rule {
    pub const INVALID_YAML: &str = "invalid-yaml";
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    pub const NOT_AN_OBJECT: &str = "not-an-object";
    pub const MISSING_API_VERSION: &str = "missing-api-version";
    pub const MISSING_KIND: &str = "missing-kind";
    pub const DOCUMENT_TOO_LARGE: &str = "document-too-large";
    pub const MISSING_SCHEMA: &str = "missing-schema";
    pub const INVALID_SCHEMA: &str = "invalid-schema";
    pub const UNKNOWN_FIELD: &str = "unknown-field";
    pub const REQUIRED_FIELD: &str = "required-field";
    pub const WRONG_TYPE: &str = "wrong-type";
    pub const INVALID_ENUM: &str = "invalid-enum";
    pub const INVALID_VALUE: &str = "invalid-value";
}

/// What happened to one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Checked against a schema (it may still have findings).
    Validated,
    /// No schema for its kind.
    Skipped,
    /// Not checked against a schema: invalid YAML, not an object, no apiVersion/kind, too large,
    /// or its schema could not be used.
    Unchecked,
}

/// One non-empty document of the input, with or without findings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    pub file: String,
    pub document: usize,
    /// 1-based line where the document's content starts.
    pub line: usize,
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub outcome: Outcome,
}

/// The outcome of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Sorted by file order, document, line, path.
    pub findings: Vec<Finding>,
    /// Non-empty documents seen.
    pub documents: usize,
    /// Every non-empty document, in input order.
    pub document_list: Vec<DocumentSummary>,
    /// Documents checked against a schema.
    pub validated: usize,
    /// Documents with no schema for their kind (not counted as findings unless
    /// `fail_on_missing_schema`).
    pub skipped: usize,
    /// The Kubernetes version whose schemas were used, like `1.37`.
    pub kube_version: String,
    /// Whether unknown fields were errors.
    pub strict: bool,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}
