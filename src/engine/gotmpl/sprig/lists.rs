//! Sprig's list functions (`list`, `append`, `first`, `uniq`, `has`, `without`, `concat`,
//! `sortAlpha`, `until`, `seq`, `chunk`...). Lists are never changed in place.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Elem, Param, Value, deep_equal};
use super::conv::{empty, strslice, to_int};
use super::{MAX_LIST, alias, def, defv, i, nil_deref};

/// The items of a Go slice or array argument, or Sprig's error for other kinds.
fn items(v: &Value, what: &str) -> Result<Vec<Value>, TemplateError> {
    match v.collection() {
        Value::List(l) => Ok(l.items.clone()),
        Value::Bytes(b) => Ok(b.iter().map(|x| Value::Uint8(*x)).collect()),
        Value::Nil => Err(nil_deref()),
        other => Err(TemplateError::plain(format!(
            "{what} {}",
            other.kind().name()
        ))),
    }
}

fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<Value>, TemplateError> {
    let mut v = Vec::new();
    let check = |len: usize| -> Result<(), TemplateError> {
        if len > MAX_LIST {
            return Err(TemplateError::plain(format!(
                "untilStep: more than {MAX_LIST} elements"
            )));
        }
        Ok(())
    };
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        let mut i = start;
        while i > stop {
            v.push(Value::Int(i));
            check(v.len())?;
            i = match i.checked_add(step) {
                Some(x) => x,
                None => break,
            };
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    let mut i = start;
    while i < stop {
        v.push(Value::Int(i));
        check(v.len())?;
        i = match i.checked_add(step) {
            Some(x) => x,
            None => break,
        };
    }
    Ok(v)
}

fn seq(params: &[i64]) -> Result<String, TemplateError> {
    let join = |v: Vec<Value>| -> String {
        v.iter()
            .map(|x| x.as_int().unwrap_or(0).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(match params.len() {
        0 => String::new(),
        1 => {
            let (start, end) = (1, params[0]);
            let inc = if end < start { -1 } else { 1 };
            join(until_step(start, end + inc, inc)?)
        }
        3 => {
            let (start, step, end) = (params[0], params[1], params[2]);
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(String::new());
                }
            }
            join(until_step(start, end + inc, step)?)
        }
        2 => {
            let (start, end) = (params[0], params[1]);
            let step = if end < start { -1 } else { 1 };
            join(until_step(start, end + step, step)?)
        }
        _ => String::new(),
    })
}

fn in_list(hay: &[Value], needle: &Value) -> bool {
    hay.iter().any(|h| deep_equal(needle, h))
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    defv(m, "list", &[], Any, |_, a| Ok(Value::list(a)));
    alias(m, "tuple", "list");
    def(m, "mustPush", &[Any, Any], |_, a| {
        let mut v = items(&a[0], "Cannot push on type")?;
        v.push(a[1].clone());
        Ok(Value::list(v))
    });
    alias(m, "push", "mustPush");
    alias(m, "append", "mustPush");
    alias(m, "mustAppend", "mustPush");
    def(m, "mustPrepend", &[Any, Any], |_, a| {
        let mut v = items(&a[0], "Cannot prepend on type")?;
        v.insert(0, a[1].clone());
        Ok(Value::list(v))
    });
    alias(m, "prepend", "mustPrepend");
    def(m, "mustFirst", &[Any], |_, a| {
        Ok(items(&a[0], "Cannot find first on type")?
            .first()
            .cloned()
            .unwrap_or(Value::Nil))
    });
    alias(m, "first", "mustFirst");
    def(m, "mustLast", &[Any], |_, a| {
        Ok(items(&a[0], "Cannot find last on type")?
            .last()
            .cloned()
            .unwrap_or(Value::Nil))
    });
    alias(m, "last", "mustLast");
    def(m, "mustRest", &[Any], |_, a| {
        let v = items(&a[0], "Cannot find rest on type")?;
        Ok(Value::list(v.into_iter().skip(1).collect()))
    });
    alias(m, "rest", "mustRest");
    def(m, "mustInitial", &[Any], |_, a| {
        let mut v = items(&a[0], "Cannot find initial on type")?;
        v.pop();
        Ok(Value::list(v))
    });
    alias(m, "initial", "mustInitial");
    def(m, "mustReverse", &[Any], |_, a| {
        let mut v = items(&a[0], "Cannot find reverse on type")?;
        v.reverse();
        Ok(Value::list(v))
    });
    alias(m, "reverse", "mustReverse");
    def(m, "mustCompact", &[Any], |_, a| {
        let v = items(&a[0], "Cannot compact on type")?;
        Ok(Value::list(v.into_iter().filter(|x| !empty(x)).collect()))
    });
    alias(m, "compact", "mustCompact");
    def(m, "mustUniq", &[Any], |_, a| {
        let v = items(&a[0], "Cannot find uniq on type")?;
        let mut out: Vec<Value> = Vec::new();
        for x in v {
            if !in_list(&out, &x) {
                out.push(x);
            }
        }
        Ok(Value::list(out))
    });
    alias(m, "uniq", "mustUniq");
    defv(m, "mustWithout", &[Any], Any, |_, a| {
        let v = items(&a[0], "Cannot find without on type")?;
        let omit = &a[1..];
        Ok(Value::list(
            v.into_iter().filter(|x| !in_list(omit, x)).collect(),
        ))
    });
    alias(m, "without", "mustWithout");
    def(m, "mustHas", &[Any, Any], |_, a| {
        if a[1].is_nil() {
            return Ok(Value::Bool(false));
        }
        let v = items(&a[1], "Cannot find has on type")?;
        Ok(Value::Bool(in_list(&v, &a[0])))
    });
    alias(m, "has", "mustHas");
    defv(m, "mustSlice", &[Any], Any, |_, a| {
        let coll = a[0].collection();
        let (v, elem) = match &coll {
            Value::List(l) => (l.items.clone(), l.elem),
            Value::Bytes(b) => (b.iter().map(|x| Value::Uint8(*x)).collect(), Elem::Any),
            Value::Nil => return Err(nil_deref()),
            other => {
                return Err(TemplateError::plain(format!(
                    "list should be type of slice or array but {}",
                    other.kind().name()
                )));
            }
        };
        if v.is_empty() {
            return Ok(Value::Nil);
        }
        let start = if a.len() > 1 { to_int(&a[1]) } else { 0 };
        let end = if a.len() > 2 {
            to_int(&a[2])
        } else {
            v.len() as i64
        };
        if start < 0 || end < start || end as usize > v.len() {
            return Err(TemplateError::plain(
                "reflect: slice index out of range".to_string(),
            ));
        }
        let part = v[start as usize..end as usize].to_vec();
        if let Value::Bytes(_) = coll {
            return Ok(Value::Bytes(
                part.iter().map(|x| x.as_int().unwrap_or(0) as u8).collect(),
            ));
        }
        Ok(Value::typed_list(part, elem))
    });
    alias(m, "slice", "mustSlice");
    defv(m, "concat", &[], Any, |_, a| {
        let mut out = Vec::new();
        for l in &a {
            match l.collection() {
                Value::List(x) => out.extend(x.items.iter().cloned()),
                Value::Bytes(b) => out.extend(b.iter().map(|x| Value::Uint8(*x))),
                Value::Nil => return Err(nil_deref()),
                other => {
                    return Err(TemplateError::plain(format!(
                        "Cannot concat type {} as list",
                        other.kind().name()
                    )));
                }
            }
            if out.len() > MAX_LIST {
                return Err(TemplateError::plain(format!(
                    "concat: more than {MAX_LIST} elements"
                )));
            }
        }
        Ok(Value::list(out))
    });
    def(m, "mustChunk", &[Int, Any], |_, a| {
        let size = i(&a[0]);
        let v = items(&a[1], "Cannot chunk type")?;
        if size <= 0 {
            return Err(TemplateError::plain(
                "runtime error: integer divide by zero",
            ));
        }
        let chunks = v
            .chunks(size as usize)
            .map(|c| Value::list(c.to_vec()))
            .collect();
        Ok(Value::List(std::rc::Rc::new(super::super::value::List {
            items: chunks,
            elem: Elem::Any,
        })))
    });
    alias(m, "chunk", "mustChunk");
    def(m, "sortAlpha", &[Any], |_, a| match a[0].collection() {
        Value::List(_) | Value::Bytes(_) => {
            let mut v = strslice(&a[0]);
            v.sort();
            Ok(Value::string_list(v))
        }
        other => Ok(Value::string_list(vec![super::conv::strval(&other)])),
    });
    def(m, "until", &[Int], |_, a| {
        let n = i(&a[0]);
        let step = if n < 0 { -1 } else { 1 };
        Ok(Value::typed_list(until_step(0, n, step)?, Elem::Int))
    });
    def(m, "untilStep", &[Int, Int, Int], |_, a| {
        Ok(Value::typed_list(
            until_step(i(&a[0]), i(&a[1]), i(&a[2]))?,
            Elem::Int,
        ))
    });
    defv(m, "seq", &[], Int, |_, a| {
        let p: Vec<i64> = a.iter().map(i).collect();
        Ok(Value::string(seq(&p)?))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences() {
        assert_eq!(seq(&[3]).unwrap(), "1 2 3");
        assert_eq!(seq(&[2, 4]).unwrap(), "2 3 4");
        assert_eq!(seq(&[0, 2, 6]).unwrap(), "0 2 4 6");
        assert_eq!(seq(&[-3]).unwrap(), "1 0 -1 -2 -3");
        assert_eq!(until_step(0, 10, 3).unwrap().len(), 4);
        assert!(until_step(0, i64::MAX, 1).is_err());
    }
}
