//! `values.schema.json` checks (Helm's `pkg/chart/common/util/jsonschema.go`) with the
//! `jsonschema` crate: the root chart's schema against the root values, then each remaining
//! subchart's schema against `values[<name or alias>]` (skipped when absent or null, an error when
//! not a map), recursively. The draft comes from `$schema` (2020-12 when absent). References
//! resolve offline only: `#/...` inside the schema works, `urn:` references are accepted as an
//! always-valid schema (as Helm does), anything else (http, https, file) is an error.
//!
//! Every violation is listed as `- at '<JSON pointer>': <message>` under a `<chart>:` line,
//! Helm's block format. Messages come from the `jsonschema` crate with the offending value
//! masked (values may be secrets), so their wording differs from Helm's Go library; pointers
//! and structure match. Owns validation only: must not coalesce, load files, or print.

use super::error::ValuesError;
use super::gofmt;
use crate::chart::Chart;
use crate::{Map, Value};
use jsonschema::{PatternOptions, Retrieve, Uri};

/// Checks the fully coalesced values of a chart tree (after
/// [`super::process_dependencies`] and [`super::coalesce`]) against every schema in it.
pub fn validate_schemas(chart: &Chart, values: &Map) -> Result<(), ValuesError> {
    let mut report = String::new();
    validate_chart(chart, values, &mut report);
    if report.is_empty() {
        Ok(())
    } else {
        Err(ValuesError::Schema { report })
    }
}

fn validate_chart(chart: &Chart, values: &Map, report: &mut String) {
    if let Some(schema) = &chart.schema {
        let problems = check(values, schema);
        if !problems.is_empty() {
            report.push_str(chart.name());
            report.push_str(":\n");
            for p in problems {
                report.push_str(&p);
                report.push('\n');
            }
        }
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Null) => {}
            Some(Value::Object(sub_values)) => validate_chart(sub, sub_values, report),
            Some(other) => report.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                gofmt::type_name(other)
            )),
        }
    }
}

/// The violations of one schema, one `- at '<pointer>': <message>` line each, sorted by
/// pointer.
fn check(values: &Map, schema_bytes: &[u8]) -> Vec<String> {
    let schema: Value = match serde_json::from_slice(schema_bytes) {
        Ok(s) => s,
        Err(e) => return vec![format!("- values.schema.json is not valid JSON: {e}")],
    };
    let validator = match jsonschema::options()
        .with_base_uri("file:///values.schema.json")
        .with_retriever(OfflineRefs)
        .with_pattern_options(PatternOptions::regex())
        .build(&schema)
    {
        Ok(v) => v,
        Err(e) => return vec![format!("- values.schema.json is not a valid schema: {e}")],
    };
    let instance = Value::Object(map_integral_floats_as_ints(values));
    let mut found: Vec<(String, String)> = validator
        .iter_errors(&instance)
        .map(|e| (e.instance_path().to_string(), e.masked().to_string()))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup();
    found
        .into_iter()
        .map(|(pointer, message)| format!("- at '{pointer}': {message}"))
        .collect()
}

/// Values read with Helm's number model are all float64; `25.0` must still satisfy
/// `"type": "integer"` under every draft (as it does in Helm), so whole floats that fit an
/// integer exactly are checked as integers. The copy the schema checks is a clone rewritten in
/// place: cloning a map copies its hash table, where collecting a new one rehashes every key.
fn map_integral_floats_as_ints(m: &Map) -> Map {
    let mut copy = m.clone();
    copy.values_mut().for_each(integral_floats_as_ints);
    copy
}

/// Rewrites whole floats that fit an integer exactly as integers (see
/// [`map_integral_floats_as_ints`]).
fn integral_floats_as_ints(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64()
                && n.is_f64()
                && f.fract() == 0.0
                && f.abs() < 9_007_199_254_740_992.0
            {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(integral_floats_as_ints),
        Value::Object(m) => m.values_mut().for_each(integral_floats_as_ints),
        _ => {}
    }
}

/// Resolves nothing from the network or disk: `urn:` references become the always-valid
/// schema `true` (Helm's behaviour for unresolved URNs); any other external reference fails.
struct OfflineRefs;

impl Retrieve for OfflineRefs {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let s = uri.as_str();
        if s.starts_with("urn:") {
            return Ok(Value::Bool(true));
        }
        Err(format!(
            "cannot load {s}: chartroom checks schemas offline, so $ref may only point inside values.schema.json (or to a urn:, which is ignored)"
        )
        .into())
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
