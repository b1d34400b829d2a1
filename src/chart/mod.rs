//! The chart model and its loaders: `Chart.yaml` (typed and validated as Helm does), files,
//! `.helmignore`, subcharts, loading from a directory or from a `.tgz` read in memory with Helm's
//! size and path limits. Must not coalesce values, render, or print.

pub mod ignore;
pub mod model;

pub use model::{Chart, Dependency, Engine, File, ImportValue, Lock, Maintainer, Metadata};
