//! Map helpers. `merge(a, b, ...)`: keys of later maps fill keys missing from earlier ones, so
//! the left-most map wins (Sprig's `merge`, which Helm charts use). `deep_merge` does the same
//! recursively: nested maps are merged, any other conflict keeps the left value. Lists are never
//! merged. `with_key(d, k, v)` returns a copy with `k` set, `omit(d, *keys)` and `pick(d, *keys)`
//! drop or keep keys, `keys(d)` lists keys in map order, `has_key(d, k)`. All return new maps;
//! nothing is modified in place. Map order is kept (left map's keys first).

use super::ensure_defined;
use indexmap::IndexMap;
use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Error, ErrorKind, State};

/// Deepest nesting `deep_merge` follows.
const MAX_MERGE_DEPTH: usize = 128;

type Entries = IndexMap<Value, Value>;

fn entries(state: &State, what: &str, pos: usize, v: &Value) -> Result<Entries, Error> {
    ensure_defined(state, v)?;
    if v.kind() != ValueKind::Map {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("{what}: argument {pos} must be a map, got {}", v.kind()),
        ));
    }
    let mut out = IndexMap::new();
    for k in v.try_iter()? {
        let item = v.get_item(&k)?;
        out.insert(k, item);
    }
    state.consume_fuel(out.len() as u64)?;
    Ok(out)
}

fn to_value(e: Entries) -> Value {
    Value::from(e)
}

pub fn merge(state: &State, first: Value, rest: Rest<Value>) -> Result<Value, Error> {
    let mut out = entries(state, "merge", 1, &first)?;
    for (i, other) in rest.iter().enumerate() {
        if other.is_none() {
            continue;
        }
        for (k, v) in entries(state, "merge", i + 2, other)? {
            out.entry(k).or_insert(v);
        }
    }
    Ok(to_value(out))
}

pub fn deep_merge(state: &State, first: Value, rest: Rest<Value>) -> Result<Value, Error> {
    let mut out = first;
    ensure_defined(state, &out)?;
    entries(state, "deep_merge", 1, &out)?;
    for (i, other) in rest.iter().enumerate() {
        if other.is_none() {
            continue;
        }
        entries(state, "deep_merge", i + 2, other)?;
        out = deep(state, &out, other, 0)?;
    }
    Ok(out)
}

fn deep(state: &State, left: &Value, right: &Value, depth: usize) -> Result<Value, Error> {
    if depth > MAX_MERGE_DEPTH {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("deep_merge: maps nested deeper than {MAX_MERGE_DEPTH} levels"),
        ));
    }
    let mut out = entries(state, "deep_merge", 1, left)?;
    for (k, rv) in entries(state, "deep_merge", 2, right)? {
        match out.get(&k) {
            None => {
                out.insert(k, rv);
            }
            Some(lv) if lv.kind() == ValueKind::Map && rv.kind() == ValueKind::Map => {
                let merged = deep(state, lv, &rv, depth + 1)?;
                out.insert(k, merged);
            }
            Some(_) => {}
        }
    }
    Ok(to_value(out))
}

pub fn with_key(state: &State, d: Value, key: Value, value: Value) -> Result<Value, Error> {
    let mut out = entries(state, "with_key", 1, &d)?;
    out.insert(key, value);
    Ok(to_value(out))
}

pub fn omit(state: &State, d: Value, keys: Rest<Value>) -> Result<Value, Error> {
    let mut out = entries(state, "omit", 1, &d)?;
    for k in keys.iter() {
        out.shift_remove(k);
    }
    Ok(to_value(out))
}

pub fn pick(state: &State, d: Value, keys: Rest<Value>) -> Result<Value, Error> {
    let all = entries(state, "pick", 1, &d)?;
    let out: Entries = all.into_iter().filter(|(k, _)| keys.contains(k)).collect();
    Ok(to_value(out))
}

pub fn keys(state: &State, d: Value) -> Result<Value, Error> {
    let all = entries(state, "keys", 1, &d)?;
    Ok(Value::from(all.into_keys().collect::<Vec<_>>()))
}

pub fn has_key(state: &State, d: Value, key: Value) -> Result<bool, Error> {
    Ok(entries(state, "has_key", 1, &d)?.contains_key(&key))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use serde_json::json;

    #[test]
    fn merge_left_wins() {
        let ctx = json!({"a": {"x": 1, "n": {"p": 1}}, "b": {"x": 2, "y": 2, "n": {"q": 2}}});
        assert_eq!(
            render("{{ a | merge(b) | to_json }}", ctx.clone()),
            r#"{"x":1,"n":{"p":1},"y":2}"#
        );
        assert_eq!(
            render("{{ a | deep_merge(b) | to_json }}", ctx.clone()),
            r#"{"x":1,"n":{"p":1,"q":2},"y":2}"#
        );
        assert_eq!(
            render("{{ merge(a, b, {'z': 3}) | to_json }}", ctx.clone()),
            r#"{"x":1,"n":{"p":1},"y":2,"z":3}"#
        );
        // inputs unchanged
        assert_eq!(
            render("{% set _ = a | merge(b) %}{{ a | to_json }}", ctx),
            r#"{"x":1,"n":{"p":1}}"#
        );
    }

    #[test]
    fn merge_rejects_non_maps() {
        let e = render_err("{{ merge({'a': 1}, [1]) }}", json!({}));
        assert!(e.contains("argument 2 must be a map"), "{e}");
    }

    #[test]
    fn dict_helpers() {
        let ctx = json!({"d": {"a": 1, "b": 2, "c": 3}});
        assert_eq!(
            render("{{ d | with_key('z', 9) | to_json }}", ctx.clone()),
            r#"{"a":1,"b":2,"c":3,"z":9}"#
        );
        assert_eq!(
            render("{{ d | with_key('a', 0) | to_json }}", ctx.clone()),
            r#"{"a":0,"b":2,"c":3}"#
        );
        assert_eq!(
            render("{{ d | omit('a', 'c') | to_json }}", ctx.clone()),
            r#"{"b":2}"#
        );
        assert_eq!(
            render("{{ d | pick('c', 'a', 'zz') | to_json }}", ctx.clone()),
            r#"{"a":1,"c":3}"#
        );
        assert_eq!(render("{{ d | keys | join(',') }}", ctx.clone()), "a,b,c");
        assert_eq!(
            render("{{ d | has_key('b') }} {{ has_key(d, 'q') }}", ctx.clone()),
            "true false"
        );
        assert_eq!(render("{{ dict(a=1) | to_json }}", ctx), r#"{"a":1}"#);
    }

    #[test]
    fn deep_merge_depth_is_bounded() {
        let mut a = json!(1);
        let mut b = json!(2);
        for _ in 0..200 {
            a = json!({ "k": a });
            b = json!({ "k": b });
        }
        let e = render_err("{{ a | deep_merge(b) }}", json!({"a": a, "b": b}));
        assert!(e.contains("nested deeper"), "{e}");
    }
}
