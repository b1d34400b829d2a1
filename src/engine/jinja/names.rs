//! Template names and import resolution. Every template gets a display name
//! `<chart full path>/templates/<rel>`; a dependency's templates live under
//! `<parent>/charts/<dependency name>/templates/<rel>`. An import or include written in a
//! template resolves, relative to that template's chart, first to the chart's own
//! `templates/<name>`, else — when the first segment names a dependency — to that dependency's
//! `templates/<rest>` (`{% import "common/_names.tpl" as n %}`). Names that are absolute or hold
//! `..` never resolve. Must not read files or render.

use crate::chart::Chart;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// How deep dependency chains are followed for imports (library → library → ...).
pub const MAX_DEPENDENCY_DEPTH: usize = 16;

/// Marker put in front of import names that were refused, so the lookup fails with a name that
/// says why.
const REFUSED: &str =
    "(refused: import paths are relative to templates/ and may not contain '..') ";

#[derive(Debug, Default)]
struct Node {
    prefix: String,
    templates: BTreeSet<String>,
    deps: BTreeMap<String, usize>,
}

/// The chart being rendered and its dependencies, as import namespaces.
#[derive(Debug, Default)]
pub struct TemplateTree {
    nodes: Vec<Node>,
}

/// Templates of dependencies, loaded on demand by the environment's loader.
#[derive(Debug, Default)]
pub struct DependencySources {
    /// Display name → source.
    pub sources: BTreeMap<String, String>,
    /// Display names of dependency templates that are not UTF-8.
    pub not_utf8: BTreeSet<String>,
}

impl TemplateTree {
    /// Builds the tree for `chart` (display prefix `prefix`) and collects the dependencies'
    /// template sources for the loader.
    pub fn build(chart: &Chart, prefix: &str) -> (TemplateTree, DependencySources) {
        let mut tree = TemplateTree::default();
        let mut deps = DependencySources::default();
        tree.add(chart, prefix.to_string(), 0, &mut deps);
        (tree, deps)
    }

    fn add(
        &mut self,
        chart: &Chart,
        prefix: String,
        depth: usize,
        out: &mut DependencySources,
    ) -> usize {
        let idx = self.nodes.len();
        let templates = chart
            .templates
            .iter()
            .filter_map(|f| f.name.strip_prefix("templates/"))
            .map(str::to_string)
            .collect();
        if depth > 0 {
            for f in &chart.templates {
                if let Some(rel) = f.name.strip_prefix("templates/") {
                    let name = format!("{prefix}/templates/{rel}");
                    match String::from_utf8(f.data.clone()) {
                        Ok(s) => {
                            out.sources.insert(name, s);
                        }
                        Err(_) => {
                            out.not_utf8.insert(name);
                        }
                    }
                }
            }
        }
        self.nodes.push(Node {
            prefix: prefix.clone(),
            templates,
            deps: BTreeMap::new(),
        });
        if depth < MAX_DEPENDENCY_DEPTH {
            for dep in &chart.dependencies {
                let name = dep.name().to_string();
                if name.is_empty() || name.contains('/') {
                    continue;
                }
                let child = self.add(dep, format!("{prefix}/charts/{name}"), depth + 1, out);
                self.nodes[idx].deps.insert(name, child);
            }
        }
        idx
    }

    /// The node whose templates contain the display name `parent`.
    fn node_of(&self, parent: &str) -> Option<&Node> {
        self.nodes
            .iter()
            .filter(|n| {
                parent
                    .strip_prefix(n.prefix.as_str())
                    .is_some_and(|rest| rest.starts_with("/templates/"))
            })
            .max_by_key(|n| n.prefix.len())
    }

    /// Resolves `name` as written in the template `parent` (a display name).
    pub fn join<'s>(&self, name: &'s str, parent: &'s str) -> Cow<'s, str> {
        let refused = name.starts_with('/')
            || name.contains('\\')
            || name.split('/').any(|s| s == ".." || s.is_empty());
        if refused {
            return Cow::Owned(format!("{REFUSED}{name}"));
        }
        let name = name.strip_prefix("./").unwrap_or(name);
        let Some(node) = self.node_of(parent) else {
            return Cow::Borrowed(name);
        };
        if node.templates.contains(name) {
            return Cow::Owned(format!("{}/templates/{}", node.prefix, name));
        }
        if let Some((first, rest)) = name.split_once('/')
            && let Some(&dep) = node.deps.get(first)
        {
            return Cow::Owned(format!("{}/templates/{}", self.nodes[dep].prefix, rest));
        }
        Cow::Owned(format!("{}/templates/{}", node.prefix, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::File;

    fn chart(name: &str, templates: &[&str], deps: Vec<Chart>) -> Chart {
        let mut c = Chart::default();
        c.metadata.name = name.into();
        c.templates = templates
            .iter()
            .map(|t| File {
                name: format!("templates/{t}"),
                data: b"x".to_vec(),
            })
            .collect();
        c.dependencies = deps;
        c
    }

    #[test]
    fn resolves_own_then_dependency() {
        let common = chart("common", &["_names.tpl", "_util.tpl"], vec![]);
        let app = chart(
            "app",
            &[
                "_helpers.tpl",
                "deploy.yaml",
                "sub/x.yaml",
                "common/_own.tpl",
            ],
            vec![common],
        );
        let (tree, deps) = TemplateTree::build(&app, "app");
        assert_eq!(
            deps.sources.keys().collect::<Vec<_>>(),
            vec![
                "app/charts/common/templates/_names.tpl",
                "app/charts/common/templates/_util.tpl"
            ]
        );
        let p = "app/templates/deploy.yaml";
        assert_eq!(tree.join("_helpers.tpl", p), "app/templates/_helpers.tpl");
        assert_eq!(tree.join("./_helpers.tpl", p), "app/templates/_helpers.tpl");
        // relative to templates/, also from a nested template
        assert_eq!(
            tree.join("_helpers.tpl", "app/templates/sub/x.yaml"),
            "app/templates/_helpers.tpl"
        );
        assert_eq!(
            tree.join("common/_names.tpl", p),
            "app/charts/common/templates/_names.tpl"
        );
        // the chart's own file wins over a dependency of the same first segment
        assert_eq!(
            tree.join("common/_own.tpl", p),
            "app/templates/common/_own.tpl"
        );
        // inside the dependency, names resolve within the dependency
        assert_eq!(
            tree.join("_util.tpl", "app/charts/common/templates/_names.tpl"),
            "app/charts/common/templates/_util.tpl"
        );
        // unknown: looked up in the chart, fails there with a clear name
        assert_eq!(tree.join("_nope.tpl", p), "app/templates/_nope.tpl");
    }

    #[test]
    fn refuses_escaping_names() {
        let app = chart("app", &["a.yaml"], vec![]);
        let (tree, _) = TemplateTree::build(&app, "app");
        for n in ["../x", "/etc/passwd", "a/../../b", "a//b", "a\\b"] {
            assert!(
                tree.join(n, "app/templates/a.yaml").starts_with("(refused"),
                "{n}"
            );
        }
    }

    #[test]
    fn dependency_depth_is_bounded() {
        let mut c = chart("leaf", &["_x.tpl"], vec![]);
        for i in 0..(MAX_DEPENDENCY_DEPTH + 5) {
            c = chart(&format!("c{i}"), &["_x.tpl"], vec![c]);
        }
        let (tree, _) = TemplateTree::build(&c, "root");
        assert_eq!(tree.nodes.len(), MAX_DEPENDENCY_DEPTH + 1);
    }
}
