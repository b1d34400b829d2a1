//! Checks of chartroom's own charts (`charts/`) that need no rendering: `Chart.yaml`, the
//! defaults in `values.yaml` against a closed `values.schema.json`, every value typed,
//! described and documented in the README, pinned images and hardened defaults.
//! Rendering checks live in `charts_render.rs`.

use chartroom::yaml::{NumberModel, parse_value};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const CHARTS: &[&str] = &["postgres", "jenkins", "fluent-bit"];

/// Kubernetes-shaped objects passed through to the manifests as they are: the values schema
/// types them as objects and `chartroom template --validate` checks their insides.
const OPEN_PATHS: &[&str] = &[
    "affinity.nodeAffinity",
    "affinity.podAffinity",
    "affinity.podAntiAffinity",
];

fn chart_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("charts")
        .join(name)
}

fn read(name: &str, file: &str) -> String {
    let path = chart_dir(name).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema(name: &str) -> Value {
    serde_json::from_str(&read(name, "values.schema.json"))
        .unwrap_or_else(|e| panic!("{name}/values.schema.json: {e}"))
}

fn values(name: &str) -> Value {
    parse_value(&read(name, "values.yaml"), NumberModel::Exact)
        .unwrap_or_else(|e| panic!("{name}/values.yaml: {e}"))
}

/// The schema's violations for `instance`, as `<pointer>: <message>` lines.
fn violations(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::draft202012::new(schema).expect("schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {}", e.instance_path(), e))
        .collect()
}

/// Walks the schema's property tree: calls `f(path, schema)` for every named property, at
/// every depth, following `properties` (not `items` or typed maps).
fn walk(prefix: &str, node: &Value, f: &mut dyn FnMut(&str, &Value)) {
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (key, sub) in props {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        f(&path, sub);
        walk(&path, sub, f);
    }
}

/// Every schema node (property, array item, map value), with a path for messages.
fn walk_all(path: &str, node: &Value, f: &mut dyn FnMut(&str, &Value)) {
    f(path, node);
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (key, sub) in props {
            walk_all(&format!("{path}.{key}"), sub, f);
        }
    }
    if let Some(items) = node.get("items") {
        walk_all(&format!("{path}[]"), items, f);
    }
    if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
        walk_all(&format!("{path}.*"), extra, f);
    }
}

fn has_type(node: &Value, ty: &str) -> bool {
    match node.get("type") {
        Some(Value::String(s)) => s == ty,
        Some(Value::Array(a)) => a.iter().any(|t| t == ty),
        _ => false,
    }
}

#[test]
fn chart_metadata_declares_the_jinja_engine_and_a_pinned_app_version() {
    for name in CHARTS {
        let meta = parse_value(&read(name, "Chart.yaml"), NumberModel::Exact).unwrap();
        assert_eq!(meta["apiVersion"], "v2", "{name}");
        assert_eq!(meta["name"], *name, "{name}");
        assert_eq!(meta["engine"], "jinja", "{name}");
        assert_eq!(meta["type"], "application", "{name}");
        let version = meta["version"].as_str().unwrap();
        semver::Version::parse(version).unwrap_or_else(|e| panic!("{name}: version {e}"));
        let app = meta["appVersion"].as_str().expect("appVersion is a string");
        assert!(
            !app.is_empty() && app != "latest",
            "{name}: appVersion {app}"
        );
        for file in [
            "README.md",
            "values.yaml",
            "values.schema.json",
            ".helmignore",
            "templates/NOTES.txt",
            "templates/_helpers.tpl",
        ] {
            assert!(
                chart_dir(name).join(file).is_file(),
                "{name}: {file} missing"
            );
        }
    }
}

#[test]
fn default_values_satisfy_the_schema() {
    for name in CHARTS {
        let found = violations(&schema(name), &values(name));
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
}

#[test]
fn every_value_is_typed_and_described_and_every_object_is_closed() {
    for name in CHARTS {
        let schema = schema(name);
        assert_eq!(schema["additionalProperties"], false, "{name}: root");
        let mut problems = Vec::new();
        walk("", &schema, &mut |path: &str, node: &Value| match node
            .get("description")
            .and_then(Value::as_str)
        {
            Some(d) if !d.trim().is_empty() => {}
            _ => problems.push(format!("{path}: no description")),
        });
        walk_all(name, &schema, &mut |path: &str, node: &Value| {
            if node.get("type").is_none() {
                problems.push(format!("{path}: no type"));
            }
            if has_type(node, "object") {
                let dotted = path.split_once('.').map_or("", |(_, p)| p);
                let closed = node.get("additionalProperties") == Some(&Value::Bool(false));
                let typed_map = node
                    .get("additionalProperties")
                    .is_some_and(|v| v.is_object());
                if !closed && !typed_map && !OPEN_PATHS.contains(&dotted) {
                    problems.push(format!("{path}: object accepts unknown keys"));
                }
            }
            if has_type(node, "array") && node.get("items").is_none() {
                problems.push(format!("{path}: array without an items schema"));
            }
        });
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
}

#[test]
fn unknown_keys_are_rejected_naming_the_key_at_every_level() {
    for name in CHARTS {
        let schema = schema(name);
        let defaults = values(name);

        let mut typo = defaults.clone();
        typo["replicaCuont"] = json!(2);
        let found = violations(&schema, &typo);
        assert!(
            found.iter().any(|m| m.contains("replicaCuont")),
            "{name}: {found:#?}"
        );

        // A typo one level down (image.tagg) and two levels down (resources' requests.cpuu).
        let mut nested = defaults.clone();
        nested["image"]["tagg"] = json!("1");
        let found = violations(&schema, &nested);
        assert!(
            found
                .iter()
                .any(|m| m.starts_with("/image") && m.contains("tagg")),
            "{name}: {found:#?}"
        );

        let mut deep = defaults.clone();
        let resources = match *name {
            "postgres" => &mut deep["primary"]["resources"],
            "jenkins" => &mut deep["controller"]["resources"],
            _ => &mut deep["resources"],
        };
        resources["requests"]["cpuu"] = json!("1");
        let found = violations(&schema, &deep);
        assert!(
            found.iter().any(|m| m.contains("cpuu")),
            "{name}: {found:#?}"
        );
    }
}

#[test]
fn wrong_types_and_nested_junk_in_maps_are_rejected() {
    for name in CHARTS {
        let schema = schema(name);
        let mut bad = values(name);
        bad["commonLabels"] = json!({"team": {"nested": "object"}});
        bad["nameOverride"] = json!(5);
        let found = violations(&schema, &bad);
        assert!(
            found.iter().any(|m| m.starts_with("/commonLabels/team")),
            "{name}: {found:#?}"
        );
        assert!(
            found.iter().any(|m| m.starts_with("/nameOverride")),
            "{name}: {found:#?}"
        );
    }
}

#[test]
fn a_huge_typo_map_is_rejected_quickly_with_every_key_named() {
    let schema = schema("postgres");
    let mut bad = values("postgres");
    let obj = bad.as_object_mut().unwrap();
    for i in 0..5_000 {
        obj.insert(format!("typo{i}"), json!({"deep": [1, 2, {"x": i}]}));
    }
    let found = violations(&schema, &bad);
    let joined = found.join("\n");
    assert!(joined.contains("typo0") && joined.contains("typo4999"));
}

#[test]
fn every_value_is_documented_in_the_readme() {
    for name in CHARTS {
        let readme = read(name, "README.md");
        let mut missing = Vec::new();
        walk("", &schema(name), &mut |path: &str, _: &Value| {
            if !readme.contains(&format!("| `{path}` |")) {
                missing.push(path.to_string());
            }
        });
        assert!(missing.is_empty(), "{name}: README lacks {missing:#?}");
    }
}

/// Every `{repository, tag, pullPolicy}` object in the defaults: pinned, never `latest`, pulled
/// only when missing.
#[test]
fn images_are_pinned_and_pulled_if_not_present() {
    fn images<'a>(path: String, v: &'a Value, out: &mut Vec<(String, &'a Value)>) {
        if let Some(map) = v.as_object() {
            if map.contains_key("repository") {
                out.push((path.clone(), v));
            }
            for (k, sub) in map {
                images(format!("{path}.{k}"), sub, out);
            }
        }
    }
    for name in CHARTS {
        let defaults = values(name);
        let mut found = Vec::new();
        images(name.to_string(), &defaults, &mut found);
        assert!(!found.is_empty(), "{name}: no image");
        for (path, image) in found {
            assert_eq!(image["pullPolicy"], "IfNotPresent", "{path}");
            let tag = image["tag"].as_str().expect("tag is a string");
            assert!(
                tag != "latest" && !tag.ends_with(":latest"),
                "{path}: {tag}"
            );
            if path == format!("{name}.image") {
                assert_eq!(
                    tag, "",
                    "{path}: the main image's tag defaults to appVersion"
                );
            } else {
                assert!(!tag.is_empty(), "{path}: sidecar images pin their tag");
            }
        }
    }
}

#[test]
fn security_defaults_are_hardened() {
    for name in CHARTS {
        let v = values(name);
        let c = &v["containerSecurityContext"];
        assert_eq!(c["allowPrivilegeEscalation"], false, "{name}");
        assert_eq!(c["readOnlyRootFilesystem"], true, "{name}");
        assert_eq!(c["privileged"], false, "{name}");
        assert_eq!(c["capabilities"]["drop"], json!(["ALL"]), "{name}");
        assert_eq!(c["seccompProfile"]["type"], "RuntimeDefault", "{name}");
        let p = &v["podSecurityContext"];
        assert_eq!(p["seccompProfile"]["type"], "RuntimeDefault", "{name}");
        assert!(
            p["runAsUser"].is_u64() && c["runAsUser"].is_u64(),
            "{name}: explicit UIDs"
        );
        if *name == "fluent-bit" {
            // The one declared exception: node log files are root-owned (see its README).
            assert_eq!(p["runAsUser"], 0);
        } else {
            assert_eq!(p["runAsNonRoot"], true, "{name}");
            assert_eq!(c["runAsNonRoot"], true, "{name}");
            assert_ne!(p["runAsUser"], 0, "{name}");
        }
        assert_eq!(v["networkPolicy"]["enabled"], true, "{name}");
        assert_eq!(v["serviceAccount"]["create"], true, "{name}");
    }
}

/// Every `resources` object in the defaults has CPU and memory requests and limits.
#[test]
fn every_container_has_requests_and_limits() {
    fn check(path: String, v: &Value, problems: &mut Vec<String>) {
        let Some(map) = v.as_object() else { return };
        for (k, sub) in map {
            let here = format!("{path}.{k}");
            if k == "resources" {
                for kind in ["requests", "limits"] {
                    for res in ["cpu", "memory"] {
                        if sub[kind][res].is_null() {
                            problems.push(format!("{here}.{kind}.{res}"));
                        }
                    }
                }
            } else {
                check(here, sub, problems);
            }
        }
    }
    for name in CHARTS {
        let mut problems = Vec::new();
        check(name.to_string(), &values(name), &mut problems);
        assert!(problems.is_empty(), "missing: {problems:#?}");
    }
}
