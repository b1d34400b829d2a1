//! Turns a loaded chart plus user values into documents, following Helm's install/template flow:
//! dependencies (aliases, conditions, tags, import-values), the root `kubeVersion` check,
//! coalescing and schema checks, rendering every enabled chart with its own engine, then NOTES,
//! splitting, hook classification and install order. Must not print or touch the filesystem.

mod collect;
mod gotpl;
mod tree;

use crate::Map;
use crate::chart::{Chart, Engine};
use crate::engine::jinja::{self, ChartRenderInput, JinjaOptions};
use crate::engine::{Capabilities, Release};
use crate::manifest::output::CrdFile;
use crate::manifest::{Document, DocumentError};
use crate::values::{self, ValuesError};
use std::collections::BTreeMap;

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub release: Release,
    pub capabilities: Capabilities,
    /// Undefined values are errors even in conditions (Jinja); `missingkey=error` (Go).
    pub strict: bool,
    /// Errors may show rendered text and value contents.
    pub debug: bool,
    /// Lint mode: `required`/`fail` record instead of stopping.
    pub lint: bool,
    pub skip_schema_validation: bool,
    /// The process exits right after the render (the `template` command): big intermediate
    /// structures are left to the OS instead of being freed piece by piece.
    pub exiting: bool,
    /// Leave `crds` empty: the caller prints and checks no CRDs (`template` without
    /// `--include-crds` or `--validate`), and big charts carry megabytes of them.
    pub skip_crds: bool,
}

/// Everything a render produces.
#[derive(Debug, Default)]
pub struct RenderOutput {
    /// Manifests in Helm's install order (heads only: each `value` is `Null`, see
    /// [`Document::parse_head`]).
    pub manifests: Vec<Document>,
    /// Hooks, sorted by kind (as `helm template` prints them).
    pub hooks: Vec<Document>,
    /// CRD files of the root and every enabled subchart, in dependency order.
    pub crds: Vec<CrdFile>,
    /// The root chart's `templates/NOTES.txt`, rendered.
    pub notes: Option<String>,
    /// Non-fatal messages (deprecated chart, dropped unknown hooks, value type mismatches).
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(
        "library charts are not installable: {0} has `type: library` (render a chart that depends on it)"
    )]
    Library(String),
    #[error(
        "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {version} (pass --kube-version to render for another version)"
    )]
    KubeVersion { constraint: String, version: String },
    #[error("chart {chart} has an invalid kubeVersion constraint {constraint:?}: {message}")]
    BadKubeVersion {
        chart: String,
        constraint: String,
        message: String,
    },
    #[error("{0}")]
    Values(#[from] ValuesError),
    #[error("{0}")]
    Template(String),
    #[error("{0}")]
    Document(#[from] DocumentError),
}

/// Renders `chart` with `user` values (already merged from the value flags).
pub fn render(chart: Chart, user: &Map, opts: &RenderOptions) -> Result<RenderOutput, RenderError> {
    let RenderedFiles {
        mut files,
        crds,
        mut warnings,
        chart,
        ..
    } = render_files(chart, user, opts)?;
    let notes_name = format!("{}/templates/NOTES.txt", chart.full_path);
    let notes = files.get(&notes_name).cloned();
    files.retain(|name, _| !name.ends_with("NOTES.txt"));
    let sorted = collect::documents(&files)?;
    warnings.extend(sorted.warnings);
    Ok(RenderOutput {
        manifests: sorted.manifests,
        hooks: sorted.hooks,
        crds,
        notes,
        warnings,
    })
}

/// The rendered template files before they are split into documents (`chartroom lint` checks
/// them file by file, as Helm's lint does).
#[derive(Debug, Default)]
pub struct RenderedFiles {
    /// Full template name (`mychart/templates/x.yaml`) → output; `NOTES.txt` included,
    /// partials (`_*`) included as rendered (usually empty).
    pub files: BTreeMap<String, String>,
    /// The `required`/`fail` calls lint mode recorded instead of failing (Jinja charts).
    pub lint_findings: Vec<jinja::Finding>,
    pub crds: Vec<CrdFile>,
    pub warnings: Vec<String>,
    /// The chart tree as rendered: dependencies processed (disabled subcharts removed, aliases
    /// applied) and `full_path` set on every chart.
    pub chart: Chart,
}

/// Renders every template of `chart` and its enabled subcharts, without splitting the output.
pub fn render_files(
    mut chart: Chart,
    user: &Map,
    opts: &RenderOptions,
) -> Result<RenderedFiles, RenderError> {
    if chart.is_library() {
        return Err(RenderError::Library(chart.name().to_string()));
    }
    let mut warnings = Vec::new();
    if chart.metadata.deprecated {
        warnings.push(format!("chart {} is deprecated", chart.name()));
    }
    warnings.extend(values::process_dependencies(&mut chart, user)?);
    check_kube_version(&chart, &opts.capabilities)?;
    let (coalesced, coalesce_warnings) = values::coalesce(&chart, user)?;
    warnings.extend(coalesce_warnings);
    tree::assign_full_paths(&mut chart, None);

    // Schemas are checked before anything renders: a schema violation is reported even when
    // rendering would fail too, as in Helm. (With the meta-schemas compiled in, a check costs
    // ~0.2 ms: less than starting a thread to run it beside the render.)
    if !opts.skip_schema_validation && has_schema(&chart) {
        values::validate_schemas(&chart, &coalesced)?;
    }
    // The coalesced values go to the engines (no copy kept: nothing reads them afterwards).
    let (files, lint_findings) = render_charts(&chart, coalesced, opts)?;
    Ok(RenderedFiles {
        files,
        lint_findings,
        crds: if opts.skip_crds {
            Vec::new()
        } else {
            tree::crds(&chart)
        },
        warnings,
        chart,
    })
}

/// Whether any chart of the tree has a `values.schema.json`.
fn has_schema(chart: &Chart) -> bool {
    chart.schema.is_some() || chart.dependencies.iter().any(has_schema)
}

/// Renders every enabled chart with its engine: full template name → output, plus the
/// `required`/`fail` findings lint mode recorded.
fn render_charts(
    chart: &Chart,
    coalesced: Map,
    opts: &RenderOptions,
) -> Result<(BTreeMap<String, String>, Vec<jinja::Finding>), RenderError> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut lint_findings = Vec::new();
    let jinja_options = JinjaOptions {
        strict: opts.strict,
        debug: opts.debug,
        lint: opts.lint,
    };
    let mut go_charts = Vec::new();
    for (c, scoped) in tree::walk(chart, coalesced) {
        match c.engine {
            Engine::Jinja => {
                if c.is_library() {
                    continue;
                }
                let report = jinja::render_chart_report(&ChartRenderInput {
                    chart: c,
                    values: &scoped,
                    release: &opts.release,
                    capabilities: &opts.capabilities,
                    options: &jinja_options,
                })
                .map_err(|e| RenderError::Template(e.to_string()))?;
                for r in report.rendered {
                    files.insert(r.name, r.content);
                }
                lint_findings.extend(report.findings);
            }
            Engine::GoTemplate => go_charts.push((c, scoped)),
        }
    }
    if !go_charts.is_empty() {
        files.extend(gotpl::render_go_charts(go_charts, &chart.full_path, opts)?);
    }
    Ok((files, lint_findings))
}

fn check_kube_version(chart: &Chart, caps: &Capabilities) -> Result<(), RenderError> {
    let constraint = chart.metadata.kube_version.trim();
    if constraint.is_empty() {
        return Ok(());
    }
    use crate::engine::gotmpl::semver::{Constraints, parse_version};
    let bad = |message: String| RenderError::BadKubeVersion {
        chart: chart.name().to_string(),
        constraint: constraint.to_string(),
        message,
    };
    let parsed = Constraints::parse(constraint).map_err(|e| bad(e.to_string()))?;
    let version = parse_version(&caps.kube_version_normalized).map_err(|e| bad(e.to_string()))?;
    if parsed.check(&version) {
        Ok(())
    } else {
        Err(RenderError::KubeVersion {
            constraint: constraint.to_string(),
            version: caps.kube_version.clone(),
        })
    }
}
