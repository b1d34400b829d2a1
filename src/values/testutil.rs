//! Test helpers: build charts by hand or from the fixture charts under
//! `tests/fixtures/charts/values/` (a minimal reader of `Chart.yaml`, `values.yaml`,
//! `values.schema.json` and `charts/*/`, standing in until the chart loader lands), and look
//! values up by dotted path.

use crate::chart::{Chart, Metadata};
use crate::yaml::{self, NumberModel};
use crate::{Map, Value};
use std::path::{Path, PathBuf};

/// A chart with the given name, `values.yaml` text and subcharts.
pub(crate) fn chart(name: &str, values_yaml: &str, deps: Vec<Chart>) -> Chart {
    Chart {
        metadata: Metadata {
            api_version: "v2".into(),
            name: name.into(),
            version: "0.1.0".into(),
            ..Default::default()
        },
        values: map(values_yaml),
        dependencies: deps,
        ..Default::default()
    }
}

/// Parses YAML text into a map (empty text gives an empty map).
pub(crate) fn map(yaml_text: &str) -> Map {
    match yaml::parse_value(yaml_text, NumberModel::Exact).expect("test YAML") {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        other => panic!("test YAML is not a map: {other}"),
    }
}

pub(crate) fn fixture_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/charts/values")
        .join(rel)
}

/// Loads a fixture chart directory (values with Helm's number model, like a Go-template chart).
pub(crate) fn load_fixture(rel: &str) -> Chart {
    load_dir(&fixture_path(rel))
}

fn load_dir(dir: &Path) -> Chart {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let chart_yaml =
        read("Chart.yaml").unwrap_or_else(|| panic!("{}: no Chart.yaml", dir.display()));
    let raw = yaml::parse_value(&chart_yaml, NumberModel::Exact).expect("Chart.yaml");
    let metadata: Metadata = serde_json::from_value(raw.clone()).expect("Chart.yaml fields");
    let values = match read("values.yaml") {
        Some(text) => match yaml::parse_value(&text, NumberModel::Helm).expect("values.yaml") {
            Value::Object(m) => m,
            _ => Map::new(),
        },
        None => Map::new(),
    };
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir.join("charts"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    subdirs.sort();
    Chart {
        raw_metadata: raw.as_object().cloned().unwrap_or_default(),
        metadata,
        values,
        schema: std::fs::read(dir.join("values.schema.json")).ok(),
        dependencies: subdirs.iter().map(|d| load_dir(d)).collect(),
        ..Default::default()
    }
}

/// The value at a dotted path (`a.b.c`), like Go's `{{ .a.b.c }}`; `None` when missing.
pub(crate) fn lookup<'a>(m: &'a Map, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = m.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

/// What Go's template prints for a path: `None` for missing or null (`<no value>`).
pub(crate) fn shown<'a>(m: &'a Map, path: &str) -> Option<&'a Value> {
    lookup(m, path).filter(|v| !v.is_null())
}

/// Runs the real `helm template` on a copy of `chart_dir` whose root template prints
/// `toJson .Values`, with extra flags. `None` when `helm` is not installed (the caller prints
/// that the differential check was skipped); `Err` holds Helm's error text.
pub(crate) fn helm_values(chart_dir: &Path, args: &[&str]) -> Option<Result<Value, String>> {
    let helm = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("helm"))
            .find(|p| p.is_file())
    })?;
    let tmp = tempfile::tempdir().ok()?;
    let root = tmp.path().join("chart");
    copy_dir(chart_dir, &root);
    std::fs::create_dir_all(root.join("templates")).ok()?;
    std::fs::write(
        root.join("templates/values.yaml"),
        "v: {{ toJson .Values }}\n",
    )
    .ok()?;
    let out = std::process::Command::new(helm)
        .arg("template")
        .arg(&root)
        .args(args)
        .env("HELM_CONFIG_HOME", tmp.path().join("config"))
        .env("HELM_CACHE_HOME", tmp.path().join("cache"))
        .env("HELM_DATA_HOME", tmp.path().join("data"))
        .output()
        .ok()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let error = match stderr.find("Error: ") {
            Some(at) => &stderr[at + "Error: ".len()..],
            None => &stderr,
        };
        return Some(Err(error.trim_end().to_string()));
    }
    let json = stdout.lines().find_map(|l| l.strip_prefix("v: "))?;
    Some(Ok(serde_json::from_str(json).expect("helm printed JSON")))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Compares values the way Helm's output shows them: numbers by value (Helm's toJson prints
/// float64 `3456` and int64 `3456` alike), maps ignoring key order.
pub(crate) fn same_shown(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_shown(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_shown(v, w)))
        }
        _ => a == b,
    }
}

/// A minimal chart directory (Chart.yaml only) for differential checks of user values.
pub(crate) fn empty_chart_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: diff\nversion: 0.1.0\n",
    )
    .unwrap();
    dir
}
