//! Coalescing user values with chart defaults (Helm's `pkg/chart/common/util/coalesce.go`):
//! maps merge, lists and scalars replace, each subchart's values live under its name (or
//! alias) in the parent's values, `global` is copied down into every subchart, and the
//! parent's section for a subchart beats the subchart's own defaults.
//!
//! Nulls follow Helm 3.x / 4.0–4.1 (helm-behaviour.md §2.2): a null in the user values, or in
//! a parent chart's values for a subchart, deletes the default it lands on. chartroom adds one
//! rule from Helm 4.2: a null that came from a chart's `values.yaml` and deleted nothing is
//! dropped from the result instead of showing up as `key: null` (so it neither shadows a
//! global nor prints). Helm 4.2–4.3 instead ignore parent nulls unless the user also set the
//! subchart's section (helm/helm#32132); chartroom keeps the documented behaviour.
//!
//! Owns: the pure merge of a chart tree's defaults with user values, and warnings about
//! table/non-table conflicts (which never quote values). Must not mutate its inputs (except
//! that [`merge_defaults_out`] moves a chart's defaults out, for a caller that replaces them),
//! decide which subcharts are enabled, or print.

use super::error::{ValuesError, kind_of};
use crate::chart::Chart;
use crate::{Map, Value};
use std::borrow::Cow;

/// The values key whose contents every subchart also receives.
pub const GLOBAL_KEY: &str = "global";

/// The values a chart tree renders with: `user` (from [`super::merge_user_values`]) coalesced
/// with every chart's defaults, plus warnings about conflicting types. `chart` should already
/// have gone through [`super::process_dependencies`].
pub fn coalesce(chart: &Chart, user: &Map) -> Result<(Map, Vec<String>), ValuesError> {
    let mut warnings = Vec::new();
    let mut out = coalesce_chart(chart, user.clone(), "", false, &mut warnings)?;
    drop_default_nulls(chart, &mut out, Some(user), &[]);
    Ok((out, warnings))
}

/// Helm's `MergeValues(chart, nil)`: the chart's defaults with its subcharts' merged in, nulls
/// kept (import-values computes the chart's rewritten defaults from it, which are coalesced
/// again later). The chart's own defaults are moved into the result, not copied: the caller
/// replaces `chart.values` with what it computes from the result (on an error they are gone,
/// and the render fails).
pub(crate) fn merge_defaults_out(
    chart: &mut Chart,
    warnings: &mut Vec<String>,
) -> Result<Map, ValuesError> {
    let defaults = std::mem::take(&mut chart.values);
    coalesce_chart_with(chart, Some(defaults), Map::new(), "", true, warnings)
}

/// Helm's `CoalesceValues` without chartroom's final null clean-up (for reading tags and
/// conditions exactly as Helm sees them). Warnings are dropped: the final coalesce reports them.
pub(crate) fn coalesce_keep_nulls(chart: &Chart, values: &Map) -> Result<Map, ValuesError> {
    coalesce_chart(chart, values.clone(), "", false, &mut Vec::new())
}

/// [`coalesce_keep_nulls`] for only the top-level keys `want` accepts, plus `global` and every
/// subchart's section (which the subcharts' scopes are made from). Each top-level key of the
/// result depends only on that key of the values and the defaults (a subchart's section also on
/// `global`), so the keys kept come out exactly as in the full result: reading the tags and
/// conditions this way copies the few sections they name, not the whole values tree.
pub(crate) fn coalesce_keep_nulls_only(
    chart: &Chart,
    values: &Map,
    want: impl Fn(&str) -> bool,
) -> Result<Map, ValuesError> {
    let keep =
        |k: &str| want(k) || k == GLOBAL_KEY || chart.dependencies.iter().any(|d| d.name() == k);
    let pick = |m: &Map| -> Map {
        m.iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let defaults = Some(pick(&chart.values));
    coalesce_chart_with(chart, defaults, pick(values), "", false, &mut Vec::new())
}

/// Helm's `CoalesceTables(dst, src)`: `dst` wins; a null in `dst` deletes the key when `src`
/// has a value for it. (Only Helm's tests call it directly; coalescing uses the same code.)
#[cfg(test)]
pub(crate) fn coalesce_tables(dst: Map, src: Map, warnings: &mut Vec<String>) -> Map {
    tables(dst, src, "", false, warnings)
}

/// Helm's `MergeTables(dst, src)`: `dst` wins; nulls are kept.
pub(crate) fn merge_tables(dst: Map, src: Map, warnings: &mut Vec<String>) -> Map {
    tables(dst, src, "", true, warnings)
}

fn concat(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

fn coalesce_chart(
    chart: &Chart,
    dest: Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<String>,
) -> Result<Map, ValuesError> {
    coalesce_chart_with(chart, None, dest, prefix, merge, warnings)
}

/// [`coalesce_chart`] with the chart's own defaults given (`Some`, moved into the result) or
/// `chart.values` (`None`, copied where used).
fn coalesce_chart_with(
    chart: &Chart,
    defaults: Option<Map>,
    dest: Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<String>,
) -> Result<Map, ValuesError> {
    let dest = coalesce_values(chart, defaults, dest, prefix, merge, warnings);
    coalesce_deps(chart, dest, prefix, merge, warnings)
}

/// One chart's defaults under `v` (the values for this chart's scope). The result lists the
/// chart's keys in `values.yaml` order, then keys only the higher values have. The defaults
/// are `chart.values`, copied where they are used, or `owned` (moved).
fn coalesce_values(
    chart: &Chart,
    owned: Option<Map>,
    mut v: Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<String>,
) -> Map {
    let sub_prefix = concat(prefix, chart.name());
    let mut out = Map::new();
    let defaults: Box<dyn Iterator<Item = (Cow<'_, String>, Cow<'_, Value>)>> = match owned {
        Some(m) => Box::new(m.into_iter().map(|(k, d)| (Cow::Owned(k), Cow::Owned(d)))),
        None => Box::new(
            chart
                .values
                .iter()
                .map(|(k, d)| (Cow::Borrowed(k), Cow::Borrowed(d))),
        ),
    };
    for (key, default) in defaults {
        match v.shift_remove(key.as_str()) {
            None => {
                out.insert(key.into_owned(), default.into_owned());
            }
            Some(Value::Null) if !merge => {
                // A user null removes the chart default.
            }
            Some(Value::Object(dest)) => match default.into_owned() {
                Value::Object(src) => {
                    // A subchart's section keeps its nulls so they can delete the subchart's
                    // own defaults one level down.
                    let merge = merge || chart.dependencies.iter().any(|d| d.name() == *key);
                    let merged = tables(dest, src, &concat(&sub_prefix, &key), merge, warnings);
                    out.insert(key.into_owned(), Value::Object(merged));
                }
                other => {
                    if !other.is_null() {
                        warnings.push(format!(
                            "warning: skipped value for {sub_prefix}.{key}: Not a table."
                        ));
                    }
                    out.insert(key.into_owned(), Value::Object(dest));
                }
            },
            Some(higher) => {
                out.insert(key.into_owned(), higher);
            }
        }
    }
    for (k, val) in v {
        out.insert(k, val);
    }
    out
}

/// Each subchart's scope: globals copied down, then the subchart coalesced recursively.
fn coalesce_deps(
    chart: &Chart,
    mut dest: Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<String>,
) -> Result<Map, ValuesError> {
    let sub_prefix = concat(prefix, chart.name());
    for sub in &chart.dependencies {
        let name = sub.name();
        let mut scope = match dest.get_mut(name) {
            None => Map::new(),
            Some(Value::Object(m)) => std::mem::take(m),
            Some(other) => {
                return Err(ValuesError::SubchartNotMap {
                    name: name.to_string(),
                    found: kind_of(other),
                });
            }
        };
        coalesce_globals(&mut scope, &dest, &sub_prefix, warnings);
        let scope = coalesce_chart(sub, scope, &sub_prefix, merge, warnings)?;
        dest.insert(name.to_string(), Value::Object(scope));
    }
    Ok(dest)
}

/// Copies the parent's `global` into a subchart's scope; the parent's keys win, maps under
/// `global` merge (Helm's `coalesceGlobals`). The scope always ends up with a `global` map.
fn coalesce_globals(scope: &mut Map, parent: &Map, prefix: &str, warnings: &mut Vec<String>) {
    let mut dg = match scope.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            warnings.push(format!(
                "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
            ));
            return;
        }
    };
    let empty = Map::new();
    let sg = match parent.get(GLOBAL_KEY) {
        None => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => {
            warnings.push(format!(
                "warning: skipping globals because source {GLOBAL_KEY} is not a table."
            ));
            return;
        }
    };
    for (key, val) in sg {
        match val {
            Value::Object(vv) => match dg.get(key) {
                None => {
                    dg.insert(key.clone(), val.clone());
                }
                Some(Value::Object(child)) => {
                    let merged = tables(
                        vv.clone(),
                        child.clone(),
                        &concat(prefix, key),
                        true,
                        warnings,
                    );
                    dg.insert(key.clone(), Value::Object(merged));
                }
                Some(_) => warnings.push(format!(
                    "Conflict: cannot merge map onto non-map for {}. Skipping.",
                    super::gofmt::quote(key)
                )),
            },
            _ if dg.get(key).is_some_and(Value::is_object) => {
                warnings.push(format!("key {key} is table. Skipping"));
            }
            _ => {
                dg.insert(key.clone(), val.clone());
            }
        }
    }
    scope.insert(GLOBAL_KEY.to_string(), Value::Object(dg));
}

/// Helm's `coalesceTablesFullKey`: `dst` (higher) over `src` (lower). In coalesce mode a null in
/// `dst` deletes a non-null `src` value; in merge mode it stays. The result lists `src`'s keys
/// first, then keys only `dst` has.
fn tables(mut dst: Map, src: Map, prefix: &str, merge: bool, warnings: &mut Vec<String>) -> Map {
    let mut out = Map::new();
    for (key, lower) in src {
        let full = concat(prefix, &key);
        match dst.shift_remove(&key) {
            None => {
                out.insert(key, lower);
            }
            Some(Value::Null) => {
                if !merge && !lower.is_null() {
                    // The higher values null out this default.
                    continue;
                }
                if lower.is_object() {
                    warnings.push(format!(
                        "warning: cannot overwrite table with non table for {full}"
                    ));
                }
                out.insert(key, Value::Null);
            }
            Some(Value::Object(higher)) => match lower {
                Value::Object(lower) => {
                    let merged = tables(higher, lower, &full, merge, warnings);
                    out.insert(key, Value::Object(merged));
                }
                lower => {
                    if !lower.is_null() {
                        warnings.push(format!(
                            "warning: destination for {full} is a table. Ignoring non-table value"
                        ));
                    }
                    out.insert(key, Value::Object(higher));
                }
            },
            Some(higher) => {
                if lower.is_object() {
                    warnings.push(format!(
                        "warning: cannot overwrite table with non table for {full}"
                    ));
                }
                out.insert(key, higher);
            }
        }
    }
    for (k, v) in dst {
        out.insert(k, v);
    }
    out
}

/// Removes nulls the user did not write: they came from a chart's `values.yaml` and had no
/// default left to delete. A null stays when the user values hold a null at the same place
/// (for `global`, at the same place under any enclosing scope's user `global`).
fn drop_default_nulls(chart: &Chart, vals: &mut Map, user: Option<&Map>, user_globals: &[&Value]) {
    vals.retain(|key, v| {
        let u = user.and_then(|u| u.get(key));
        if key == GLOBAL_KEY {
            let refs: Vec<&Value> = user_globals.iter().copied().chain(u).collect();
            prune(v, &refs);
            return keep(v, &refs);
        }
        if let Value::Object(scope) = v
            && let Some(sub) = chart.dependencies.iter().find(|d| d.name() == key)
        {
            let mut globals = user_globals.to_vec();
            globals.extend(user.and_then(|u| u.get(GLOBAL_KEY)));
            drop_default_nulls(sub, scope, u.and_then(Value::as_object), &globals);
            return true;
        }
        let refs: Vec<&Value> = u.into_iter().collect();
        prune(v, &refs);
        keep(v, &refs)
    });
}

fn keep(v: &Value, user_refs: &[&Value]) -> bool {
    !v.is_null() || user_refs.iter().any(|r| r.is_null())
}

fn prune(v: &mut Value, user_refs: &[&Value]) {
    if let Value::Object(m) = v {
        m.retain(|k, child| {
            let refs: Vec<&Value> = user_refs.iter().filter_map(|r| r.get(k)).collect();
            prune(child, &refs);
            keep(child, &refs)
        });
    }
}

#[cfg(test)]
#[path = "coalesce_tests.rs"]
mod tests;
