//! Helm's chart-level rules that need the loaded chart but no rendering: dependencies declared
//! vs present (`rules/dependencies.go`) and the `crds/` files (`rules/crds.go`), with Helm's
//! messages.

use super::finding::{Finding, Severity};
use crate::Value;
use crate::chart::Chart;
use crate::yaml::NumberModel;

/// Dependencies: subcharts in `charts/` not declared (ERROR), names or aliases used twice
/// (ERROR), declared but missing from `charts/` (WARNING). `path` is the chart path shown.
pub fn dependencies(chart: &Chart, path: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let declared: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let present: Vec<&str> = chart.dependencies.iter().map(Chart::name).collect();
    let undeclared: Vec<&str> = present
        .iter()
        .copied()
        .filter(|p| !declared.contains(p))
        .collect();
    if !undeclared.is_empty() {
        out.push(
            Finding::file(
                Severity::Error,
                "dependencies",
                path,
                format!(
                    "chart metadata is missing these dependencies: {}",
                    undeclared.join(",")
                ),
            )
            .with_fix("list them under `dependencies:` in Chart.yaml, or remove them from charts/"),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut shadowed: Vec<&str> = Vec::new();
    for d in &chart.metadata.dependencies {
        let key = if d.alias.is_empty() {
            &d.name
        } else {
            &d.alias
        };
        if seen.contains(&key.as_str()) {
            shadowed.push(key);
        }
        seen.push(key);
    }
    if !shadowed.is_empty() {
        out.push(
            Finding::file(
                Severity::Error,
                "dependencies",
                path,
                format!(
                    "multiple dependencies with name or alias: {}",
                    shadowed.join(",")
                ),
            )
            .with_fix("give each copy its own `alias:`"),
        );
    }
    let missing: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|d| !present.contains(d))
        .collect();
    if !missing.is_empty() {
        out.push(
            Finding::file(
                Severity::Warning,
                "dependencies",
                path,
                format!(
                    "chart directory is missing these dependencies: {}",
                    missing.join(",")
                ),
            )
            .with_fix("run `chartroom dependency build` (or `helm dependency build`)"),
        );
    }
    out
}

/// The dependencies `Chart.yaml` declares that `charts/` does not hold (Helm then skips
/// rendering, and so does lint).
pub fn missing_dependencies(chart: &Chart) -> Vec<&str> {
    chart
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .filter(|d| !chart.dependencies.iter().any(|c| c.name() == *d))
        .collect()
}

/// The `crds/` files: each document parses and is an apiextensions.k8s.io
/// CustomResourceDefinition.
pub fn crds(chart: &Chart) -> Vec<Finding> {
    let mut out = Vec::new();
    for file in chart.crd_files() {
        let text = String::from_utf8_lossy(&file.data);
        let docs = match crate::yaml::parse_stream(&text, NumberModel::Exact) {
            Ok(d) => d,
            Err(e) => {
                out.push(
                    Finding::file(
                        Severity::Error,
                        "crds",
                        file.name.clone(),
                        format!("unable to parse YAML: {}", e.message),
                    )
                    .at_line(e.line.unwrap_or(0)),
                );
                continue;
            }
        };
        for doc in docs {
            if !doc.is_object() {
                continue;
            }
            let api = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
            if !api.starts_with("apiextensions.k8s.io") {
                out.push(Finding::file(
                    Severity::Error,
                    "crds",
                    file.name.clone(),
                    "apiVersion is not in 'apiextensions.k8s.io'",
                ));
            }
            if doc.get("kind").and_then(Value::as_str) != Some("CustomResourceDefinition") {
                out.push(Finding::file(
                    Severity::Error,
                    "crds",
                    file.name.clone(),
                    "object kind is not 'CustomResourceDefinition'",
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Dependency, File, Metadata};

    fn named(name: &str) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                ..Metadata::default()
            },
            ..Chart::default()
        }
    }

    /// Helm's `TestValidateDependencyInMetadata`, `TestValidateDependenciesUnique` and
    /// `TestValidateDependencyInChartsDir` cases.
    #[test]
    fn dependency_rules() {
        let mut c = named("p");
        c.dependencies = vec![named("a"), named("b")];
        c.metadata.dependencies = vec![
            Dependency {
                name: "a".into(),
                ..Default::default()
            },
            Dependency {
                name: "c".into(),
                ..Default::default()
            },
            Dependency {
                name: "x".into(),
                alias: "c".into(),
                ..Default::default()
            },
        ];
        let f = dependencies(&c, "p");
        let m: Vec<(&str, Severity)> = f.iter().map(|f| (f.message.as_str(), f.severity)).collect();
        assert_eq!(
            m,
            vec![
                (
                    "chart metadata is missing these dependencies: b",
                    Severity::Error
                ),
                (
                    "multiple dependencies with name or alias: c",
                    Severity::Error
                ),
                (
                    "chart directory is missing these dependencies: c,x",
                    Severity::Warning
                ),
            ]
        );
        let mut ok = named("p");
        ok.dependencies = vec![named("a")];
        ok.metadata.dependencies = vec![Dependency {
            name: "a".into(),
            ..Default::default()
        }];
        assert!(dependencies(&ok, "p").is_empty());
    }

    /// Helm's `TestCrdsRule` cases (testdata/badcrdfile, goodone).
    #[test]
    fn crd_rules() {
        let mut c = named("p");
        c.files = vec![
            File {
                name: "crds/bad-apiversion.yaml".into(),
                data: b"apiVersion: bad.k8s.io/v1beta1\nkind: CustomResourceDefinition\n".to_vec(),
            },
            File {
                name: "crds/bad-crd.yaml".into(),
                data: b"apiVersion: apiextensions.k8s.io/v1\nkind: NotACustomResourceDefinition\n"
                    .to_vec(),
            },
            File {
                name: "crds/good.yaml".into(),
                data: b"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n---\n"
                    .to_vec(),
            },
            File {
                name: "crds/broken.yaml".into(),
                data: b"kind: [\n".to_vec(),
            },
        ];
        let f = crds(&c);
        let m: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!(m[0], "apiVersion is not in 'apiextensions.k8s.io'");
        assert_eq!(m[1], "object kind is not 'CustomResourceDefinition'");
        assert!(m[2].starts_with("unable to parse YAML"));
    }
}
