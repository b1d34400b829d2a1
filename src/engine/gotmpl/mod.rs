//! Go `text/template` with Sprig and Helm's functions, written to render real Helm charts byte
//! for byte like `helm template`. Self-contained: it imports nothing from the rest of the
//! crate, so it could become its own crate.
//!
//! Layers: `lex` → `parse` (trees, `node`) → `exec` (Go semantics over [`Value`]) with `fmt`
//! (Go's printing) and `builtins`; `sprig` adds Sprig v3.3.0's functions; `helm` is Helm's
//! engine (`include`, `tpl`, `.Files`, `.Capabilities`, the render loop).
//!
//! Hand-written rather than a crate: the Go-template crates for Rust are unmaintained or
//! deliberately differ from Go (see the project's dependency notes).

mod builtins;
mod error;
mod exec;
mod fmt;
mod fxhash;
pub mod helm;
mod json_out;
mod lex;
mod node;
mod parse;
mod random;
pub mod semver;
pub mod sprig;
mod template;
mod toml_out;
mod value;
mod yaml_out;

#[cfg(test)]
mod exec_tests;

pub use error::TemplateError;
pub use exec::{
    Ctx, FuncImpl, FuncMap, Function, Limits, MissingKey, Options, Runtime, YamlReader,
};
pub use fmt::{format_v, sprint, sprintf, sprintln};
pub use json_out::to_json;
pub use parse::ParseError;
pub use template::{Engine, TemplateSet};
pub use value::{
    Elem, Kind, List, Map, MapData, Object, Param, Signature, Value, deep_copy, deep_equal,
};
pub use yaml_out::to_yaml;
