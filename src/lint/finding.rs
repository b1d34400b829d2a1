//! The results of `chartroom lint`: [`Finding`]s with their [`Severity`], the per-chart
//! [`ChartLint`] and the whole [`LintReport`]. Plain data; formatting lives in `report.rs`.

use serde::Serialize;

/// How serious a finding is. Errors fail the chart; warnings fail it with `--strict`; infos
/// never do (Helm's three levels).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
    Info,
}

impl Severity {
    /// `ERROR`, `WARNING`, `INFO`, as Helm prints them.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Info => "INFO",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem. `file` is relative to the linted chart (`Chart.yaml`, `templates/x.yaml`,
/// `charts/sub/templates/y.yaml`); object fields are empty for file-level findings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable kebab-case rule id (see [`crate::lint::rules::RULES`] and the schema rules of
    /// [`crate::validate::RULES`]).
    pub rule: String,
    pub file: String,
    /// 1-based line in the rendered output of `file` (templates) or in the file itself (other
    /// files); 0 when unknown.
    pub line: usize,
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// Field path inside the object, like `spec.template.spec.containers[0].resources`.
    pub path: String,
    pub message: String,
    /// What to do, naming the values key to set where one was found; empty when the message
    /// says it already.
    pub fix: String,
}

impl Finding {
    /// A file-level finding.
    pub fn file(
        severity: Severity,
        rule: &str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity,
            rule: rule.to_string(),
            file: file.into(),
            message: message.into(),
            ..Finding::default()
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = line;
        self
    }

    /// `Kind/name`, `Kind`, or "" for file-level findings.
    pub fn subject(&self) -> String {
        match (self.kind.as_str(), self.name.as_str()) {
            ("", _) => String::new(),
            (kind, "") => kind.to_string(),
            (kind, name) => format!("{kind}/{name}"),
        }
    }
}

/// A finding some configuration switched off, kept so reports can say what was accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    /// `--disable`, `.chartroom-lint.yaml`, `annotation: <reason>`, or `off by default`.
    pub by: String,
}

/// The lint result of one chart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChartLint {
    /// The path as given on the command line.
    pub path: String,
    /// In report order: Chart.yaml, values, templates (by file, line), dependencies, CRDs,
    /// then release-wide and unused-value findings.
    pub findings: Vec<Finding>,
    /// Findings switched off by `--disable`, the chart's config or an object's annotation.
    pub suppressed: Vec<Suppressed>,
    /// Rendered objects checked (manifests and hooks).
    pub objects: usize,
}

impl ChartLint {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// An error, or with `strict` a warning.
    pub fn failed(&self, strict: bool) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Error || (strict && f.severity == Severity::Warning))
    }
}

/// The outcome of a lint run over one or more charts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LintReport {
    pub charts: Vec<ChartLint>,
    /// Whether warnings fail (`--strict`).
    pub strict: bool,
    /// The Kubernetes version used for deprecations and schemas, like `1.37`.
    #[serde(rename = "kubeVersion")]
    pub kube_version: String,
}

impl LintReport {
    pub fn failed_charts(&self) -> usize {
        self.charts.iter().filter(|c| c.failed(self.strict)).count()
    }

    pub fn failed(&self) -> bool {
        self.failed_charts() > 0
    }
}
