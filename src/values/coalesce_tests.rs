//! Facts from Helm's `coalesce_test.go` (TestCoalesceValues with the moby → pequod → ahab and
//! spouter charts, TestCoalesceTables, TestMergeTables, the warnings test and the nil/global
//! regression tests), on chartroom's own fixture data, plus chartroom's null rule.

use super::*;
use crate::values::testutil::{
    chart, fixture_path, helm_values, load_fixture, lookup, map, same_shown, shown,
};
use serde_json::json;

/// The moby chart tree of TestCoalesceValues: moby → (pequod → ahab), spouter.
fn moby() -> Chart {
    load_fixture("moby")
}

/// The user values of TestCoalesceValues (nulls in the four YAML spellings).
fn moby_user_values() -> Map {
    let text = std::fs::read_to_string(fixture_path("moby.user-values.yaml")).unwrap();
    map(&text)
}

#[test]
fn coalesce_values_moby() {
    let c = moby();
    let user = moby_user_values();
    let before = user.clone();
    let chart_before = c.values.clone();
    let (v, _warnings) = coalesce(&c, &user).unwrap();

    let facts: &[(&str, Option<Value>)] = &[
        ("top", Some(json!("yup"))),
        ("back", Some(json!(""))),
        ("name", Some(json!("moby"))),
        ("global.name", Some(json!("Ishmael"))),
        ("global.subject", Some(json!("Queequeg"))),
        ("global.harpooner", None),
        ("pequod.name", Some(json!("pequod"))),
        ("pequod.ahab.name", Some(json!("ahab"))),
        ("pequod.ahab.scope", Some(json!("whale"))),
        ("pequod.ahab.nested.foo", Some(json!(true))),
        ("pequod.ahab.global.name", Some(json!("Ishmael"))),
        ("pequod.ahab.global.nested.foo", Some(json!("bar"))),
        ("pequod.ahab.global.nested.foo2", None),
        ("pequod.ahab.global.subject", Some(json!("Queequeg"))),
        ("pequod.ahab.global.harpooner", Some(json!("Tashtego"))),
        ("pequod.global.name", Some(json!("Ishmael"))),
        ("pequod.global.nested.foo", None),
        ("pequod.global.subject", Some(json!("Queequeg"))),
        ("spouter.global.name", Some(json!("Ishmael"))),
        ("spouter.global.harpooner", None),
        ("global.nested.boat", Some(json!(true))),
        ("pequod.global.nested.boat", Some(json!(true))),
        ("spouter.global.nested.boat", Some(json!(true))),
        ("pequod.global.nested.sail", Some(json!(true))),
        ("spouter.global.nested.sail", None),
        ("global.nested2.l0", Some(json!("moby"))),
        ("global.nested2.l1", None),
        ("global.nested2.l2", None),
        ("pequod.global.nested2.l0", Some(json!("moby"))),
        ("pequod.global.nested2.l1", Some(json!("pequod"))),
        ("pequod.global.nested2.l2", None),
        ("pequod.ahab.global.nested2.l0", Some(json!("moby"))),
        ("pequod.ahab.global.nested2.l1", Some(json!("pequod"))),
        ("pequod.ahab.global.nested2.l2", Some(json!("ahab"))),
        ("spouter.global.nested2.l0", Some(json!("moby"))),
        ("spouter.global.nested2.l1", Some(json!("spouter"))),
        ("spouter.global.nested2.l2", None),
    ];
    assert_eq!(facts.len(), 37);
    for (path, expect) in facts {
        assert_eq!(shown(&v, path), expect.as_ref(), "{path}");
    }

    // User nulls remove the defaults they land on, at every level.
    for removed in [
        "bottom",
        "right",
        "left",
        "front",
        "nested.boat",
        "pequod.boat",
        "pequod.ahab.boat",
        "pequod.ahab.nested.boat",
        "pequod.ahab.object",
    ] {
        assert_eq!(lookup(&v, removed), None, "{removed} should be removed");
    }

    // Inputs are not mutated.
    assert_eq!(user, before);
    assert_eq!(c.values, chart_before);
}

fn address_tables() -> (Map, Map) {
    let dst = map(r#"
name: Ishmael
address: {street: 123 Spouter Inn Ct., city: Nantucket, country: null}
details: {friends: [Tashtego]}
boat: pequod
hole: null
"#);
    let src = map(r#"
occupation: whaler
address: {state: MA, street: 234 Spouter Inn Ct., country: US}
details: empty
boat: {mast: true}
hole: black
"#);
    (dst, src)
}

fn full_dst2() -> Map {
    map(r#"
name: Ishmael
address: {street: 123 Spouter Inn Ct., city: Nantucket, country: US}
details: {friends: [Tashtego]}
boat: pequod
hole: black
nilval: null
"#)
}

#[test]
fn coalesce_tables_facts() {
    let (dst, src) = address_tables();
    let mut w = Vec::new();
    let out = coalesce_tables(dst, src, &mut w);
    assert_eq!(shown(&out, "name"), Some(&json!("Ishmael")));
    assert_eq!(shown(&out, "occupation"), Some(&json!("whaler")));
    assert_eq!(
        shown(&out, "address.street"),
        Some(&json!("123 Spouter Inn Ct."))
    );
    assert_eq!(shown(&out, "address.city"), Some(&json!("Nantucket")));
    assert_eq!(shown(&out, "address.state"), Some(&json!("MA")));
    assert_eq!(
        lookup(&out, "address.country"),
        None,
        "the country is left out"
    );
    assert!(lookup(&out, "details.friends").is_some());
    assert_eq!(shown(&out, "boat"), Some(&json!("pequod")));
    assert_eq!(lookup(&out, "hole"), None, "the hole is gone");

    // An empty source (Helm: nil) leaves everything, nulls included.
    let out = coalesce_tables(full_dst2(), Map::new(), &mut w);
    assert_eq!(out, full_dst2());
}

#[test]
fn merge_tables_facts() {
    let (dst, src) = address_tables();
    let mut w = Vec::new();
    let out = merge_tables(dst, src, &mut w);
    assert_eq!(shown(&out, "name"), Some(&json!("Ishmael")));
    assert_eq!(shown(&out, "occupation"), Some(&json!("whaler")));
    assert_eq!(
        shown(&out, "address.street"),
        Some(&json!("123 Spouter Inn Ct."))
    );
    assert_eq!(shown(&out, "address.city"), Some(&json!("Nantucket")));
    assert_eq!(shown(&out, "address.state"), Some(&json!("MA")));
    assert_eq!(
        lookup(&out, "address.country"),
        Some(&Value::Null),
        "kept as null"
    );
    assert!(lookup(&out, "details.friends").is_some());
    assert_eq!(shown(&out, "boat"), Some(&json!("pequod")));
    assert_eq!(lookup(&out, "hole"), Some(&Value::Null), "kept as null");

    let out = merge_tables(full_dst2(), Map::new(), &mut w);
    assert_eq!(out, full_dst2());
}

/// TestCoalesceValuesWarnings (chartroom's warnings never quote the value).
#[test]
fn warnings_name_the_full_key() {
    let level3 = chart(
        "level3",
        "name: ahab\nboat: true\nspear: {tip: true, sail: {cotton: true}}\n",
        vec![],
    );
    let level2 = chart("level2", "name: pequod\n", vec![level3]);
    let level1 = chart("level1", "name: moby\n", vec![level2]);
    let user = map(r#"
level2:
  level3:
    boat: {mast: true}
    spear:
      tip: {sharp: true}
      sail: true
"#);
    let (_, warnings) = coalesce(&level1, &user).unwrap();
    for w in [
        "warning: skipped value for level1.level2.level3.boat: Not a table.",
        "warning: destination for level1.level2.level3.spear.tip is a table. Ignoring non-table value",
        "warning: cannot overwrite table with non table for level1.level2.level3.spear.sail",
    ] {
        assert!(
            warnings.iter().any(|x| x == w),
            "missing {w:?} in {warnings:?}"
        );
    }
}

/// TestCoalesceValuesEmptyMapWithNils (#31643): a user null with no default stays.
#[test]
fn user_null_without_default_stays() {
    let c = chart("test", "data: {}\n", vec![]);
    let user = map("data: {foo: bar, baz: null}\n");
    let (v, _) = coalesce(&c, &user).unwrap();
    assert_eq!(
        Value::Object(v),
        json!({"data": {"foo": "bar", "baz": null}})
    );
}

/// TestCoalesceValuesSubchartDefaultNilsCleaned (#31919).
#[test]
fn subchart_default_nulls_are_dropped() {
    let child = chart("child", "keyMapping: {password: null}\n", vec![]);
    let parent = chart("parent", "", vec![child]);
    let (v, _) = coalesce(&parent, &Map::new()).unwrap();
    assert_eq!(lookup(&v, "child.keyMapping"), Some(&json!({})));
}

/// TestCoalesceValuesUserNullErasesSubchartDefault (#31919).
#[test]
fn user_null_erases_subchart_default() {
    let child = chart("child", "someKey: default\n", vec![]);
    let parent = chart("parent", "", vec![child]);
    let (v, _) = coalesce(&parent, &map("child: {someKey: null}\n")).unwrap();
    assert_eq!(lookup(&v, "child.someKey"), None);
    assert!(lookup(&v, "child").is_some_and(Value::is_object));
}

/// TestCoalesceValuesSubchartNilDoesNotShadowGlobal (#31971).
#[test]
fn subchart_default_null_does_not_shadow_a_global() {
    let child = chart("child", "ingress: {feature: null}\n", vec![]);
    let parent = chart("parent", "", vec![child]);
    let (v, _) = coalesce(&parent, &map("global: {ingress: {feature: true}}\n")).unwrap();
    assert_eq!(lookup(&v, "child.ingress"), Some(&json!({})));
    assert_eq!(
        lookup(&v, "child.global.ingress.feature"),
        Some(&json!(true))
    );
}

/// TestCoalesceValuesSubchartNilCleanedWhenUserPartiallyOverrides.
#[test]
fn subchart_default_null_dropped_when_user_overrides_the_map() {
    let child = chart(
        "child",
        "keyMapping: {password: null, format: bcrypt}\n",
        vec![],
    );
    let parent = chart("parent", "", vec![child]);
    let (v, _) = coalesce(&parent, &map("child: {keyMapping: {format: sha256}}\n")).unwrap();
    assert_eq!(
        lookup(&v, "child.keyMapping"),
        Some(&json!({"format": "sha256"}))
    );
}

/// helm-behaviour.md §2.2 and issue-9027 / helm#32132: a null in the parent's values for a
/// subchart key deletes the subchart's default (Helm 3.x / 4.1; Helm 4.2–4.3 regressed).
#[test]
fn parent_null_deletes_subchart_default() {
    let sub = chart(
        "sub",
        "resources: {limits: {cpu: 100m, memory: 1Gi}}\n",
        vec![],
    );
    let parent = chart(
        "parent",
        "rootnull: null\nsub:\n  resources: {limits: {cpu: null}}\n  newnull: null\n",
        vec![sub],
    );
    let (v, _) = coalesce(&parent, &Map::new()).unwrap();
    assert_eq!(
        lookup(&v, "sub.resources"),
        Some(&json!({"limits": {"memory": "1Gi"}}))
    );
    assert_eq!(
        lookup(&v, "sub.newnull"),
        None,
        "a default null that deleted nothing"
    );
    assert_eq!(
        lookup(&v, "rootnull"),
        None,
        "a default null that deleted nothing"
    );

    // The same when the user also writes into the subchart's section.
    let (v, _) = coalesce(&parent, &map("sub: {extra: 1}\n")).unwrap();
    assert_eq!(
        lookup(&v, "sub.resources"),
        Some(&json!({"limits": {"memory": "1Gi"}}))
    );
    assert_eq!(lookup(&v, "sub.extra"), Some(&json!(1)));
}

#[test]
fn lists_are_replaced_and_scopes_follow_names() {
    let sub = chart("sub", "ports: [80, 443]\nname: sub\n", vec![]);
    let mut aliased = chart("db", "size: 1\n", vec![]);
    aliased.metadata.name = "replica".into();
    let parent = chart("parent", "sub: {ports: [8080]}\n", vec![sub, aliased]);
    let (v, _) = coalesce(&parent, &map("replica: {size: 3}\n")).unwrap();
    assert_eq!(lookup(&v, "sub.ports"), Some(&json!([8080])));
    assert_eq!(lookup(&v, "sub.name"), Some(&json!("sub")));
    assert_eq!(lookup(&v, "replica.size"), Some(&json!(3)));
    assert_eq!(lookup(&v, "replica.global"), Some(&json!({})));
    assert_eq!(lookup(&v, "db"), None);
}

#[test]
fn globals_flow_down_only() {
    let leaf = chart("leaf", "global: {leafonly: 1, shared: leaf}\n", vec![]);
    let mid = chart("mid", "global: {midonly: 2, shared: mid}\n", vec![leaf]);
    let root = chart("root", "global: {shared: root}\n", vec![mid]);
    let (v, _) = coalesce(&root, &Map::new()).unwrap();
    assert_eq!(lookup(&v, "global"), Some(&json!({"shared": "root"})));
    assert_eq!(
        lookup(&v, "mid.global"),
        Some(&json!({"shared": "root", "midonly": 2}))
    );
    assert_eq!(
        lookup(&v, "mid.leaf.global"),
        Some(&json!({"shared": "root", "midonly": 2, "leafonly": 1}))
    );
}

#[test]
fn user_global_null_survives_copies_down() {
    let sub = chart("sub", "", vec![]);
    let root = chart("root", "", vec![sub]);
    let (v, _) = coalesce(&root, &map("global: {x: null}\n")).unwrap();
    assert_eq!(lookup(&v, "global.x"), Some(&Value::Null));
    assert_eq!(lookup(&v, "sub.global.x"), Some(&Value::Null));
}

#[test]
fn subchart_values_must_be_a_map() {
    let sub = chart("sub", "a: 1\n", vec![]);
    let root = chart("root", "", vec![sub]);
    let err = coalesce(&root, &map("sub: 3\n")).unwrap_err().to_string();
    assert_eq!(
        err,
        "type mismatch on sub: the values for subchart \"sub\" must be a map, got a number"
    );
    let err = coalesce(&root, &map("sub: null\n"))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("type mismatch on sub:"), "{err}");
}

#[test]
fn result_keeps_values_yaml_order() {
    let c = chart("c", "z: 1\na: 2\nm: {y: 1, b: 2}\n", vec![]);
    let (v, _) = coalesce(&c, &map("extra: 1\nm: {q: 3, b: 4}\na: 5\n")).unwrap();
    let keys: Vec<&str> = v.keys().map(String::as_str).collect();
    assert_eq!(keys, ["z", "a", "m", "extra"]);
    let inner: Vec<&str> = v["m"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(inner, ["y", "b", "q"]);
}

#[test]
fn deep_values_coalesce_without_trouble() {
    // 250 levels, close to the YAML reader's depth budget (built directly: the YAML reader
    // itself needs a larger stack than a test thread has for this depth in debug builds).
    let mut deep = json!({"leaf": 1});
    for i in (0..250).rev() {
        deep = json!({ format!("k{i}"): deep });
    }
    let Value::Object(deep) = deep else {
        unreachable!()
    };
    let mut c = chart("c", "", vec![]);
    c.values = deep.clone();
    let (v, _) = coalesce(&c, &deep).unwrap();
    assert_eq!(v, deep);
}

/// Differential check against the real `helm` (skipped when it is not installed): the moby
/// tree with user nulls coalesces to the same `.Values` (user nulls behave the same in every
/// Helm version).
#[test]
fn moby_differential_against_helm() {
    let user_file = fixture_path("moby.user-values.yaml");
    let Some(helm) = helm_values(&fixture_path("moby"), &["-f", &user_file.to_string_lossy()])
    else {
        eprintln!("helm is not installed; differential check skipped");
        return;
    };
    let helm = helm.expect("helm template succeeds");
    let (ours, _) = coalesce(&moby(), &moby_user_values()).unwrap();
    assert!(
        same_shown(&helm, &Value::Object(ours.clone())),
        "helm {helm}\nours {}",
        Value::Object(ours)
    );
}

#[test]
fn coalescing_only_some_keys_gives_those_keys_exactly() {
    let c = moby();
    let user = moby_user_values();
    let full = coalesce_keep_nulls(&c, &user).unwrap();
    for wanted in [
        &["top"][..],
        &["back", "name"],
        &["nothing"],
        &["top", "pequod"],
        &[],
    ] {
        let part = coalesce_keep_nulls_only(&c, &user, |k| wanted.contains(&k)).unwrap();
        // Asked-for keys, `global` and the subcharts' sections: as in the full result.
        for (k, v) in &part {
            assert_eq!(full.get(k), Some(v), "{k} (asked for {wanted:?})");
        }
        for k in wanted
            .iter()
            .copied()
            .chain(["global", "pequod", "spouter"])
        {
            assert_eq!(part.get(k), full.get(k), "{k} (asked for {wanted:?})");
        }
        // Nothing else was copied.
        for k in part.keys() {
            let expected = wanted.contains(&k.as_str())
                || ["global", "pequod", "spouter"].contains(&k.as_str());
            assert!(expected, "{k} (asked for {wanted:?})");
        }
    }
    // A subchart section that is not a map fails here as in the full coalesce.
    let mut bad = user.clone();
    bad.insert("spouter".into(), json!(3));
    assert!(coalesce_keep_nulls(&c, &bad).is_err());
    assert!(coalesce_keep_nulls_only(&c, &bad, |_| false).is_err());
}
