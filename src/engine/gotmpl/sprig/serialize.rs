//! Serialisation functions: Helm's `toYaml`/`fromYaml`/`toJson`/`fromJson`/`fromJsonArray`
//! (which replace Sprig's `toJson`/`fromJson`), Sprig's `toPrettyJson`/`toRawJson`/
//! `mustFromJson`, and `toToml`/`fromToml`. Helm's versions swallow errors (empty string, or
//! an `Error` entry); the `must` versions fail.

use super::super::error::TemplateError;
use super::super::exec::{Ctx, FuncMap};
use super::super::json_out::to_json;
use super::super::value::{Param, Value};
use super::super::yaml_out::to_yaml;
use super::{R, def, s};
use std::collections::BTreeMap;

fn trim_nl(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
    }
    s
}

/// Go's name for a JSON value's kind in "cannot unmarshal X into Go value of type Y".
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// The embedder's YAML reader's result for `text` (read once per distinct text).
fn read_yaml(ctx: &Ctx<'_>, text: &str) -> Result<std::rc::Rc<ReadResult>, String> {
    ctx.rt
        .read_yaml(text)
        .ok_or_else(|| "error converting YAML to JSON: no YAML reader configured".into())
}

type ReadResult = Result<serde_json::Value, String>;

fn error_map(msg: String) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Error".to_string(), Value::string(msg));
    Value::map(m)
}

/// Helm's `fromYaml`: a map, or a map with an `Error` entry.
fn from_yaml(ctx: &Ctx<'_>, text: &str) -> Value {
    let r = match read_yaml(ctx, text) {
        Ok(r) => r,
        Err(e) => return error_map(e),
    };
    match r.as_ref() {
        Ok(serde_json::Value::Null) => Value::map(BTreeMap::new()),
        Ok(v @ serde_json::Value::Object(_)) => Value::from_json_floats(v),
        Ok(other) => error_map(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(other)
        )),
        Err(e) => error_map(format!("error converting YAML to JSON: {e}")),
    }
}

fn from_yaml_array(ctx: &Ctx<'_>, text: &str) -> Value {
    let r = match read_yaml(ctx, text) {
        Ok(r) => r,
        Err(e) => return Value::list(vec![Value::string(e)]),
    };
    match r.as_ref() {
        Ok(serde_json::Value::Null) => Value::list(Vec::new()),
        Ok(v @ serde_json::Value::Array(_)) => Value::from_json_floats(v),
        Ok(other) => Value::list(vec![Value::string(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(other)
        ))]),
        Err(e) => Value::list(vec![Value::string(format!(
            "error converting YAML to JSON: {e}"
        ))]),
    }
}

fn parse_json(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str::<serde_json::Value>(text).map_err(|e| {
        let msg = e.to_string();
        if text.trim().is_empty() {
            "unexpected end of JSON input".to_string()
        } else {
            msg
        }
    })
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "toYaml", &[Any], |_, a| {
        Ok(Value::string(
            to_yaml(&a[0]).map(trim_nl).unwrap_or_default(),
        ))
    });
    def(m, "mustToYaml", &[Any], |_, a| {
        to_yaml(&a[0])
            .map(|s| Value::string(trim_nl(s)))
            .map_err(TemplateError::Plain)
    });
    def(m, "toYamlPretty", &[Any], |_, a| {
        Ok(Value::string(
            super::super::yaml_out::to_yaml_pretty(&a[0])
                .map(trim_nl)
                .unwrap_or_default(),
        ))
    });
    def(m, "fromYaml", &[String], |ctx, a| {
        Ok(from_yaml(ctx, s(&a[0])))
    });
    def(m, "fromYamlArray", &[String], |ctx, a| {
        Ok(from_yaml_array(ctx, s(&a[0])))
    });
    def(m, "toJson", &[Any], |_, a| {
        Ok(Value::string(
            to_json(&a[0], true, None).unwrap_or_default(),
        ))
    });
    def(m, "mustToJson", &[Any], |_, a| {
        to_json(&a[0], true, None)
            .map(Value::string)
            .map_err(TemplateError::Plain)
    });
    def(m, "toPrettyJson", &[Any], |_, a| {
        Ok(Value::string(
            to_json(&a[0], true, Some("  ")).unwrap_or_default(),
        ))
    });
    def(m, "mustToPrettyJson", &[Any], |_, a| {
        to_json(&a[0], true, Some("  "))
            .map(Value::string)
            .map_err(TemplateError::Plain)
    });
    def(m, "toRawJson", &[Any], |_, a| {
        to_json(&a[0], false, None)
            .map(Value::string)
            .map_err(TemplateError::Plain)
    });
    def(m, "mustToRawJson", &[Any], |_, a| {
        to_json(&a[0], false, None)
            .map(Value::string)
            .map_err(TemplateError::Plain)
    });
    def(m, "fromJson", &[String], |_, a| -> R {
        Ok(match parse_json(s(&a[0])) {
            Ok(v @ serde_json::Value::Object(_)) => Value::from_json_floats(&v),
            Ok(serde_json::Value::Null) => Value::map(BTreeMap::new()),
            Ok(other) => error_map(format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(&other)
            )),
            Err(e) => error_map(e),
        })
    });
    def(m, "fromJsonArray", &[String], |_, a| {
        Ok(match parse_json(s(&a[0])) {
            Ok(v @ serde_json::Value::Array(_)) => Value::from_json_floats(&v),
            Ok(serde_json::Value::Null) => Value::list(Vec::new()),
            Ok(other) => Value::list(vec![Value::string(format!(
                "json: cannot unmarshal {} into Go value of type []interface {{}}",
                json_kind(&other)
            ))]),
            Err(e) => Value::list(vec![Value::string(e)]),
        })
    });
    def(m, "mustFromJson", &[String], |_, a| {
        parse_json(s(&a[0]))
            .map(|v| Value::from_json_floats(&v))
            .map_err(TemplateError::Plain)
    });
    def(m, "toToml", &[Any], |_, a| {
        Ok(Value::string(
            super::super::toml_out::to_toml(&a[0]).unwrap_or_else(|e| e),
        ))
    });
    def(m, "mustToToml", &[Any], |_, a| {
        super::super::toml_out::to_toml(&a[0])
            .map(Value::string)
            .map_err(TemplateError::Plain)
    });
}
