//! `to_yaml`, `to_json`, `from_yaml`, `from_json`. YAML goes through `crate::yaml` only:
//! block style, strings that YAML 1.1 would retype quoted, integers kept as integers, map order
//! kept as in the data (Helm's toYaml sorts keys; we keep the order the author wrote), and no
//! trailing newline (like Helm's `toYaml`). Parse errors name the line and column; the parser's
//! message (which might quote the input) is shown only in debug mode.

use super::{charge_output, ensure_defined, from_data, to_data};
use minijinja::value::Value;
use minijinja::{Error, ErrorKind, State};

pub fn to_yaml(state: &State, v: Value) -> Result<String, Error> {
    ensure_defined(state, &v)?;
    let data = to_data(&v)?;
    let out = crate::yaml::to_string(&data);
    charge_output(state, "to_yaml", out.len())?;
    Ok(out.strip_suffix('\n').unwrap_or(&out).to_string())
}

pub fn to_json(state: &State, v: Value) -> Result<String, Error> {
    ensure_defined(state, &v)?;
    let data = to_data(&v)?;
    let out = serde_json::to_string(&data).map_err(|e| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("to_json: value cannot be written as JSON: {e}"),
        )
    })?;
    charge_output(state, "to_json", out.len())?;
    Ok(out)
}

fn input_text(state: &State, what: &str, v: &Value) -> Result<String, Error> {
    ensure_defined(state, v)?;
    if v.is_none() {
        return Ok(String::new());
    }
    match v.as_str() {
        Some(s) => Ok(s.to_string()),
        None => match v.as_bytes() {
            Some(b) => Ok(String::from_utf8_lossy(b).into_owned()),
            None => Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("{what} expects a string, got {}", v.kind()),
            )),
        },
    }
}

pub fn from_yaml(state: &State, v: Value, debug: bool) -> Result<Value, Error> {
    let text = input_text(state, "from_yaml", &v)?;
    state.consume_fuel(text.len() as u64 / 16)?;
    match crate::yaml::parse_value(&text, crate::yaml::NumberModel::Exact) {
        Ok(data) => Ok(from_data(&data)),
        Err(e) => {
            let mut msg = String::from("from_yaml: input is not valid YAML");
            if let (Some(l), Some(c)) = (e.line, e.column) {
                msg.push_str(&format!(" (line {l}, column {c})"));
            }
            if debug {
                msg.push_str(&format!(": {}", e.message));
            }
            Err(Error::new(ErrorKind::InvalidOperation, msg))
        }
    }
}

pub fn from_json(state: &State, v: Value, debug: bool) -> Result<Value, Error> {
    let text = input_text(state, "from_json", &v)?;
    state.consume_fuel(text.len() as u64 / 16)?;
    match serde_json::from_str::<crate::Value>(&text) {
        Ok(data) => Ok(from_data(&data)),
        Err(e) => {
            let mut msg = format!(
                "from_json: input is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            );
            if debug {
                msg.push_str(&format!(": {e}"));
            }
            Err(Error::new(ErrorKind::InvalidOperation, msg))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use serde_json::json;

    #[test]
    fn to_yaml_block_style_no_trailing_newline() {
        let out = render(
            "{{ v | to_yaml }}",
            json!({"v": {"b": 1, "a": ["x", "yes", "0777"], "c": {"d": true}}}),
        );
        assert!(!out.ends_with('\n'), "{out:?}");
        assert!(out.starts_with("b: 1\n"), "{out}");
        let back = crate::yaml::parse_value(&out, crate::yaml::NumberModel::Exact).unwrap();
        assert_eq!(
            back,
            json!({"b": 1, "a": ["x", "yes", "0777"], "c": {"d": true}})
        );
    }

    #[test]
    fn to_yaml_scalars_and_empty() {
        assert_eq!(render("{{ v | to_yaml }}", json!({"v": 5})), "5");
        assert_eq!(render("{{ v | to_yaml }}", json!({"v": "yes"})).len(), 5); // quoted
        assert_eq!(render("{{ v | to_yaml }}", json!({"v": {}})), "{}");
        assert_eq!(render("{{ v | to_yaml }}", json!({"v": []})), "[]");
        assert_eq!(render("{{ v | to_yaml }}", json!({"v": null})), "null");
    }

    #[test]
    fn to_yaml_multiline_strings_round_trip() {
        let v = json!({"script": "line1\nline2\n", "n": 1_000_000});
        let out = render("{{ v | to_yaml }}", json!({ "v": v }));
        assert!(!out.contains("1e"), "{out}");
        let back = crate::yaml::parse_value(&out, crate::yaml::NumberModel::Exact).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn to_yaml_quotes_yaml_1_1_keys_and_values() {
        // Helm gives `"n": 1000000`, `s: "0777"`, `"yes": "on"` (sorted); we keep map order.
        let v = json!({"yes": "on", "n": 1000000, "s": "0777", "y": "n", "off": true});
        let out = render("{{ v | to_yaml }}", json!({ "v": v }));
        let back = crate::yaml::parse_value(&out, crate::yaml::NumberModel::Exact).unwrap();
        assert_eq!(back, v, "{out}");
        assert!(out.contains("1000000"), "{out}");
    }

    #[test]
    fn to_json_compact() {
        assert_eq!(
            render(
                "{{ v | to_json }}",
                json!({"v": {"b": 1, "a": [true, null]}})
            ),
            r#"{"b":1,"a":[true,null]}"#
        );
        assert_eq!(render("{{ to_json('x') }}", json!({})), r#""x""#);
    }

    #[test]
    fn from_yaml_and_json() {
        assert_eq!(
            render("{{ (s | from_yaml).a.b }}", json!({"s": "a:\n  b: 0777\n"})),
            "511"
        );
        assert_eq!(
            render(
                "{{ (s | from_json).a[1] }}",
                json!({"s": "{\"a\": [1, 2]}"})
            ),
            "2"
        );
        assert_eq!(render("{{ ('' | from_yaml) is none }}", json!({})), "true");
    }

    #[test]
    fn parse_errors_hide_input() {
        let e = render_err(
            "{{ s | from_json }}",
            json!({"s": "{\"password\": hunter2}"}),
        );
        assert!(e.contains("not valid JSON"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
        let e = render_err("{{ s | from_yaml }}", json!({"s": "a: [1, 2\nb: c"}));
        assert!(e.contains("not valid YAML"), "{e}");
    }

    #[test]
    fn hostile_json_nesting_is_an_error() {
        let deep = "[".repeat(100_000);
        let e = render_err("{{ s | from_json }}", json!({ "s": deep }));
        assert!(e.contains("not valid JSON"), "{e}");
        let deep = "[".repeat(100_000);
        let e = render_err("{{ s | from_yaml }}", json!({ "s": deep }));
        assert!(e.contains("not valid YAML"), "{e}");
    }
}
