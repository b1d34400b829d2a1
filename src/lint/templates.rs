//! Helm's template rules (`pkg/chart/v2/lint/rules/template.go`) on rendered files: allowed
//! extensions, a first line that is not indented, each document parses, and per object the
//! name rules, API deprecations, workload selectors and `helm.sh/resource-policy` inside Lists.
//! Also turns the rendered files into [`Object`]s for the later rules. Unlike Helm, a file
//! that fails to parse stops only that file's checks, and the object checks cover subcharts'
//! objects too (they are part of the release).

use super::deprecations::{self, Status};
use super::finding::{Finding, Severity};
use super::locate::{self, Seg, keys};
use super::names;
use super::object::Object;
use super::rules;
use crate::Value;
use crate::chart::Chart;
use crate::manifest::split::split_documents;
use crate::manifest::{Classified, Document};
use std::collections::BTreeMap;

/// A finding about an object, waiting for suppressions: the index of its object, if any.
#[derive(Clone, Debug)]
pub struct Pending {
    pub finding: Finding,
    pub object: Option<usize>,
}

/// `root/charts/sub/templates/x.yaml` → `charts/sub/templates/x.yaml` (relative to the chart).
pub fn relative(root: &str, full: &str) -> String {
    full.strip_prefix(root)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(full)
        .to_string()
}

/// A finding on `objects[i]` at `path`, with the rule's severity and the field's line.
pub fn on_object(
    objects: &[Object],
    i: usize,
    rule: &str,
    path: &[Seg],
    message: String,
) -> Pending {
    let obj = &objects[i];
    let severity = rules::find(rule).map_or(Severity::Warning, |r| r.severity);
    let line = locate::line_of(&obj.doc.text, path).map_or(obj.doc.line, |l| obj.doc.line + l - 1);
    Pending {
        finding: Finding {
            severity,
            rule: rule.to_string(),
            file: obj.file.clone(),
            line,
            api_version: obj.doc.api_version.clone(),
            kind: obj.doc.kind.clone(),
            name: obj.doc.name.clone(),
            namespace: obj.doc.namespace.clone(),
            path: locate::format(path),
            message,
            fix: String::new(),
        },
        object: Some(i),
    }
}

/// Helm's extension rule over the root chart's template files.
pub fn extensions(chart: &Chart) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &chart.templates {
        let ext = match t
            .name
            .rsplit_once('/')
            .map_or(t.name.as_str(), |(_, b)| b)
            .rsplit_once('.')
        {
            Some((_, e)) => format!(".{e}"),
            None => String::new(),
        };
        if ![".yaml", ".yml", ".tpl", ".txt"].contains(&ext.as_str()) {
            out.push(Finding::file(
                Severity::Error,
                "template-extension",
                t.name.clone(),
                format!(
                    "file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
                ),
            ));
        }
    }
    out
}

fn is_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// The first non-blank line, when it is indented.
pub fn illegal_indent(content: &str) -> Option<(usize, &str)> {
    let (i, line) = content
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    (line.starts_with(' ') || line.starts_with('\t')).then_some((i + 1, line))
}

/// Splits and parses the rendered files (partials and NOTES.txt skipped) into objects, with
/// the file-level findings (indentation, YAML errors, dropped hooks).
pub fn documents(files: &BTreeMap<String, String>, root: &str) -> (Vec<Object>, Vec<Finding>) {
    let mut objects = Vec::new();
    let mut findings = Vec::new();
    for (name, content) in files {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') || base == "NOTES.txt" || content.trim().is_empty() {
            continue;
        }
        let file = relative(root, name);
        let chart = name
            .rsplit_once("/templates/")
            .map_or(root.to_string(), |(c, _)| c.to_string());
        if is_yaml(name)
            && let Some((line, text)) = illegal_indent(content)
        {
            findings.push(
                Finding::file(
                    Severity::Warning,
                    "template-indent",
                    file.clone(),
                    format!(
                        "document starts with an illegal indent: {text:?}, which may cause parsing problems"
                    ),
                )
                .at_line(line),
            );
        }
        for (index, piece) in split_documents(content).into_iter().enumerate() {
            let doc = match Document::parse(name, piece.text, piece.line, index) {
                Ok(d) => d,
                Err(e) => {
                    findings.push(
                        Finding::file(
                            Severity::Error,
                            "template-yaml",
                            file.clone(),
                            format!("unable to parse YAML: {}", e.message),
                        )
                        .at_line(e.line),
                    );
                    break;
                }
            };
            if doc.value.is_null() {
                continue;
            }
            let (doc, hook, test) = match doc.classify() {
                Classified::Manifest(d) => (d, false, false),
                Classified::Hook(d) => {
                    let t = d.is_test_hook();
                    (d, true, t)
                }
                Classified::UnknownHook(d, events) => {
                    findings.push(
                        Finding::file(
                            Severity::Warning,
                            "template-render",
                            file.clone(),
                            format!(
                                "document {} is dropped: unknown hook event(s) in helm.sh/hook: {events:?}",
                                d.index + 1
                            ),
                        )
                        .at_line(d.line)
                        .with_fix("use pre-install, post-install, pre-upgrade, post-upgrade, pre-delete, post-delete, pre-rollback, post-rollback or test"),
                    );
                    continue;
                }
            };
            objects.push(Object {
                doc,
                file: file.clone(),
                chart: chart.clone(),
                hook,
                test,
            });
        }
    }
    (objects, findings)
}

/// Helm's per-object rules: names, deprecations at Kubernetes 1.`minor`, selectors, Lists.
pub fn object_rules(objects: &[Object], minor: u32) -> Vec<Pending> {
    let mut out = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        let v = obj.value();
        if !v.is_object() {
            continue;
        }
        let kind = obj.kind();
        let generated = v
            .pointer("/metadata/generateName")
            .is_some_and(|g| g.is_string());
        let unnamed_generated = obj.doc.name.is_empty() && generated;
        if !kind.is_empty()
            && !unnamed_generated
            && let Some(msg) = names::check(kind, &obj.doc.name)
        {
            out.push(on_object(
                objects,
                i,
                "object-name",
                &keys("metadata.name"),
                msg,
            ));
        }
        if !kind.is_empty() && !obj.doc.api_version.is_empty() {
            match deprecations::status(&obj.doc.api_version, kind, minor) {
                Some(Status::Deprecated(m)) => {
                    out.push(on_object(
                        objects,
                        i,
                        "deprecated-api",
                        &keys("apiVersion"),
                        m,
                    ));
                }
                Some(Status::Removed(m)) => {
                    out.push(on_object(
                        objects,
                        i,
                        "removed-api",
                        &keys("apiVersion"),
                        format!("{m} (target Kubernetes 1.{minor})"),
                    ));
                }
                None => {}
            }
        }
        if matches!(
            kind,
            "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
        ) {
            let sel = v.pointer("/spec/selector");
            let has = |k: &str| sel.and_then(|s| s.get(k)).is_some_and(|x| !x.is_null());
            if !has("matchLabels") && !has("matchExpressions") {
                out.push(on_object(
                    objects,
                    i,
                    "missing-selector",
                    &keys("spec.selector"),
                    format!(
                        "a {kind} must contain matchLabels or matchExpressions, and {:?} does not",
                        obj.doc.name
                    ),
                ));
            }
        }
        if kind == "List" {
            let nested = v
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .position(|item| {
                    item.pointer("/metadata/annotations")
                        .and_then(|a| a.get("helm.sh/resource-policy"))
                        .is_some()
                });
            if let Some(n) = nested {
                out.push(on_object(
                    objects,
                    i,
                    "list-resource-policy",
                    &[Seg::Key("items".into()), Seg::Index(n)],
                    "annotation 'helm.sh/resource-policy' within List objects are ignored".into(),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::File;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(n, c)| (format!("c/templates/{n}"), c.to_string()))
            .collect()
    }

    fn rule_ids(p: &[Pending]) -> Vec<&str> {
        p.iter().map(|p| p.finding.rule.as_str()).collect()
    }

    #[test]
    fn helm_extension_table() {
        let chart = Chart {
            templates: [
                "templates/foo",
                "templates/test.toml",
                "templates/foo.yaml",
                "templates/foo.tpl",
                "templates/bar/baz.yml",
                "templates/NOTES.txt",
            ]
            .iter()
            .map(|n| File {
                name: n.to_string(),
                data: Vec::new(),
            })
            .collect(),
            ..Chart::default()
        };
        let f = extensions(&chart);
        assert_eq!(f.len(), 2);
        assert!(
            f[0].message
                .contains("Valid extensions are .yaml, .yml, .tpl, or .txt")
        );
        assert_eq!(f[1].file, "templates/test.toml");
    }

    /// Helm's `TestValidateTopIndentLevel` rows.
    #[test]
    fn helm_indent_table() {
        for (doc, fails) in [
            ("\n\n\n\t\n   \t\n", false),
            ("apiVersion:foo\n  bar:baz", false),
            ("\n\n\napiVersion:foo\n\n\n", false),
            ("  apiVersion:foo", true),
            ("\n\n  apiVersion:foo\n\n", true),
        ] {
            assert_eq!(illegal_indent(doc).is_some(), fails, "{doc:?}");
        }
    }

    #[test]
    fn documents_and_file_findings() {
        let (objs, f) = documents(
            &files(&[
                (
                    "a.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# only a comment\n",
                ),
                (
                    "b.yaml",
                    "  apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
                ),
                ("c.yaml", "kind: ConfigMap\nmetadata: [\n"),
                ("_helpers.tpl", "anything"),
                ("NOTES.txt", "kind: Nope"),
                (
                    "t.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations: {helm.sh/hook: test}\nspec: {containers: []}\n---\nkind: Pod\nmetadata:\n  annotations: {helm.sh/hook: bogus}\n",
                ),
            ]),
            "c",
        );
        let names: Vec<&str> = objs.iter().map(|o| o.doc.name.as_str()).collect();
        // The indented file still parses once Helm's splitter trims it; only the hook with an
        // unknown event is dropped.
        assert_eq!(names, vec!["a", "b", "t"]);
        assert!(objs[2].test && objs[2].hook);
        assert_eq!(objs[0].file, "templates/a.yaml");
        let rules: Vec<&str> = f.iter().map(|x| x.rule.as_str()).collect();
        assert_eq!(
            rules,
            vec!["template-indent", "template-yaml", "template-render"]
        );
        assert!(f[1].message.starts_with("unable to parse YAML"));
        assert_eq!(f[1].file, "templates/c.yaml");
    }

    /// Helm's `TestEmptyWithCommentsManifests`: a comment-only template is fine.
    #[test]
    fn comment_only_templates_are_clean() {
        let (objs, f) = documents(&files(&[("e.yaml", "#@formatter:off\n")]), "c");
        assert!(objs.is_empty() && f.is_empty());
    }

    #[test]
    fn object_rules_like_helm() {
        let (objs, _) = documents(
            &files(&[(
                "x.yaml",
                "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: baddep\nspec: {selector: {matchLabels: {foo: bar}}}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: goodsecret\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nosel\nspec:\n  template: {}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      annotations:\n        helm.sh/resource-policy: keep\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {}\n",
            )]),
            "c",
        );
        let p = object_rules(&objs, 22);
        assert_eq!(
            rule_ids(&p),
            vec![
                "removed-api",
                "missing-selector",
                "object-name",
                "object-name",
                "list-resource-policy",
                "deprecated-api"
            ]
        );
        assert!(
            p[0].finding
                .message
                .starts_with("apps/v1beta1 Deployment is deprecated in v1.8+")
        );
        assert_eq!(p[0].finding.line, 1);
        assert_eq!(
            p[1].finding.message,
            "a Deployment must contain matchLabels or matchExpressions, and \"nosel\" does not"
        );
        assert_eq!(p[2].finding.kind, "Service");
        assert_eq!(p[2].finding.line, 22);
        // The List itself has no name: Helm's subdomain rule flags the empty name too.
        assert_eq!(p[3].finding.kind, "List");
        assert_eq!(p[5].finding.severity, Severity::Warning);
    }
}
