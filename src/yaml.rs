//! The one wrapper around the YAML crate (serde-saphyr); nothing else imports it directly.
//!
//! Owns: reading YAML the way Helm reads it (YAML 1.1 scalars: `yes`/`on` are booleans, `0777`
//! is octal, `<<` merge keys, duplicate keys last-wins, every document of a stream) into
//! [`crate::Value`], with node and size budgets against YAML bombs; and writing YAML that
//! YAML 1.1 readers read back unchanged. It must not know about charts, values precedence or
//! manifests: callers decide what the documents mean.

mod block;
#[cfg(test)]
mod block_tests;
#[cfg(test)]
mod differential_tests;
mod fast;
mod head;
#[cfg(test)]
mod head_tests;
mod scalars;

use crate::Value;
use serde_saphyr::options::AliasLimits;
use serde_saphyr::{Budget, DuplicateKeyPolicy, NonFiniteFloatPolicy, Options};

/// How numbers read from YAML are represented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum NumberModel {
    /// Integers stay integers (Jinja charts, manifests).
    #[default]
    Exact,
    /// Every number becomes a float64, as Helm's sigs.k8s.io/yaml does (Go-template charts).
    Helm,
}

/// A YAML read error with the position it points at (1-based), when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Budgets for small inputs (values files, Chart.yaml): generous for real files, fatal for bombs.
/// Anchors in real values files wrap a few hundred events and are replayed a few dozen times;
/// an alias bomb ("billion laughs") trips `max_recorded_anchor_events` after 50k copied events,
/// which keeps its rejection in the tens of milliseconds instead of seconds.
fn small_budget() -> Budget {
    let mut b = Budget::default();
    b.max_nodes = 1_000_000;
    b.max_events = 4_000_000;
    b.max_depth = 128;
    b.max_documents = 4_096;
    b.max_recorded_anchor_events = 50_000;
    // The alias/anchor ratio heuristic rejects one anchor merged into 100 places, which real
    // values files do; the absolute limits above and in `small_alias_limits` bound the work.
    b.enforce_alias_anchor_ratio = false;
    b
}

/// Alias replay limits for small inputs (see [`small_budget`]).
fn small_alias_limits() -> AliasLimits {
    let mut l = AliasLimits::default();
    l.max_total_replayed_events = 250_000;
    l
}

/// Budgets for rendered manifest streams and CRDs, which can be large.
fn stream_budget() -> Budget {
    let mut b = Budget::default();
    b.max_nodes = 20_000_000;
    b.max_events = 80_000_000;
    b.max_depth = 256;
    b.max_documents = 1_000_000;
    b.max_reader_input_bytes = Some(512 * 1024 * 1024);
    b.enforce_alias_anchor_ratio = false;
    b
}

fn options(budget: Budget, alias_limits: AliasLimits) -> Options {
    let mut o = Options::default();
    o.budget = Some(budget);
    o.alias_limits = alias_limits;
    o.duplicate_keys = DuplicateKeyPolicy::LastWins;
    o.legacy_octal_numbers = true;
    o.non_finite_float_policy = NonFiniteFloatPolicy::AsString;
    o
}

fn convert_error(err: serde_saphyr::Error) -> YamlError {
    let loc = err.location();
    let (line, column) = match loc {
        Some(l) if l.line() > 0 => (Some(l.line() as usize), Some(l.column() as usize)),
        _ => (None, None),
    };
    // The crate's Display carries a source snippet; keep only the first line as the message so
    // callers can add their own file name and context (values may be secrets).
    let full = err.to_string();
    let first = full.lines().next().unwrap_or("invalid YAML").trim();
    let message = strip_position_prefix(first).to_string();
    YamlError {
        message,
        line,
        column,
    }
}

/// Drops the crate's `error: line N column M: ` prefix: the position travels in
/// [`YamlError::line`]/[`YamlError::column`], and callers print it in their own words.
fn strip_position_prefix(message: &str) -> &str {
    let rest = message.strip_prefix("error: ").unwrap_or(message);
    let Some(after_line) = rest.strip_prefix("line ") else {
        return rest;
    };
    match after_line.find(": ") {
        Some(i)
            if after_line[..i]
                .split(" column ")
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            &after_line[i + 2..]
        }
        _ => rest,
    }
}

/// Reads every document of a YAML stream (empty and comment-only documents are skipped).
pub fn parse_documents(text: &str, model: NumberModel) -> Result<Vec<Value>, YamlError> {
    parse_with(text, model, small_budget(), small_alias_limits())
}

/// Like [`parse_documents`] with budgets sized for rendered manifests and CRDs.
pub fn parse_stream(text: &str, model: NumberModel) -> Result<Vec<Value>, YamlError> {
    parse_with(text, model, stream_budget(), AliasLimits::default())
}

/// Reads one YAML document (the first, if there are several); an empty input is `null`.
pub fn parse_value(text: &str, model: NumberModel) -> Result<Value, YamlError> {
    Ok(parse_documents(text, model)?
        .into_iter()
        .next()
        .unwrap_or(Value::Null))
}

/// Stack for one parse: enough for the depth budgets below even in debug builds.
const PARSE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Nesting that any thread's stack handles, even in debug builds.
const SHALLOW_NESTING: usize = 32;

/// An upper bound of the nesting depth of a YAML text, from one pass over its bytes: per line,
/// the indentation plus sequence dashes plus open flow brackets carried from earlier lines.
fn nesting_bound(text: &str) -> usize {
    let mut max = 0usize;
    let mut flow = 0usize;
    for line in text.lines() {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut level = 0;
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'-' || bytes[i] == b'\t') {
            level += 1;
            i += 1;
        }
        for &b in &bytes[i..] {
            match b {
                b'[' | b'{' => flow += 1,
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => {}
            }
            max = max.max(level + flow);
        }
        max = max.max(level + flow);
    }
    max
}

fn parse_with(
    text: &str,
    model: NumberModel,
    budget: Budget,
    alias_limits: AliasLimits,
) -> Result<Vec<Value>, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    // The fast reader gives serde-saphyr's exact answer or declines (errors, rare constructs,
    // budgets near their limits); serde-saphyr then decides.
    let options = options(budget, alias_limits);
    let docs = match fast::parse(text, &options) {
        Ok(docs) => docs,
        Err(fast::Fallback(_)) => parse_saphyr_with(text, options)?,
    };
    Ok(match model {
        NumberModel::Exact => docs,
        NumberModel::Helm => docs.into_iter().map(to_helm_numbers).collect(),
    })
}

/// Reads a stream with serde-saphyr (the reference the fast reader must match).
#[cfg(test)]
fn parse_saphyr(
    text: &str,
    budget: Budget,
    alias_limits: AliasLimits,
) -> Result<Vec<Value>, YamlError> {
    parse_saphyr_with(text, options(budget, alias_limits))
}

fn parse_saphyr_with(text: &str, options: Options) -> Result<Vec<Value>, YamlError> {
    // The parser and serde recurse per nesting level; a deeply nested input runs on a stack
    // sized for the depth budget, so hostile nesting ends in a budget error, never a stack
    // overflow. Ordinary documents stay on the current stack (a fresh stack costs page faults).
    let parse = || serde_saphyr::from_multiple_with_options(text, options);
    if nesting_bound(text) <= SHALLOW_NESTING {
        parse()
    } else {
        stacker::grow(PARSE_STACK_BYTES, parse)
    }
    .map_err(convert_error)
}

/// The fields Helm reads from every rendered document (its `SimpleHead`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Head {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub metadata: Option<HeadMetadata>,
}

/// `metadata` of a [`Head`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeadMetadata {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub annotations: Option<indexmap::IndexMap<String, String>>,
}

/// The head fields of a parsed document (strings only; other types read as absent).
pub fn head_of(v: &Value) -> Head {
    head_from_value(v)
}

/// The head of the first document of `text` (as [`head_of`] of [`parse_stream`]'s first
/// document), or `parse_stream`'s error. Plain documents are read without building their
/// value, which is most of the cost of `parse_stream`.
pub fn head_of_text(text: &str) -> Result<Head, YamlError> {
    let stripped = text.strip_prefix('\u{feff}').unwrap_or(text);
    if stripped.trim().is_empty() {
        return Ok(Head::default());
    }
    match head::read(stripped, &stream_budget()) {
        Ok(head) => Ok(head),
        Err(head::Declined(_)) => {
            let docs = parse_stream(text, NumberModel::Exact)?;
            Ok(docs.first().map(head_from_value).unwrap_or_default())
        }
    }
}

fn head_from_value(v: &Value) -> Head {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let meta = v.get("metadata");
    Head {
        api_version: s(v.get("apiVersion")),
        kind: s(v.get("kind")),
        metadata: meta.map(|m| HeadMetadata {
            name: s(m.get("name")),
            namespace: s(m.get("namespace")),
            annotations: m.get("annotations").and_then(Value::as_object).map(|a| {
                a.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            }),
        }),
    }
}

/// Converts every number to float64, as Helm's YAML → JSON → `interface{}` path does.
pub fn to_helm_numbers(mut v: Value) -> Value {
    helm_numbers_in_place(&mut v);
    v
}

/// [`to_helm_numbers`] in place: maps and lists keep their allocations (rebuilding them cost
/// a rehash of every map of a values file).
fn helm_numbers_in_place(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                *v = serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(helm_numbers_in_place),
        Value::Object(m) => m.values_mut().for_each(helm_numbers_in_place),
        _ => {}
    }
}

/// Writes a value as block YAML that YAML 1.1 and 1.2 readers read back unchanged: strings that
/// would be retyped (`yes`, `on`, `0777`, `1.0`, `null`, dates) are quoted. Ends with a newline
/// unless the value is empty.
pub fn to_string(v: &Value) -> String {
    serde_saphyr::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_1_1_scalars_like_helm() {
        let v = parse_value(
            "a: yes\nb: on\nc: 0777\nd: 1_000\ne: 2001-12-14\nf: 1.5\ng: ~\nh: NO\n",
            NumberModel::Exact,
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"a": true, "b": true, "c": 511, "d": 1000, "e": "2001-12-14", "f": 1.5, "g": null, "h": false})
        );
    }

    #[test]
    fn merge_keys_and_duplicates() {
        let v = parse_value(
            "base: &b {x: 1, y: 2}\nk:\n  <<: *b\n  y: 3\ndup: 1\ndup: 2\n",
            NumberModel::Exact,
        )
        .unwrap();
        assert_eq!(v["k"], json!({"x": 1, "y": 3}));
        assert_eq!(v["dup"], json!(2));
    }

    #[test]
    fn helm_number_model_makes_floats() {
        let v = parse_value("n: 1000000\nm: [1, 2]\n", NumberModel::Helm).unwrap();
        assert!(v["n"].is_f64());
        assert!(v["m"][0].is_f64());
    }

    #[test]
    fn multi_document_and_empty() {
        let docs = parse_documents(
            "a: 1\n---\n# only a comment\n---\nb: 2\n",
            NumberModel::Exact,
        )
        .unwrap();
        assert_eq!(docs.len(), 2);
        assert!(parse_documents("", NumberModel::Exact).unwrap().is_empty());
    }

    #[test]
    fn messages_leave_the_position_to_the_fields() {
        assert_eq!(
            strip_position_prefix("error: line 1 column 4: unclosed bracket '['"),
            "unclosed bracket '['"
        );
        assert_eq!(strip_position_prefix("error: linear thing"), "linear thing");
        assert_eq!(strip_position_prefix("line 2: x"), "x");
        assert_eq!(strip_position_prefix("line two: x"), "line two: x");
    }

    #[test]
    fn errors_have_positions() {
        let err = parse_value("a: [1, 2\nb: 3\n", NumberModel::Exact).unwrap_err();
        assert!(err.line.is_some(), "{err:?}");
    }

    #[test]
    fn head_fields_of_a_document() {
        let v = parse_value(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: b\n    n: 1\n",
            NumberModel::Exact,
        )
        .unwrap();
        let h = head_of(&v);
        assert_eq!(h.kind.as_deref(), Some("Pod"));
        let m = h.metadata.unwrap();
        assert_eq!(m.name.as_deref(), Some("p"));
        let annotations = m.annotations.unwrap();
        assert_eq!(annotations["a"], "b");
        assert!(!annotations.contains_key("n"));
        assert_eq!(head_of(&Value::Null), Head::default());
    }

    #[test]
    fn nesting_bound_is_an_upper_bound() {
        assert!(nesting_bound("a:\n  b:\n    c: 1\n") >= 3);
        assert!(nesting_bound("- - - - x\n") >= 4);
        assert!(nesting_bound("a: [[[{b: 1}]]]\n") >= 4);
        assert!(nesting_bound("apiVersion: v1\nkind: ConfigMap\n") <= SHALLOW_NESTING);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep_block: String = (0..400)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        assert!(parse_value(&deep_block, NumberModel::Exact).is_err());
        let deep_flow = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_stream(&deep_flow, NumberModel::Exact).is_err());
        let ok: String = (0..60)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        assert!(parse_value(&ok, NumberModel::Exact).is_ok());
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let mut s = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            s.push_str(&format!(
                "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = c;
        }
        assert!(parse_value(&s, NumberModel::Exact).is_err());
    }

    #[test]
    fn real_anchor_reuse_stays_within_budget() {
        // A 200-key anchored block merged into 100 places: 20k keys replayed, like a large
        // values file sharing defaults; must stay well inside the alias budgets.
        let mut s = String::from("defaults: &d\n");
        for i in 0..200 {
            s.push_str(&format!("  k{i}: v{i}\n"));
        }
        for j in 0..100 {
            s.push_str(&format!("svc{j}:\n  <<: *d\n  own: {j}\n"));
        }
        let v = parse_value(&s, NumberModel::Exact).unwrap();
        assert_eq!(v["svc99"]["k199"], serde_json::json!("v199"));
    }

    #[test]
    fn emits_quoted_yaml_1_1_strings() {
        let out = to_string(&json!({"a": "yes", "b": "0777", "c": 1, "d": "plain"}));
        assert!(
            out.contains("a: \"yes\"") || out.contains("a: 'yes'"),
            "{out}"
        );
        assert!(out.contains("c: 1"), "{out}");
        assert_eq!(
            parse_value(&out, NumberModel::Exact).unwrap(),
            json!({"a": "yes", "b": "0777", "c": 1, "d": "plain"})
        );
    }
}
