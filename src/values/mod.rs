//! Values: sources (`-f`, `--set`, `--set-string`, `--set-json`, `--set-file`, `--set-literal`) in
//! Helm's order, coalescing with chart defaults (subchart scoping, globals, conditions, tags,
//! import-values), and `values.schema.json` checks. Must not render or print.

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
