//! The findings of one chart while they are gathered ([`Run`]): turning load and render
//! errors into findings, schema validation of the rendered objects, and at the end the
//! suppressions (`--disable`, `.chartroom-lint.yaml`, opt-in rules, `chartroom.dev/lint-ignore`)
//! and the report order. No checks of its own beyond those.

use super::finding::{ChartLint, Finding, Severity, Suppressed};
use super::locate;
use super::object::Object;
use super::rules;
use super::suppress::{self, Config};
use super::templates::{Pending, on_object, relative};
use crate::chart::{Chart, LoadError};
use crate::engine::Capabilities;
use crate::render::RenderError;
use crate::values::ValuesError;
use std::path::Path;

/// Findings of one chart while they are being gathered.
#[derive(Default)]
pub(super) struct Run {
    /// Chart.yaml, config, values (Helm's order).
    pub head: Vec<Finding>,
    /// Template and object findings (sorted by file and line at the end).
    pub pending: Vec<Pending>,
    /// Dependencies, CRDs, unused values.
    pub tail: Vec<Finding>,
    /// Where the config's own problems go (head, after Chart.yaml).
    config_notes: Vec<Finding>,
}

impl Run {
    pub(super) fn error(&mut self, rule: &str, file: &str, message: &str) {
        self.head
            .push(Finding::file(Severity::Error, rule, file, message));
    }

    pub(super) fn load_error(&mut self, e: &LoadError) {
        let text = e.to_string();
        let chart_yaml_reported = self
            .head
            .iter()
            .any(|f| f.rule == "chart-yaml" && f.severity == Severity::Error);
        match e {
            LoadError::Values { .. } => self.error(
                "values-yaml",
                "values.yaml",
                &format!("unable to parse YAML: {text}"),
            ),
            LoadError::File { file, .. } | LoadError::Invalid { file, .. }
                if file.ends_with("Chart.yaml") =>
            {
                if !chart_yaml_reported {
                    self.error("chart-yaml", "Chart.yaml", &text);
                }
            }
            LoadError::ChartYamlMissing { .. } if chart_yaml_reported => {}
            _ => self.error(
                "templates-dir",
                "templates/",
                &format!("unable to load chart\n\t{text}"),
            ),
        }
    }

    /// Reads `.chartroom-lint.yaml` (from disk for directories, from the archive otherwise).
    pub(super) fn config(&mut self, chart: &Chart, path: &Path, is_dir: bool) -> Config {
        let text = if is_dir {
            std::fs::read(path.join(suppress::CONFIG_FILE)).ok()
        } else {
            chart.file(suppress::CONFIG_FILE).map(|f| f.data.clone())
        };
        let Some(bytes) = text else {
            return Config::default();
        };
        match suppress::parse_config(&String::from_utf8_lossy(&bytes)) {
            Ok((config, problems)) => {
                for p in problems {
                    self.config_notes.push(Finding::file(
                        Severity::Warning,
                        "lint-ignore",
                        suppress::CONFIG_FILE,
                        p,
                    ));
                }
                config
            }
            Err(e) => {
                self.config_notes.push(Finding::file(
                    Severity::Error,
                    "lint-ignore",
                    suppress::CONFIG_FILE,
                    format!("cannot use the file: {e}"),
                ));
                Config::default()
            }
        }
    }

    /// A render failure: a `required`/`fail` when the lint-mode retry worked, else a template
    /// error.
    pub(super) fn render_error(
        &mut self,
        e: &RenderError,
        retry_ok: bool,
        user_values: bool,
        schema_ok: bool,
    ) {
        let text = e.to_string();
        let (file, line, message) = split_template_error(&text);
        let finding = match e {
            RenderError::Values(ValuesError::Schema { .. }) if !schema_ok => return,
            RenderError::KubeVersion { .. } | RenderError::BadKubeVersion { .. } => {
                Finding::file(Severity::Error, "chart-yaml", "Chart.yaml", text.clone())
            }
            RenderError::Values(_) => Finding::file(Severity::Error, "values-yaml", "values.yaml", text.clone()),
            _ if retry_ok => Finding::file(
                if user_values { Severity::Error } else { Severity::Warning },
                "template-required",
                file,
                message,
            )
            .with_fix(if user_values {
                "the values given still miss this one: pass it with --set or -f"
            } else {
                "the chart needs this value from its user: pass it with --set or -f when linting to check the rest"
            })
            .at_line(line),
            _ => Finding::file(Severity::Error, "template-render", file, message).at_line(line),
        };
        self.pending.push(Pending {
            finding,
            object: None,
        });
    }

    /// Schema validation of the rendered objects (and custom resources against the charts'
    /// CRDs), findings on the objects.
    pub(super) fn schema(
        &mut self,
        objects: &[Object],
        crds: &[crate::manifest::output::CrdFile],
        root: &str,
        caps: &Capabilities,
    ) {
        let mut inputs: Vec<crate::validate::Input> = crds
            .iter()
            .map(|c| crate::validate::Input::file(c.source.clone(), c.content.clone()))
            .collect();
        inputs.extend(objects.iter().map(|o| crate::validate::Input {
            file: o.doc.source.clone(),
            line: o.doc.line,
            document_index: o.doc.index,
            text: o.doc.text.clone(),
        }));
        let opts = crate::validate::Options {
            kube_version: Some(format!("{}.{}", caps.kube_major, caps.kube_minor)),
            ..crate::validate::Options::default()
        };
        let report = match crate::validate::validate(&inputs, &opts) {
            Ok(r) => r,
            Err(e) => {
                self.pending.push(Pending {
                    finding: Finding::file(
                        Severity::Info,
                        "missing-schema",
                        "templates/",
                        format!("objects not checked against Kubernetes schemas: {e}"),
                    ),
                    object: None,
                });
                return;
            }
        };
        for f in report.findings {
            let object = objects
                .iter()
                .position(|o| o.doc.source == f.file && o.doc.index == f.document);
            let severity = match f.severity {
                crate::validate::Severity::Error => Severity::Error,
                crate::validate::Severity::Warning => Severity::Warning,
            };
            self.pending.push(Pending {
                finding: Finding {
                    severity,
                    rule: f.rule,
                    file: relative(root, &f.file),
                    line: f.line,
                    api_version: f.api_version,
                    kind: f.kind,
                    name: f.name,
                    namespace: f.namespace,
                    path: f.path,
                    message: f.message,
                    fix: String::new(),
                },
                object,
            });
        }
    }

    /// Applies suppressions and orders the findings.
    pub(super) fn finish(
        mut self,
        display: &str,
        objects: Vec<Object>,
        disable: &[String],
        config: &Config,
    ) -> ChartLint {
        let mut lint = ChartLint {
            path: display.to_string(),
            objects: objects.len(),
            ..ChartLint::default()
        };
        // Annotations: parse once per object.
        let mut ignores: Vec<Option<suppress::Ignore>> = Vec::with_capacity(objects.len());
        let mut notes = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            let Some(text) = o.doc.annotation(suppress::ANNOTATION) else {
                ignores.push(None);
                continue;
            };
            match suppress::parse_annotation(text) {
                Ok(ig) => {
                    for id in ig.ids.iter().filter(|id| !rules::is_known(id)) {
                        notes.push(on_object(
                            &objects,
                            i,
                            "lint-ignore",
                            &locate::keys("metadata.annotations"),
                            format!("{}: {}", suppress::ANNOTATION, suppress::unknown_id(id)),
                        ));
                    }
                    ignores.push(Some(ig));
                }
                Err(e) => {
                    let mut note = on_object(
                        &objects,
                        i,
                        "lint-ignore",
                        &locate::keys("metadata.annotations"),
                        e,
                    );
                    note.finding.fix =
                        rules::find("lint-ignore").map_or(String::new(), |r| r.fix.to_string());
                    notes.push(note);
                    ignores.push(None);
                }
            }
        }
        self.pending.extend(notes);
        self.pending.sort_by(|a, b| {
            (&a.finding.file, a.finding.line).cmp(&(&b.finding.file, b.finding.line))
        });
        let mut all: Vec<(Finding, Option<usize>)> = Vec::new();
        let mut head = std::mem::take(&mut self.head);
        let chart_yaml_end = head
            .iter()
            .position(|f| f.file != "Chart.yaml")
            .unwrap_or(head.len());
        let rest = head.split_off(chart_yaml_end);
        all.extend(head.into_iter().map(|f| (f, None)));
        all.extend(self.config_notes.into_iter().map(|f| (f, None)));
        all.extend(rest.into_iter().map(|f| (f, None)));
        all.extend(self.pending.into_iter().map(|p| (p.finding, p.object)));
        all.extend(self.tail.into_iter().map(|f| (f, None)));
        for (finding, object) in all {
            let rule = rules::find(&finding.rule);
            let by = if disable.contains(&finding.rule) {
                if config.disable.contains(&finding.rule) {
                    Some(suppress::CONFIG_FILE.to_string())
                } else {
                    Some("--disable".to_string())
                }
            } else if rule.is_some_and(|r| !r.default_on) && !config.enable.contains(&finding.rule)
            {
                Some("off by default".to_string())
            } else if let Some(ig) = object
                .and_then(|i| ignores.get(i))
                .and_then(Option::as_ref)
                .filter(|ig| ig.ids.contains(&finding.rule))
                && finding.rule != "lint-ignore"
            {
                Some(format!("annotation: {}", ig.reason))
            } else {
                None
            };
            match by {
                Some(by) => lint.suppressed.push(Suppressed { finding, by }),
                None => lint.findings.push(finding),
            }
        }
        lint
    }
}

/// Splits a template error into the template file (relative to the root chart), the line and
/// the message after the location, when the error names a template
/// (`execution error at (c/templates/x.yaml:6:11): msg`, `c/templates/x.yaml:6: msg`). The
/// Jinja engine's source excerpt (lines after the first) is kept: it shows template source.
fn split_template_error(text: &str) -> (String, usize, String) {
    let Some(at) = text.find("/templates/") else {
        return ("templates/".to_string(), 0, text.to_string());
    };
    let start = text[..at]
        .rfind(|c: char| c.is_whitespace() || c == '"' || c == '(' || c == '\'')
        .map_or(0, |p| p + 1);
    let rest = &text[at + "/templates/".len()..];
    let end = rest
        .find(|c: char| c == ':' || c.is_whitespace() || c == '"' || c == ')' || c == '\'')
        .unwrap_or(rest.len());
    let full = &text[start..at + "/templates/".len() + end];
    let file = full.split_once('/').map_or(full, |(_, r)| r).to_string();
    // `:6` or `:6:11`, then `): ` or `: `.
    let mut after = &rest[end..];
    let mut line = 0;
    if let Some(r) = after.strip_prefix(':') {
        let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        line = r[..digits].parse().unwrap_or(0);
        after = &r[digits..];
        if let Some(r) = after.strip_prefix(':')
            && r.starts_with(|c: char| c.is_ascii_digit())
        {
            let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            after = &r[digits..];
        }
    }
    let after = after.trim_start_matches(')');
    let message = match after.strip_prefix(':') {
        Some(m) if line > 0 => m.trim_start().to_string(),
        _ => text.to_string(),
    };
    (file, line, message)
}
