//! `chartroom lint` (stub while the module is written).
pub mod chartfile;
pub mod deprecations;
pub mod finding;
pub mod names;
pub mod refs;
pub mod rules;
pub mod suggest;
