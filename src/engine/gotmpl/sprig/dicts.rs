//! Sprig's dictionary functions (`dict`, `get`, `set`, `unset`, `hasKey`, `keys`, `pick`,
//! `omit`, `pluck`, `values`, `dig`, `deepCopy`) and `merge`/`mergeOverwrite` with the exact
//! semantics of mergo (dario.cat/mergo v1.0.1), including its surprises: empty values in the
//! destination are filled from the source, and nested maps taken from a source are shared,
//! not copied.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Map, Param, Value, deep_copy};
use super::conv::{empty, strval};
use super::{R, alias, def, defv, nil_deref, s};
use std::collections::BTreeMap;

const MAX_MERGE_DEPTH: usize = 1000;

/// mergo's `deepMerge` of two `map[string]interface{}` (Sprig's `merge`/`mergeOverwrite`).
pub(crate) fn merge_into(
    dst: &Map,
    src: &Map,
    overwrite: bool,
    depth: usize,
) -> Result<(), TemplateError> {
    if depth > MAX_MERGE_DEPTH {
        return Err(TemplateError::plain(
            "merge: maps are nested too deeply (or contain themselves)",
        ));
    }
    if dst.ptr_eq(src) && !overwrite {
        return Ok(());
    }
    for (key, sv) in src.entries() {
        if sv.is_nil() {
            if overwrite {
                dst.insert(key, Value::Nil);
            }
            continue;
        }
        let dv = dst.get(&key);
        match &sv {
            Value::Map(sm) => {
                if let Some(Value::Map(dm)) = &dv {
                    merge_into(dm, sm, overwrite, depth + 1)?;
                }
            }
            Value::List(_) | Value::Bytes(_) => {
                let dst_slice = match &dv {
                    None | Some(Value::Nil) => Value::list(Vec::new()),
                    Some(x) => x.clone(),
                };
                let new = if overwrite || dst.is_empty() {
                    sv.clone()
                } else {
                    dst_slice
                };
                dst.insert(key.clone(), new);
            }
            _ => {}
        }
        if let Some(d) = &dv
            && !empty(d)
        {
            if matches!(sv, Value::List(_) | Value::Bytes(_)) {
                continue;
            }
            if matches!(sv, Value::Map(_)) && matches!(d, Value::Map(_)) {
                continue;
            }
        }
        let dst_empty = dv.as_ref().is_none_or(empty);
        if overwrite || dst_empty {
            dst.insert(key, sv);
        }
    }
    Ok(())
}

fn merge_all(a: &[Value], overwrite: bool) -> R {
    let dst = match &a[0] {
        Value::Map(m) => m.clone(),
        _ => Map::new(),
    };
    for src in &a[1..] {
        if let Value::Map(sm) = src {
            merge_into(&dst, sm, overwrite, 0)?;
        }
    }
    Ok(Value::Map(dst))
}

fn map_arg(v: &Value) -> Option<Map> {
    match v {
        Value::Map(m) => Some(m.clone()),
        _ => None,
    }
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    defv(m, "dict", &[], Any, |_, a| {
        let mut out = BTreeMap::new();
        let mut i = 0;
        while i < a.len() {
            let key = strval(&a[i]);
            let v = a.get(i + 1).cloned().unwrap_or_else(|| Value::str(""));
            out.insert(key, v);
            i += 2;
        }
        Ok(Value::map(out))
    });
    def(m, "get", &[Map, String], |_, a| {
        Ok(map_arg(&a[0])
            .and_then(|d| d.get(s(&a[1])))
            .unwrap_or_else(|| Value::str("")))
    });
    def(m, "set", &[Map, String, Any], |_, a| {
        let Some(d) = map_arg(&a[0]) else {
            return Err(TemplateError::plain("assignment to entry in nil map"));
        };
        d.insert(s(&a[1]), a[2].clone());
        Ok(Value::Map(d))
    });
    def(m, "unset", &[Map, String], |_, a| {
        if let Some(d) = map_arg(&a[0]) {
            d.remove(s(&a[1]));
            return Ok(Value::Map(d));
        }
        Ok(Value::Nil)
    });
    def(m, "hasKey", &[Map, String], |_, a| {
        Ok(Value::Bool(
            map_arg(&a[0]).is_some_and(|d| d.contains_key(s(&a[1]))),
        ))
    });
    defv(m, "pluck", &[String], Map, |_, a| {
        let key = s(&a[0]);
        Ok(Value::list(
            a[1..]
                .iter()
                .filter_map(map_arg)
                .filter_map(|d| d.get(key))
                .collect(),
        ))
    });
    defv(m, "keys", &[], Map, |_, a| {
        // Go's map order is random; sorted output is one of its possible orders.
        let mut k = Vec::new();
        for d in a.iter().filter_map(map_arg) {
            k.extend(d.keys());
        }
        Ok(Value::string_list(k))
    });
    defv(m, "pick", &[Map], String, |_, a| {
        let d = map_arg(&a[0]);
        let mut out = BTreeMap::new();
        for k in &a[1..] {
            if let Some(v) = d.as_ref().and_then(|d| d.get(s(k))) {
                out.insert(s(k).to_string(), v);
            }
        }
        Ok(Value::map(out))
    });
    defv(m, "omit", &[Map], String, |_, a| {
        let omit: Vec<&str> = a[1..].iter().map(s).collect();
        let mut out = BTreeMap::new();
        if let Some(d) = map_arg(&a[0]) {
            for (k, v) in d.entries() {
                if !omit.contains(&k.as_str()) {
                    out.insert(k, v);
                }
            }
        }
        Ok(Value::map(out))
    });
    def(m, "values", &[Map], |_, a| {
        Ok(Value::list(
            map_arg(&a[0])
                .map(|d| d.entries().into_iter().map(|(_, v)| v).collect())
                .unwrap_or_default(),
        ))
    });
    defv(m, "merge", &[Map], Map, |_, a| merge_all(&a, false));
    alias(m, "mustMerge", "merge");
    defv(m, "mergeOverwrite", &[Map], Map, |_, a| merge_all(&a, true));
    alias(m, "mustMergeOverwrite", "mergeOverwrite");
    def(m, "mustDeepCopy", &[Any], |_, a| {
        if a[0].is_nil() {
            return Ok(Value::Nil);
        }
        deep_copy(&a[0], 0).map_err(TemplateError::Plain)
    });
    def(m, "deepCopy", &[Any], |_, a| {
        if a[0].is_nil() {
            return Err(TemplateError::plain(
                "deepCopy error: copy: cannot copy nil value",
            ));
        }
        deep_copy(&a[0], 0).map_err(TemplateError::Plain)
    });
    defv(m, "dig", &[], Any, |_, a| {
        if a.len() < 3 {
            return Err(TemplateError::plain("dig needs at least three arguments"));
        }
        let Value::Map(dict) = &a[a.len() - 1] else {
            return Err(TemplateError::plain(format!(
                "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                a[a.len() - 1].type_name()
            )));
        };
        let def_v = a[a.len() - 2].clone();
        let mut keys = Vec::new();
        for k in &a[..a.len() - 2] {
            match k {
                Value::String(s) => keys.push(s.to_string()),
                other => {
                    return Err(TemplateError::plain(format!(
                        "interface conversion: interface {{}} is {}, not string",
                        other.type_name()
                    )));
                }
            }
        }
        let mut cur = dict.clone();
        for (idx, k) in keys.iter().enumerate() {
            let Some(step) = cur.get(k) else {
                return Ok(def_v);
            };
            if idx == keys.len() - 1 {
                return Ok(step);
            }
            match step {
                Value::Map(m) => cur = m,
                Value::Nil => return Err(nil_deref()),
                other => {
                    return Err(TemplateError::plain(format!(
                        "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                        other.type_name()
                    )));
                }
            }
        }
        Ok(def_v)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: serde_json::Value) -> Map {
        match Value::from_json(&v) {
            Value::Map(m) => m,
            _ => panic!(),
        }
    }

    fn json_of(m: &Map) -> String {
        super::super::super::json_out::to_json(&Value::Map(m.clone()), false, None).unwrap()
    }

    #[test]
    fn merge_like_mergo() {
        let dst = map(json!({"a": 1, "b": "", "c": {"x": 1}, "l": [1], "z": null}));
        let src = map(
            json!({"a": 2, "b": "filled", "c": {"x": 2, "y": 3}, "l": [2, 3], "n": "new", "z": 5}),
        );
        merge_into(&dst, &src, false, 0).unwrap();
        assert_eq!(
            json_of(&dst),
            r#"{"a":1,"b":"filled","c":{"x":1,"y":3},"l":[1],"n":"new","z":5}"#
        );
        let dst = map(json!({"a": 1, "c": {"x": 1}, "l": [1], "k": "keep"}));
        let src = map(json!({"a": 2, "c": {"x": 2}, "l": [2], "k": null, "e": ""}));
        merge_into(&dst, &src, true, 0).unwrap();
        assert_eq!(
            json_of(&dst),
            r#"{"a":2,"c":{"x":2},"e":"","k":null,"l":[2]}"#
        );
    }

    #[test]
    fn nested_maps_from_a_source_are_shared() {
        let dst = map(json!({}));
        let src = map(json!({"inner": {"a": 1}}));
        merge_into(&dst, &src, false, 0).unwrap();
        let Some(Value::Map(inner)) = dst.get("inner") else {
            panic!()
        };
        inner.insert("b", Value::Int(2));
        assert_eq!(json_of(&src), r#"{"inner":{"a":1,"b":2}}"#);
    }

    #[test]
    fn self_merge_terminates() {
        let d = map(json!({"a": {"b": 1}}));
        merge_into(&d, &d, true, 0).unwrap();
        assert_eq!(json_of(&d), r#"{"a":{"b":1}}"#);
    }
}
