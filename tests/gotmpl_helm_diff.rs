//! Differential tests: each fixture chart under `tests/fixtures/gotmpl/` is rendered by
//! `helm template` and by the Go-template engine; every rendered document must be
//! byte-identical. Skips (and says so) when `helm` is not on PATH.
//!
//! The chart loading below is a test-only mini driver (Chart.yaml, values.yaml with Helm's
//! coalescing and globals, `templates/`, `charts/`, files); it is not the product loader.
//! Set `GOTMPL_DIFF_CHARTS=/path/a:/path/b` to also compare charts outside the repository.

use chartroom::engine::gotmpl::helm::{HelmCapabilities, HelmChart, HelmRenderInput, render};
use chartroom::yaml::{NumberModel, parse_value};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The API versions `helm template` 4.3.1 reports with no cluster (a fact list).
const API_VERSIONS: &str = "v1 admissionregistration.k8s.io/v1 admissionregistration.k8s.io/v1alpha1 admissionregistration.k8s.io/v1beta1 internal.apiserver.k8s.io/v1alpha1 apps/v1 apps/v1beta1 apps/v1beta2 authentication.k8s.io/v1 authentication.k8s.io/v1alpha1 authentication.k8s.io/v1beta1 authorization.k8s.io/v1 authorization.k8s.io/v1beta1 autoscaling/v1 autoscaling/v2 batch/v1 batch/v1beta1 certificates.k8s.io/v1 certificates.k8s.io/v1beta1 certificates.k8s.io/v1alpha1 coordination.k8s.io/v1alpha2 coordination.k8s.io/v1beta1 coordination.k8s.io/v1 discovery.k8s.io/v1 discovery.k8s.io/v1beta1 events.k8s.io/v1 events.k8s.io/v1beta1 extensions/v1beta1 flowcontrol.apiserver.k8s.io/v1 flowcontrol.apiserver.k8s.io/v1beta1 flowcontrol.apiserver.k8s.io/v1beta2 flowcontrol.apiserver.k8s.io/v1beta3 lifecycle.k8s.io/v1alpha1 networking.k8s.io/v1 networking.k8s.io/v1beta1 node.k8s.io/v1 node.k8s.io/v1alpha1 node.k8s.io/v1beta1 policy/v1 policy/v1beta1 rbac.authorization.k8s.io/v1 rbac.authorization.k8s.io/v1beta1 rbac.authorization.k8s.io/v1alpha1 resource.k8s.io/v1 resource.k8s.io/v1beta2 resource.k8s.io/v1beta1 resource.k8s.io/v1alpha3 scheduling.k8s.io/v1alpha3 scheduling.k8s.io/v1beta1 scheduling.k8s.io/v1 storage.k8s.io/v1beta1 storage.k8s.io/v1 storage.k8s.io/v1alpha1 storagemigration.k8s.io/v1 storagemigration.k8s.io/v1beta1 apiextensions.k8s.io/v1beta1 apiextensions.k8s.io/v1";

fn helm_available() -> bool {
    Command::new("helm")
        .arg("version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn read_yaml(path: &Path) -> Value {
    match std::fs::read_to_string(path) {
        Ok(t) => parse_value(&t, NumberModel::Helm).unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

fn yaml_number(v: &Value) -> Value {
    v.clone()
}

/// Helm's `coalesceValues`: `dst` (user values) wins; defaults fill in; null deletes.
fn coalesce_tables(dst: &mut Map<String, Value>, src: &Map<String, Value>) {
    for (k, sv) in src {
        match dst.get_mut(k) {
            None => {
                dst.insert(k.clone(), sv.clone());
            }
            Some(Value::Null) => {}
            Some(Value::Object(d)) => {
                if let Value::Object(s) = sv {
                    coalesce_tables(d, s);
                }
            }
            Some(_) => {}
        }
    }
}

fn remove_nulls(m: &mut Map<String, Value>) {
    m.retain(|_, v| !v.is_null());
    for v in m.values_mut() {
        if let Value::Object(o) = v {
            remove_nulls(o);
        }
    }
}

struct Loaded {
    charts: Vec<HelmChart<'static>>,
}

fn go_chart_map(meta: &Value, is_root: bool) -> Value {
    let get = |k: &str| meta.get(k).cloned().unwrap_or(Value::Null);
    let s = |k: &str| Value::String(get(k).as_str().unwrap_or("").to_string());
    let list = |k: &str| match get(k) {
        Value::Array(a) => Value::Array(a),
        _ => json!([]),
    };
    let deps: Vec<Value> = match get("dependencies") {
        Value::Array(a) => a
            .iter()
            .map(|d| {
                json!({
                    "Name": d.get("name").and_then(|v| v.as_str()).unwrap_or(""),
                    "Version": d.get("version").and_then(|v| v.as_str()).unwrap_or(""),
                    "Repository": d.get("repository").and_then(|v| v.as_str()).unwrap_or(""),
                    "Condition": d.get("condition").and_then(|v| v.as_str()).unwrap_or(""),
                    "Tags": d.get("tags").cloned().unwrap_or(json!([])),
                    "Enabled": true,
                    "ImportValues": d.get("import-values").cloned().unwrap_or(json!([])),
                    "Alias": d.get("alias").and_then(|v| v.as_str()).unwrap_or(""),
                })
            })
            .collect(),
        _ => vec![],
    };
    let maint: Vec<Value> = match get("maintainers") {
        Value::Array(a) => a
            .iter()
            .map(|m| {
                json!({
                    "Name": m.get("name").and_then(|v| v.as_str()).unwrap_or(""),
                    "Email": m.get("email").and_then(|v| v.as_str()).unwrap_or(""),
                    "URL": m.get("url").and_then(|v| v.as_str()).unwrap_or(""),
                })
            })
            .collect(),
        _ => vec![],
    };
    json!({
        "Name": s("name"), "Home": s("home"), "Sources": list("sources"),
        "Version": s("version"), "Description": s("description"), "Keywords": list("keywords"),
        "Maintainers": maint, "Icon": s("icon"), "APIVersion": s("apiVersion"),
        "Condition": s("condition"), "Tags": s("tags"), "AppVersion": s("appVersion"),
        "Deprecated": get("deprecated").as_bool().unwrap_or(false),
        "Annotations": get("annotations").as_object().cloned().map(Value::Object).unwrap_or(json!({})),
        "KubeVersion": s("kubeVersion"), "Dependencies": deps, "Type": s("type"),
        "IsRoot": is_root,
    })
}

fn walk_files(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        let r = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let p = e.path();
        if p.is_dir() {
            walk_files(&p, &r, out);
        } else if let Ok(b) = std::fs::read(&p) {
            out.push((r, b));
        }
    }
}

/// Is a dependency enabled by its condition (first path that resolves to a bool)?
fn enabled(dep: &Value, parent_vals: &Map<String, Value>) -> bool {
    let Some(cond) = dep.get("condition").and_then(|c| c.as_str()) else {
        return true;
    };
    for path in cond.split(',') {
        let mut cur = Value::Object(parent_vals.clone());
        let mut ok = true;
        for seg in path.trim().split('.') {
            match cur.get(seg) {
                Some(v) => cur = v.clone(),
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && let Some(b) = cur.as_bool() {
            return b;
        }
    }
    true
}

/// Loads a chart (and its `charts/` subcharts) with `vals` as the user values for it.
fn load_chart(
    dir: &Path,
    full_path: &str,
    user_vals: Map<String, Value>,
    parent_global: Option<&Value>,
    is_root: bool,
    out: &mut Loaded,
) -> Map<String, Value> {
    let meta = read_yaml(&dir.join("Chart.yaml"));
    let defaults = match read_yaml(&dir.join("values.yaml")) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let mut vals = user_vals;
    coalesce_tables(&mut vals, &defaults);
    // Globals flow down.
    if let Some(Value::Object(pg)) = parent_global {
        let mut g = match vals.get("global") {
            Some(Value::Object(g)) => g.clone(),
            _ => Map::new(),
        };
        for (k, v) in pg {
            g.insert(k.clone(), v.clone());
        }
        vals.insert("global".into(), Value::Object(g));
    }
    let deps = meta
        .get("dependencies")
        .and_then(|d| d.as_array())
        .cloned()
        .unwrap_or_default();
    let mut subcharts = Vec::new();
    let mut sub_dirs: Vec<PathBuf> = std::fs::read_dir(dir.join("charts"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    sub_dirs.sort();
    for sd in sub_dirs {
        let sub_meta = read_yaml(&sd.join("Chart.yaml"));
        let sub_name = sub_meta
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("")
            .to_string();
        let dep = deps
            .iter()
            .find(|d| d.get("name").and_then(|n| n.as_str()) == Some(sub_name.as_str()))
            .cloned()
            .unwrap_or(json!({}));
        if !enabled(&dep, &vals) {
            continue;
        }
        let name = dep
            .get("alias")
            .and_then(|a| a.as_str())
            .map(str::to_string)
            .unwrap_or(sub_name);
        let child_user = match vals.get(&name) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let child_path = format!("{full_path}/charts/{name}");
        let global = vals.get("global").cloned();
        let child_vals = load_chart(&sd, &child_path, child_user, global.as_ref(), false, out);
        vals.insert(name, Value::Object(child_vals));
        subcharts.push(child_path);
    }
    let mut final_vals = vals.clone();
    remove_nulls(&mut final_vals);
    let mut templates = Vec::new();
    let mut tfiles = Vec::new();
    walk_files(&dir.join("templates"), "templates", &mut tfiles);
    for (n, b) in tfiles {
        templates.push((n, String::from_utf8_lossy(&b).into_owned()));
    }
    let mut files = Vec::new();
    walk_files(dir, "", &mut files);
    files.retain(|(n, _)| {
        !(n == "Chart.yaml"
            || n == "values.yaml"
            || n == "values.schema.json"
            || n == "Chart.lock"
            || n.starts_with("templates/")
            || n.starts_with("charts/"))
    });
    let mut meta_named = meta.clone();
    if let Value::Object(m) = &mut meta_named {
        m.insert(
            "name".into(),
            Value::String(full_path.rsplit('/').next().unwrap_or("").to_string()),
        );
    }
    out.charts.push(HelmChart {
        full_path: full_path.to_string(),
        templates: templates.into_iter().map(|(n, t)| (n, t.into())).collect(),
        values: Value::Object(final_vals),
        chart: go_chart_map(&meta_named, is_root),
        files: files.into_iter().map(|(n, b)| (n, b.into())).collect(),
        subcharts,
    });
    let _ = yaml_number;
    vals
}

fn load(dir: &Path) -> HelmRenderInput<'static> {
    let meta = read_yaml(&dir.join("Chart.yaml"));
    let name = meta
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or("chart")
        .to_string();
    let mut out = Loaded { charts: vec![] };
    load_chart(dir, &name, Map::new(), None, true, &mut out);
    HelmRenderInput {
        charts: out.charts,
        capabilities: HelmCapabilities {
            api_versions: API_VERSIONS.split(' ').map(str::to_string).collect(),
            ..Default::default()
        },
        yaml_reader: Some(|s| {
            parse_value(s, NumberModel::Helm).map_err(|e| format!("yaml: {}", e.message))
        }),
        ..Default::default()
    }
}

/// Splits like Helm's `releaseutil.SplitManifests`, keeping non-empty trimmed documents.
fn split_docs(s: &str) -> Vec<String> {
    let re = regex::Regex::new(r"(?:^|\s*\n)---\s*").unwrap();
    re.split(s.trim())
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect()
}

fn ours(dir: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    let input = load(dir);
    let rendered = render(&input).map_err(|e| e.to_string())?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, text) in rendered {
        if name.ends_with("NOTES.txt") {
            continue;
        }
        let docs = split_docs(&text);
        if !docs.is_empty() {
            let mut docs = docs;
            docs.sort();
            out.insert(name, docs);
        }
    }
    Ok(out)
}

fn helms(dir: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    let o = Command::new("helm")
        .arg("template")
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr).trim().to_string());
    }
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for part in text.split("---\n# Source: ").skip(1) {
        let (src, body) = part.split_once('\n').unwrap_or((part, ""));
        let body = body.strip_suffix('\n').unwrap_or(body);
        out.entry(src.to_string())
            .or_default()
            .push(body.trim().to_string());
    }
    for v in out.values_mut() {
        v.sort();
    }
    Ok(out)
}

fn compare(dir: &Path) -> Result<usize, String> {
    let h = helms(dir);
    let o = ours(dir);
    match (h, o) {
        (Err(he), Err(oe)) => {
            let he = he.trim_start_matches("Error: ").to_string();
            let he = he
                .split("\n\nUse --debug flag")
                .next()
                .unwrap_or(&he)
                .to_string();
            if he != oe {
                return Err(format!("both failed, differently:\nhelm: {he}\nours: {oe}"));
            }
            Ok(0)
        }
        (Err(he), Ok(_)) => Err(format!("helm failed but we rendered: {he}")),
        (Ok(_), Err(oe)) => Err(format!("we failed but helm rendered: {oe}")),
        (Ok(h), Ok(o)) => {
            let mut problems = Vec::new();
            for (src, docs) in &h {
                match o.get(src) {
                    None => problems.push(format!("missing output for {src}")),
                    Some(ours) if ours != docs => {
                        let (a, b) = (docs.join("\n---\n"), ours.join("\n---\n"));
                        let line = a
                            .lines()
                            .zip(b.lines())
                            .position(|(x, y)| x != y)
                            .unwrap_or(a.lines().count().min(b.lines().count()));
                        problems.push(format!(
                            "{src} differs at line {}:\nhelm: {:?}\nours: {:?}",
                            line + 1,
                            a.lines().nth(line).unwrap_or("<end>"),
                            b.lines().nth(line).unwrap_or("<end>")
                        ));
                    }
                    _ => {}
                }
            }
            for src in o.keys() {
                if !h.contains_key(src) {
                    problems.push(format!("extra output for {src}"));
                }
            }
            if problems.is_empty() {
                Ok(h.values().map(Vec::len).sum())
            } else {
                Err(problems.join("\n\n"))
            }
        }
    }
}

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gotmpl");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.join("Chart.yaml").exists())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    if let Ok(extra) = std::env::var("GOTMPL_DIFF_CHARTS") {
        dirs.extend(
            extra
                .split(':')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
        );
    }
    dirs
}

#[test]
fn fixtures_render_like_helm() {
    if !helm_available() {
        eprintln!("SKIPPED: helm is not on PATH; differential tests did not run");
        return;
    }
    let dirs = fixture_dirs();
    assert!(!dirs.is_empty(), "no fixture charts found");
    let mut failures = Vec::new();
    for d in &dirs {
        match compare(d) {
            Ok(0) => eprintln!("{}: same error as helm", d.display()),
            Ok(n) => eprintln!("{}: {n} documents identical", d.display()),
            Err(e) => failures.push(format!("== {}\n{e}", d.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
