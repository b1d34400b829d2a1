//! Unused and misspelt values: the user-supplied keys (from `-f`/`--set`...) that no template
//! of the chart they reach reads, with the closest key the chart defines or reads.
//!
//! A key is read when a reference is a prefix of it (`toYaml .Values.x` reads all of `x`) or
//! it is a prefix of a reference. Keys under a subchart's name are checked against that
//! subchart's templates (and the parent's references to them), `global` against every chart;
//! a chart that uses its values whole reads every key. Keys the chart's own values.yaml
//! defines are never reported (they are no typo, even where no template reads them), nor keys
//! of disabled subcharts.

use super::index::{ChartReads, Index, VPath};
use super::suggest;
use crate::{Map, Value};

/// A user-supplied key no template reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    /// Dotted path from the root values (`postgresql.auth.pasword`).
    pub key: String,
    /// The closest key the chart knows, dotted from the root values.
    pub suggestion: Option<String>,
    /// Full path of the chart whose templates were searched.
    pub chart: String,
}

#[derive(PartialEq, Eq)]
enum Status {
    Read,
    Partly,
    Unread,
}

fn status(path: &[String], refs: &[VPath]) -> Status {
    let mut partly = false;
    for r in refs {
        if r.len() <= path.len() && path.starts_with(r) {
            return Status::Read;
        }
        if r.starts_with(path) {
            partly = true;
        }
    }
    if partly {
        Status::Partly
    } else {
        Status::Unread
    }
}

/// At most this many unused keys are reported (each with a suggestion): a values file this
/// wrong needs reading, not a longer list.
pub const MAX_REPORTED: usize = 200;

/// The scope a key is checked in: one chart's references (and its children's scopes).
struct Scope<'a> {
    full_path: String,
    reads: &'a ChartReads,
    refs: Vec<VPath>,
    whole: bool,
    /// Every key the scope knows (defaults and references), built on first use.
    known: std::cell::OnceCell<Vec<VPath>>,
}

/// Finds the unused keys of `user`.
pub fn unused(index: &Index, root: &str, user: &Map) -> Vec<Unused> {
    let mut out = Vec::new();
    let Some(reads) = index.charts.get(root) else {
        return out;
    };
    let mut refs = reads.refs.clone();
    refs.extend(index.shared.iter().cloned());
    let scope = Scope {
        full_path: root.to_string(),
        reads,
        refs,
        whole: reads.whole || index.shared_whole,
        known: Default::default(),
    };
    for (k, v) in user {
        if k == crate::values::GLOBAL_KEY {
            check_global(index, v, &mut out, root);
            continue;
        }
        walk_key(index, &scope, k, v, &mut out);
    }
    out
}

fn walk_key(index: &Index, scope: &Scope, k: &str, v: &Value, out: &mut Vec<Unused>) {
    if let Some((_, rendered)) = scope.reads.dependencies.iter().find(|(n, _)| n == k) {
        if !rendered {
            return;
        }
        let sub_path = format!("{}/charts/{k}", scope.full_path);
        let Some(sub) = index.charts.get(&sub_path) else {
            return;
        };
        let key = vec![k.to_string()];
        if scope.whole || status(&key, &scope.refs) == Status::Read {
            return;
        }
        let Value::Object(m) = v else { return };
        // The subchart's own references, and the parent's reads of `k.*`.
        let mut refs = sub.refs.clone();
        refs.extend(index.shared.iter().cloned());
        refs.extend(
            scope
                .refs
                .iter()
                .filter(|r| r.len() > 1 && r[0] == k)
                .map(|r| r[1..].to_vec()),
        );
        let child = Scope {
            full_path: sub_path,
            reads: sub,
            refs,
            whole: sub.whole || index.shared_whole,
            known: Default::default(),
        };
        for (ck, cv) in m {
            if ck == crate::values::GLOBAL_KEY {
                continue;
            }
            walk_key(index, &child, ck, cv, out);
        }
        return;
    }
    check(scope, &mut vec![k.to_string()], v, out);
}

fn check(scope: &Scope, path: &mut VPath, v: &Value, out: &mut Vec<Unused>) {
    if scope.whole || out.len() >= MAX_REPORTED {
        return;
    }
    match status(path, &scope.refs) {
        Status::Read => {}
        Status::Partly => {
            if let Value::Object(m) = v {
                for (k, cv) in m {
                    path.push(k.clone());
                    check(scope, path, cv, out);
                    path.pop();
                }
            }
        }
        Status::Unread => {
            if defined(&scope.reads.defaults, path) {
                return;
            }
            out.push(Unused {
                key: dotted(&scope.reads.scope, path),
                suggestion: suggest_key(scope, path).map(|s| dotted(&scope.reads.scope, &s)),
                chart: scope.full_path.clone(),
            });
        }
    }
}

fn check_global(index: &Index, v: &Value, out: &mut Vec<Unused>, root: &str) {
    if index.shared_whole || index.charts.values().any(|c| c.whole) {
        return;
    }
    let mut refs: Vec<VPath> = index
        .charts
        .values()
        .flat_map(|c| c.refs.iter())
        .chain(index.shared.iter())
        .filter(|r| r.first().map(String::as_str) == Some(crate::values::GLOBAL_KEY))
        .cloned()
        .collect();
    refs.sort();
    refs.dedup();
    let Some(reads) = index.charts.get(root) else {
        return;
    };
    let mut defaults = Map::new();
    for c in index.charts.values() {
        if let Some(Value::Object(g)) = c.defaults.get(crate::values::GLOBAL_KEY) {
            for (k, v) in g {
                defaults.insert(k.clone(), v.clone());
            }
        }
    }
    let mut all_defaults = Map::new();
    all_defaults.insert(
        crate::values::GLOBAL_KEY.to_string(),
        Value::Object(defaults),
    );
    let global_reads = ChartReads {
        defaults: all_defaults,
        ..reads.clone()
    };
    let scope = Scope {
        full_path: root.to_string(),
        reads: &global_reads,
        refs,
        whole: false,
        known: Default::default(),
    };
    check(
        &scope,
        &mut vec![crate::values::GLOBAL_KEY.to_string()],
        v,
        out,
    );
}

fn defined(defaults: &Map, path: &[String]) -> bool {
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

fn dotted(scope: &[String], path: &[String]) -> String {
    scope
        .iter()
        .chain(path.iter())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(".")
}

/// Every key path of a map, maps included (`a`, `a.b`, ...), up to a bound.
fn flatten(m: &Map, prefix: &mut VPath, out: &mut Vec<VPath>) {
    for (k, v) in m {
        if out.len() >= 100_000 {
            return;
        }
        prefix.push(k.clone());
        out.push(prefix.clone());
        if let Value::Object(child) = v {
            flatten(child, prefix, out);
        }
        prefix.pop();
    }
}

/// The closest known key: first a sibling, then a key anywhere with a close last name, then
/// the closest whole path.
fn suggest_key(scope: &Scope, path: &[String]) -> Option<VPath> {
    let known = scope.known.get_or_init(|| {
        let mut known: Vec<VPath> = Vec::new();
        flatten(&scope.reads.defaults, &mut Vec::new(), &mut known);
        known.extend(scope.refs.iter().filter(|r| !r.is_empty()).cloned());
        known.sort();
        known.dedup();
        known
    });
    let (last, parent) = path.split_last()?;
    let siblings: Vec<&VPath> = known
        .iter()
        .filter(|k| k.len() == path.len() && k[..parent.len()] == *parent)
        .collect();
    if let Some(best) = suggest::closest(last, siblings.iter().map(|k| k[parent.len()].as_str())) {
        let mut p = parent.to_vec();
        p.push(best.to_string());
        return Some(p);
    }
    // A key with a close (or equal) last name elsewhere: the shortest such path.
    let limit = suggest::budget(last);
    let mut best: Option<(usize, usize, &VPath)> = None;
    for k in known {
        let Some(name) = k.last() else { continue };
        if k.as_slice() == path {
            continue;
        }
        let d = suggest::distance(last, name, limit);
        if d <= limit && best.is_none_or(|(bd, bl, _)| (d, k.len()) < (bd, bl)) {
            best = Some((d, k.len(), k));
        }
    }
    if let Some((_, _, k)) = best {
        return Some(k.clone());
    }
    let whole = path.join(".");
    let joined: Vec<String> = known.iter().map(|k| k.join(".")).collect();
    suggest::closest(&whole, joined.iter().map(String::as_str))
        .map(|s| s.split('.').map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Chart, Dependency, Engine, File, Metadata};
    use serde_json::json;

    fn chart(name: &str, templates: &[&str], defaults: Value) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                ..Metadata::default()
            },
            engine: Engine::GoTemplate,
            templates: templates
                .iter()
                .enumerate()
                .map(|(i, d)| File {
                    name: format!("templates/t{i}.yaml"),
                    data: d.as_bytes().to_vec(),
                })
                .collect(),
            values: defaults.as_object().cloned().unwrap_or_default(),
            full_path: name.into(),
            ..Chart::default()
        }
    }

    fn tree() -> Chart {
        let mut root = chart(
            "root",
            &[
                "{{ .Values.replicaCount }} {{ .Values.image.tag }} {{ toYaml .Values.resources }} {{ .Values.db.host }} {{ .Values.global.region }}",
            ],
            json!({"replicaCount": 1, "image": {"tag": "1", "pullPolicy": "IfNotPresent"}, "resources": {}, "docsOnly": 1}),
        );
        let mut db = chart(
            "db",
            &["{{ .Values.auth.password }} {{ .Values.global.imageRegistry }}"],
            json!({"auth": {"password": ""}}),
        );
        db.full_path = "root/charts/db".into();
        root.dependencies.push(db);
        root.metadata.dependencies = vec![
            Dependency {
                name: "db".into(),
                condition: "db.enabled".into(),
                ..Default::default()
            },
            Dependency {
                name: "cache".into(),
                ..Default::default()
            },
        ];
        root
    }

    fn run(user: Value) -> Vec<(String, Option<String>)> {
        let root = tree();
        let user = user.as_object().cloned().unwrap();
        let idx = Index::build(&root, &user);
        unused(&idx, "root", &user)
            .into_iter()
            .map(|u| (u.key, u.suggestion))
            .collect()
    }

    #[test]
    fn typos_are_found_with_suggestions() {
        assert_eq!(
            run(json!({"replicaCuont": 2})),
            vec![("replicaCuont".into(), Some("replicaCount".into()))]
        );
        assert_eq!(
            run(json!({"image": {"tagg": "2"}})),
            vec![("image.tagg".into(), Some("image.tag".into()))]
        );
        assert_eq!(
            run(json!({"db": {"auth": {"pasword": "x"}}})),
            vec![("db.auth.pasword".into(), Some("db.auth.password".into()))]
        );
        assert_eq!(
            run(json!({"global": {"imageRegistyr": "r"}})),
            vec![(
                "global.imageRegistyr".into(),
                Some("global.imageRegistry".into())
            )]
        );
        assert_eq!(
            run(json!({"something": {"else": 1}})),
            vec![("something".into(), None)]
        );
        // A close last name elsewhere in the tree.
        assert_eq!(
            run(json!({"tagg": "2"})),
            vec![("tagg".into(), Some("image.tag".into()))]
        );
    }

    #[test]
    fn read_keys_are_not_reported() {
        let user = json!({
            "replicaCount": 2,
            "image": {"tag": "2", "pullPolicy": "Always"},
            "resources": {"limits": {"cpu": 1}},
            "db": {"enabled": true, "auth": {"password": "x"}},
            "cache": {"anything": 1},
            "global": {"region": "eu", "imageRegistry": "r"},
            "docsOnly": 2
        });
        assert_eq!(run(user), vec![]);
    }

    #[test]
    fn many_typos_are_bounded() {
        let mut user = Map::new();
        for i in 0..50_000 {
            user.insert(format!("key{i}"), json!(i));
        }
        let root = tree();
        let idx = Index::build(&root, &user);
        // Quadratic work here (a suggestion for each of 50,000 keys) would not finish.
        let found = unused(&idx, "root", &user);
        assert_eq!(found.len(), MAX_REPORTED);
    }

    #[test]
    fn whole_use_reads_everything() {
        let mut root = tree();
        root.templates.push(File {
            name: "templates/all.yaml".into(),
            data: b"{{ toYaml .Values }}".to_vec(),
        });
        let user = json!({"nope": 1}).as_object().cloned().unwrap();
        let idx = Index::build(&root, &user);
        assert!(unused(&idx, "root", &user).is_empty());
    }
}
