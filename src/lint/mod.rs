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
mod run;
pub mod suggest;
pub mod suppress;
pub mod templates;
pub mod unused;

pub use finding::{ChartLint, Finding, LintReport, Severity, Suppressed};

use crate::Value;
use crate::chart::{Chart, Engine};
use crate::engine::{Capabilities, Release};
use crate::render::{self, RenderOptions};
use crate::values::{self, ValueSources, ValuesError};
use crate::yaml::NumberModel;
use index::Index;
use object::Object;
use run::Run;
use std::path::{Path, PathBuf};
use suppress::Config;
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
        // An archive's Chart.yaml is checked as the loader read it: no line numbers.
        let text = crate::yaml::to_string(&Value::Object(chart.raw_metadata.clone()));
        run.head
            .extend(chartfile::check(&text).0.into_iter().map(|f| f.at_line(0)));
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
    run.tail.extend(chart_rules::dependencies(&chart, display));
    let missing_deps = !chart_rules::missing_dependencies(&chart).is_empty();
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
            let finding = if matches!(e, ValuesError::Schema { .. }) {
                Finding::file(
                    Severity::Error,
                    "values-schema",
                    "values.yaml",
                    e.to_string(),
                )
                .with_fix("set the values the message names (the schema is values.schema.json)")
            } else {
                Finding::file(Severity::Error, "values-yaml", "values.yaml", e.to_string())
            };
            run.head.push(finding);
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
            exiting: false,
            skip_crds: false,
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
