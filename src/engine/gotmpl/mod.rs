//! Go `text/template` with Sprig and Helm's functions. Self-contained: it imports nothing from the
//! rest of the crate, so it could become its own crate.

pub mod semver;
