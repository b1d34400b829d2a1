//! Values: sources (`-f`, `--set`, `--set-string`, `--set-json`, `--set-file`, `--set-literal`) in
//! Helm's order, coalescing with chart defaults (subchart scoping, globals, conditions, tags,
//! import-values), and `values.schema.json` checks. Must not render or print.
//!
//! The steps, in the order `helm template` runs them:
//! 1. [`merge_user_values`]: the flags of [`ValueSources`] into one user map.
//! 2. [`process_dependencies`]: aliases, tags, conditions and import-values rewrite the loaded
//!    chart tree (disabled subcharts are removed).
//! 3. [`coalesce`]: user values over every chart's defaults; the result is `.Values`.
//! 4. [`validate_schemas`]: every remaining chart's `values.schema.json`.
//!
//! Each step returns warnings or a [`ValuesError`]; none of them prints.

mod coalesce;
mod dependencies;
mod error;
mod gofmt;
pub mod literal;
mod schema;
mod sources;
pub mod strvals;
#[cfg(test)]
mod testutil;

pub use coalesce::{GLOBAL_KEY, coalesce};
pub use dependencies::process_dependencies;
pub use error::ValuesError;
pub use literal::{parse_literal, parse_literal_into};
pub use schema::validate_schemas;
pub use sources::{MAX_VALUES_FILE_BYTES, ValueSources, merge_user_values};
pub use strvals::{
    ParseError, parse, parse_file, parse_into, parse_into_file, parse_into_string, parse_json,
    parse_string,
};
