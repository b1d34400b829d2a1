//! What every chart of a (dependency-processed) tree reads from its values: the references of
//! each template file and of each chart (see `refs.rs`), plus the paths Helm itself reads
//! (dependency conditions, tags, import-values), and each chart's defaults. Built once per lint
//! run; the unused-value check and the fix hints query it.

use super::refs::{self, Macro, Scan};
use crate::chart::{Chart, Engine, ImportValue};
use crate::{Map, Value};
use std::collections::BTreeMap;

/// A values path (`["image", "tag"]`).
pub type VPath = Vec<String>;

/// What one chart reads.
#[derive(Clone, Debug, Default)]
pub struct ChartReads {
    /// Path of this chart's values from the root's (`[]` for the root, `["sub"]`,
    /// `["sub", "subsub"]`).
    pub scope: VPath,
    pub engine: Engine,
    /// Every reference of the chart's templates, plus Helm's own reads.
    pub refs: Vec<VPath>,
    /// The chart uses its values as a whole somewhere: every key counts as read.
    pub whole: bool,
    /// The chart's defaults (values.yaml).
    pub defaults: Map,
    /// Names (or aliases) of the dependencies it declares, and whether each is rendered.
    pub dependencies: Vec<(String, bool)>,
}

/// The read-set of a chart tree.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// By chart full path (`root`, `root/charts/sub`).
    pub charts: BTreeMap<String, ChartReads>,
    /// By full template name (`root/templates/x.yaml`): that file's references.
    pub files: BTreeMap<String, Vec<VPath>>,
    /// References any chart may make: library charts' and Go `define` bodies'.
    pub shared: Vec<VPath>,
    /// Some library chart uses values as a whole.
    pub shared_whole: bool,
}

fn paths(scan: &Scan) -> Vec<VPath> {
    scan.refs.iter().map(|r| r.path.clone()).collect()
}

/// Every `{{`-bearing string in a value tree (for charts that `tpl` their values).
fn template_strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) if s.contains("{{") || s.contains("{%") => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| template_strings(i, out)),
        Value::Object(m) => m.values().for_each(|i| template_strings(i, out)),
        _ => {}
    }
}

fn scan(engine: Engine, src: &str, macros: &[Macro]) -> Scan {
    match engine {
        Engine::Jinja => refs::scan_jinja(src, "values", macros),
        Engine::GoTemplate => refs::scan_go(src),
    }
}

/// Dotted path split into segments.
fn dotted(s: &str) -> VPath {
    s.split('.')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

impl Index {
    /// Scans the tree. `user` are the user-supplied values (scanned too when a chart `tpl`s).
    pub fn build(root: &Chart, user: &Map) -> Index {
        let mut charts: Vec<(&Chart, VPath)> = Vec::new();
        collect(root, Vec::new(), &mut charts);
        let macros: Vec<Macro> = charts
            .iter()
            .filter(|(c, _)| c.engine == Engine::Jinja)
            .flat_map(|(c, _)| c.templates.iter())
            .flat_map(|t| refs::jinja_macros(&String::from_utf8_lossy(&t.data)))
            .collect();
        let mut index = Index::default();
        for (chart, scope) in &charts {
            let mut reads = ChartReads {
                scope: scope.clone(),
                engine: chart.engine,
                defaults: chart.values.clone(),
                ..ChartReads::default()
            };
            let mut tpl = false;
            let mut shared = Vec::new();
            for t in &chart.templates {
                let src = String::from_utf8_lossy(&t.data);
                let s = scan(chart.engine, &src, &macros);
                tpl |= s.tpl;
                reads.whole |= s.whole;
                let own = paths(&s);
                reads.refs.extend(own.iter().cloned());
                for a in &s.aliases {
                    follow(a, &macros, &mut reads, 0);
                }
                shared.extend(s.shared.iter().map(|r| r.path.clone()));
                index
                    .files
                    .insert(format!("{}/{}", chart.full_path, t.name), own);
            }
            if tpl {
                let mut strings = Vec::new();
                let user_scope = scope
                    .iter()
                    .try_fold(user, |m, k| m.get(k).and_then(Value::as_object));
                for m in [Some(&chart.values), user_scope].into_iter().flatten() {
                    m.values().for_each(|v| template_strings(v, &mut strings));
                }
                for s in strings {
                    let found = scan(chart.engine, s, &macros);
                    reads.whole |= found.whole;
                    reads.refs.extend(paths(&found));
                    reads
                        .refs
                        .extend(found.shared.iter().map(|r| r.path.clone()));
                }
            }
            // What Helm reads itself.
            for d in &chart.metadata.dependencies {
                let key = if d.alias.is_empty() {
                    &d.name
                } else {
                    &d.alias
                };
                let rendered = chart.dependencies.iter().any(|c| c.name() == key);
                reads.dependencies.push((key.clone(), rendered));
                for cond in d.condition.split(',') {
                    let p = dotted(cond.trim());
                    if !p.is_empty() {
                        reads.refs.push(p);
                    }
                }
                for tag in &d.tags {
                    reads.refs.push(vec!["tags".to_string(), tag.clone()]);
                }
                for iv in &d.import_values {
                    match iv {
                        ImportValue::Map { parent, .. } => reads.refs.push(dotted(parent)),
                        ImportValue::Name(_) => {}
                    }
                }
            }
            if chart.is_library() {
                index.shared.append(&mut reads.refs);
                index.shared.extend(shared);
                index.shared_whole |= reads.whole;
                reads.whole = false;
            } else {
                index.shared.extend(shared);
            }
            index.charts.insert(chart.full_path.clone(), reads);
        }
        // import-values read the child's values too.
        for (chart, _) in &charts {
            for d in &chart.metadata.dependencies {
                let key = if d.alias.is_empty() {
                    &d.name
                } else {
                    &d.alias
                };
                let Some(child) = chart.dependencies.iter().find(|c| c.name() == key) else {
                    continue;
                };
                let extra: Vec<VPath> = d
                    .import_values
                    .iter()
                    .map(|iv| match iv {
                        ImportValue::Map { child, .. } => dotted(child),
                        ImportValue::Name(n) => vec!["exports".to_string(), n.clone()],
                    })
                    .collect();
                if let Some(r) = index.charts.get_mut(&child.full_path) {
                    r.refs.extend(extra);
                }
            }
        }
        index
    }

    /// The chart whose templates produced `template` (`root/charts/sub/templates/x.yaml`).
    pub fn chart_of(&self, template: &str) -> Option<(&String, &ChartReads)> {
        let dir = template.rsplit_once("/templates/")?.0;
        self.charts.get_key_value(dir)
    }
}

/// Reads through a macro parameter: the body's reads of `param.x` are `prefix.x`; a body
/// that uses the parameter whole reads `prefix` whole. Nested macro calls are followed a few
/// levels deep, then read whole.
fn follow(a: &refs::Alias, macros: &[Macro], reads: &mut ChartReads, depth: usize) {
    let whole = |reads: &mut ChartReads| {
        if a.prefix.is_empty() {
            reads.whole = true;
        } else {
            reads.refs.push(a.prefix.clone());
        }
    };
    let bodies: Vec<&Macro> = macros.iter().filter(|m| m.name == a.callee).collect();
    if bodies.is_empty() || depth > 4 {
        whole(reads);
        return;
    }
    for m in bodies {
        let body = refs::scan_jinja(&m.body, &a.param, macros);
        if body.whole {
            whole(reads);
        }
        for r in &body.refs {
            let mut p = a.prefix.clone();
            p.extend(r.path.iter().cloned());
            reads.refs.push(p);
        }
        for inner in &body.aliases {
            let mut prefix = a.prefix.clone();
            prefix.extend(inner.prefix.iter().cloned());
            let nested = refs::Alias {
                prefix,
                ..inner.clone()
            };
            follow(&nested, macros, reads, depth + 1);
        }
    }
}

fn collect<'a>(chart: &'a Chart, scope: VPath, out: &mut Vec<(&'a Chart, VPath)>) {
    out.push((chart, scope.clone()));
    for dep in &chart.dependencies {
        let mut s = scope.clone();
        s.push(dep.name().to_string());
        collect(dep, s, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{File, Metadata};

    fn chart(name: &str, engine: Engine, templates: &[(&str, &str)]) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                ..Metadata::default()
            },
            engine,
            templates: templates
                .iter()
                .map(|(n, d)| File {
                    name: n.to_string(),
                    data: d.as_bytes().to_vec(),
                })
                .collect(),
            full_path: name.into(),
            ..Chart::default()
        }
    }

    #[test]
    fn builds_per_chart_and_per_file() {
        let mut root = chart(
            "root",
            Engine::Jinja,
            &[
                ("templates/a.yaml", "{{ values.a.b }}{{ h.lbl(values) }}"),
                (
                    "templates/_h.tpl",
                    "{% macro lbl(v) %}{{ v.labels }}{% endmacro %}",
                ),
            ],
        );
        let mut sub = chart(
            "sub",
            Engine::GoTemplate,
            &[(
                "templates/s.yaml",
                "{{ .Values.port }}{{ tpl .Values.t . }}",
            )],
        );
        sub.full_path = "root/charts/sub".into();
        sub.values = serde_json::from_str(r#"{"t": "{{ .Values.fromTpl }}"}"#).unwrap();
        root.dependencies.push(sub);
        root.metadata.dependencies.push(crate::chart::Dependency {
            name: "sub".into(),
            condition: "sub.enabled".into(),
            tags: vec!["db".into()],
            ..Default::default()
        });
        let idx = Index::build(&root, &Map::new());
        let r = &idx.charts["root"];
        let refs: Vec<String> = r.refs.iter().map(|p| p.join(".")).collect();
        assert_eq!(refs, vec!["a.b", "labels", "sub.enabled", "tags.db"]);
        assert!(!r.whole);
        assert_eq!(r.dependencies, vec![("sub".to_string(), true)]);
        let s = &idx.charts["root/charts/sub"];
        assert_eq!(s.scope, vec!["sub"]);
        let refs: Vec<String> = s.refs.iter().map(|p| p.join(".")).collect();
        assert_eq!(refs, vec!["port", "t", "fromTpl"]);
        assert_eq!(idx.files["root/templates/a.yaml"], vec![vec!["a", "b"]]);
        assert_eq!(
            idx.chart_of("root/charts/sub/templates/s.yaml").unwrap().0,
            "root/charts/sub"
        );
    }
}
