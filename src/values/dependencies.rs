//! Dependency processing before coalescing (Helm's `pkg/chart/v2/util/dependencies.go` and
//! `CheckDependencies`): each `Chart.yaml` dependency is matched to a loaded subchart by name
//! and version constraint, aliased copies are made (one chart may be aliased several times),
//! tags and then conditions enable or disable dependencies, disabled charts are removed with
//! their descendants, and `import-values` copy child values into the parent's defaults,
//! children first. Subcharts in `charts/` that `Chart.yaml` does not list are always kept.
//! Library charts (`type: library`) are kept like any other (their macros are needed); not
//! rendering them is the renderer's business.
//!
//! Owns: rewriting the chart tree and parent default values. Must not read files, render,
//! validate schemas, or print; warnings are returned.

use super::coalesce;
use super::error::ValuesError;
use crate::chart::{Chart, ImportValue};
use crate::{Map, Value};

/// Prepares a loaded chart tree for coalescing with the user values `user`: checks that every
/// dependency the root's `Chart.yaml` lists is present, resolves aliases, removes dependencies
/// disabled by tags or conditions, applies `import-values`, and sets each chart's `full_path`
/// (`root/charts/sub`). Returns warnings (non-boolean tags or conditions, missing import
/// tables, nested dependencies that are not vendored).
pub fn process_dependencies(chart: &mut Chart, user: &Map) -> Result<Vec<String>, ValuesError> {
    check_dependencies(chart)?;
    let mut warnings = Vec::new();
    process_enabled(chart, user, "", &mut warnings)?;
    process_import_values(chart, &mut warnings)?;
    set_full_paths(chart, None);
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
    Ok(warnings)
}

/// Whether a subchart's version satisfies a dependency's version constraint (Helm's
/// `IsCompatibleRange`, Masterminds constraint syntax).
fn version_matches(constraint: &str, version: &str) -> bool {
    crate::engine::gotmpl::semver::is_compatible_range(constraint, version)
}

/// Helm's `CheckDependencies` for the root chart: every listed dependency must be loaded.
fn check_dependencies(chart: &Chart) -> Result<(), ValuesError> {
    let missing: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|req| !chart.dependencies.iter().any(|d| d.name() == req.name))
        .map(|req| req.name.clone())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ValuesError::MissingDependencies {
            chart: chart.name().to_string(),
            missing,
        })
    }
}

/// Helm's `processDependencyEnabled`. `v` is the values tree seen from the root (for the root:
/// the user values; below it: the parent's coalesced tree) and `path` the dotted prefix of this
/// chart in it (`""`, `sub.`, `sub.subsub.`).
fn process_enabled(
    chart: &mut Chart,
    v: &Map,
    path: &str,
    warnings: &mut Vec<String>,
) -> Result<(), ValuesError> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let chart_label = if path.is_empty() {
        chart.name().to_string()
    } else {
        path.trim_end_matches('.').to_string()
    };

    // Match each listed dependency to the first loaded chart with its name and a version in range.
    let mut loaded: Vec<Option<Chart>> = std::mem::take(&mut chart.dependencies)
        .into_iter()
        .map(Some)
        .collect();
    let matches: Vec<Option<usize>> = chart
        .metadata
        .dependencies
        .iter()
        .map(|req| {
            loaded.iter().position(|c| {
                c.as_ref().is_some_and(|c| {
                    c.name() == req.name && version_matches(&req.version, &c.metadata.version)
                })
            })
        })
        .collect();
    let mut uses = vec![0usize; loaded.len()];
    for i in matches.iter().flatten() {
        uses[*i] += 1;
    }

    // Charts that no listed dependency claims come first and are always kept.
    let mut deps: Vec<Chart> = Vec::with_capacity(loaded.len());
    for slot in loaded.iter_mut() {
        let claimed = slot.as_ref().is_some_and(|c| {
            chart.metadata.dependencies.iter().any(|req| {
                c.name() == req.name && version_matches(&req.version, &c.metadata.version)
            })
        });
        if !claimed {
            deps.extend(slot.take());
        }
    }
    for (req, matched) in chart.metadata.dependencies.iter_mut().zip(&matches) {
        match matched {
            Some(i) => {
                uses[*i] -= 1;
                let mut sub = if uses[*i] == 0 {
                    loaded[*i].take()
                } else {
                    loaded[*i].clone()
                };
                if let Some(sub) = sub.as_mut()
                    && !req.alias.is_empty()
                {
                    sub.metadata.name = req.alias.clone();
                    sub.raw_metadata
                        .insert("name".into(), crate::Value::String(req.alias.clone()));
                }
                deps.extend(sub);
            }
            None => warnings.push(format!(
                "warning: chart {chart_label:?}: dependency {:?} (version {:?}) has no matching chart in its charts/ directory; it is skipped",
                req.name, req.version
            )),
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
        req.enabled = Some(true);
    }
    chart.dependencies = deps;

    // The coalesced values serve the tags and conditions below, and the subcharts' own
    // dependencies further down. When no subchart has dependencies, only the sections the tags
    // and conditions name are needed (see `coalesce_keep_nulls_only`).
    let cvals = if chart
        .dependencies
        .iter()
        .all(|d| d.metadata.dependencies.is_empty())
    {
        // The top-level key each condition path starts with (see `path_value`).
        let lookups: Vec<String> = chart
            .metadata
            .dependencies
            .iter()
            .flat_map(|req| conditions(&req.condition))
            .map(|cond| format!("{path}{cond}"))
            .collect();
        let firsts: Vec<&str> = lookups.iter().filter_map(|l| l.split('.').next()).collect();
        coalesce::coalesce_keep_nulls_only(chart, v, |k| k == TAGS_KEY || firsts.contains(&k))?
    } else {
        coalesce::coalesce_keep_nulls(chart, v)?
    };
    process_tags(chart, &cvals, warnings);
    process_conditions(chart, &cvals, path, warnings);

    let removed: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| r.enabled == Some(false))
        .map(|r| r.name.clone())
        .collect();
    chart
        .dependencies
        .retain(|d| !removed.iter().any(|n| n == d.name()));
    chart
        .metadata
        .dependencies
        .retain(|r| !removed.contains(&r.name));

    for sub in chart.dependencies.iter_mut() {
        let sub_path = format!("{path}{}.", sub.name());
        process_enabled(sub, &cvals, &sub_path, warnings)?;
    }
    Ok(())
}

/// The values key that holds the tags dependencies are enabled or disabled by.
const TAGS_KEY: &str = "tags";

/// The paths of a dependency's `condition` (`a.enabled,b.enabled`), in order.
fn conditions(condition: &str) -> impl Iterator<Item = &str> {
    condition.trim().split(',').filter(|c| !c.is_empty())
}

/// Tags from the top-level `tags:` map: any listed tag `true` enables, otherwise any `false`
/// disables; no tag set leaves the dependency enabled.
fn process_tags(chart: &mut Chart, cvals: &Map, warnings: &mut Vec<String>) {
    let Some(Value::Object(tags)) = cvals.get(TAGS_KEY) else {
        return;
    };
    for req in chart.metadata.dependencies.iter_mut() {
        let (mut has_true, mut has_false) = (false, false);
        for tag in &req.tags {
            match tags.get(tag) {
                None => {}
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => warnings.push(format!(
                    "warning: tag {tag:?} of dependency {:?} is not a boolean; it is ignored",
                    req.name
                )),
            }
        }
        req.enabled = Some(has_true || !has_false);
    }
}

/// Conditions (`a.enabled,b.enabled`, paths relative to this chart's scope): the first path
/// holding a boolean decides; conditions override tags.
fn process_conditions(chart: &mut Chart, cvals: &Map, path: &str, warnings: &mut Vec<String>) {
    for req in chart.metadata.dependencies.iter_mut() {
        for cond in conditions(&req.condition) {
            match path_value(cvals, &format!("{path}{cond}")) {
                Some(Value::Bool(b)) => {
                    req.enabled = Some(*b);
                    break;
                }
                Some(_) => warnings.push(format!(
                    "warning: condition {cond:?} of dependency {:?} is not a boolean; it is ignored",
                    req.name
                )),
                None => {}
            }
        }
    }
}

/// Helm's `Values.PathValue`: the non-map value at a dotted path.
fn path_value<'a>(m: &'a Map, path: &str) -> Option<&'a Value> {
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (table(m, parent)?, key),
        None => (m, path),
    };
    parent.get(key).filter(|v| !v.is_object())
}

/// Helm's `Values.Table`: the map at a dotted path.
fn table<'a>(m: &'a Map, path: &str) -> Option<&'a Map> {
    let mut cur = m;
    for part in path.split('.') {
        cur = cur.get(part)?.as_object()?;
    }
    Some(cur)
}

/// Helm's `processDependencyImportValues` (merge mode, as `ProcessDependencies` uses it):
/// children first, then this chart.
fn process_import_values(chart: &mut Chart, warnings: &mut Vec<String>) -> Result<(), ValuesError> {
    for sub in chart.dependencies.iter_mut() {
        process_import_values(sub, warnings)?;
    }
    import_values(chart, warnings)
}

/// Helm's `processImportValues`: the chart's defaults become its merged values (subcharts'
/// defaults included) with the imported tables merged underneath, so the chart's own values
/// win over imports and user values win over both. Entries are normalised to `{child, parent}`.
fn import_values(chart: &mut Chart, warnings: &mut Vec<String>) -> Result<(), ValuesError> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = coalesce::merge_defaults_out(chart, warnings)?;
    let mut imported = Map::new();
    for req in chart.metadata.dependencies.iter_mut() {
        let mut normalised = Vec::with_capacity(req.import_values.len());
        for iv in &req.import_values {
            let (child, parent) = match iv {
                ImportValue::Map { child, parent } => (child.clone(), parent.clone()),
                ImportValue::Name(name) => (format!("exports.{name}"), ".".to_string()),
            };
            let source = format!("{}.{child}", req.name);
            match table(&cvals, &source) {
                Some(t) => {
                    let at_parent = path_to_map(&parent, t.clone());
                    imported = coalesce::merge_tables(imported, at_parent, warnings);
                }
                None => warnings.push(format!(
                    "warning: import-values of dependency {:?}: {source:?} is not a map in the chart's values; it is skipped",
                    req.name
                )),
            }
            normalised.push(ImportValue::Map { child, parent });
        }
        req.import_values = normalised;
    }
    chart.values = coalesce::merge_tables(cvals, imported, warnings);
    Ok(())
}

/// Nests `data` under a dotted path (`.` is the root).
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.rsplit('.') {
        let mut m = Map::new();
        m.insert(part.to_string(), Value::Object(cur));
        cur = m;
    }
    cur
}

fn set_full_paths(chart: &mut Chart, parent: Option<&str>) {
    chart.full_path = match parent {
        None => chart.name().to_string(),
        Some(p) => format!("{p}/charts/{}", chart.name()),
    };
    let path = chart.full_path.clone();
    for sub in chart.dependencies.iter_mut() {
        set_full_paths(sub, Some(&path));
    }
}

#[cfg(test)]
#[path = "dependencies_tests.rs"]
mod tests;
