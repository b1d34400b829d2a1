//! `chartroom lint`: Helm's lint rules, offline schema validation of every rendered object,
//! production-readiness rules with fixes that name the values key, and unused-value detection,
//! for Jinja and Go-template charts. Owns the order of the checks and the suppression of
//! findings (`--disable`/`--enable`, `.chartroom-lint.yaml`, `chartroom.dev/lint-ignore`); must
//! not print (the CLI formats [`LintReport`] with `report.rs`) and never panics on a chart.
//!
//! The flow of [`lint_chart`], in Helm's order: `Chart.yaml` (`chartfile.rs`), loading, the
//! chart's lint config, `values.yaml` and the schema (defaults plus `-f`/`--set`), rendering
//! (release `test-release`, as Helm; a template that fails is reported and rendering is
//! retried in lint mode, where `required`/`fail` record instead of stopping, so the other
//! checks still run), per file and per object Helm rules (`templates.rs`), Kubernetes schemas
//! (`crate::validate`), production rules (`production/`), dependencies and CRDs
//! (`chart_rules.rs`), unused values (`unused.rs`); then suppressions, in that order.

pub mod chart_rules;
pub mod chartfile;
pub mod deprecations;
pub mod finding;
pub mod hints;
pub mod index;
pub mod locate;
pub mod names;
pub mod object;
pub mod production;
pub mod refs;
pub mod report;
pub mod rules;
pub mod suggest;
pub mod suppress;
pub mod templates;
pub mod unused;

pub use finding::{ChartLint, Finding, LintReport, Severity, Suppressed};

use crate::Value;
use crate::chart::{Chart, Engine, LoadError};
use crate::engine::{Capabilities, Release};
use crate::render::{self, RenderError, RenderOptions};
use crate::values::{self, ValueSources, ValuesError};
use crate::yaml::NumberModel;
use index::Index;
use object::Object;
use std::path::{Path, PathBuf};
use templates::{Pending, on_object, relative};

/// The release name lint renders with (Helm's).
pub const RELEASE_NAME: &str = "test-release";

/// How to lint.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// The value flags (`-f`, `--set`...).
    pub values: ValueSources,
    /// Standard input, for `-f -` (read by the caller only when asked for).
    pub stdin: Vec<u8>,
    /// Target Kubernetes version (`1.30`, `v1.30.2`); default: the newest chartroom knows.
    pub kube_version: Option<String>,
    /// Namespace of the release (default `default`).
    pub namespace: String,
    /// Warnings fail too.
    pub strict: bool,
    /// Rule ids switched off for this run.
    pub disable: Vec<String>,
    /// Opt-in rule ids switched on for this run.
    pub enable: Vec<String>,
    /// Skip `values.schema.json`.
    pub skip_schema_validation: bool,
    /// Also lint every chart under `charts/` on its own.
    pub with_subcharts: bool,
    /// Errors may show rendered text and values.
    pub debug: bool,
}

/// What stops a lint run before any chart is linted (bad flags, unreadable values).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("{0}")]
    Usage(String),
    #[error("{path}: no such file or directory; give a chart directory or a chart archive (.tgz)")]
    NotFound { path: String },
    #[error("{0}")]
    Values(#[from] ValuesError),
}

impl LintError {
    /// Bad flags or arguments (exit 2), as opposed to failures (exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(self, LintError::Usage(_))
    }
}

/// The user-supplied keys no template of `chart` reads (see `unused.rs`), for
/// `template --strict`. `chart` is as loaded; dependencies are processed on a copy.
pub fn unused_values(chart: &Chart, user: &crate::Map) -> Vec<unused::Unused> {
    let mut tree = chart.clone();
    if values::process_dependencies(&mut tree, user).is_err() {
        return Vec::new();
    }
    // `process_dependencies` set every chart's full path.
    let root = tree.full_path.clone();
    unused::unused(&Index::build(&tree, user), &root, user)
}

/// The message of an unused key: what is wrong and the suggestion.
pub fn unused_message(u: &unused::Unused) -> (String, String) {
    let message = format!(
        "value {} is set but no template of chart {} reads it",
        u.key,
        u.chart.rsplit("/charts/").next().unwrap_or(&u.chart)
    );
    let fix = match &u.suggestion {
        Some(s) => format!("did you mean {s}?"),
        None => "remove it, or check the chart's values.yaml for the right key".into(),
    };
    (message, fix)
}

/// Lints every chart of `paths` (and, with `with_subcharts`, the charts under their `charts/`).
pub fn lint(paths: &[String], opts: &LintOptions) -> Result<LintReport, LintError> {
    let capabilities = capabilities(opts)?;
    for id in opts.disable.iter().chain(&opts.enable) {
        if !rules::is_known(id) {
            return Err(LintError::Usage(suppress::unknown_id(id)));
        }
    }
    let mut report = LintReport {
        strict: opts.strict,
        kube_version: format!("{}.{}", capabilities.kube_major, capabilities.kube_minor),
        ..LintReport::default()
    };
    for p in paths {
        let path = Path::new(p);
        if !path.exists() {
            return Err(LintError::NotFound { path: p.clone() });
        }
        let mut targets = vec![(path.to_path_buf(), p.clone())];
        if opts.with_subcharts {
            subcharts(path, &mut targets);
        }
        for (path, display) in targets {
            report.charts.push(lint_chart(&path, &display, opts)?);
        }
    }
    Ok(report)
}

/// Every directory with a `Chart.yaml` and every `.tgz` under `charts/` below `dir`
/// (recursively, sorted), as Helm's `--with-subcharts`.
fn subcharts(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let charts = dir.join("charts");
    let Ok(entries) = std::fs::read_dir(&charts) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let is_tgz = p.extension().is_some_and(|e| e == "tgz");
        if p.join("Chart.yaml").is_file() {
            out.push((p.clone(), p.display().to_string()));
            if out.len() < 1000 {
                subcharts(&p, out);
            }
        } else if is_tgz && p.is_file() {
            out.push((p.clone(), p.display().to_string()));
        }
    }
}

fn capabilities(opts: &LintOptions) -> Result<Capabilities, LintError> {
    let caps = Capabilities::default();
    match &opts.kube_version {
        Some(v) => caps.with_kube_version(v).map_err(LintError::Usage),
        None => Ok(caps),
    }
}

/// Lints one chart (a directory or a `.tgz`); `display` is the path shown in findings.
pub fn lint_chart(path: &Path, display: &str, opts: &LintOptions) -> Result<ChartLint, LintError> {
    let capabilities = capabilities(opts)?;
    let minor: u32 = capabilities.kube_minor.parse().unwrap_or(0);
    let mut run = Run::default();
    let is_dir = path.is_dir();

    // Chart.yaml.
    if is_dir {
        let file = path.join("Chart.yaml");
        if file.is_dir() {
            run.error(
                "chart-yaml",
                "Chart.yaml",
                "should be a file, not a directory",
            );
        } else {
            match std::fs::read(&file) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    run.head.extend(chartfile::check(&text).0);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => run.error(
                    "chart-yaml",
                    "Chart.yaml",
                    "Chart.yaml file is missing: this is not a chart directory",
                ),
                Err(e) => run.error("chart-yaml", "Chart.yaml", &format!("cannot read: {e}")),
            }
        }
    }

    // Load.
    let chart = match crate::chart::load(path) {
        Ok(c) => c,
        Err(e) => {
            run.load_error(&e);
            return Ok(run.finish(display, Vec::new(), &opts.disable, &Config::default()));
        }
    };
    if !is_dir {
        let text = crate::yaml::to_string(&Value::Object(chart.raw_metadata.clone()));
        run.head.extend(chartfile::check(&text).0);
    }

    // The chart's lint config.
    let config = run.config(&chart, path, is_dir);

    // values.yaml and templates/ presence (directories).
    if is_dir && !path.join("values.yaml").exists() {
        run.head.push(Finding::file(
            Severity::Info,
            "values-yaml",
            "values.yaml",
            "file does not exist",
        ));
    }
    if is_dir {
        let t = path.join("templates");
        if !t.exists() {
            run.head.push(Finding::file(
                Severity::Warning,
                "templates-dir",
                "templates/",
                "directory does not exist",
            ));
        } else if !t.is_dir() {
            run.error("templates-dir", "templates/", "not a directory");
        }
    }
    run.pending.extend(
        templates::extensions(&chart)
            .into_iter()
            .map(|finding| Pending {
                finding,
                object: None,
            }),
    );

    // User values, in the chart engine's number model.
    let model = match chart.engine {
        Engine::Jinja => NumberModel::Exact,
        Engine::GoTemplate => NumberModel::Helm,
    };
    let user = values::merge_user_values(&opts.values, model, &mut opts.stdin.as_slice())?;
    let has_user_values = !user.is_empty();

    // Dependencies and CRDs.
    let dep_findings = chart_rules::dependencies(&chart, display);
    let missing_deps = dep_findings.iter().any(|f| f.severity == Severity::Warning);
    run.tail.extend(dep_findings);
    run.tail.extend(chart_rules::crds(&chart));

    // Values against the schemas.
    let mut schema_ok = true;
    if !missing_deps {
        let mut tree = chart.clone();
        let checked = values::process_dependencies(&mut tree, &user)
            .and_then(|_| values::coalesce(&tree, &user))
            .and_then(|(coalesced, _)| {
                if opts.skip_schema_validation {
                    Ok(())
                } else {
                    values::validate_schemas(&tree, &coalesced)
                }
            });
        if let Err(e) = checked {
            schema_ok = false;
            let rule = if matches!(e, ValuesError::Schema { .. }) {
                "values-schema"
            } else {
                "values-yaml"
            };
            run.head.push(
                Finding::file(Severity::Error, rule, "values.yaml", e.to_string()).with_fix(
                    "set the values the message names (the schema is values.schema.json)",
                ),
            );
        }
    }

    // Render.
    let mut objects: Vec<Object> = Vec::new();
    if chart.is_library() || missing_deps {
        // Library charts render nothing; missing dependencies stop Helm's render too.
    } else {
        let options = RenderOptions {
            release: Release {
                name: RELEASE_NAME.into(),
                namespace: if opts.namespace.is_empty() {
                    "default".into()
                } else {
                    opts.namespace.clone()
                },
                ..Release::default()
            },
            capabilities: capabilities.clone(),
            strict: false,
            debug: opts.debug,
            lint: false,
            skip_schema_validation: true,
        };
        let rendered = match render::render_files(chart.clone(), &user, &options) {
            Ok(r) => Some(r),
            Err(first) => {
                let lint_mode = RenderOptions {
                    lint: true,
                    ..options
                };
                let retry = render::render_files(chart.clone(), &user, &lint_mode);
                run.render_error(&first, retry.is_ok(), has_user_values, schema_ok);
                retry.ok()
            }
        };
        if let Some(r) = rendered {
            for f in &r.lint_findings {
                let file = relative(&r.chart.full_path, &f.template);
                let message = format!(
                    "{}: {}",
                    "required value missing or fail() called", f.message
                );
                if !run
                    .head
                    .iter()
                    .chain(run.pending.iter().map(|p| &p.finding))
                    .any(|x| x.message.contains(&f.message))
                {
                    run.pending.push(Pending {
                        finding: Finding::file(
                            if has_user_values {
                                Severity::Error
                            } else {
                                Severity::Warning
                            },
                            "template-required",
                            file,
                            message,
                        )
                        .with_fix("pass the value with --set or -f"),
                        object: None,
                    });
                }
            }
            let root = r.chart.full_path.clone();
            let (objs, file_findings) = templates::documents(&r.files, &root);
            objects = objs;
            run.pending
                .extend(file_findings.into_iter().map(|finding| Pending {
                    finding,
                    object: None,
                }));
            run.pending.extend(templates::object_rules(&objects, minor));
            run.schema(&objects, &r.crds, &root, &capabilities);
            let idx = Index::build(&r.chart, &user);
            for issue in production::check(&objects) {
                let mut p = on_object(
                    &objects,
                    issue.object,
                    issue.rule,
                    &issue.path,
                    issue.message,
                );
                let generic = rules::find(issue.rule).map_or("", |r| r.fix);
                p.finding.fix = match &issue.hint {
                    Some(h) => {
                        let key = hints::values_key(&idx, &objects[issue.object], h);
                        let text = hints::fix_text(key.as_deref(), h, generic);
                        if key.is_none() && h.level != production::Level::Object {
                            format!(
                                "{text} No value of the chart sets it: change {}.",
                                objects[issue.object].file
                            )
                        } else {
                            text
                        }
                    }
                    None => generic.to_string(),
                };
                run.pending.push(p);
            }
            for u in unused::unused(&idx, &root, &user) {
                let (message, fix) = unused_message(&u);
                run.tail.push(
                    Finding::file(Severity::Warning, "unused-value", "values", message)
                        .with_fix(fix),
                );
            }
        }
    }
    let mut disable = opts.disable.clone();
    disable.extend(config.disable.iter().cloned());
    let mut config = config;
    config.enable.extend(opts.enable.iter().cloned());
    Ok(run.finish(display, objects, &disable, &config))
}

use suppress::Config;

/// Findings of one chart while they are being gathered.
#[derive(Default)]
struct Run {
    /// Chart.yaml, config, values (Helm's order).
    head: Vec<Finding>,
    /// Template and object findings (sorted by file and line at the end).
    pending: Vec<Pending>,
    /// Dependencies, CRDs, unused values.
    tail: Vec<Finding>,
    /// Where the config's own problems go (head, after Chart.yaml).
    config_notes: Vec<Finding>,
}

impl Run {
    fn error(&mut self, rule: &str, file: &str, message: &str) {
        self.head
            .push(Finding::file(Severity::Error, rule, file, message));
    }

    fn load_error(&mut self, e: &LoadError) {
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
    fn config(&mut self, chart: &Chart, path: &Path, is_dir: bool) -> Config {
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
    fn render_error(
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
    fn schema(
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
    fn finish(
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
