//! Turns `jsonschema` validation errors into finding parts (path, message, rule). Messages say
//! what is expected without quoting the offending value, unless `show_values` asks for it.

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};

use super::finding::rule;
use super::locate::{Segment, pointer_segments};
use crate::Value;

/// One problem found by a schema, before it gets a file and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub path: Vec<Segment>,
    pub message: String,
    pub rule: &'static str,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn list(values: &[Value]) -> String {
    let mut parts: Vec<String> = values.iter().take(12).map(|v| v.to_string()).collect();
    if values.len() > 12 {
        parts.push(format!("... ({} in all)", values.len()));
    }
    parts.join(", ")
}

/// A hint when quoting is the likely mistake: `"3"` for an integer, `8080` for a string.
fn quoting_hint(expected: &str, instance: &Value) -> &'static str {
    let wants = |t: &str| expected.split(" or ").any(|e| e == t);
    match instance {
        Value::String(s) => {
            let t = s.trim();
            if (wants("integer") && t.parse::<i64>().is_ok())
                || (wants("number") && t.parse::<f64>().is_ok_and(f64::is_finite))
                || (wants("boolean") && (t == "true" || t == "false"))
            {
                "; remove the quotes around the value"
            } else {
                ""
            }
        }
        Value::Number(_) | Value::Bool(_) if wants("string") => {
            "; quote the value to make it a string"
        }
        _ => "",
    }
}

/// Converts one error (which may stand for several unknown fields) into problems.
pub(crate) fn problems(err: &ValidationError<'_>, doc: &Value, show_values: bool) -> Vec<Problem> {
    let path = pointer_segments(err.instance_path().as_str(), doc);
    let instance = err.instance();
    let value_note = |msg: String| {
        if show_values {
            format!("{msg} (value: {})", shown(instance))
        } else {
            msg
        }
    };
    let one = |message: String, rule: &'static str| {
        vec![Problem {
            path: path.clone(),
            message,
            rule,
        }]
    };
    match err.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|field| {
                let mut p = path.clone();
                p.push(Segment::Key(field.clone()));
                Problem {
                    path: p,
                    message: format!(
                        "unknown field {field:?}; check its spelling and indentation, or use --no-strict to allow unknown fields"
                    ),
                    rule: rule::UNKNOWN_FIELD,
                }
            })
            .collect(),
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().map_or_else(|| property.to_string(), str::to_string);
            one(format!("missing required field {name:?}"), rule::REQUIRED_FIELD)
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => {
                    let names: Vec<String> = set
                        .iter()
                        .map(|t| t.to_string())
                        .filter(|t| t != "null")
                        .collect();
                    names.join(" or ")
                }
            };
            one(
                value_note(format!(
                    "expected {expected}, got {}{}",
                    type_name(instance),
                    quoting_hint(&expected, instance)
                )),
                rule::WRONG_TYPE,
            )
        }
        ValidationErrorKind::Enum { options } => {
            let allowed = match options.as_ref() {
                Value::Array(items) => list(items),
                other => other.to_string(),
            };
            one(value_note(format!("must be one of {allowed}")), rule::INVALID_ENUM)
        }
        ValidationErrorKind::Constant { expected_value } => one(
            value_note(format!("must be {expected_value}")),
            rule::INVALID_ENUM,
        ),
        _ => one(err.masked().to_string(), rule::INVALID_VALUE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(schema: Value, doc: Value, show: bool) -> Vec<(String, String, &'static str)> {
        let v = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&schema)
            .unwrap();
        let mut out = Vec::new();
        for e in v.iter_errors(&doc) {
            for p in problems(&e, &doc, show) {
                out.push((
                    super::super::locate::format_path(&p.path),
                    p.message,
                    p.rule,
                ));
            }
        }
        out
    }

    #[test]
    fn messages_per_kind() {
        let schema = json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "replicas": {"type": ["integer", "null"]},
                "policy": {"type": "string", "enum": ["Always", "Never"]},
                "size": {"type": "integer", "minimum": 1},
                "items": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "boolean"}}}}
            }
        });
        let doc = json!({"replicas": "three", "policy": "Sometimes", "size": 0, "items": [{"a": "secret"}], "extra": 1, "more": 2});
        let got = run(schema.clone(), doc.clone(), false);
        let rules: Vec<&str> = got.iter().map(|g| g.2).collect();
        assert!(rules.contains(&rule::REQUIRED_FIELD), "{got:?}");
        assert!(
            got.contains(&(
                "replicas".into(),
                "expected integer, got string".into(),
                rule::WRONG_TYPE
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                "policy".into(),
                "must be one of \"Always\", \"Never\"".into(),
                rule::INVALID_ENUM
            )),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g.0 == "size" && g.2 == rule::INVALID_VALUE),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g.0 == "items[0].a" && g.2 == rule::WRONG_TYPE),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g.0 == "extra" && g.2 == rule::UNKNOWN_FIELD),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g.0 == "more" && g.2 == rule::UNKNOWN_FIELD),
            "{got:?}"
        );
        // Values stay out of messages unless asked for.
        let all: String = got.iter().map(|g| g.1.clone()).collect();
        assert!(
            !all.contains("three") && !all.contains("Sometimes") && !all.contains("secret"),
            "{all}"
        );
        let shown = run(schema, doc, true);
        let all: String = shown.iter().map(|g| g.1.clone()).collect();
        assert!(
            all.contains("\"three\"") && all.contains("\"Sometimes\""),
            "{all}"
        );
    }
}
