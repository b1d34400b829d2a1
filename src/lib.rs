//! chartroom: a Helm-style chart packager and renderer.
//!
//! Data flows one way: `cli` → `chart` (load) → `values` (merge, coalesce, schema) →
//! `render` (runs an `engine` per chart) → `manifest` (documents, order, output) → `validate`.
//! Lower modules never call up into `cli`; only `cli` prints.

pub mod chart;
pub mod cli;
pub mod engine;
pub mod lint;
pub mod manifest;
pub mod render;
pub mod stack;
pub mod validate;
pub mod values;
pub mod yaml;

/// The one value type that flows between chart, values, engines and manifests.
/// Maps keep insertion order (`serde_json` with `preserve_order`).
pub type Value = serde_json::Value;
/// A map of values (`.Values`, a `Chart.yaml`, a manifest).
pub type Map = serde_json::Map<String, Value>;
