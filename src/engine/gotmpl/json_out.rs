//! Go's `encoding/json` output for template values: sorted map keys, HTML-safe escaping of
//! `<`, `>`, `&` (unless asked not to), Go's float formatting, `[]byte` as base64. Used by
//! `toJson`, `toPrettyJson`, `toRawJson` and (as its first step) `toYaml`.

use super::value::Value;
use base64::Engine as _;

const MAX_DEPTH: usize = 1000;

/// Go's JSON text of a float64 (`1e+21`, `1e-7`, `1000000`), or an error for NaN/Inf.
pub fn json_float(f: f64) -> Result<String, String> {
    if f.is_nan() || f.is_infinite() {
        return Err(format!(
            "json: unsupported value: {}",
            super::fmt::format_v(&Value::Float(f))
        ));
    }
    let abs = f.abs();
    let use_e = abs != 0.0 && !(1e-6..1e21).contains(&abs);
    if !use_e {
        return Ok(super::fmt::format_float(f, 'f', None));
    }
    let mut s = super::fmt::format_float(f, 'e', None);
    // Clean up e-09 to e-9.
    let n = s.len();
    let b = s.as_bytes();
    if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
        s.remove(n - 2);
    }
    Ok(s)
}

/// Serialises like Go's `json.Marshal` (or `MarshalIndent(v, "", indent)` when `indent` is
/// given); `escape_html` is Go's default.
pub fn to_json(v: &Value, escape_html: bool, indent: Option<&str>) -> Result<String, String> {
    let mut out = String::new();
    let mut w = Writer {
        out: &mut out,
        escape_html,
        indent,
    };
    w.value(v, 0)?;
    Ok(out)
}

struct Writer<'a> {
    out: &'a mut String,
    escape_html: bool,
    indent: Option<&'a str>,
}

impl Writer<'_> {
    fn newline(&mut self, depth: usize) {
        if let Some(ind) = self.indent {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str(ind);
            }
        }
    }

    fn value(&mut self, v: &Value, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "json: unsupported value: encountered a cycle via {}",
                v.type_name()
            ));
        }
        match v {
            Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.out.push_str(&i.to_string()),
            Value::Uint8(u) => self.out.push_str(&u.to_string()),
            Value::Float(f) => self.out.push_str(&json_float(*f)?),
            Value::String(s) => write_string(self.out, s, self.escape_html),
            Value::Bytes(b) => {
                let s = base64::engine::general_purpose::STANDARD.encode(b);
                write_string(self.out, &s, self.escape_html);
            }
            Value::List(l) => {
                if l.items.is_empty() {
                    self.out.push_str("[]");
                    return Ok(());
                }
                self.out.push('[');
                for (i, x) in l.items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    self.value(x, depth + 1)?;
                }
                self.newline(depth);
                self.out.push(']');
            }
            Value::Map(m) => {
                let entries = m.entries();
                if entries.is_empty() {
                    self.out.push_str("{}");
                    return Ok(());
                }
                self.out.push('{');
                for (i, (k, x)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    write_string(self.out, k, self.escape_html);
                    self.out.push(':');
                    if self.indent.is_some() {
                        self.out.push(' ');
                    }
                    self.value(x, depth + 1)?;
                }
                self.newline(depth);
                self.out.push('}');
            }
            Value::Object(o) => {
                if let Some(j) = o.to_json() {
                    let v = Value::from_json(&j);
                    return self.value(&v, depth + 1);
                }
                if let Some(c) = o.as_collection() {
                    return self.value(&c, depth + 1);
                }
                write_string(self.out, &o.format(), self.escape_html);
            }
        }
        Ok(())
    }
}

/// A JSON string literal as Go writes it.
pub fn write_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats() {
        assert_eq!(json_float(1e6).unwrap(), "1000000");
        assert_eq!(json_float(1.5).unwrap(), "1.5");
        assert_eq!(json_float(1e21).unwrap(), "1e+21");
        assert_eq!(json_float(1e-7).unwrap(), "1e-7");
        assert_eq!(json_float(0.000001).unwrap(), "0.000001");
        assert_eq!(json_float(-0.0).unwrap(), "-0");
        assert!(json_float(f64::NAN).is_err());
    }

    #[test]
    fn objects_sorted_and_escaped() {
        let v = Value::from_json(&json!({"b": [1, "x<y>&"], "a": null, "c": {}}));
        assert_eq!(
            to_json(&v, true, None).unwrap(),
            r#"{"a":null,"b":[1,"x\u003cy\u003e\u0026"],"c":{}}"#
        );
        assert_eq!(
            to_json(&v, false, Some("  ")).unwrap(),
            "{\n  \"a\": null,\n  \"b\": [\n    1,\n    \"x<y>&\"\n  ],\n  \"c\": {}\n}"
        );
    }
}
