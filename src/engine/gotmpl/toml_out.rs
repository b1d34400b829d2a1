//! TOML output like BurntSushi/toml's encoder, as Helm's `toToml` writes it: keys sorted,
//! plain keys first and tables after (`[a]`, `[a.b]`, indented by two spaces per level),
//! floats always with a decimal point or exponent (`1.0`, `1e+06`), inline arrays.

use super::value::Value;

const MAX_DEPTH: usize = 1000;

/// Encodes a map as TOML; other values are an error like BurntSushi's.
pub fn to_toml(v: &Value) -> Result<String, String> {
    let Value::Map(m) = v.collection() else {
        return Err(format!(
            "toml: top-level values must be Go maps or structs; got: {}",
            v.type_name()
        ));
    };
    let mut out = String::new();
    write_table(&mut out, &m.entries(), &mut Vec::new(), 0)?;
    Ok(out)
}

fn bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn key(k: &str) -> String {
    if bare_key(k) { k.to_string() } else { quote(k) }
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = super::fmt::format_float(f, 'g', None);
    if s.contains(['.', 'e']) {
        s
    } else {
        format!("{s}.0")
    }
}

fn is_table(v: &Value) -> bool {
    matches!(v.collection(), Value::Map(_))
}

fn inline(v: &Value, depth: usize) -> Result<String, String> {
    if depth > MAX_DEPTH {
        return Err("toml: value nested too deeply".into());
    }
    Ok(match v.collection() {
        Value::Nil => return Err("toml: cannot encode a nil value".into()),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) | Value::Int64(i) => i.to_string(),
        Value::Uint8(u) => u.to_string(),
        Value::Float(f) => float(f),
        Value::String(s) => quote(&s),
        Value::Bytes(b) => quote(&String::from_utf8_lossy(&b)),
        Value::List(l) => {
            let items: Result<Vec<String>, String> =
                l.items.iter().map(|x| inline(x, depth + 1)).collect();
            format!("[{}]", items?.join(", "))
        }
        Value::Map(m) => {
            let mut parts = Vec::new();
            for (k, x) in m.entries() {
                if x.is_nil() {
                    continue;
                }
                parts.push(format!("{} = {}", key(&k), inline(&x, depth + 1)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
        Value::Object(o) => quote(&o.format()),
    })
}

fn write_table(
    out: &mut String,
    entries: &[(String, Value)],
    path: &mut Vec<String>,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("toml: value nested too deeply".into());
    }
    let indent = "  ".repeat(path.len());
    for (k, v) in entries {
        if v.is_nil() || is_table(v) {
            continue;
        }
        out.push_str(&format!("{indent}{} = {}\n", key(k), inline(v, depth + 1)?));
    }
    for (k, v) in entries {
        if let Value::Map(m) = v.collection() {
            path.push(key(k));
            let ind = "  ".repeat(path.len() - 1);
            out.push_str(&format!("\n{ind}[{}]\n", path.join(".")));
            write_table(out, &m.entries(), path, depth + 1)?;
            path.pop();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn like_burntsushi() {
        let v = Value::from_json_floats(&json!({
            "f": 1.5, "n": 1000000.0, "s": "yes", "t": "a\nb",
            "x": [1.0, {"a": 1.0}], "m": {"k": "v", "z": {"q": 1.0}}
        }));
        assert_eq!(
            to_toml(&v).unwrap(),
            "f = 1.5\nn = 1e+06\ns = \"yes\"\nt = \"a\\nb\"\nx = [1.0, {a = 1.0}]\n\n[m]\n  k = \"v\"\n\n  [m.z]\n    q = 1.0\n"
        );
    }
}
