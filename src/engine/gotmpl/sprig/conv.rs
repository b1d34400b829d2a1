//! Conversions and defaults: spf13/cast's `ToInt`/`ToInt64`/`ToFloat64` as Sprig uses them,
//! Sprig's `strval` and `empty`, and the functions built on them (`int`, `toString`,
//! `default`, `coalesce`, `ternary`, `typeOf`, `kindIs`...).

use super::super::exec::FuncMap;
use super::super::fmt as gofmt;
use super::super::value::{Kind, Param, Value, deep_equal};
use super::{def, defv, s};

/// Sprig's `strval`: strings as is, `[]byte` as text, Stringers via `String()`, else `%v`.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Object(o) => o.format(),
        other => gofmt::format_v(other),
    }
}

/// cast's `trimZeroDecimal`: "1.000" → "1".
fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    let mut i = b.len();
    while i > 0 {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
        i -= 1;
    }
    s
}

/// `strconv.ParseInt(s, 0, 64)` with Go's underscore rule.
fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    let b = body.as_bytes();
    let (radix, digits) = if b.len() >= 2 && b[0] == b'0' {
        match b[1] | 0x20 {
            b'x' => (16, &body[2..]),
            b'o' => (8, &body[2..]),
            b'b' => (2, &body[2..]),
            _ => (8, &body[1..]),
        }
    } else {
        (10, body)
    };
    let digits: String = if digits.contains('_') {
        digits.chars().filter(|c| *c != '_').collect()
    } else {
        digits.to_string()
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let mag = u64::from_str_radix(&digits, radix).ok()?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else if mag <= i64::MAX as u64 {
        Some(mag as i64)
    } else {
        None
    }
}

/// Go's float64 → int64 conversion as amd64 does it (out of range gives the minimum).
pub(crate) fn float_to_i64(f: f64) -> i64 {
    if f.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// cast's `ToInt64` (errors give 0).
pub(crate) fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => *u as i64,
        Value::Float(f) => float_to_i64(*f),
        Value::String(s) => parse_int_base0(trim_zero_decimal(s)).unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        _ => 0,
    }
}

/// cast's `ToInt` (Go `int` is 64-bit here).
pub(crate) fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// cast's `ToFloat64` (errors give 0).
pub(crate) fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Uint8(u) => *u as f64,
        Value::Float(f) => *f,
        Value::String(s) => super::super::parse::parse_float(s).unwrap_or(0.0),
        Value::Bool(b) if *b => 1.0,
        _ => 0.0,
    }
}

/// Sprig's `empty`: the zero value of its type (structs never are).
pub(crate) fn empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i) | Value::Int64(i) => *i == 0,
        Value::Uint8(u) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.items.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Object(o) => match o.kind() {
            Kind::Slice | Kind::Map => o.as_collection().is_some_and(|c| empty(&c)),
            _ => false,
        },
    }
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "atoi", &[String], |_, a| {
        Ok(Value::Int(s(&a[0]).parse::<i64>().unwrap_or(0)))
    });
    def(m, "int64", &[Any], |_, a| Ok(Value::Int64(to_int64(&a[0]))));
    def(m, "int", &[Any], |_, a| Ok(Value::Int(to_int(&a[0]))));
    def(m, "float64", &[Any], |_, a| {
        Ok(Value::Float(to_float64(&a[0])))
    });
    def(m, "toString", &[Any], |_, a| {
        Ok(Value::string(strval(&a[0])))
    });
    def(m, "toDecimal", &[Any], |_, a| {
        let text = gofmt::sprint(&a[..1]);
        Ok(Value::Int64(parse_octal(&text).unwrap_or(0)))
    });
    def(m, "toStrings", &[Any], |_, a| {
        Ok(Value::string_list(strslice(&a[0])))
    });

    defv(m, "default", &[Any], Any, |_, a| {
        if a.len() < 2 || empty(&a[1]) {
            Ok(a[0].clone())
        } else {
            Ok(a[1].clone())
        }
    });
    def(m, "empty", &[Any], |_, a| Ok(Value::Bool(empty(&a[0]))));
    defv(m, "coalesce", &[], Any, |_, a| {
        Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
    });
    defv(m, "all", &[], Any, |_, a| {
        Ok(Value::Bool(a.iter().all(|v| !empty(v))))
    });
    defv(m, "any", &[], Any, |_, a| {
        Ok(Value::Bool(a.iter().any(|v| !empty(v))))
    });
    def(m, "ternary", &[Any, Any, Bool], |_, a| {
        Ok(if matches!(a[2], Value::Bool(true)) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });

    def(m, "typeOf", &[Any], |_, a| {
        Ok(Value::string(a[0].type_name()))
    });
    def(m, "typeIs", &[String, Any], |_, a| {
        Ok(Value::Bool(s(&a[0]) == a[1].type_name()))
    });
    def(m, "typeIsLike", &[String, Any], |_, a| {
        let t = a[1].type_name();
        let target = s(&a[0]);
        Ok(Value::Bool(target == t || format!("*{target}") == t))
    });
    def(m, "kindOf", &[Any], |_, a| {
        Ok(Value::str(a[0].kind().name()))
    });
    def(m, "kindIs", &[String, Any], |_, a| {
        Ok(Value::Bool(s(&a[0]) == a[1].kind().name()))
    });
    def(m, "deepEqual", &[Any, Any], |_, a| {
        Ok(Value::Bool(deep_equal(&a[0], &a[1])))
    });
    def(m, "hello", &[], |_, _| Ok(Value::str("Hello!")));
}

fn parse_octal(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || !body.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return None;
    }
    let v = i64::from_str_radix(body, 8).ok()?;
    Some(if neg { -v } else { v })
}

/// Sprig's `strslice`: a list of strings from any list (nils dropped) or one value.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v.collection() {
        Value::List(l) => l.items.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(&other)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_rules() {
        assert_eq!(to_int64(&Value::str("42")), 42);
        assert_eq!(to_int64(&Value::str("0x1F")), 31);
        assert_eq!(to_int64(&Value::str("010")), 8);
        assert_eq!(to_int64(&Value::str("1.0")), 1);
        assert_eq!(to_int64(&Value::str("1.5")), 0);
        assert_eq!(to_int64(&Value::Float(2.9)), 2);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_float64(&Value::str("1.5")), 1.5);
        assert_eq!(to_int64(&Value::Nil), 0);
    }

    #[test]
    fn emptiness() {
        assert!(empty(&Value::Nil));
        assert!(empty(&Value::str("")));
        assert!(empty(&Value::Int(0)));
        assert!(!empty(&Value::Float(0.1)));
        assert!(empty(&Value::list(vec![])));
    }
}
