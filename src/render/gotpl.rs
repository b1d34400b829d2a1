//! The bridge to the Go-template engine: turns the Go-template charts of a (dependency-
//! processed) tree into the engine's plain-data input — `.Chart` under Helm's Go field names,
//! each chart's scoped values, its `.Files`, `.Subcharts` — and renders them in one shared
//! template namespace, as Helm does.

use super::{RenderError, RenderOptions};
use crate::chart::{Chart, Metadata};
use crate::engine::gotmpl::helm::{
    HelmCapabilities, HelmChart, HelmRelease, HelmRenderInput, render,
};
use crate::yaml::NumberModel;
use crate::{Map, Value};
use serde_json::json;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Renders the Go-template charts among `charts` (each with its scoped values); the result maps
/// full template names (`parent/charts/sub/templates/x.yaml`) to output.
pub fn render_go_charts(
    charts: Vec<(&Chart, Map)>,
    root_path: &str,
    opts: &RenderOptions,
) -> Result<BTreeMap<String, String>, RenderError> {
    let helm_charts = charts
        .into_iter()
        .map(|(c, values)| HelmChart {
            full_path: c.full_path.clone(),
            templates: c
                .templates
                .iter()
                .map(|t| (t.name.clone(), text_cow(&t.data)))
                .collect(),
            values: Value::Object(values),
            chart: go_chart_object(&c.metadata, c.full_path == root_path),
            files: c
                .files
                .iter()
                .map(|f| (f.name.clone(), Cow::Borrowed(f.data.as_slice())))
                .collect(),
            subcharts: c.dependencies.iter().map(|d| d.full_path.clone()).collect(),
        })
        .collect();
    let caps = &opts.capabilities;
    let input = HelmRenderInput {
        charts: helm_charts,
        release: HelmRelease {
            name: opts.release.name.clone(),
            namespace: opts.release.namespace.clone(),
            revision: opts.release.revision as i64,
            is_install: opts.release.is_install,
            is_upgrade: opts.release.is_upgrade,
            service: opts.release.service.clone(),
        },
        capabilities: HelmCapabilities {
            kube_version: caps.kube_version.clone(),
            major: caps.kube_major.clone(),
            minor: caps.kube_minor.clone(),
            api_versions: caps.api_versions.clone(),
            helm_version: caps.helm_version.clone(),
            kube_version_normalized: caps.kube_version_normalized.clone(),
            ..HelmCapabilities::default()
        },
        strict: opts.strict,
        lint: opts.lint,
        yaml_reader: Some(read_yaml),
        exiting: opts.exiting,
        on_big_stack: crate::stack::on_big_stack(),
    };
    render(&input).map_err(|e| RenderError::Template(e.to_string()))
}

/// File bytes as text: borrowed when they are UTF-8 (the usual case), invalid sequences
/// replaced otherwise. `str::from_utf8` checks first: it reads ASCII a word at a time, where the
/// lossy decoder's chunk iterator costs ~5 instructions a byte (1.7M on bitnami postgresql).
fn text_cow(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// File bytes as an owned text (see [`text_cow`]).
pub(crate) fn text_of(bytes: &[u8]) -> String {
    text_cow(bytes).into_owned()
}

/// `fromYaml` in Go charts reads YAML the way Helm does (float64 numbers).
fn read_yaml(text: &str) -> Result<Value, String> {
    crate::yaml::parse_value(text, NumberModel::Helm).map_err(|e| e.to_string())
}

/// `.Chart`: Helm's `chart.Metadata` under its Go field names, plus `IsRoot`.
fn go_chart_object(m: &Metadata, is_root: bool) -> Value {
    let deps: Vec<Value> = m
        .dependencies
        .iter()
        .map(|d| {
            json!({
                "Name": d.name, "Version": d.version, "Repository": d.repository,
                "Condition": d.condition, "Tags": d.tags, "Enabled": d.enabled.unwrap_or(false),
                "ImportValues": serde_json::to_value(&d.import_values).unwrap_or_default(),
                "Alias": d.alias,
            })
        })
        .collect();
    let maintainers: Vec<Value> = m
        .maintainers
        .iter()
        .map(|x| json!({"Name": x.name, "Email": x.email, "URL": x.url}))
        .collect();
    json!({
        "Name": m.name, "Home": m.home, "Sources": m.sources, "Version": m.version,
        "Description": m.description, "Keywords": m.keywords, "Maintainers": maintainers,
        "Icon": m.icon, "APIVersion": m.api_version, "Condition": "", "Tags": "",
        "AppVersion": m.app_version, "Deprecated": m.deprecated, "Annotations": m.annotations,
        "KubeVersion": m.kube_version, "Dependencies": deps, "Type": m.chart_type,
        "IsRoot": is_root,
    })
}
