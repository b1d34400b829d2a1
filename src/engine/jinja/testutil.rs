//! Test helpers: build charts in memory or read a chart directory (a minimal reader for test
//! fixtures only; the real loader lives in `crate::chart`).

use crate::chart::{Chart, Engine, File, Metadata};
use crate::engine::context::{Capabilities, Release};
use crate::engine::jinja::{
    ChartRenderInput, ChartReport, JinjaOptions, Limits, TemplateError, render_chart_with_limits,
};
use std::path::Path;

/// A Jinja chart named `name` with the given files (`templates/...`, `files/...`).
pub fn chart(name: &str, files: &[(&str, &str)]) -> Chart {
    let mut c = Chart {
        metadata: Metadata {
            api_version: "v2".into(),
            name: name.into(),
            version: "0.1.0".into(),
            app_version: "1.0.0".into(),
            engine: "jinja".into(),
            ..Default::default()
        },
        raw_metadata: serde_json::from_value(serde_json::json!({
            "apiVersion": "v2", "name": name, "version": "0.1.0", "appVersion": "1.0.0", "engine": "jinja"
        }))
        .unwrap(),
        engine: Engine::Jinja,
        full_path: name.into(),
        ..Default::default()
    };
    for (n, d) in files {
        let f = File {
            name: n.to_string(),
            data: d.as_bytes().to_vec(),
        };
        if n.starts_with("templates/") {
            c.templates.push(f);
        } else {
            c.files.push(f);
        }
    }
    c.templates.sort_by(|a, b| a.name.cmp(&b.name));
    c.files.sort_by(|a, b| a.name.cmp(&b.name));
    c
}

/// Reads a chart directory: Chart.yaml, values.yaml, templates/, charts/<dir>/, other files.
pub fn load_dir(dir: &Path) -> Chart {
    load_dir_at(dir, None)
}

fn load_dir_at(dir: &Path, parent: Option<&str>) -> Chart {
    let meta_text = std::fs::read_to_string(dir.join("Chart.yaml")).unwrap();
    let raw = crate::yaml::parse_value(&meta_text, crate::yaml::NumberModel::Exact).unwrap();
    let mut c = Chart::default();
    c.metadata = serde_json::from_value(raw.clone()).unwrap();
    c.raw_metadata = raw.as_object().cloned().unwrap_or_default();
    c.engine = if c.metadata.engine == "jinja" {
        Engine::Jinja
    } else {
        Engine::GoTemplate
    };
    if let Ok(v) = std::fs::read_to_string(dir.join("values.yaml")) {
        c.raw_values = v.clone().into_bytes();
        if let Ok(crate::Value::Object(m)) =
            crate::yaml::parse_value(&v, crate::yaml::NumberModel::Exact)
        {
            c.values = m;
        }
    }
    c.full_path = match parent {
        Some(p) => format!("{p}/charts/{}", c.metadata.name),
        None => c.metadata.name.clone(),
    };
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if p.is_dir() {
                if rel == "charts" {
                    let mut subs: Vec<_> = std::fs::read_dir(&p)
                        .unwrap()
                        .map(|e| e.unwrap().path())
                        .collect();
                    subs.sort();
                    for s in subs.into_iter().filter(|s| s.is_dir()) {
                        let full = c.full_path.clone();
                        c.dependencies.push(load_dir_at(&s, Some(&full)));
                    }
                } else {
                    stack.push(p);
                }
                continue;
            }
            if rel == "Chart.yaml" || rel == "values.yaml" || rel == "values.schema.json" {
                if rel == "values.schema.json" {
                    c.schema = Some(std::fs::read(&p).unwrap());
                }
                continue;
            }
            let f = File {
                name: rel.clone(),
                data: std::fs::read(&p).unwrap(),
            };
            if rel.starts_with("templates/") {
                c.templates.push(f);
            } else {
                c.files.push(f);
            }
        }
    }
    c.templates.sort_by(|a, b| a.name.cmp(&b.name));
    c.files.sort_by(|a, b| a.name.cmp(&b.name));
    c
}

/// Deep-merges `over` into `base` (maps merge, anything else replaces) — for test overrides.
pub fn merged(base: &crate::Map, over: serde_json::Value) -> crate::Map {
    fn merge(into: &mut crate::Value, from: crate::Value) {
        match (into, from) {
            (crate::Value::Object(a), crate::Value::Object(b)) => {
                for (k, v) in b {
                    match a.get_mut(&k) {
                        Some(slot) => merge(slot, v),
                        None => {
                            a.insert(k, v);
                        }
                    }
                }
            }
            (slot, v) => *slot = v,
        }
    }
    let mut v = crate::Value::Object(base.clone());
    merge(&mut v, over);
    match v {
        crate::Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// Renders `chart` with `values` and `options`.
pub fn render_with(
    chart: &Chart,
    values: &crate::Map,
    options: JinjaOptions,
    limits: Limits,
) -> Result<ChartReport, TemplateError> {
    let release = Release::default();
    let caps = Capabilities {
        api_versions: vec![
            "v1".into(),
            "apps/v1".into(),
            "networking.k8s.io/v1".into(),
            "autoscaling/v2".into(),
        ],
        ..Default::default()
    };
    render_chart_with_limits(
        &ChartRenderInput {
            chart,
            values,
            release: &release,
            capabilities: &caps,
            options: &options,
        },
        limits,
    )
}

/// Renders with default options and limits.
pub fn render(chart: &Chart, values: &crate::Map) -> Result<ChartReport, TemplateError> {
    render_with(chart, values, JinjaOptions::default(), Limits::default())
}
