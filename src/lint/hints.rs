//! Which values key sets the field a production finding is about, so the fix can say
//! `--set primary.resources.limits.memory=…` instead of "add limits".
//!
//! The heuristic: search the references of the template that rendered the object (then the
//! chart's `_*.tpl` helpers) for one ending in the field path, longest match first:
//! `.Values.primary.resources` matches `resources.limits` with `limits` appended. For the
//! field's first name a reference whose last name merely ends with it also counts
//! (`containerSecurityContext` for `securityContext`). Ties go to the reference that names the
//! container (`backup.resources` for container `backup`), then to one that says `container` or
//! `pod` as the level asks, then to keys the chart's values.yaml defines, then to the shortest.
//! Object-level hints (`pdb.enabled`, `networkPolicy.enabled`) are looked up among the chart's
//! defaults instead, `create` accepted for `enabled`. Keys of subcharts get the subchart's
//! prefix. No match: the rule's generic fix.

use super::index::{Index, VPath};
use super::object::Object;
use super::production::{Hint, Level};
use crate::{Map, Value};

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn defines(defaults: &Map, path: &[String]) -> bool {
    let mut cur = defaults;
    for (i, k) in path.iter().enumerate() {
        match cur.get(k) {
            Some(Value::Object(m)) => cur = m,
            Some(_) => return i + 1 == path.len(),
            None => return false,
        }
    }
    true
}

/// Candidate keys for `field` among `refs`, with the number of field names matched.
fn matches(refs: &[VPath], field: &[&str]) -> Vec<(usize, VPath)> {
    let mut out = Vec::new();
    for r in refs {
        for k in (1..=field.len()).rev() {
            let exact = r.len() >= k
                && r[r.len() - k..]
                    .iter()
                    .zip(&field[..k])
                    .all(|(a, b)| eq(a, b));
            let suffix = k == 1
                && r.last().is_some_and(|last| {
                    last.len() > field[0].len()
                        && last
                            .to_ascii_lowercase()
                            .ends_with(&field[0].to_ascii_lowercase())
                });
            if exact || suffix {
                let mut key = r.clone();
                key.extend(field[k..].iter().map(|s| s.to_string()));
                out.push((k, key));
                break;
            }
        }
    }
    out
}

fn score(key: &VPath, level: &Level, defaults: &Map, matched: usize) -> (usize, i32, usize) {
    let lower: Vec<String> = key.iter().map(|s| s.to_ascii_lowercase()).collect();
    let has = |needle: &str| lower.iter().any(|s| s.contains(needle));
    let mut s = 0;
    match level {
        Level::Container(name) => {
            let name = name.to_ascii_lowercase();
            if !name.is_empty() && lower.iter().any(|seg| *seg == name || seg.contains(&name)) {
                s += 4;
            }
            if has("container") {
                s += 1;
            }
            if has("pod") {
                s -= 1;
            }
        }
        Level::Pod => {
            if has("pod") {
                s += 1;
            }
            if has("container") {
                s -= 1;
            }
        }
        Level::Object => {}
    }
    let prefix = key.len().saturating_sub(1).max(1).min(key.len());
    if defines(defaults, &key[..prefix]) {
        s += 2;
    }
    (matched, s, usize::MAX - key.len())
}

/// The values key (dotted from the root values) that sets the hinted field of `obj`.
pub fn values_key(index: &Index, obj: &Object, hint: &Hint) -> Option<String> {
    let (_, reads) = index.chart_of(&obj.doc.source)?;
    let key = if hint.level == Level::Object {
        object_key(&reads.defaults, &hint.field)?
    } else {
        let file_refs = index.files.get(&obj.doc.source);
        let mut found = file_refs
            .map(|r| matches(r, &hint.field))
            .unwrap_or_default();
        if found.is_empty() {
            // The chart's helpers (`_*.tpl`), where shared snippets live.
            let (chart_dir, _) = index.chart_of(&obj.doc.source)?;
            let helpers: Vec<VPath> = index
                .files
                .iter()
                .filter(|(name, _)| {
                    name.strip_prefix(chart_dir.as_str())
                        .and_then(|rest| rest.strip_prefix("/templates/"))
                        .is_some_and(|rel| {
                            rel.rsplit('/').next().is_some_and(|b| b.starts_with('_'))
                        })
                })
                .flat_map(|(_, r)| r.iter().cloned())
                .collect();
            found = matches(&helpers, &hint.field);
        }
        found
            .into_iter()
            .max_by_key(|(m, k)| score(k, &hint.level, &reads.defaults, *m))?
            .1
    };
    Some(
        reads
            .scope
            .iter()
            .chain(key.iter())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// `pdb.enabled`-style keys: the shortest path in the defaults ending in the field
/// (`create` standing in for `enabled`).
fn object_key(defaults: &Map, field: &[&str]) -> Option<VPath> {
    let mut all = Vec::new();
    walk(defaults, &mut Vec::new(), &mut all);
    let alt: Vec<&str> = field
        .iter()
        .map(|f| if *f == "enabled" { "create" } else { f })
        .collect();
    all.into_iter()
        .filter(|p| {
            [field, alt.as_slice()].iter().any(|f| {
                p.len() >= f.len()
                    && p[p.len() - f.len()..]
                        .iter()
                        .zip(f.iter())
                        .all(|(a, b)| eq(a, b))
            })
        })
        .min_by_key(|p| p.len())
}

fn walk(m: &Map, prefix: &mut VPath, out: &mut Vec<VPath>) {
    for (k, v) in m {
        if out.len() > 50_000 {
            return;
        }
        prefix.push(k.clone());
        out.push(prefix.clone());
        if let Value::Object(c) = v {
            walk(c, prefix, out);
        }
        prefix.pop();
    }
}

/// The fix text for a hint: with the key when one was found, else `generic`.
pub fn fix_text(key: Option<&str>, hint: &Hint, generic: &str) -> String {
    match key {
        Some(k) if hint.example.starts_with('{') || hint.example.starts_with('[') => {
            format!("set {k}: {} in your values", hint.example)
        }
        Some(k) => format!("set {k}={} (--set or your values file)", hint.example),
        None => generic.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(list: &[&str]) -> Vec<VPath> {
        list.iter()
            .map(|s| s.split('.').map(str::to_string).collect())
            .collect()
    }

    fn best(list: &[&str], field: &[&str], level: Level, defaults: serde_json::Value) -> String {
        let d = defaults.as_object().cloned().unwrap_or_default();
        matches(&refs(list), field)
            .into_iter()
            .max_by_key(|(m, k)| score(k, &level, &d, *m))
            .map(|(_, k)| k.join("."))
            .unwrap_or_default()
    }

    #[test]
    fn picks_the_reference_ending_in_the_field() {
        let c = |n: &str| Level::Container(n.into());
        assert_eq!(
            best(
                &["image.tag", "primary.resources"],
                &["resources", "limits"],
                c("postgres"),
                serde_json::json!({})
            ),
            "primary.resources.limits"
        );
        assert_eq!(
            best(
                &["primary.resources", "backup.resources"],
                &["resources", "limits"],
                c("backup"),
                serde_json::json!({})
            ),
            "backup.resources.limits"
        );
        assert_eq!(
            best(
                &["podSecurityContext", "containerSecurityContext"],
                &["securityContext", "runAsNonRoot"],
                c("app"),
                serde_json::json!({})
            ),
            "containerSecurityContext.runAsNonRoot"
        );
        assert_eq!(
            best(
                &["podSecurityContext", "containerSecurityContext"],
                &["securityContext", "runAsNonRoot"],
                Level::Pod,
                serde_json::json!({})
            ),
            "podSecurityContext.runAsNonRoot"
        );
        assert_eq!(
            best(
                &["securityContext.runAsNonRoot", "securityContext"],
                &["securityContext", "runAsNonRoot"],
                c("a"),
                serde_json::json!({})
            ),
            "securityContext.runAsNonRoot"
        );
        assert_eq!(
            best(
                &["service.port"],
                &["resources"],
                c("a"),
                serde_json::json!({})
            ),
            ""
        );
    }

    #[test]
    fn object_keys_come_from_the_defaults() {
        let d = serde_json::json!({"primary": {"pdb": {"create": true}}, "networkPolicy": {"enabled": false}});
        let d = d.as_object().unwrap();
        assert_eq!(
            object_key(d, &["pdb", "enabled"]).unwrap().join("."),
            "primary.pdb.create"
        );
        assert_eq!(
            object_key(d, &["networkPolicy", "enabled"])
                .unwrap()
                .join("."),
            "networkPolicy.enabled"
        );
        assert!(object_key(d, &["hpa", "enabled"]).is_none());
    }

    #[test]
    fn fix_texts() {
        let h = |example| Hint {
            level: Level::Pod,
            field: vec!["x"],
            example,
        };
        assert_eq!(
            fix_text(Some("a.b"), &h("true"), "g"),
            "set a.b=true (--set or your values file)"
        );
        assert_eq!(
            fix_text(Some("r"), &h("{cpu: 1}"), "g"),
            "set r: {cpu: 1} in your values"
        );
        assert_eq!(fix_text(None, &h("true"), "generic"), "generic");
    }
}
