//! Walking the (already dependency-processed) chart tree: full paths
//! (`parent/charts/sub`), each chart's scoped values, and CRD collection order.

use crate::chart::Chart;
use crate::manifest::output::CrdFile;
use crate::{Map, Value};

/// Sets `full_path` on every chart: the root's is its name, a subchart's is
/// `<parent full path>/charts/<name or alias>`.
pub fn assign_full_paths(chart: &mut Chart, parent: Option<&str>) {
    chart.full_path = match parent {
        None => chart.name().to_string(),
        Some(p) => format!("{p}/charts/{}", chart.name()),
    };
    let own = chart.full_path.clone();
    for dep in &mut chart.dependencies {
        assign_full_paths(dep, Some(&own));
    }
}

/// Every chart of the tree, parent before children, with the values it sees
/// (`values[<name>]` of its parent's values, as Helm scopes them).
pub fn walk(root: &Chart, values: Map) -> Vec<(&Chart, Map)> {
    let mut out = Vec::new();
    push(root, values, &mut out);
    out
}

fn push<'a>(chart: &'a Chart, values: Map, out: &mut Vec<(&'a Chart, Map)>) {
    let children: Vec<(&'a Chart, Map)> = chart
        .dependencies
        .iter()
        .map(|dep| {
            let scoped = match values.get(dep.name()) {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            };
            (dep, scoped)
        })
        .collect();
    out.push((chart, values));
    for (dep, scoped) in children {
        push(dep, scoped, out);
    }
}

/// CRD files of the chart and then of each dependency (recursively, in dependency order),
/// named `<full path>/crds/<file>` as Helm prints them.
pub fn crds(chart: &Chart) -> Vec<CrdFile> {
    chart
        .crd_files_in_tree()
        .into_iter()
        .map(|(c, f)| CrdFile {
            source: format!("{}/{}", c.full_path, f.name),
            content: super::gotpl::text_of(&f.data),
        })
        .collect()
}
