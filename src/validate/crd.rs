//! Schemas for custom resources, taken from CustomResourceDefinitions found in the same input.
//!
//! A CRD's `openAPIV3Schema` (per version, or `spec.validation` in `v1beta1`) is OpenAPI 3.0
//! structural schema, validated here as JSON Schema draft 4 (whose `exclusiveMinimum: true`
//! matches OpenAPI 3.0) after these translations:
//! - `nullable: true` adds `"null"` to `type`;
//! - `x-kubernetes-int-or-string: true` means integer or string;
//! - `x-kubernetes-embedded-resource: true` allows `apiVersion`, `kind`, `metadata`;
//! - strict mode: an object with `properties`, no `additionalProperties` and no
//!   `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties: false`, which is
//!   what the API server's strict field validation reports as unknown fields;
//! - the root always allows `apiVersion`, `kind` and `metadata` (an object).
//!
//! `$ref` is not allowed in CRD schemas; one that has it fails to compile (offline) and is
//! reported, like any other broken schema, on the custom resources that use it.

use crate::{Map, Value};

/// One custom resource schema: for `apiVersion` + `kind`, from the CRD at `source`.
#[derive(Clone, Debug)]
pub(crate) struct CrdSchema {
    pub api_version: String,
    pub kind: String,
    pub schema: Value,
}

/// Whether a document is a CustomResourceDefinition.
pub(crate) fn is_crd(doc: &Value) -> bool {
    doc.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition")
        && doc
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("apiextensions.k8s.io/"))
}

/// The schemas a CRD document declares (none if it has no schema or is malformed: the CRD
/// itself is validated against the built-in CustomResourceDefinition schema).
pub(crate) fn schemas_from_crd(doc: &Value, strict: bool) -> Vec<CrdSchema> {
    let mut out = Vec::new();
    let Some(spec) = doc.get("spec") else {
        return out;
    };
    let Some(group) = spec.get("group").and_then(Value::as_str) else {
        return out;
    };
    let Some(kind) = spec
        .get("names")
        .and_then(|n| n.get("kind"))
        .and_then(Value::as_str)
    else {
        return out;
    };
    let shared = spec
        .get("validation")
        .and_then(|v| v.get("openAPIV3Schema"));
    let mut versions: Vec<(String, Option<&Value>)> = Vec::new();
    if let Some(list) = spec.get("versions").and_then(Value::as_array) {
        for v in list {
            if let Some(name) = v.get("name").and_then(Value::as_str) {
                let schema = v
                    .get("schema")
                    .and_then(|s| s.get("openAPIV3Schema"))
                    .or(shared);
                versions.push((name.to_string(), schema));
            }
        }
    } else if let Some(name) = spec.get("version").and_then(Value::as_str) {
        versions.push((name.to_string(), shared));
    }
    for (version, schema) in versions {
        let Some(schema) = schema else { continue };
        out.push(CrdSchema {
            api_version: format!("{group}/{version}"),
            kind: kind.to_string(),
            schema: to_json_schema(schema, strict),
        });
    }
    out
}

/// Translates a structural OpenAPI v3 schema to JSON Schema draft 4 (see the module doc).
pub(crate) fn to_json_schema(schema: &Value, strict: bool) -> Value {
    let mut root = translate(schema, strict, 0);
    if let Value::Object(map) = &mut root {
        let props = map
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(props) = props {
            allow_type_meta(props);
        }
        if !map.contains_key("type") {
            map.insert("type".to_string(), Value::String("object".to_string()));
        }
        if strict && !map.contains_key("additionalProperties") && !preserves(schema) {
            map.insert("additionalProperties".to_string(), Value::Bool(false));
        }
    }
    root
}

fn allow_type_meta(props: &mut Map) {
    for key in ["apiVersion", "kind"] {
        props
            .entry(key)
            .or_insert_with(|| serde_json::json!({"type": "string"}));
    }
    props
        .entry("metadata")
        .or_insert_with(|| serde_json::json!({"type": "object"}));
}

fn preserves(schema: &Value) -> bool {
    schema.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true))
}

/// Deep schemas are cut off here (their deeper parts accept anything) so hostile CRDs cannot
/// exhaust the stack; real CRDs stay far below it.
const MAX_SCHEMA_DEPTH: usize = 200;

fn translate(schema: &Value, strict: bool, depth: usize) -> Value {
    let Value::Object(src) = schema else {
        return schema.clone();
    };
    if depth > MAX_SCHEMA_DEPTH {
        return Value::Object(Map::new());
    }
    let mut out = Map::new();
    for (key, value) in src {
        match key.as_str() {
            "properties" | "patternProperties" | "definitions" => {
                if let Value::Object(props) = value {
                    let mapped = props
                        .iter()
                        .map(|(k, v)| (k.clone(), translate(v, strict, depth + 1)))
                        .collect();
                    out.insert(key.clone(), Value::Object(mapped));
                }
            }
            "items" | "additionalProperties" | "not" | "additionalItems" => {
                // Inside `not`, an added `additionalProperties: false` would invert meaning.
                let strict = strict && key != "not";
                let v = match value {
                    Value::Array(list) => Value::Array(
                        list.iter()
                            .map(|v| translate(v, strict, depth + 1))
                            .collect(),
                    ),
                    other => translate(other, strict, depth + 1),
                };
                out.insert(key.clone(), v);
            }
            "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(list) = value {
                    out.insert(
                        key.clone(),
                        Value::Array(
                            list.iter()
                                .map(|v| translate(v, false, depth + 1))
                                .collect(),
                        ),
                    );
                }
            }
            "nullable"
            | "description"
            | "example"
            | "externalDocs"
            | "default"
            | "format"
            | "x-kubernetes-int-or-string"
            | "x-kubernetes-embedded-resource"
            | "x-kubernetes-preserve-unknown-fields"
            | "id"
            | "$schema" => {}
            k if k.starts_with("x-kubernetes-") => {}
            // Draft 4 forbids an empty `required`; OpenAPI allows it and it means nothing.
            "required" if value.as_array().is_some_and(Vec::is_empty) => {}
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    let nullable = src.get("nullable") == Some(&Value::Bool(true));
    if src.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
        out.insert("type".to_string(), serde_json::json!(["integer", "string"]));
    }
    if src.get("x-kubernetes-embedded-resource") == Some(&Value::Bool(true)) {
        let props = out
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(props) = props {
            allow_type_meta(props);
        }
    }
    if nullable {
        match out.get_mut("type") {
            Some(Value::String(t)) => {
                let t = t.clone();
                out.insert("type".to_string(), serde_json::json!([t, "null"]));
            }
            Some(Value::Array(list)) => list.push(Value::String("null".to_string())),
            _ => {}
        }
    }
    if strict
        && depth > 0
        && out.contains_key("properties")
        && !out.contains_key("additionalProperties")
        && !preserves(schema)
    {
        out.insert("additionalProperties".to_string(), Value::Bool(false));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn crd() -> Value {
        json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {
                "group": "example.com",
                "names": {"kind": "Widget", "plural": "widgets"},
                "scope": "Namespaced",
                "versions": [
                    {"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {"type": "object", "required": ["size"], "properties": {
                                "size": {"type": "integer", "minimum": 1},
                                "port": {"x-kubernetes-int-or-string": true},
                                "note": {"type": "string", "nullable": true},
                                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                                          "properties": {"a": {"type": "string"}}}
                            }}
                        }
                    }}},
                    {"name": "v2", "served": true, "storage": false}
                ]
            }
        })
    }

    #[test]
    fn extracts_versions_with_schemas() {
        assert!(is_crd(&crd()));
        let s = schemas_from_crd(&crd(), true);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].api_version, "example.com/v1");
        assert_eq!(s[0].kind, "Widget");
        let spec = &s[0].schema["properties"]["spec"];
        assert_eq!(spec["additionalProperties"], false);
        assert_eq!(
            spec["properties"]["port"]["type"],
            json!(["integer", "string"])
        );
        assert_eq!(
            spec["properties"]["note"]["type"],
            json!(["string", "null"])
        );
        assert!(
            spec["properties"]["extra"]
                .get("additionalProperties")
                .is_none()
        );
        assert_eq!(s[0].schema["properties"]["metadata"]["type"], "object");
        assert_eq!(s[0].schema["additionalProperties"], false);
    }

    #[test]
    fn loose_mode_adds_no_additional_properties() {
        let s = schemas_from_crd(&crd(), false);
        assert!(!s[0].schema.to_string().contains("additionalProperties"));
    }

    #[test]
    fn v1beta1_shared_validation() {
        let doc = json!({
            "apiVersion": "apiextensions.k8s.io/v1beta1",
            "kind": "CustomResourceDefinition",
            "spec": {"group": "g.io", "version": "v1alpha1", "names": {"kind": "Thing"},
                     "validation": {"openAPIV3Schema": {"properties": {"spec": {"type": "object"}}}}}
        });
        let s = schemas_from_crd(&doc, true);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].api_version, "g.io/v1alpha1");
    }

    #[test]
    fn malformed_crds_give_nothing() {
        for doc in [
            json!({"kind": "CustomResourceDefinition", "apiVersion": "apiextensions.k8s.io/v1"}),
            json!({"kind": "CustomResourceDefinition", "apiVersion": "apiextensions.k8s.io/v1", "spec": {"group": 1}}),
            json!({"kind": "CustomResourceDefinition", "apiVersion": "apiextensions.k8s.io/v1",
                   "spec": {"group": "g", "names": {"kind": "K"}, "versions": "nope"}}),
        ] {
            assert!(schemas_from_crd(&doc, true).is_empty());
        }
        assert!(!is_crd(
            &json!({"kind": "CustomResourceDefinition", "apiVersion": "v1"})
        ));
    }

    #[test]
    fn deep_schemas_are_cut_off() {
        let mut s = json!({"type": "string"});
        for _ in 0..400 {
            s = json!({"type": "object", "properties": {"a": s}});
        }
        let out = to_json_schema(&s, true);
        let text = out.to_string();
        assert!(text.matches("properties").count() <= MAX_SCHEMA_DEPTH + 3);
    }
}
