//! `chartroom lint` (stub while the module is written).
pub mod chartfile;
pub mod deprecations;
pub mod finding;
pub mod locate;
pub mod names;
pub mod object;
pub mod production;
pub mod refs;
pub mod rules;
pub mod suggest;
