//! Template engines. `jinja` is the native engine (minijinja); `gotmpl` is a self-contained Go
//! `text/template` engine with Sprig and Helm's functions. The render module picks one per chart
//! from its `Chart.yaml` `engine:` field. Engines never read files or print: they get a chart's
//! templates and values in memory and return rendered text or an error naming the template.

pub mod context;
pub mod gotmpl;
pub mod jinja;

pub use context::{Capabilities, Release};
