//! Go `text/template`'s builtin functions: `and or not len index slice print printf println
//! html js urlquery call eq ne lt le gt ge`, with Go's comparison rules and error texts.
//! (`and`/`or` short-circuit and `call` are handled in the executor.)

use super::error::TemplateError;
use super::exec::{FuncMap, Function};
use super::fmt as gofmt;
use super::value::{Param, Signature, Value};
use std::rc::Rc;

type R = Result<Value, TemplateError>;

fn builtin(
    sig: Signature,
    f: impl Fn(&mut super::exec::Ctx<'_>, Vec<Value>) -> R + 'static,
) -> Function {
    Function {
        sig,
        f: Rc::new(f),
        builtin: true,
    }
}

/// Go's builtin function map.
pub fn builtins() -> FuncMap {
    let mut m = FuncMap::default();
    let refl_var = || Signature::variadic(&[Param::Reflect], Param::Reflect);
    let any_var = || Signature::variadic(&[], Param::Any);
    let unreachable = |_: &mut super::exec::Ctx<'_>, _: Vec<Value>| -> R {
        Err(TemplateError::plain("unreachable"))
    };
    m.insert("and".into(), builtin(refl_var(), unreachable));
    m.insert("or".into(), builtin(refl_var(), unreachable));
    m.insert("call".into(), builtin(refl_var(), unreachable));
    m.insert(
        "not".into(),
        builtin(Signature::new(&[Param::Reflect]), |_, a| {
            Ok(Value::Bool(!a[0].truthy()))
        }),
    );
    m.insert(
        "len".into(),
        builtin(Signature::new(&[Param::Reflect]), |_, a| length(&a[0])),
    );
    m.insert(
        "index".into(),
        builtin(refl_var(), |_, a| index(&a[0], &a[1..])),
    );
    m.insert(
        "slice".into(),
        builtin(refl_var(), |_, a| slice(&a[0], &a[1..])),
    );
    m.insert(
        "print".into(),
        builtin(any_var(), |_, a| Ok(Value::string(gofmt::sprint(&a)))),
    );
    m.insert(
        "println".into(),
        builtin(any_var(), |_, a| Ok(Value::string(gofmt::sprintln(&a)))),
    );
    m.insert(
        "printf".into(),
        builtin(Signature::variadic(&[Param::String], Param::Any), |_, a| {
            let f = a[0].as_str().unwrap_or("").to_string();
            Ok(Value::string(gofmt::sprintf(&f, &a[1..])))
        }),
    );
    m.insert(
        "html".into(),
        builtin(any_var(), |_, a| {
            Ok(Value::string(html_escape(&eval_args(&a))))
        }),
    );
    m.insert(
        "js".into(),
        builtin(any_var(), |_, a| {
            Ok(Value::string(js_escape(&eval_args(&a))))
        }),
    );
    m.insert(
        "urlquery".into(),
        builtin(any_var(), |_, a| {
            Ok(Value::string(query_escape(&eval_args(&a))))
        }),
    );
    m.insert(
        "eq".into(),
        builtin(refl_var(), |_, a| eq(&a[0], &a[1..]).map(Value::Bool)),
    );
    let two = || Signature::new(&[Param::Reflect, Param::Reflect]);
    m.insert(
        "ne".into(),
        builtin(two(), |_, a| eq(&a[0], &a[1..]).map(|b| Value::Bool(!b))),
    );
    m.insert(
        "lt".into(),
        builtin(two(), |_, a| lt(&a[0], &a[1]).map(Value::Bool)),
    );
    m.insert(
        "le".into(),
        builtin(two(), |_, a| le(&a[0], &a[1]).map(Value::Bool)),
    );
    m.insert(
        "gt".into(),
        builtin(two(), |_, a| le(&a[0], &a[1]).map(|b| Value::Bool(!b))),
    );
    m.insert(
        "ge".into(),
        builtin(two(), |_, a| lt(&a[0], &a[1]).map(|b| Value::Bool(!b))),
    );
    m
}

/// Go's `evalArgs`: a lone string as is, otherwise `fmt.Sprint` with nil as `<no value>`.
fn eval_args(args: &[Value]) -> String {
    if args.len() == 1
        && let Value::String(s) = &args[0]
    {
        return s.to_string();
    }
    let fixed: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Nil => Value::str("<no value>"),
            other => other.clone(),
        })
        .collect();
    gofmt::sprint(&fixed)
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c => {
                if gofmt::is_print(c) {
                    out.push(c);
                } else {
                    out.push_str(&format!("\\u{:04X}", c as u32));
                }
            }
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn length(v: &Value) -> R {
    match v.collection() {
        Value::Nil => Err(TemplateError::plain("len of nil pointer")),
        Value::String(s) => Ok(Value::Int(s.len() as i64)),
        Value::Bytes(b) => Ok(Value::Int(b.len() as i64)),
        Value::List(l) => Ok(Value::Int(l.items.len() as i64)),
        Value::Map(m) => Ok(Value::Int(m.len() as i64)),
        other => Err(TemplateError::plain(format!(
            "len of type {}",
            other.type_name()
        ))),
    }
}

fn index_arg(index: &Value, cap: usize) -> Result<usize, TemplateError> {
    let x = match index {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => *u as i64,
        Value::Nil => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!("cannot index slice/array with type {}", other.type_name()).into());
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}").into());
    }
    Ok(x as usize)
}

/// Go's `index` builtin.
pub fn index(item: &Value, indexes: &[Value]) -> R {
    if item.is_nil() {
        return Err("index of untyped nil".into());
    }
    let mut item = item.clone();
    for idx in indexes {
        let coll = item.collection();
        item = match &coll {
            Value::List(l) => {
                let x = index_arg(idx, l.items.len())?;
                match l.items.get(x) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::Bytes(b) => {
                let x = index_arg(idx, b.len())?;
                match b.get(x) {
                    Some(v) => Value::Uint8(*v),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::String(s) => {
                let x = index_arg(idx, s.len())?;
                match s.as_bytes().get(x) {
                    Some(v) => Value::Uint8(*v),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m) => {
                let key = match idx {
                    Value::String(k) => k.clone(),
                    Value::Nil => return Err("value is nil; should be of type string".into()),
                    other => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        )
                        .into());
                    }
                };
                match m.get(&key) {
                    Some(v) => v,
                    None => match (&item, m.elem()) {
                        (Value::Object(_), _) => Value::Bytes(Rc::from(&[][..])),
                        (_, super::value::Elem::String) => Value::str(""),
                        _ => Value::Nil,
                    },
                }
            }
            Value::Nil => return Err("index of nil pointer".into()),
            other => {
                return Err(format!("can't index item of type {}", other.type_name()).into());
            }
        };
    }
    Ok(item)
}

/// Go's `slice` builtin.
pub fn slice(item: &Value, indexes: &[Value]) -> R {
    if item.is_nil() {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()).into());
    }
    let coll = item.collection();
    let (len, is_str) = match &coll {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            (s.len(), true)
        }
        Value::List(l) => (l.items.len(), false),
        Value::Bytes(b) => (b.len(), false),
        other => return Err(format!("can't slice item of type {}", other.type_name()).into()),
    };
    let mut idx = [0usize, len, 0];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]).into());
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]).into());
    }
    let (a, b) = (idx[0], idx[1]);
    Ok(match coll {
        Value::String(s) => {
            let bytes = &s.as_bytes()[a..b];
            Value::string(String::from_utf8_lossy(bytes).into_owned())
        }
        Value::List(l) => Value::typed_list(l.items[a..b].to_vec(), l.elem),
        Value::Bytes(bb) => Value::Bytes(Rc::from(&bb[a..b])),
        _ => {
            let _ = is_str;
            Value::Nil
        }
    })
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum BasicKind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    String,
}

fn basic_kind(v: &Value) -> BasicKind {
    match v {
        Value::Bool(_) => BasicKind::Bool,
        Value::Int(_) | Value::Int64(_) => BasicKind::Int,
        Value::Uint8(_) => BasicKind::Uint,
        Value::Float(_) => BasicKind::Float,
        Value::String(_) => BasicKind::String,
        _ => BasicKind::Invalid,
    }
}

fn int_of(v: &Value) -> i64 {
    v.as_int().unwrap_or(0)
}

fn float_of(v: &Value) -> f64 {
    match v {
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// Go's `eq`: `a == b || a == c || ...` over basic kinds.
pub fn eq(arg1: &Value, rest: &[Value]) -> Result<bool, TemplateError> {
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(arg1);
    for arg in rest {
        let k2 = basic_kind(arg);
        let truth;
        if k1 != k2 {
            match (k1, k2) {
                (BasicKind::Int, BasicKind::Uint) | (BasicKind::Uint, BasicKind::Int) => {
                    truth = int_of(arg1) == int_of(arg);
                }
                _ => {
                    if !arg1.is_nil() && !arg.is_nil() {
                        return Err(format!(
                            "incompatible types for comparison: {} and {}",
                            arg1.type_name(),
                            arg.type_name()
                        )
                        .into());
                    }
                    truth = false;
                }
            }
        } else {
            truth = match k1 {
                BasicKind::Bool => {
                    matches!((arg1, arg), (Value::Bool(a), Value::Bool(b)) if a == b)
                }
                BasicKind::Float => float_of(arg1) == float_of(arg),
                BasicKind::Int | BasicKind::Uint => int_of(arg1) == int_of(arg),
                BasicKind::String => arg1.as_str() == arg.as_str(),
                BasicKind::Invalid => {
                    let same_kind = arg1.kind() == arg.kind();
                    if !same_kind && !arg1.is_nil() && !arg.is_nil() {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            gofmt::sprintf("%s", std::slice::from_ref(arg1)),
                            arg1.type_name(),
                            arg.type_name(),
                            gofmt::format_v(arg)
                        )
                        .into());
                    }
                    if arg1.is_nil() || arg.is_nil() {
                        arg1.is_nil() == arg.is_nil()
                    } else {
                        match (arg1, arg) {
                            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
                            _ => {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    gofmt::sprintf("%s", std::slice::from_ref(arg)),
                                    arg.type_name()
                                )
                                .into());
                            }
                        }
                    }
                }
            };
        }
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Go's `lt`.
pub fn lt(arg1: &Value, arg2: &Value) -> Result<bool, TemplateError> {
    let k1 = basic_kind(arg1);
    if k1 == BasicKind::Invalid {
        return Err("invalid type for comparison".into());
    }
    let k2 = basic_kind(arg2);
    if k2 == BasicKind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (BasicKind::Int, BasicKind::Uint) | (BasicKind::Uint, BasicKind::Int) => {
                Ok(int_of(arg1) < int_of(arg2))
            }
            _ => Err(format!(
                "incompatible types for comparison: {} and {}",
                arg1.type_name(),
                arg2.type_name()
            )
            .into()),
        };
    }
    Ok(match k1 {
        BasicKind::Bool => return Err("invalid type for comparison".into()),
        BasicKind::Float => float_of(arg1) < float_of(arg2),
        BasicKind::Int | BasicKind::Uint => int_of(arg1) < int_of(arg2),
        BasicKind::String => arg1.as_str().unwrap_or("") < arg2.as_str().unwrap_or(""),
        BasicKind::Invalid => false,
    })
}

/// Go's `le`.
pub fn le(arg1: &Value, arg2: &Value) -> Result<bool, TemplateError> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons() {
        assert!(eq(&Value::Int(1), &[Value::Int64(1)]).unwrap());
        assert!(eq(&Value::Int(1), &[Value::Int(2), Value::Int(1)]).unwrap());
        assert!(!eq(&Value::Nil, &[Value::str("x")]).unwrap());
        assert!(eq(&Value::Nil, &[Value::Nil]).unwrap());
        assert_eq!(
            eq(&Value::Int(1), &[Value::Float(1.0)])
                .unwrap_err()
                .to_string(),
            "incompatible types for comparison: int and float64"
        );
        assert!(lt(&Value::str("a"), &Value::str("b")).unwrap());
        assert_eq!(
            lt(&Value::Nil, &Value::Int(1)).unwrap_err().to_string(),
            "invalid type for comparison"
        );
        assert!(le(&Value::Float(1.0), &Value::Float(1.0)).unwrap());
    }

    #[test]
    fn indexing() {
        let l = Value::list(vec![Value::Int(1), Value::str("b")]);
        assert!(matches!(
            index(&l, &[Value::Int(1)]).unwrap(),
            Value::String(_)
        ));
        assert_eq!(
            index(&l, &[Value::Int(5)]).unwrap_err().to_string(),
            "index out of range: 5"
        );
        assert!(matches!(
            index(&Value::str("abc"), &[Value::Int(0)]).unwrap(),
            Value::Uint8(97)
        ));
        assert!(matches!(
            slice(&Value::str("abcdef"), &[Value::Int(1), Value::Int(3)]).unwrap(),
            Value::String(s) if &*s == "bc"
        ));
    }

    #[test]
    fn escapers() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"
        );
        assert_eq!(js_escape("a'b\"<=\n"), "a\\'b\\\"\\u003C\\u003D\\u000A");
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }
}
